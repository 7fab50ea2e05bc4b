// The kernel inspector (layer: kernel): typed reads of the KC kernel's data on a booted machine
// ("drgn in the simulator"), views of tasks, VMAs, page tables, struct pages and free lists, and the
// invariant checker. See reader.ts for the object model and invariants.ts for what is checked.

export { InspectError, KernelTypes, loadKernelConstants, DEFAULT_PROBE_HEADERS, type KernelConstants } from './debugInfo';
export { KernelMemory, type KernelMemoryOptions } from './memory';
export { KernelReader, KObject, DEFAULT_WALK_LIMIT, decodeScalar, messageOf, type KernelReaderOptions, type WalkProblem, type WalkResult } from './reader';
export * from './views';
export * from './invariants';

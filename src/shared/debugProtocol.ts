// The Faultline debug protocol on top of DAP (layer: shared): the launch configuration of the
// `faultline` debug type, the custom requests the adapter answers (`faultline/...`) with their
// argument and response bodies, and the custom events it sends. The debug adapter
// (src/debugAdapter) implements these; the VS Code extension and any other DAP client code
// against them. Plain data only: no Node built-ins, no DAP library types.
//
// Conventions:
// - Addresses (virtual, physical, kernel) travel as canonical hex strings `0x...` (kernel
//   addresses sign-extended: `0xffff888000001000`), so 64-bit values never lose precision.
// - Long lists are paged: requests take `start` (default 0) and `count` (default 100, at most 1000)
//   and responses give `total` with the slice `[start, start + items.length)`.
// - Custom requests fail with an ordinary DAP error response (`success: false`, `message`) when
//   their arguments are wrong or the machine is running; they never leave the session broken.

/** The debug type the adapter registers. */
export const DEBUG_TYPE = 'faultline';

/** `launch` arguments of a `faultline` debug session. Exactly one of `program` and `scenario`. */
export interface FaultlineLaunchArguments {
	/** A KC user program (`.c`/`.kc`) to run as the only process of a default machine. */
	readonly program?: string;
	/** Arguments of `program` (argv[1]...). */
	readonly args?: readonly string[];
	/** A scenario file (`*.json`, see kc/schema/scenario.schema.json). */
	readonly scenario?: string;
	/** Kernel profile (era), e.g. `linux-6.8`, `linux-2.6.18`; default: the scenario's, or the default profile. */
	readonly profile?: string;
	/** Scheduler seed (random policies). */
	readonly seed?: number;
	/** Stop before the first statement of the first process (default false). */
	readonly stopOnEntry?: boolean;
	/** Step commands run only the stepped task, the others frozen (default false). DAP's per-request `singleThread` wins. */
	readonly singleThread?: boolean;
	/** Run without stopping (breakpoints ignored), as `faultline run` would. */
	readonly noDebug?: boolean;
	/** Statements between automatic checkpoints for reverse execution (default 20000; 0 disables reverse execution). */
	readonly checkpointInterval?: number;
	/** The folder holding the shipped KC sources (`include/`, `kernel/`, `lib/`); default: the one next to the adapter. */
	readonly kcRoot?: string;
}

/** Exception breakpoint filter ids (`setExceptionBreakpoints`), each accepting a condition. */
export const EXCEPTION_FILTERS = {
	/** Every page fault that enters the kernel (condition: a KC expression over `address`, `write`, `user`, `pid`). */
	pageFault: 'pageFault',
	/** A page fault at an address of a VM_IO, VM_PFNMAP or VM_MIXEDMAP mapping. */
	deviceFault: 'deviceFault',
	/** SIGSEGV or SIGBUS sent to a process (handled or fatal). */
	signal: 'signal',
	/** A kernel BUG(), oops or panic. */
	oops: 'oops',
	/** A lock-order (lockdep) report. */
	lockOrder: 'lockOrder',
	/** A deadlock report, or every task alive but none able to run. */
	deadlock: 'deadlock',
	/** A simulator invariant violation (stale TLB mapping, page accounting). */
	invariant: 'invariant',
} as const;

export type ExceptionFilterId = (typeof EXCEPTION_FILTERS)[keyof typeof EXCEPTION_FILTERS];

/** Names of the custom requests. */
export const FaultlineRequests = {
	addressSpaces: 'faultline/addressSpaces',
	physicalMemory: 'faultline/physicalMemory',
	devices: 'faultline/devices',
	locks: 'faultline/locks',
	timeline: 'faultline/timeline',
	travel: 'faultline/travel',
	peek: 'faultline/peek',
	runTaskNext: 'faultline/runTaskNext',
} as const;

export type FaultlineRequestName = (typeof FaultlineRequests)[keyof typeof FaultlineRequests];

/** Names of the custom events. */
export const FaultlineEvents = {
	/** The machine stopped (after any stop event): views should refresh. Body: MachineStoppedEvent. */
	machineStopped: 'faultline/machineStopped',
	/** New timeline events were recorded. Body: TimelineChangedEvent. */
	timelineChanged: 'faultline/timelineChanged',
} as const;

// ---- Address spaces ------------------------------------------------------------------------------

/**
 * `faultline/addressSpaces`: the tree processes > VMAs > pages. Without `pid`: the processes.
 * With `pid`: that process's VMAs. With `pid` and `vma` (a VMA's start): its pages, paged.
 */
export interface AddressSpacesArguments {
	readonly pid?: number;
	readonly vma?: string;
	readonly start?: number;
	readonly count?: number;
}

export interface ProcessSummary {
	readonly pid: number;
	readonly tgid: number;
	readonly comm: string;
	/** The adapter's thread id of the task (DAP `threadId`). */
	readonly threadId: number;
	/** `mm_struct` address (0x0 for kernel threads). */
	readonly mm: string;
	readonly kernelThread: boolean;
	readonly state: 'runnable' | 'sleeping' | 'lock' | 'dead';
	readonly vmaCount: number;
}

export interface VmaSummary {
	readonly start: string;
	readonly end: string;
	/** `r-xp` as /proc/PID/maps prints it. */
	readonly perms: string;
	readonly flags: readonly string[];
	/** What backs it: anonymous memory, a file, a device (vm_ops set and VM_IO/VM_PFNMAP/VM_MIXEDMAP). */
	readonly backing: 'anon' | 'file' | 'device' | 'special';
	readonly pgoff: number;
	/** `vm_ops` address, or 0x0. */
	readonly ops: string;
	/** Name of the function `vm_ops->fault` points to, when known. */
	readonly faultHandler?: string;
	/** Name of the function `vm_ops->access` points to, when known. */
	readonly accessHandler?: string;
	readonly pages: number;
	/** Pages with a present PTE (omitted for VMAs over 65536 pages: page through `pages` instead). */
	readonly mappedPages?: number;
}

export interface PageSummary {
	readonly va: string;
	/** Raw PTE value (0x0: none). */
	readonly pte: string;
	readonly present: boolean;
	readonly writable: boolean;
	readonly user: boolean;
	readonly accessed: boolean;
	readonly dirty: boolean;
	/** `_PAGE_SPECIAL` set (no struct page is referenced). */
	readonly special: boolean;
	readonly pfn?: number;
	/** The physical region the frame lies in (`ram`, or a device region's name). */
	readonly region?: string;
	/** `struct page` state when the frame has one. */
	readonly page?: { readonly refcount: number; readonly mapcount: number; readonly flags: readonly string[]; readonly mapping: string };
}

export interface AddressSpacesResponse {
	readonly processes?: readonly ProcessSummary[];
	readonly vmas?: readonly VmaSummary[];
	readonly pages?: readonly PageSummary[];
	/** Total items at this level (for paging). */
	readonly total: number;
}

// ---- Physical memory -----------------------------------------------------------------------------

/** `faultline/physicalMemory`: without `region` the regions; with `region` (its index) its frames, paged. */
export interface PhysicalMemoryArguments {
	readonly region?: number;
	readonly start?: number;
	readonly count?: number;
}

export interface PhysicalRegion {
	readonly index: number;
	readonly name: string;
	readonly kind: string;
	readonly start: string;
	readonly end: string;
	readonly frames: number;
}

export interface FrameSummary {
	readonly pfn: number;
	readonly address: string;
	/** free (on a buddy list), kernel, user (mapped by some PTE), pagetable, device, reserved. */
	readonly owner: string;
	readonly refcount?: number;
	readonly mapcount?: number;
	readonly flags?: readonly string[];
	/** Who maps it: `pid:va` pairs found in the live tasks' page tables. */
	readonly mappedBy?: readonly string[];
}

export interface PhysicalMemoryResponse {
	readonly regions?: readonly PhysicalRegion[];
	readonly frames?: readonly FrameSummary[];
	readonly total: number;
}

// ---- Devices, locks ---------------------------------------------------------------------------------

/** One node of a generic tree the views show as they are (devices, lock graphs). */
export interface InfoNode {
	readonly label: string;
	readonly value?: string;
	readonly description?: string;
	/** A DAP memory reference for "view memory" on this node, when it has one. */
	readonly memoryReference?: string;
	readonly children?: readonly InfoNode[];
}

export type DevicesArguments = Record<string, never>;

export interface DevicesResponse {
	/** One node per device model (its `describe()`), and one per loaded driver module. */
	readonly devices: readonly InfoNode[];
}

export type LocksArguments = Record<string, never>;

export interface LockSummary {
	readonly name: string;
	readonly kind: string;
	/** Holder task ids. */
	readonly holders: readonly string[];
	/** Waiting task ids. */
	readonly waiters: readonly string[];
}

export interface LocksResponse {
	readonly locks: readonly LockSummary[];
	/** Lock-order edges lockdep has seen (`from` was held when `to` was taken). */
	readonly order: readonly { readonly from: string; readonly to: string }[];
	/** Lock reports so far (lockdep, deadlock), newest last. */
	readonly reports: readonly { readonly kind: string; readonly title: string; readonly text: string }[];
}

// ---- Timeline and travel ----------------------------------------------------------------------------

/** Kinds of timeline events. */
export type TimelineEventKind = 'fault' | 'pte-set' | 'pte-zap' | 'tlb-flush' | 'context-switch' | 'signal' | 'exit' | 'bug' | 'oops' | 'lockdep' | 'deadlock' | 'harness' | 'stop';

/** `faultline/timeline`: recorded memory-management events, paged, optionally filtered. */
export interface TimelineArguments {
	readonly start?: number;
	readonly count?: number;
	readonly kinds?: readonly TimelineEventKind[];
	/** Only events of this pid. */
	readonly pid?: number;
}

export interface TimelineEvent {
	/** Stable id (its index in the recording). */
	readonly id: number;
	/** Simulated time: statements executed when it happened. */
	readonly time: number;
	readonly kind: TimelineEventKind;
	readonly pid?: number;
	readonly task?: string;
	readonly address?: string;
	readonly text: string;
}

export interface TimelineResponse {
	readonly events: readonly TimelineEvent[];
	readonly total: number;
	/** The machine's current time. */
	readonly now: number;
}

/** `faultline/travel`: go (forward or back) to the moment of an event, or to a time. */
export interface TravelArguments {
	readonly eventId?: number;
	readonly time?: number;
}

export interface TravelResponse {
	readonly time: number;
	/** The thread the stop is reported on. */
	readonly threadId?: number;
}

// ---- Memory peek ------------------------------------------------------------------------------------

/**
 * `faultline/peek`: read memory the way a debugger on a real system would (`ptrace`: through the
 * simulated kernel's access_process_vm of the task `pid`, era behaviour included) or as the machine
 * holds it (`machine`: a walk of the task's page tables, or a physical address when `physical`).
 */
export interface PeekArguments {
	readonly address: string;
	readonly length: number;
	readonly path: 'ptrace' | 'machine';
	/** The process (default: the stopped thread's). */
	readonly pid?: number;
	/** `machine` path: the address is physical. */
	readonly physical?: boolean;
}

export interface PeekResponse {
	/** The bytes read, base64. */
	readonly data: string;
	/** Bytes that could be read from the start (the rest is unreadable). */
	readonly bytesRead: number;
	/** How the bytes were reached: `gup` (page walk / fault-in), `access` (the driver's vm_ops->access), `page-tables`, `physical`, `none`. */
	readonly via: string;
	/** Why the read stopped short (EIO, no VMA, a lock held by a stopped task...). */
	readonly error?: string;
}

// ---- Scheduling --------------------------------------------------------------------------------------

/** `faultline/runTaskNext`: the named task runs next (on CPU 0) when the machine continues. */
export interface RunTaskNextArguments {
	readonly threadId: number;
	/** Statements it runs alone before normal scheduling resumes (default: until it blocks, exits or reaches a breakpoint; at most 1,000,000). */
	readonly statements?: number;
}

export type RunTaskNextResponse = Record<string, never>;

// ---- Events ----------------------------------------------------------------------------------------

export interface MachineStoppedEvent {
	readonly time: number;
	readonly reason: string;
	readonly threadId?: number;
}

export interface TimelineChangedEvent {
	readonly total: number;
}

/** The request and response bodies of each custom request, for typed clients. */
export interface FaultlineRequestMap {
	'faultline/addressSpaces': { readonly arguments: AddressSpacesArguments; readonly response: AddressSpacesResponse };
	'faultline/physicalMemory': { readonly arguments: PhysicalMemoryArguments; readonly response: PhysicalMemoryResponse };
	'faultline/devices': { readonly arguments: DevicesArguments; readonly response: DevicesResponse };
	'faultline/locks': { readonly arguments: LocksArguments; readonly response: LocksResponse };
	'faultline/timeline': { readonly arguments: TimelineArguments; readonly response: TimelineResponse };
	'faultline/travel': { readonly arguments: TravelArguments; readonly response: TravelResponse };
	'faultline/peek': { readonly arguments: PeekArguments; readonly response: PeekResponse };
	'faultline/runTaskNext': { readonly arguments: RunTaskNextArguments; readonly response: RunTaskNextResponse };
}

/** Default and largest page size of paged requests. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** Clamps a paged request's `start`/`count` (non-integers and negatives become the defaults). */
export function pageWindow(start: unknown, count: unknown): { readonly start: number; readonly count: number } {
	const s = typeof start === 'number' && Number.isSafeInteger(start) && start >= 0 ? start : 0;
	const c = typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? Math.min(count, MAX_PAGE) : DEFAULT_PAGE;
	return { start: s, count: c };
}

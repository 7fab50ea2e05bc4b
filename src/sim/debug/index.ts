// The debugger engine's public face (layer: sim): what the debug adapter imports. See engine.ts for
// running and time travel, inspect.ts for stacks and variables, memory.ts for the two memory paths,
// views.ts for the custom requests' views and commands.ts for the debug console's commands.

export { DebugEngine, describeErrorCode, firstStatement, sameSourceFile, type BreakpointResult, type BreakpointSpec, type EngineLaunchOptions, type ExceptionFilterSetting, type ExceptionStop, type StopInfo, type ThreadInfo } from './engine';
export { VariableStore, stackOf, faultArguments, type ScopeView, type StackFrameView, type VariableView } from './inspect';
export { accessProcessVm, fromBase64, MAX_READ, parseMemoryReference, readMachine, toBase64, writeMachine, type MemoryRead, type MemoryReference } from './memory';
export { addressSpaces, devices, locks, physicalMemory, processes, timeline } from './views';
export { COMMANDS, completions, runCommand } from './commands';
export { EvaluationError } from './evaluate';
export { pointerHex, parseAddress } from './values';
export type { Frame as MachineFrame } from '../../interp/thread';
export { MAX_WATCH_BYTES, type WatchSpec } from './watches';

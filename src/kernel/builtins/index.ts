// The builtins of the KC kernel in one table (layer: kernel): what kc/kernel/include/linux/faultline.h
// declares, bound to one machine's lock system, trace sink and kernel log.
//
//   const { builtins, host, lockIndex } = createKernelBuiltins({ locks, events, log });
//   link(kernelUnits, builtins, memory, kernelLayout);

import type { Builtin } from '../../interp/contracts';
import { consoleBuiltins, type HostConsole } from './console';
import { debugBuiltins } from './debug';
import { KernelHost, type KernelBuiltinOptions } from './host';
import { lockBuiltins, type KernelLockIndex } from './locks';
import { pgtableBuiltins } from './pgtable';
import { procBuiltins, type ProcessHooks } from './proc';
import { schedBuiltins, type SchedulerHooks } from './sched';
import { stringBuiltins } from './string';
import { uaccessBuiltins, UaccessState } from './uaccess';

export { RecordingKernelEvents, nullKernelEvents, type KernelEvent, type KernelEvents, type KernelSite } from './events';
export { canonicalHex, KernelHost, type KernelBuiltinOptions } from './host';
export { isSpinning, KernelLockIndex, SLEEP_REASON_PREFIX, SPIN_REASON_PREFIX } from './locks';
export { KernelLog, LOGLEVEL_DEFAULT, type KernelLogMark, type KernelLogRecord } from './log';
export { parseLogLevel } from './debug';
export { UaccessState } from './uaccess';
export type { SchedulerHooks } from './sched';
export type { HostConsole } from './console';
export type { ProcessHooks } from './proc';

/** A machine's kernel builtins. */
export interface KernelBuiltins {
	/** Builtins by C name, for the linker. */
	readonly builtins: Map<string, Builtin>;
	/** The shared state (log, events, lock system). */
	readonly host: KernelHost;
	/** Lock objects in kernel memory by address; `resync()` it after restoring the lock system. */
	readonly lockIndex: KernelLockIndex;
	/** Threads in the middle of a faulting user copy (the machine's fault path reads it). */
	readonly uaccess: UaccessState;
	/** Attaches the process layer's scheduler (until then every thread runs as init_task). */
	setScheduler(hooks: SchedulerHooks | undefined): void;
	/** Connects the console device to the host's streams (default: output discarded, no input). */
	setConsole(console: HostConsole | undefined): void;
	/** Attaches the process layer (copy_thread, task death, signal delivery). */
	setProcesses(hooks: ProcessHooks | undefined): void;
}

/** Creates the kernel builtins over the given machine services. */
export function createKernelBuiltins(options: KernelBuiltinOptions): KernelBuiltins {
	const host = new KernelHost(options);
	const locks = lockBuiltins(host);
	const uaccess = new UaccessState();
	let scheduler: SchedulerHooks | undefined;
	let console: HostConsole | undefined;
	let processes: ProcessHooks | undefined;
	const builtins = new Map<string, Builtin>();
	for (const part of [locks.builtins, debugBuiltins(host), pgtableBuiltins(host), stringBuiltins(), uaccessBuiltins(uaccess), schedBuiltins(() => scheduler), consoleBuiltins(() => console), procBuiltins(() => processes)]) {
		for (const [name, builtin] of part) {
			builtins.set(name, builtin);
		}
	}
	return { builtins, host, lockIndex: locks.index, uaccess, setScheduler: hooks => { scheduler = hooks; }, setConsole: c => { console = c; }, setProcesses: h => { processes = h; } };
}

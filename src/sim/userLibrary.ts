// The builtins a user program links against on the simulated machine (layer: sim): the machine's
// system-call layer (System.userBuiltins: __kc_syscall, __kc_clone, __kc_thread_area) plus the pure
// C library functions implemented in TypeScript (formatting, strings, math), which touch only the
// caller's memory through the CPU bus.

import type { Builtin } from '../interp/contracts';
import type { System } from '../kernel/proc/system';

/** The user builtins of `system`'s processes. */
export function userLibraryBuiltins(system: System): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	for (const [name, builtin] of system.userBuiltins()) table.set(name, builtin);
	return table;
}

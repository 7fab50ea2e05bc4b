// The builtins a user program links against on the simulated machine (layer: sim): the machine's
// system-call layer (System.userBuiltins: __kc_syscall, __kc_clone, __kc_thread_area) plus the pure
// C library functions implemented in TypeScript (the printf formatting engine behind vsnprintf,
// string and memory functions, strtol and friends, math), which touch only the caller's memory
// through its CPU's bus. Everything with state of its own (stdio, malloc, exit, errno, strerror,
// ctype tables, random) is KC code in kc/lib, which wins over a builtin of the same name at link
// time. The TypeScript functions that set errno write it into the calling thread's thread area
// (offset 0, kc/lib/internal.h), as the KC C library's __errno_location does.

import type { Builtin } from '../interp/contracts';
import { FlatLayout } from '../interp/contracts';
import { FlatMemory } from '../interp/flatMemory';
import { createUserHost } from '../interp/libc/userHost';
import type { System } from '../kernel/proc/system';

/** TypeScript C library functions that need the flat host's data region: never linked on the machine. */
const FLAT_ONLY = new Set(['strerror', '__ctype_b_loc', '__errno_location', 'strtok', 'rand', 'srand', 'random', 'srandom', 'atexit', 'exit', 'perror']);

/** The user builtins of `system`'s processes. */
export function userLibraryBuiltins(system: System): Map<string, Builtin> {
	// The host's own memory only receives its (unused) data region; the builtins act on ctx.mem.
	const host = createUserHost({
		memory: new FlatMemory(),
		stdout: () => undefined,
		stderr: () => undefined,
		heapBase: FlatLayout.heapBase,
		heapLimit: FlatLayout.heapLimit,
		errnoLocation: () => system.running?.threadArea ?? 0,
	});
	const table = new Map<string, Builtin>();
	for (const [name, builtin] of host.builtins) if (!FLAT_ONLY.has(name)) table.set(name, builtin);
	for (const [name, builtin] of system.userBuiltins()) table.set(name, builtin);
	return table;
}

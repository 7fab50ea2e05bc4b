// The minimal C library of `faultline exec`: every builtin a user program can call on the flat
// address space before the simulated kernel exists (layer: interp).
//
// Memory map (see FlatLayout): the C library's data region (errno, the FILE objects and stdout's
// buffer, random() state, atexit list, strerror strings, allocator control block) takes the first
// LIBC_DATA_SIZE bytes at `heapBase`; the malloc heap follows it up to `heapLimit`, mapped on
// demand. All mutable C library state is in simulated memory (see libcData.ts), so snapshots of
// memory capture it; the host object itself holds only configuration.

import type { Builtin, BuiltinTable } from '../contracts';
import type { MappableMemory } from '../cpu';
import { ctypeBuiltins, initCtypeTable } from './ctype';
import type { LibcEnv } from './env';
import { LIBC_DATA_SIZE, LibcData } from './libcData';
import { Allocator } from './malloc';
import { mathBuiltins } from './math';
import { seedRandom } from './random';
import { fileAddress, flushAll, initStreams, stdioBuiltins, type StdoutBuffering } from './stdio';
import { stdlibBuiltins } from './stdlib';
import { stringBuiltins } from './string';

export interface UserHostOptions {
	/** The flat memory of `faultline exec` (FlatMemory): the host maps its data region and heap pages in it. */
	readonly memory: MappableMemory;
	/** Receives the program's standard output as the C library flushes it. */
	readonly stdout: (bytes: Uint8Array) => void;
	/** Receives the program's standard error (unbuffered, as in glibc). */
	readonly stderr: (bytes: Uint8Array) => void;
	/** Start of the C library's region and heap (FlatLayout.heapBase). */
	readonly heapBase: number;
	/** End of the heap (FlatLayout.heapLimit): malloc returns NULL beyond it. */
	readonly heapLimit: number;
	/** Standard input's whole contents (default: empty, so reads see end of file). */
	readonly stdin?: Uint8Array;
	/**
	 * How stdout is buffered: `full` (default) as glibc does for a pipe or file, `line` as for a
	 * terminal (pass `line` when the real stdout is a TTY), `none` for unbuffered.
	 */
	readonly stdoutBuffering?: StdoutBuffering;
	/** The program's short name (basename of argv[0]) for assert messages; default `a.out`. */
	readonly programName?: string;
	/**
	 * Where errno is for the calling thread, asked at each use (default: the data region's errno).
	 * The simulated machine's processes keep errno in each thread's thread area.
	 */
	readonly errnoLocation?: () => number;
}

export interface UserHost {
	/** Every C library function by name, for the linker. */
	readonly builtins: BuiltinTable;
	/**
	 * Flushes the stdio buffers, as exit() does after the atexit handlers. Call it when main returns
	 * normally (glibc calls exit(main(...))); do not call it after abort, a fatal signal or _exit,
	 * where glibc loses buffered output too.
	 */
	flush(): void;
	/** Addresses of C library objects, for debugger views and tests. */
	readonly addresses: {
		readonly errno: number;
		readonly stdin: number;
		readonly stdout: number;
		readonly stderr: number;
		/** First address the allocator hands out blocks from. */
		readonly heapStart: number;
	};
	/** The allocator (its state is in simulated memory), for heap views and tests. */
	readonly allocator: Allocator;
}

/** Creates the C library for one program on flat memory and initializes its state in that memory. */
export function createUserHost(options: UserHostOptions): UserHost {
	const memory = options.memory;
	const data = options.heapBase;
	const heapStart = data + LIBC_DATA_SIZE;
	memory.map(data, LIBC_DATA_SIZE, { read: true, write: true });
	const allocator = new Allocator({
		control: data + LibcData.heap,
		start: heapStart,
		limit: options.heapLimit,
		map: (start, length) => {
			memory.map(start, length, { read: true, write: true });
			return true;
		},
	});
	const env: LibcEnv = {
		data,
		get errnoAddress(): number {
			return options.errnoLocation?.() ?? data + LibcData.errno;
		},
		allocator,
		random: { table: data + LibcData.randomState, front: data + LibcData.randomFront, rear: data + LibcData.randomRear },
		stdin: options.stdin ?? new Uint8Array(0),
		programName: options.programName ?? 'a.out',
		emit: (fd, bytes) => {
			if (fd === 1) {
				options.stdout(bytes);
				return true;
			}
			if (fd === 2) {
				options.stderr(bytes);
				return true;
			}
			return false;
		},
	};
	allocator.init(memory);
	seedRandom(memory, env.random, 1);
	initStreams(memory, env, options.stdoutBuffering ?? 'full');
	initCtypeTable(memory, data + LibcData.ctypeTable, data + LibcData.ctypeTablePointer);

	const table = new Map<string, Builtin>();
	for (const group of [stdioBuiltins(env), stdlibBuiltins(env), stringBuiltins(env), ctypeBuiltins(data + LibcData.ctypeTablePointer), mathBuiltins(env)]) {
		for (const [name, builtin] of Object.entries(group)) {
			table.set(name, builtin);
		}
	}
	return {
		builtins: table,
		flush: () => flushAll(memory, env),
		addresses: {
			errno: env.errnoAddress,
			stdin: fileAddress(env, 0),
			stdout: fileAddress(env, 1),
			stderr: fileAddress(env, 2),
			heapStart,
		},
		allocator,
	};
}

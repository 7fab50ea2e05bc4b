// What the user C library's builtins share: where its state lives and how it reaches the host's
// output (layer: interp).

import type { MemoryBus } from '../contracts';
import type { Allocator } from './malloc';
import type { RandomState } from './random';

/** The shared context every group of C library builtins is created with. */
export interface LibcEnv {
	/** Base address of the C library's data region (see libcData.ts). */
	readonly data: number;
	/** Address of errno. */
	readonly errnoAddress: number;
	readonly allocator: Allocator;
	readonly random: RandomState;
	/** Everything the program can read from standard input. */
	readonly stdin: Uint8Array;
	/** `program_invocation_short_name`, used by assert and perror-like messages. */
	readonly programName: string;
	/** Sends bytes to host descriptor 1 or 2; false for any other descriptor. */
	emit(fd: number, bytes: Uint8Array): boolean;
}

/** Sets the calling thread's errno. */
export function setErrno(mem: MemoryBus, env: LibcEnv, value: number): void {
	mem.st32(env.errnoAddress, value);
}

/** The calling thread's errno. */
export function getErrno(mem: MemoryBus, env: LibcEnv): number {
	return mem.ld32s(env.errnoAddress);
}

/** SIGABRT: what abort(), failed assertions and heap corruption end with. */
export const SIGABRT = 6;

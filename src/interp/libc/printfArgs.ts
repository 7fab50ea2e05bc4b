// Argument sources for formatPrintf: the variadic arguments of a builtin call, and a va_list in
// simulated memory (layer: interp).

import type { CType } from '../../lang/types';
import type { MemoryBus, Value } from '../contracts';
import type { ArgSource } from './format';
import { readCString, readWideString } from './memoryAccess';

/** Memory-backed parts shared by both sources: strings, `%n` and errno. */
abstract class MemoryArgSource implements ArgSource {
	failed = false;

	constructor(protected readonly mem: MemoryBus, private readonly errnoAddress: number) {}

	abstract nextInt(): number | bigint;
	abstract nextDouble(): number;

	cString(address: number, limit?: number): Uint8Array | undefined {
		const s = readCString(this.mem, address, limit);
		if (s === undefined) this.failed = true;
		return s;
	}

	wideString(address: number, limit?: number): number[] | undefined {
		const s = readWideString(this.mem, address, limit);
		if (s === undefined) this.failed = true;
		return s;
	}

	storeCount(address: number, size: 1 | 2 | 4 | 8, count: number): boolean {
		if (size === 1) this.mem.st8(address, count & 0xff);
		else if (size === 2) this.mem.st16(address, count & 0xffff);
		else if (size === 4) this.mem.st32(address, count | 0);
		else this.mem.st64(address, count);
		if (this.mem.fault) this.failed = true;
		return !this.failed;
	}

	errno(): number {
		return this.mem.ld32s(this.errnoAddress);
	}
}

/**
 * The variadic arguments of a call, as the CPU passed them (already promoted, with their types).
 * Integer-class arguments (integers, pointers) and floating ones are consumed from two separate
 * sequences, as x86-64 passes them in general and SSE registers, so a mismatched format reads what
 * glibc would read from registers. Pointers are sign-extended from bit 47 (canonical addresses).
 */
export class CallArgSource extends MemoryArgSource {
	private readonly ints: Value[] = [];
	private readonly doubles: number[] = [];
	private nextIntIndex = 0;
	private nextDoubleIndex = 0;

	constructor(mem: MemoryBus, errnoAddress: number, args: readonly Value[], types: readonly CType[], first: number) {
		super(mem, errnoAddress);
		for (let i = first; i < args.length; i++) {
			const t = types[i];
			const v = args[i];
			if ((t !== undefined && t.kind === 'float') || (t === undefined && typeof v === 'number' && !Number.isInteger(v))) {
				this.doubles.push(Number(v));
			} else if (t !== undefined && t.kind === 'pointer' && typeof v === 'number' && Number.isInteger(v) && v >= 2 ** 47) {
				this.ints.push(BigInt(v) - (1n << 48n));
			} else {
				this.ints.push(v);
			}
		}
	}

	nextInt(): number | bigint {
		// Past the last argument glibc would read stale registers; 0 keeps it deterministic.
		return this.nextIntIndex < this.ints.length ? this.ints[this.nextIntIndex++] : 0;
	}

	nextDouble(): number {
		return this.nextDoubleIndex < this.doubles.length ? this.doubles[this.nextDoubleIndex++] : 0;
	}
}

/**
 * A KC va_list: a pointer to the next 8-byte argument slot. Integers sit sign- or zero-extended in
 * their slot, doubles as IEEE binary64.
 */
export class VaListArgSource extends MemoryArgSource {
	constructor(mem: MemoryBus, errnoAddress: number, private slot: number) {
		super(mem, errnoAddress);
	}

	nextInt(): number | bigint {
		const v = this.mem.ld64s(this.slot);
		if (this.mem.fault) {
			this.failed = true;
			return 0;
		}
		this.slot += 8;
		return v;
	}

	nextDouble(): number {
		const v = this.mem.ldf64(this.slot);
		if (this.mem.fault) {
			this.failed = true;
			return 0;
		}
		this.slot += 8;
		return v;
	}
}

// The code of one address space: the linked programs whose functions a thread can reach, by address
// or by name (layer: interp).
//
// A thread runs against a CodeSpace rather than a single program: a process sees its own user
// program and the kernel (with its modules), so a function pointer, an injected call or a builtin's
// `call` action may name a function of any of them. Each program occupies its own text range
// [textBase, textEnd); the ranges may not overlap. Two processes running different binaries have
// different code spaces (both user programs usually sit at the same text address) that share the
// kernel's Program object.

import type { Privilege } from './contracts';
import type { FunctionInfo, Program } from './program';

/** The programs of one address space, looked up by function address. Immutable. */
export class CodeSpace {
	readonly programs: readonly Program[];
	/** True when some program runs at kernel privilege (threads then get a kernel stack). */
	readonly hasKernel: boolean;

	/** Throws RangeError when two programs' text ranges overlap (a bug of whoever builds the space). */
	constructor(programs: readonly Program[]) {
		if (programs.length === 0) throw new RangeError('CodeSpace: no programs');
		const sorted = [...programs].sort((a, b) => a.textBase - b.textBase);
		for (let i = 1; i < sorted.length; i++) {
			if (sorted[i].textBase < sorted[i - 1].textEnd) {
				throw new RangeError(`CodeSpace: the text of '${sorted[i].name}' overlaps '${sorted[i - 1].name}'`);
			}
		}
		this.programs = programs.slice();
		this.hasKernel = programs.some(p => p.privilege === 'kernel');
	}

	/** A code space of one program. */
	static of(program: Program): CodeSpace {
		return new CodeSpace([program]);
	}

	/** The function at a text address of any program (undefined: not a function address). */
	functionAt(address: number): FunctionInfo | undefined {
		const programs = this.programs;
		for (let i = 0; i < programs.length; i++) {
			const p = programs[i];
			const offset = address - p.textBase;
			if (offset >= 0 && address < p.textEnd) return offset % 16 === 0 ? p.functions[offset / 16] : undefined;
		}
		return undefined;
	}

	/** The program whose text contains `address`. */
	programAt(address: number): Program | undefined {
		for (const p of this.programs) if (address >= p.textBase && address < p.textEnd) return p;
		return undefined;
	}

	/**
	 * A function by name: first in `preferred` (usually the caller's program), then in the programs
	 * in order, each looked up as Program.functionByName does.
	 */
	functionByName(name: string, preferred?: Program): FunctionInfo | undefined {
		const own = preferred?.functionByName(name);
		if (own !== undefined) return own;
		for (const p of this.programs) {
			if (p === preferred) continue;
			const f = p.functionByName(name);
			if (f !== undefined) return f;
		}
		return undefined;
	}

	/** The programs of one privilege. */
	programsAt(privilege: Privilege): Program[] {
		return this.programs.filter(p => p.privilege === privilege);
	}

	/** A code space with `program` in place of `replaced` (exec), or added when `replaced` is absent. */
	replacing(replaced: Program | undefined, program: Program): CodeSpace {
		const rest = this.programs.filter(p => p !== replaced);
		return new CodeSpace([program, ...rest]);
	}
}

// The KC compiler: turns each checked FunctionDef into a JavaScript function (via `new Function`)
// that implements it as a resumable state machine (layer: interp).
//
// # Design
//
// A compiled KC function has the signature `(cpu, frame) => void` and the shape
//
//     const m = cpu.mem, ctx = cpu.ctx, r = frame.regs, B = frame.base;   // bp: the program's breakpoints
//     let b = cpu.budget, pc = frame.pc;
//     let $0 = r[0], $1 = r[1], ...;            // registers: params, register locals, temporaries
//     M: for (;;) switch (pc) {
//       case 0: ...prologue...
//       case 1: if (--b < 0 || bp[17] !== 0) { pc = 1; break M; }   // statement check (pause point)
//       case 2: ...statement 17, linearized...                        // statement body
//       ...
//     }
//     r[0] = $0; ...; frame.pc = pc; cpu.budget = b;                  // the one save path
//
// Consecutive cases fall through; control flow (if, loops, goto, switch) assigns `pc` and does
// `continue M`. Every exit to the run loop (cpu.ts) first sets `pc` to the resume label and
// `cpu.ex` to an `Exit` code, then `break M` runs the save path (returns skip it: the frame dies).
//
// # Invariants
//
// - **Registers.** Parameters, locals that are not address-taken, and expression temporaries are JS
//   `let` variables `$N`, loaded from `frame.regs[N]` on entry and stored back on every exit but a
//   return. Only slots the function ever writes are stored back, and temporaries only if one was
//   allocated (possibly holding a value) when some label was placed: a temporary that is never
//   live across a resume point is neither saved nor loaded. Address-taken locals, arrays,
//   structs and unions live in the thread's stack memory at `B + offset` (offsets fixed at compile
//   time); struct parameters live in the caller's frame and the callee holds their address in a
//   register (storage `indirect`).
// - **Resume labels.** `pc` is always a case label. Labels are placed at: every statement check and
//   statement body, after every call, at every control-flow join, and before a memory access that
//   follows a side effect within the same statement. A statement is compiled into three-address
//   form: loads, stores and calls happen one at a time with their results in temporaries, and pure
//   computations stay nested JS expressions. So when an access faults, the frame is saved with `pc`
//   = the latest label, and re-executing from it repeats only loads and pure computations (never a
//   store, a register-local write or a call): the `dirty` flag tracks whether a side effect has
//   happened since the latest label, and `touch()` places a fresh label before an access if so.
//   Volatile accesses count as side effects (device registers must not be read twice). This is
//   what lets the machine push its page-fault handler on a faulting thread (cpu.ts `injectCall`)
//   and then resume the interrupted frame, which executes the faulting access again, once.
// - **What pc means when stopped.** At a statement check label (`checkPc[pc] === 1`): about to
//   execute the statement, not yet counted. At a statement body label: about to execute the
//   statement, already counted (a breakpoint stop; resuming does not hit the breakpoint again).
//   Elsewhere (fault, block, call in progress): in the middle of the statement `pcStatement[pc]`.
// - **Calls.** A KC call places label L (the retry point), stores the callee and arguments in `cpu`,
//   sets `pc = L + 1` and exits with Exit.Call; the run loop pushes the callee frame and, when it
//   returns, stores the value in the caller's result register and resumes at L + 1. A builtin is
//   called directly: a value continues in line; an action exits with Exit.Action at pc = L + 1, and
//   the run loop sets pc back to L when the builtin must be called again (block, fault).
// - **Nested calls.** A direct call to a KC function first tries `cpu.callDirect()` (thread.ts),
//   which pushes the callee's frame and runs its code inside the caller's JS activation, with
//   `fr.pc` already after the call and `cpu.budget = b`. When the callee returns, the caller takes
//   the value and the budget and falls through to L + 1 with its registers still in its JS
//   variables (they were not saved: nothing reads a frame's registers before the run loop has the
//   thread again). When the callee stops for any reason, the caller saves its registers (the save
//   path's saves, `SAVE_MARKER`) and returns without touching `fr.pc`, `cpu.budget` or `cpu.ex`:
//   every activation unwinds to the run loop, which finds exactly the frames, pcs, registers and
//   exit it would have found had each call gone through it. So stepping, breakpoints, faults,
//   snapshots and backtraces see no difference; nesting only saves the round trips. A frame's pc
//   is set before a nested call (backtraces taken by builtins read the pcs of callers).
// - **Statement budget.** `b` counts down per statement check; the run loop reads `cpu.budget`.
// - **Undefined behaviour** exits with Exit.Ub and a constant message; `pcStatement[pc]` locates it.
//   A register local that may be read before any assignment (a conservative definite-assignment
//   analysis decides) is checked against `undefined`, the value it has until first written.
// - **Direct calls** build the callee's whole register file in one array literal (arguments, then
//   `undefined` padding), so a call allocates one array and one Frame. The padding needs every
//   callee's register count: `compileFunction` leaves a marker naming the callee's constant,
//   `finalizeFunction` (run by the linker once all functions are compiled) resolves it and creates
//   the JS function. A direct call always targets a function of the same privilege (the same
//   program, or a program of the same privilege it imports): it never switches mode, so the run loop
//   checks nothing on this path (see cpu.ts).
// - **Breakpoints and statement ids** are per program: `bp` is the program's breakpoint table, bound
//   into the function when it is created (no per-call lookup), indexed by the program's statement ids.
// - **Generated code never contains program text**: identifiers are `$N`/`kN`, numbers are numeric
//   literals, and everything else (messages, builtins, callees, byte strings) is a constant in `K`.
//   The one exception is a closing `//# sourceURL=kc/<name>` comment, the function's name with every
//   character outside [A-Za-z0-9_] replaced, so that host profilers name KC functions.

import type { CompoundStmt, Expr, ForStmt, FunctionDef, Stmt, SwitchStmt, VarSymbol } from '../lang/ast';
import { alignOf, sizeOf } from '../lang/types';
import { FunctionInfo, type CompiledCode } from './program';
import { Exit, runtime } from './runtime';
import { ExprCompiler, type CompileEnv } from './compileExpr';
import { intLit, intersect, SAVE_MARKER } from './compileSupport';

export type { CompileEnv } from './compileExpr';

/**
 * Compiles one function definition into `info` (registers, frame layout, statement tables, and the
 * generated source). Errors (constructs the CPU cannot run) are reported through `env.error`. Call
 * `finalizeFunction` once every function of the program is compiled.
 */
export function compileFunction(def: FunctionDef, info: FunctionInfo, env: CompileEnv): void {
	new FunctionCompiler(def, info, env).compile();
}

const PAD_MARKER = /\/\*PAD:(\d+):(\d+)\*\//g;

/**
 * Creates the JS function of a compiled KC function. Direct call sites carry a marker that becomes
 * `undefined` padding so the argument array is the callee's whole register file (one allocation per
 * call); that needs every callee's register count, hence this second step.
 */
export function finalizeFunction(info: FunctionInfo, breakpoints: Uint8Array): void {
	info.regTemplate = new Array<undefined>(info.nregs).fill(undefined);
	// Lazily: a booted kernel links thousands of functions and runs a few hundred of them; creating
	// each one's JS function (new Function) on first call instead of at link time saves most of the
	// link. Everything that runs a function reads `info.code` at call time, so the stub replaces itself.
	info.code = function compileOnFirstCall(cpu, frame) {
		const code = generateFunction(info, breakpoints);
		info.code = code;
		return code(cpu, frame);
	};
}

/** Creates the JS function of a linked KC function (see finalizeFunction). */
export function generateFunction(info: FunctionInfo, breakpoints: Uint8Array): CompiledCode {
	const source = info.source.replace(PAD_MARKER, (_m, constant: string, nargs: string) => {
		const callee = info.constants[Number(constant)];
		const n = Number(nargs);
		if (!(callee instanceof FunctionInfo) || callee.kind !== 'kc' || callee.variadic || n > callee.nparams || callee.nregs <= n) return '';
		const pad = new Array<string>(callee.nregs - n).fill('undefined').join(', ');
		return n === 0 ? pad : `, ${pad}`;
	});
	info.source = source;
	const sourceUrl = `\n//# sourceURL=kc/${info.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
	const factory = new Function('rt', 'K', 'bp', source + sourceUrl) as (rt: typeof runtime, K: readonly unknown[], bp: Uint8Array) => CompiledCode;
	return factory(runtime, info.constants, breakpoints);
}

/** Compiles one function: the driver and the statements (expressions: see ExprCompiler). */
class FunctionCompiler extends ExprCompiler {
	compile(): void {
		const def = this.def;
		const info = this.info;
		const ftype = def.symbol?.type;
		const params = def.params ?? [];
		info.nparams = params.length;
		info.variadic = ftype?.variadic ?? false;
		if (ftype && ftype.returns.kind === 'struct') info.structReturnSize = sizeOf(ftype.returns);
		const bodyRange = def.body.range;

		// Parameters arrive in slots 0..n-1.
		for (const p of params) {
			const slot = this.nslots++;
			if (p.type.kind === 'struct') {
				this.vars.set(p.id, { kind: 'indirect', slot });
				this.addLocal(p, 'param', 'indirect', slot, 0, 0, bodyRange);
			} else if (p.addressTaken) {
				const offset = this.allocFrame(sizeOf(p.type), alignOf(p.type));
				this.vars.set(p.id, { kind: 'stack', offset });
				this.addLocal(p, 'param', 'stack', slot, offset, 0, bodyRange);
			} else {
				this.vars.set(p.id, { kind: 'reg', slot });
				this.addLocal(p, 'param', 'reg', slot, 0, 0, bodyRange);
			}
		}
		for (const l of def.locals ?? []) this.declareLocal(l);
		this.tempBase = this.nslots;

		// Prologue: copy address-taken scalar parameters into the frame.
		this.placeLabel();
		for (const p of params) {
			const loc = this.vars.get(p.id);
			if (loc?.kind === 'stack') {
				this.storeMem(`(B + ${loc.offset})`, p.type, `$${this.paramSlot(p)}`);
			}
		}
		for (const p of params) if (this.vars.get(p.id)?.kind === 'reg') this.paramIds.add(p.id);
		this.assigned = new Set(this.paramIds);

		this.blocks.push(bodyRange);
		this.compileStmt(def.body);
		this.blocks.pop();
		// Falling off the end: main returns 0; other functions return no value.
		this.emit(`cpu.retVal = ${this.isMain ? '0' : 'undefined'}; cpu.ex = ${Exit.Return}; cpu.budget = b; return;`);

		this.finish();
	}

	private paramSlot(p: VarSymbol): number {
		return (this.def.params ?? []).indexOf(p);
	}



	private finish(): void {
		const info = this.info;
		const nregs = this.tempBase + this.maxTemps;
		info.nregs = nregs;
		info.frameSize = Math.ceil(this.frameSize / 16) * 16;
		const nlabels = this.labelStatement.length;
		info.pcStatement = new Int32Array(nlabels);
		for (let i = 0; i < nlabels; i++) {
			const s = this.labelStatement[i];
			info.pcStatement[i] = s >= 0 ? s : this.firstStatement;
		}
		info.checkPc = new Uint8Array(nlabels);
		for (const l of this.checkLabels) info.checkPc[l] = 1;
		info.locals = this.locals;

		const liveLimit = this.tempBase + this.liveAcrossTop;
		const slots: string[] = [];
		for (let i = 0; i < nregs; i++) slots.push(i < liveLimit ? `$${i} = r[${i}]` : `$${i}`);
		const saves: string[] = [];
		for (const i of [...this.written].sort((x, y) => x - y)) if (i < liveLimit) saves.push(`r[${i}] = $${i};`);
		const consts: string[] = [];
		for (let i = 0; i < this.constants.length; i++) consts.push(`const k${i} = K[${i}];`);
		const helperNames = Object.keys(runtime).join(', ');
		const source = [
			'"use strict";',
			`const { ${helperNames} } = rt;`,
			...consts,
			'return function kc(cpu, fr) {',
			'const m = cpu.mem, ctx = cpu.ctx, r = fr.regs, B = fr.base;',
			'let b = cpu.budget, pc = fr.pc;',
			slots.length > 0 ? `let ${slots.join(', ')};` : '',
			'M: for (;;) switch (pc) {',
			...this.out.map(line => line.includes(SAVE_MARKER) ? line.split(SAVE_MARKER).join(saves.join(' ')) : line),
			`default: cpu.ubMessage = "internal error: bad resume point"; cpu.ex = ${Exit.Ub}; break M;`,
			'}',
			...saves,
			'fr.pc = pc; cpu.budget = b;',
			'};',
		].join('\n');
		info.source = source;
		info.constants = this.constants;
	}

	protected compileStmt(s: Stmt): void {
		const savedTop = this.tempTop;
		this.compileStmtInner(s);
		this.tempTop = savedTop;
	}

	private compileStmtInner(s: Stmt): void {
		switch (s.kind) {
			case 'Compound':
				this.compileCompound(s);
				return;
			case 'ExprStmt':
				this.check(s.range);
				this.effect(s.expr);
				return;
			case 'If': {
				this.check(s.range);
				const c = this.cond(s.cond);
				const elseLabel = this.newLabel();
				this.emit(`if (!${c}) { ${this.jump(elseLabel)} }`);
				const before = new Set(this.assigned);
				this.compileStmt(s.then);
				const afterThen = this.assigned;
				if (s.otherwise) {
					const end = this.newLabel();
					this.emit(this.jump(end));
					this.assigned = new Set(before);
					this.place(elseLabel);
					this.compileStmt(s.otherwise);
					this.assigned = intersect(afterThen, this.assigned);
					this.place(end);
				} else {
					this.assigned = intersect(afterThen, before);
					this.place(elseLabel);
				}
				return;
			}
			case 'While': {
				const end = this.newLabel();
				const head = this.labelStatement.length; // the check label check() places next
				this.check(s.range);
				const c = this.cond(s.cond);
				this.emit(`if (!${c}) { ${this.jump(end)} }`);
				this.loopBody(s.body, end, head);
				this.emit(this.jump(head));
				this.place(end);
				return;
			}
			case 'DoWhile': {
				const top = this.placeLabel();
				const end = this.newLabel();
				const condLabel = this.newLabel();
				const before = new Set(this.assigned);
				this.loopBody(s.body, end, condLabel);
				this.assigned = before;
				this.emit(this.jump(condLabel));
				// The condition is its own pause point (gdb stops on the `while` line too).
				const id = this.env.addStatement(s.cond.range, this.fnName);
				this.statement = id;
				this.labelStatement[condLabel] = id;
				this.emit(`case ${condLabel}: if (--b < 0 || bp[${id}] !== 0) { pc = ${condLabel}; break M; }`);
				this.checkLabels.push(condLabel);
				this.labelsPlaced++;
				this.placeLabel();
				const c = this.cond(s.cond);
				this.emit(`if (${c}) { ${this.jump(top)} }`);
				this.assigned = before;
				this.place(end);
				return;
			}
			case 'For':
				this.compileFor(s);
				return;
			case 'Switch':
				this.compileSwitch(s);
				return;
			case 'Case':
			case 'Default': {
				const l = this.caseLabels.get(s);
				if (l === undefined) {
					this.error(`'${s.kind === 'Case' ? 'case' : 'default'}' label not within a switch statement`, s.range);
				} else {
					this.place(l);
					if (this.switchAssigned) this.assigned = intersect(this.assigned, this.switchAssigned);
				}
				this.compileStmt(s.body);
				return;
			}
			case 'Labeled': {
				const l = this.gotoLabel(s.label);
				this.place(l);
				// Any goto may arrive here: assume only the parameters are assigned.
				this.assigned = new Set(this.paramIds);
				this.compileStmt(s.body);
				return;
			}
			case 'Goto':
				this.check(s.range);
				this.emit(this.jump(this.gotoLabel(s.label)));
				return;
			case 'Break': {
				this.check(s.range);
				const loop = this.loops[this.loops.length - 1];
				if (!loop) this.error(`'break' statement not in loop or switch statement`, s.range);
				else this.emit(this.jump(loop.breakLabel));
				return;
			}
			case 'Continue': {
				this.check(s.range);
				let target: number | undefined;
				for (let i = this.loops.length - 1; i >= 0 && target === undefined; i--) target = this.loops[i].continueLabel;
				if (target === undefined) this.error(`'continue' statement not in loop statement`, s.range);
				else this.emit(this.jump(target));
				return;
			}
			case 'Return':
				this.check(s.range);
				this.compileReturn(s.value);
				return;
			case 'Empty':
				return;
			case 'ErrorStmt':
				this.error('cannot run a statement with errors', s.range);
				return;
		}
	}

	private loopBody(body: Stmt, breakLabel: number, continueLabel: number): void {
		const before = new Set(this.assigned);
		this.loops.push({ breakLabel, continueLabel });
		this.compileStmt(body);
		this.loops.pop();
		this.assigned = before;
	}

	private compileCompound(s: CompoundStmt): void {
		this.blocks.push(s.range);
		for (const item of s.items) {
			if (item.kind === 'Declaration') this.compileDeclaration(item);
			else this.compileStmt(item);
		}
		this.blocks.pop();
	}

	private gotoLabel(name: string): number {
		let l = this.gotoLabels.get(name);
		if (l === undefined) {
			l = this.newLabel();
			this.gotoLabels.set(name, l);
		}
		return l;
	}

	private compileFor(s: ForStmt): void {
		this.check(s.range);
		if (s.init) {
			if (s.init.kind === 'Declaration') this.compileDeclaration(s.init, true);
			else this.effect(s.init);
		}
		const condLabel = this.placeLabel();
		const end = this.newLabel();
		const step = this.newLabel();
		if (s.cond) {
			const c = this.cond(s.cond);
			this.emit(`if (!${c}) { ${this.jump(end)} }`);
		}
		const atHead = new Set(this.assigned);
		this.loopBody(s.body, end, step);
		// The step is a pause point of its own, on the `for` line.
		const id = this.env.addStatement(s.range, this.fnName);
		this.statement = id;
		this.labelStatement[step] = id;
		this.emit(`case ${step}: if (--b < 0 || bp[${id}] !== 0) { pc = ${step}; break M; }`);
		this.checkLabels.push(step);
		this.labelsPlaced++;
		this.placeLabel();
		this.assigned = new Set(atHead);
		if (s.step) this.effect(s.step);
		this.emit(this.jump(condLabel));
		this.assigned = atHead;
		this.place(end);
	}

	private compileSwitch(s: SwitchStmt): void {
		this.check(s.range);
		const v = this.once(this.expr(s.cond));
		const end = this.newLabel();
		const saveCases = this.caseLabels;
		const saveAssigned = this.switchAssigned;
		this.caseLabels = new Map(saveCases);
		const plain: string[] = [];
		const ranges: string[] = [];
		const seen = new Set<string>();
		for (const c of s.cases ?? []) {
			const l = this.newLabel();
			this.caseLabels.set(c, l);
			const low = c.low ?? c.value.constValue;
			if (low === undefined) {
				this.error('case label does not reduce to an integer constant', c.range);
				continue;
			}
			if (c.high !== undefined && c.high !== low) {
				ranges.push(`if (${v} >= ${intLit(low)} && ${v} <= ${intLit(c.high)}) { ${this.jump(l)} }`);
			} else {
				const lit = intLit(low);
				if (seen.has(lit)) continue;
				seen.add(lit);
				plain.push(`case ${lit}: ${this.jump(l)}`);
			}
		}
		let defaultLabel = end;
		if (s.defaultCase) {
			defaultLabel = this.newLabel();
			this.caseLabels.set(s.defaultCase, defaultLabel);
		}
		if (plain.length > 0) this.emit(`switch (${v}) { ${plain.join(' ')} }`);
		for (const r of ranges) this.emit(r);
		this.emit(this.jump(defaultLabel));
		const atDispatch = new Set(this.assigned);
		this.switchAssigned = atDispatch;
		this.loops.push({ breakLabel: end, continueLabel: undefined });
		this.compileStmt(s.body);
		this.loops.pop();
		this.switchAssigned = saveAssigned;
		this.caseLabels = saveCases;
		this.assigned = atDispatch;
		this.place(end);
	}

	private compileReturn(value: Expr | undefined): void {
		if (value === undefined) {
			this.emit(`cpu.retVal = ${this.isMain ? '0' : 'undefined'}; cpu.ex = ${Exit.Return}; cpu.budget = b; return;`);
			return;
		}
		if (this.returnType.kind === 'struct') {
			const src = this.expr(value);
			this.touch();
			this.emit(`m.copy(fr.retDest, ${src}, ${sizeOf(this.returnType)});`);
			this.faultCheck();
			this.emit(`cpu.retVal = fr.retDest; cpu.ex = ${Exit.Return}; cpu.budget = b; return;`);
			return;
		}
		if (this.returnType.kind === 'void') {
			this.effect(value);
			this.emit(`cpu.retVal = undefined; cpu.ex = ${Exit.Return}; cpu.budget = b; return;`);
			return;
		}
		const v = this.expr(value);
		this.emit(`cpu.retVal = ${v}; cpu.ex = ${Exit.Return}; cpu.budget = b; return;`);
	}


}

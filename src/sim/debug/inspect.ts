// What a stopped machine shows a debugger (layer: sim): a task's stack from its user frames through
// the system-call or fault entry into kernel and driver frames, the scopes of a frame (arguments,
// locals, the file's and program's globals, and a Fault scope on the frame of a page-fault entry),
// variables by reference with struct/array/pointer expansion (arrays and long lists paged), and
// setVariable. References live until the machine runs again (`reset`).

import { sizeOf, typeToString, unqualified } from '../../lang/types';
import type { Value } from '../../interp/contracts';
import type { Program } from '../../interp/program';
import { visibleLocals, type Frame } from '../../interp/thread';
import type { Task } from '../../kernel/proc/system';
import { describeErrorCode, type DebugEngine } from './engine';
import { EvaluationError, evaluateExpression, isAssignment, localValue } from './evaluate';
import { findVma, pteText, type FaultRecord } from './faultInfo';
import { AddressSpaceView, addressOf, childCount, children, formatValue, parseScalar, pointerHex, scalarOf, writeScalar, type TypedValue } from './values';

/** One row of a call stack. */
export interface StackFrameView {
	/** Index into the task's frames (innermost = frames.length - 1); -1 for a separator row. */
	readonly index: number;
	readonly name: string;
	/** Absolute source path, when the frame has a source. */
	readonly file?: string;
	readonly line: number;
	readonly column: number;
	/** `label`: a separator (the system-call or fault entry); `subtle`: C library frames. */
	readonly hint?: 'label' | 'subtle' | 'normal';
	readonly privilege: 'user' | 'kernel';
	/** The program (user program name, `kernel`, a module's name). */
	readonly module: string;
}

/** A scope of a frame. */
export interface ScopeView {
	readonly name: string;
	readonly reference: number;
	readonly named: number;
	readonly expensive: boolean;
	readonly hint?: 'arguments' | 'locals' | 'registers';
}

/** One variable row. */
export interface VariableView {
	readonly name: string;
	readonly value: string;
	readonly type: string;
	readonly reference: number;
	readonly named?: number;
	readonly indexed?: number;
	/** Address of the object (memory reference), canonical hex. */
	readonly memoryReference?: string;
	readonly evaluateName?: string;
}

type Container =
	| { readonly kind: 'locals' | 'arguments' | 'globals'; readonly task: Task; readonly frame: Frame; readonly depth: number }
	| { readonly kind: 'value'; readonly task: Task; readonly value: TypedValue; readonly expression: string | undefined }
	| { readonly kind: 'rows'; readonly rows: readonly VariableView[] };

/** The frames of a task as frames and separator rows, innermost first. */
export function stackOf(engine: DebugEngine, task: Task, frames: readonly Frame[] = task.thread.frames): StackFrameView[] {
	const rows: StackFrameView[] = [];
	for (let i = frames.length - 1; i >= 0; i--) {
		const frame = frames[i];
		const info = frame.statementInfo;
		const range = info?.range ?? frame.fn.range;
		const program = frame.fn.program;
		const libc = program.privilege === 'user' && range !== undefined && /[\\/]kc[\\/]lib[\\/]/.test(engine.sourcePath(range.file));
		rows.push({
			index: i,
			name: `${frame.fn.name}`,
			...(range === undefined ? {} : { file: engine.sourcePath(range.file) }),
			line: range?.line ?? 0,
			column: range?.col ?? 0,
			hint: libc ? 'subtle' : 'normal',
			privilege: frame.fn.privilege,
			module: program.privilege === 'kernel' ? program.name : program.name,
		});
		const link = frame.link;
		if (link !== null && link.switched && i > 0) {
			const below = frames[i - 1];
			rows.push({ index: -1, name: entryLabel(engine, task, frame, below), line: 0, column: 0, hint: 'label', privilege: below.fn.privilege, module: '' });
		}
	}
	return rows;
}

/** The separator between a frame entered through a gate and the frame below it. */
function entryLabel(engine: DebugEngine, task: Task, frame: Frame, below: Frame): string {
	if (frame.link?.kind === 'inject' && frame.fn.name === 'do_page_fault') {
		const { address, errorCode } = faultArguments(frame);
		return `── page fault: ${errorCode === undefined ? '' : `${describeErrorCode(errorCode)} `}at ${address === undefined ? '?' : pointerHex(address)} ──`;
	}
	if (frame.link?.kind === 'inject') return frame.fn.privilege === 'user' ? `── signal handler ${frame.fn.name} ──` : `── trap: ${frame.fn.name} ──`;
	if (frame.fn.privilege === 'kernel') {
		const nr = frame.regs[0];
		return `── system call${nr === undefined ? '' : ` ${String(nr)}`} from ${below.fn.name} ──`;
	}
	void engine;
	void task;
	return `── return to user: ${frame.fn.name} ──`;
}

/** do_page_fault(error_code, address)'s arguments, read from its frame. */
export function faultArguments(frame: Frame): { readonly errorCode?: number; readonly address?: number } {
	const params = frame.fn.locals.filter(l => l.kind === 'param');
	const read = (name: string): number | undefined => {
		const local = params.find(p => p.name === name);
		if (local === undefined || local.storage !== 'reg') return undefined;
		const v = frame.regs[local.slot];
		return v === undefined ? undefined : Number(v);
	};
	const errorCode = read('error_code');
	const address = read('address');
	return { ...(errorCode === undefined ? {} : { errorCode }), ...(address === undefined ? {} : { address }) };
}

/** Variables by reference for one stop. */
export class VariableStore {
	private containers: Container[] = [];
	/** Show integers in hex. */
	hex = false;

	constructor(private readonly engine: DebugEngine) {}

	/** Forgets every reference (the machine is about to run). */
	reset(): void {
		this.containers = [];
	}

	private add(container: Container): number {
		this.containers.push(container);
		return this.containers.length;
	}

	/** The scopes of frame `index` of `task`. */
	scopes(task: Task, index: number, frames: readonly Frame[] = task.thread.frames): ScopeView[] {
		const frame = frames[index];
		if (frame === undefined) return [];
		const locals = visibleLocals(frame);
		const args = locals.filter(l => l.kind === 'param').length;
		// Captured frames (an oops) are not the task's: they keep depth -1 and are never written.
		const depth = frames === task.thread.frames ? index : -1;
		const scopes: ScopeView[] = [
			{ name: 'Arguments', reference: this.add({ kind: 'arguments', task, frame, depth }), named: args, expensive: false, hint: 'arguments' },
			{ name: 'Locals', reference: this.add({ kind: 'locals', task, frame, depth }), named: locals.length - args, expensive: false, hint: 'locals' },
		];
		if (frame.link?.kind === 'inject' && frame.fn.name === 'do_page_fault') {
			const rows = this.faultRows(task, frame);
			scopes.unshift({ name: 'Fault', reference: this.add({ kind: 'rows', rows }), named: rows.length, expensive: false });
		}
		scopes.push({ name: 'Globals', reference: this.add({ kind: 'globals', task, frame, depth }), named: this.globalsOf(frame).length, expensive: true });
		return scopes;
	}

	/** The Fault scope: address, access, VMA, the PTE before the handler and now, and how it ended. */
	private faultRows(task: Task, frame: Frame): VariableView[] {
		const { address, errorCode } = faultArguments(frame);
		const record: FaultRecord | undefined = [...this.engine.faultsOf(task.pid)].reverse().find(r => r.address === address && r.errorCode === errorCode);
		const rows: VariableView[] = [];
		const row = (name: string, value: string, type = '', memoryReference?: string): void => {
			rows.push({ name, value, type, reference: 0, ...(memoryReference === undefined ? {} : { memoryReference }) });
		};
		if (address !== undefined) row('address', pointerHex(address), 'unsigned long', pointerHex(address));
		if (errorCode !== undefined) {
			row('access', (errorCode & 16) !== 0 ? 'exec' : (errorCode & 2) !== 0 ? 'write' : 'read');
			row('mode', (errorCode & 4) !== 0 ? 'user' : 'kernel');
			row('error_code', `${errorCode} (${describeErrorCode(errorCode)})`, 'unsigned long');
		}
		const vma = address === undefined ? undefined : findVma(this.engine, task, address);
		row('vma', vma === undefined ? 'none: no VMA contains the address' : `${vma.range} ${vma.flags.join('|')}`);
		if (vma?.faultHandler !== undefined) row('vm_ops->fault', vma.faultHandler);
		if (vma?.accessHandler !== undefined) row('vm_ops->access', vma.accessHandler);
		row('pte before', record?.pteBefore ?? '(not recorded: the fault entered before the debugger looked)');
		if (address !== undefined) {
			let now: string;
			try {
				now = pteText(this.engine, task, address);
			} catch (error) {
				now = `<${error instanceof Error ? error.message : String(error)}>`;
			}
			row('pte now', now);
		}
		row('handler result', 'running (do_page_fault has not returned)');
		if (record !== undefined) row('time', String(record.time));
		return rows;
	}

	/** Globals of a frame: the file's statics, then the program's external objects (user programs). */
	private globalsOf(frame: Frame): { name: string; value: TypedValue }[] {
		const program: Program = frame.fn.program;
		const file = frame.statementInfo?.range.file ?? frame.fn.range?.file;
		const out: { name: string; value: TypedValue }[] = [];
		for (const [key, symbol] of program.globals) {
			const colon = key.lastIndexOf(':');
			if (colon >= 0) {
				if (file !== undefined && key.slice(0, colon) === file) out.push({ name: key.slice(colon + 1), value: { type: symbol.type, location: { kind: 'memory', address: symbol.address } } });
			} else if (program.privilege === 'user' && !key.startsWith('__')) {
				out.push({ name: key, value: { type: symbol.type, location: { kind: 'memory', address: symbol.address } } });
			}
		}
		return out.sort((a, b) => a.name.localeCompare(b.name));
	}

	/** The frame of a scope container now (restoring the machine, as a memory peek does, copies frames). */
	private frameOf(container: { readonly task: Task; readonly frame: Frame; readonly depth: number }): Frame {
		return container.depth >= 0 ? container.task.thread.frames[container.depth] ?? container.frame : container.frame;
	}

	/** The rows of reference `reference` (paged for arrays: `start`, `count`). Unknown references give []. */
	variables(reference: number, start = 0, count?: number): VariableView[] {
		const container = this.containers[reference - 1];
		if (container === undefined) return [];
		switch (container.kind) {
			case 'rows':
				return container.rows.slice(start, count === undefined ? undefined : start + count);
			case 'arguments':
			case 'locals': {
				const frame = this.frameOf(container);
				const locals = visibleLocals(frame).filter(l => (l.kind === 'param') === (container.kind === 'arguments'));
				// Inner declarations shadow outer ones of the same name: keep the innermost (last).
				const seen = new Set<string>();
				const rows: VariableView[] = [];
				for (const local of [...locals].reverse()) {
					if (seen.has(local.name)) continue;
					seen.add(local.name);
					rows.unshift(this.row(container.task, local.name, localValue(frame, local), local.name));
				}
				return rows.slice(start, count === undefined ? undefined : start + count);
			}
			case 'globals':
				return this.globalsOf(container.frame).slice(start, count === undefined ? undefined : start + count).map(g => this.row(container.task, g.name, g.value, g.name));
			case 'value': {
				const space = this.engine.spaceOf(container.task);
				const t = unqualified(container.value.type);
				const kids = t.kind === 'array' ? children(container.value, space, start, count ?? Math.max(0, (t.length ?? 0) - start)) : children(container.value, space);
				const paged = t.kind === 'array' ? kids : kids.slice(start, count === undefined ? undefined : start + count);
				return paged.map(child => {
					const base = container.expression;
					let expression: string | undefined;
					if (base !== undefined) {
						if (child.access.kind === 'member') expression = child.access.name === '' ? undefined : `(${base}).${child.access.name}`;
						else if (child.access.kind === 'index') expression = `(${base})[${child.access.index}]`;
						else expression = `*(${base})`;
					}
					return this.row(container.task, child.name, child.value, expression);
				});
			}
		}
	}

	/** A row for a typed value, with a reference when it has children. */
	row(task: Task, name: string, value: TypedValue, expression: string | undefined): VariableView {
		const space = this.engine.spaceOf(task);
		const counts = childCount(value, space);
		const reference = counts.named + counts.indexed > 0 ? this.add({ kind: 'value', task, value, expression }) : 0;
		const address = addressOf(value);
		const t = unqualified(value.type);
		let memoryReference: string | undefined;
		if (t.kind === 'pointer') {
			try {
				memoryReference = pointerHex(Number(scalarOf(value, space)));
			} catch {
				memoryReference = undefined;
			}
		} else if (address !== undefined) memoryReference = pointerHex(address);
		return {
			name,
			value: formatValue(value, space, { hex: this.hex }),
			type: typeToString(value.type),
			reference,
			...(counts.named > 0 ? { named: counts.named } : {}),
			...(counts.indexed > 0 ? { indexed: counts.indexed } : {}),
			...(memoryReference === undefined ? {} : { memoryReference }),
			...(expression === undefined ? {} : { evaluateName: expression }),
		};
	}

	/** The task and typed value a reference's child `name` denotes (for setVariable). */
	private childNamed(reference: number, name: string): { task: Task; value: TypedValue } | undefined {
		const container = this.containers[reference - 1];
		if (container === undefined || container.kind === 'rows') return undefined;
		if (container.kind === 'arguments' || container.kind === 'locals') {
			const frame = this.frameOf(container);
			const locals = visibleLocals(frame).filter(l => l.name === name);
			const local = locals[locals.length - 1];
			return local === undefined ? undefined : { task: container.task, value: localValue(frame, local) };
		}
		if (container.kind === 'globals') {
			const found = this.globalsOf(container.frame).find(g => g.name === name);
			return found === undefined ? undefined : { task: container.task, value: found.value };
		}
		if (container.kind !== 'value') return undefined;
		const child = children(container.value, this.engine.spaceOf(container.task)).find(c => c.name === name);
		return child === undefined ? undefined : { task: container.task, value: child.value };
	}

	/**
	 * Sets variable `name` of reference `reference` to `text` (a number, a char, true/false; or a KC
	 * expression evaluated in the frame). The write is an edit of the machine (time travel replays
	 * it). Returns the new row, or a message.
	 */
	setVariable(reference: number, name: string, text: string): VariableView | string {
		const target = this.childNamed(reference, name);
		if (target === undefined) return `no variable ${name} here`;
		const t = unqualified(target.value.type);
		if (t.kind !== 'int' && t.kind !== 'pointer' && t.kind !== 'float') return `${name} is a ${typeToString(t)}: set its members one by one`;
		const literal = parseScalar(text, t);
		let value: Value;
		if (typeof literal === 'string') {
			// Not a literal: a KC expression in the task's top frame.
			try {
				const scope = this.engine.scopeOf(target.task, target.task.thread.top);
				value = scalarOf(evaluateExpression(text, scope), scope.space);
			} catch (error) {
				return error instanceof EvaluationError ? error.message : literal;
			}
		} else value = literal;
		const task = target.task;
		const written = value;
		const location = target.value;
		// Frames are copied when the machine is restored: a register is found again by its frame's depth.
		const depth = location.location.kind === 'register' ? task.thread.frames.indexOf(location.location.frame) : -1;
		const slot = location.location.kind === 'register' ? location.location.slot : -1;
		try {
			this.engine.edit(`${name} = ${text}`, () => {
				const space: AddressSpaceView = this.engine.spaceOf(task);
				const frame = depth >= 0 ? task.thread.frames[depth] : undefined;
				writeScalar(frame === undefined ? location : { ...location, location: { kind: 'register', frame, slot } }, written, space);
			});
		} catch (error) {
			return `cannot write ${name}: ${error instanceof Error ? error.message : String(error)}`;
		}
		return this.row(target.task, name, target.value, undefined);
	}

	/** Where variable `name` of container `reference` lives in memory (for a data breakpoint), or why it cannot be watched. */
	memoryOf(reference: number, name: string): { readonly task: Task; readonly address: number; readonly size: number; readonly type: string } | string {
		const target = this.childNamed(reference, name);
		if (target === undefined) return `no variable ${name} here`;
		const address = addressOf(target.value);
		if (address === undefined) return `${name} lives in a register, not in memory: watch what it points to instead`;
		const t = unqualified(target.value.type);
		const size = t.kind === 'pointer' ? 8 : sizeOf(t);
		return { task: target.task, address, size, type: typeToString(target.value.type) };
	}

	/** A row for an evaluated expression (evaluate requests); with `allowAssignment`, `x = v` writes (an edit). */
	evaluate(task: Task, frame: Frame | undefined, expression: string, allowAssignment: boolean): VariableView {
		const scope = this.engine.scopeOf(task, frame);
		if (!allowAssignment || !isAssignment(expression, scope)) return this.row(task, expression, evaluateExpression(expression, scope), expression);
		// Frames are copied when the machine is restored: the edit finds its frame again by depth.
		const depth = frame === undefined ? -1 : task.thread.frames.indexOf(frame);
		let result: TypedValue | undefined;
		this.engine.edit(expression, () => {
			result = evaluateExpression(expression, this.engine.scopeOf(task, depth < 0 ? undefined : task.thread.frames[depth]), { allowAssignment: true });
		});
		return this.row(task, expression, result!, undefined);
	}
}

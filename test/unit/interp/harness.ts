// Test harness for the KC CPU: compiles C sources through the real front end, links them with a tiny
// builtin table of its own (output capture, a bump allocator, a minimal printf), and runs them.

import { compileUnit } from '../../../src/lang/frontEnd';
import { memorySources } from '../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../src/lang/source';
import type { CheckedUnit } from '../../../src/lang/ast';
import type { Builtin, BuiltinContext, MemoryBus, StopReason, Value } from '../../../src/interp/contracts';
import { FlatLayout } from '../../../src/interp/contracts';
import { FlatMemory } from '../../../src/interp/flatMemory';
import { link } from '../../../src/interp/linker';
import { run, startMain } from '../../../src/interp/cpu';
import type { Program } from '../../../src/interp/program';
import type { Thread } from '../../../src/interp/thread';

/** Reads a NUL-terminated string (or null on a fault). */
export function readString(mem: MemoryBus, addr: number): string | null {
	let s = '';
	for (let i = 0; i < 1 << 20; i++) {
		const c = mem.ld8u(addr + i);
		if (mem.fault !== null) return null;
		if (c === 0) return s;
		s += String.fromCharCode(c);
	}
	return s;
}

/** A minimal printf: %d %i %u %x %c %s %p %f %g %% with l/ll/z modifiers and a width/precision. */
function format(ctx: BuiltinContext, args: readonly Value[]): string | null {
	const fmt = readString(ctx.mem, Number(args[0]));
	if (fmt === null) return null;
	let out = '';
	let next = 1;
	for (let i = 0; i < fmt.length; i++) {
		const ch = fmt[i];
		if (ch !== '%') {
			out += ch;
			continue;
		}
		let spec = '';
		i++;
		while (i < fmt.length && /[-0-9.lzh]/.test(fmt[i])) spec += fmt[i++];
		const conv = fmt[i];
		const width = /^-?0?(\d+)/.exec(spec.replace(/[lzh]/g, ''));
		const precision = /\.(\d+)/.exec(spec);
		const pad = (s: string): string => {
			if (!width) return s;
			const w = Number(width[1]);
			if (spec.startsWith('-')) return s.padEnd(w);
			return spec.startsWith('0') ? s.padStart(w, '0') : s.padStart(w);
		};
		const arg = args[next];
		switch (conv) {
			case '%':
				out += '%';
				continue;
			case 'd':
			case 'i':
			case 'u':
				out += pad(String(arg));
				break;
			case 'x':
				out += pad((typeof arg === 'bigint' ? arg : BigInt(arg as number)).toString(16));
				break;
			case 'c':
				out += String.fromCharCode(Number(arg) & 255);
				break;
			case 's':
				out += pad(readString(ctx.mem, Number(arg)) ?? '(fault)');
				break;
			case 'p':
				out += '0x' + Number(arg).toString(16);
				break;
			case 'f':
				out += pad((arg as number).toFixed(precision ? Number(precision[1]) : 6));
				break;
			case 'g':
				out += pad(String(arg));
				break;
			default:
				out += '%' + spec + conv;
				continue;
		}
		next++;
	}
	return out;
}

export interface RunResult {
	readonly output: string;
	readonly stop: StopReason;
	readonly thread: Thread;
	readonly program: Program;
	readonly memory: FlatMemory;
}

export interface Machine {
	readonly program: Program;
	readonly memory: FlatMemory;
	readonly thread: Thread;
	/** Output so far (mutable buffer). */
	readonly out: { text: string };
}

/** Builtins for tests. `out.text` collects what the program prints. */
export function testBuiltins(out: { text: string }, memory: FlatMemory): Map<string, Builtin> {
	// The allocator's state lives in simulated memory (the first word of the heap), so memory
	// snapshots capture it. 64 MiB of heap, mapped up front (untouched pages cost nothing).
	const heapState = FlatLayout.heapBase;
	memory.map(FlatLayout.heapBase, 64 << 20, { read: true, write: true });
	memory.st64(heapState, FlatLayout.heapBase + 16);
	const table = new Map<string, Builtin>();
	table.set('putint', (_ctx, args) => {
		out.text += String(args[0]) + '\n';
		return undefined;
	});
	table.set('putdouble', (_ctx, args) => {
		out.text += String(args[0]) + '\n';
		return undefined;
	});
	table.set('putstr', (ctx, args) => {
		out.text += (readString(ctx.mem, Number(args[0])) ?? '(fault)') + '\n';
		return undefined;
	});
	table.set('puts', (ctx, args) => {
		const s = readString(ctx.mem, Number(args[0]));
		if (s === null) return { kind: 'fault' };
		out.text += s + '\n';
		return 0;
	});
	table.set('putchar', (_ctx, args) => {
		out.text += String.fromCharCode(Number(args[0]) & 255);
		return args[0];
	});
	table.set('printf', (ctx, args) => {
		const s = format(ctx, args);
		if (s === null) return { kind: 'fault' };
		out.text += s;
		return s.length;
	});
	table.set('malloc', (ctx, args) => {
		const size = Number(args[0]);
		const p = Number(ctx.mem.ld64u(heapState));
		ctx.mem.st64(heapState, p + Math.ceil(Math.max(size, 1) / 16) * 16);
		return p;
	});
	table.set('free', () => undefined);
	table.set('memset', (ctx, args) => {
		ctx.mem.fill(Number(args[0]), Number(args[1]) & 255, Number(args[2]));
		return ctx.mem.fault !== null ? { kind: 'fault' } : args[0];
	});
	table.set('memcpy', (ctx, args) => {
		ctx.mem.copy(Number(args[0]), Number(args[1]), Number(args[2]));
		return ctx.mem.fault !== null ? { kind: 'fault' } : args[0];
	});
	table.set('strlen', (ctx, args) => {
		const s = readString(ctx.mem, Number(args[0]));
		return s === null ? { kind: 'fault' } : s.length;
	});
	table.set('exit', (_ctx, args) => ({ kind: 'exit', code: Number(args[0]) }));
	table.set('abort', () => ({ kind: 'trap', message: 'abort', signal: 6 }));
	table.set('wait_here', (_ctx, args) => (Number(args[0]) === 0 ? { kind: 'block', reason: 'waiting' } : 0));
	return table;
}

/** Compiles each source (`{ 'a.c': text }`), throwing with the diagnostics on an error. */
export function compileAll(files: Record<string, string>, mains: readonly string[] = Object.keys(files)): CheckedUnit[] {
	const sources = memorySources(files);
	const units: CheckedUnit[] = [];
	for (const f of mains) {
		const r = compileUnit(f, sources);
		if (!r.unit) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
		units.push(r.unit);
	}
	return units;
}

/** Compiles, links and creates the main thread without running it. `extra` adds or overrides builtins. */
export function load(source: string | Record<string, string>, argv: readonly string[] = ['prog'], extra?: ReadonlyMap<string, Builtin>): Machine {
	const files = typeof source === 'string' ? { 'main.c': source } : source;
	const units = compileAll(files);
	const memory = new FlatMemory();
	const out = { text: '' };
	const builtins = testBuiltins(out, memory);
	for (const [name, fn] of extra ?? []) builtins.set(name, fn);
	const linked = link(units, builtins, memory);
	if (!linked.program) throw new Error(linked.diagnostics.map(formatDiagnostic).join('\n'));
	const thread = startMain(linked.program, memory, argv);
	return { program: linked.program, memory, thread, out };
}

/** Compiles, links and runs a program to completion (or any stop other than budget). */
export function runProgram(source: string | Record<string, string>, budget = 50_000_000): RunResult {
	const m = load(source);
	const stop = run(m.thread, budget);
	return { output: m.out.text, stop, thread: m.thread, program: m.program, memory: m.memory };
}

/** Line of the statement a stop refers to. */
export function stopLine(program: Program, stop: StopReason): number | undefined {
	if (stop.kind !== 'ub' && stop.kind !== 'breakpoint') return undefined;
	return program.statements[stop.stmt]?.range.line;
}

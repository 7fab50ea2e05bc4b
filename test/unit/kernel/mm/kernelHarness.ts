// Test harness for the KC kernel sources: compiles kc/kernel/**/*.c (plus test units) for a kernel
// profile through the real front end, links them in the kernel half of a FlatMemory whose direct
// map (PAGE_OFFSET + physical address) is the emulated RAM, with the kernel builtins over a real
// LockSystem, and calls KC functions on KC threads.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedUnit } from '../../../../src/lang/ast';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic, type SourceProvider } from '../../../../src/lang/source';
import type { Builtin, StopReason, Value } from '../../../../src/interp/contracts';
import { createThread, run } from '../../../../src/interp/cpu';
import { FlatMemory } from '../../../../src/interp/flatMemory';
import { link } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import type { Thread } from '../../../../src/interp/thread';
import { createKernelBuiltins, KernelLog, RecordingKernelEvents, type KernelBuiltins } from '../../../../src/kernel/builtins';
import { LockSystem, type LockReport } from '../../../../src/kernel/locks/lockSystem';
import { findProfile, type KernelProfile } from '../../../../src/sim/profiles';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
/** The kernel tree: sources are named relative to it (`mm/memory.c`), as Kbuild names them. */
export const kernelRoot = path.join(repoRoot, 'kc', 'kernel');
const testKcRoot = path.join(__dirname, 'kc');

function readTree(root: string, prefix: string, into: Record<string, string>): void {
	for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
		const full = path.join(root, entry.name);
		const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
		if (entry.isDirectory()) {
			readTree(full, name, into);
		} else {
			into[name] = fs.readFileSync(full, 'utf8');
		}
	}
}

let cachedFiles: Record<string, string> | undefined;

/** Every file of the kernel tree, plus the test units as `test/NAME.c`. */
export function kernelFiles(): Record<string, string> {
	if (cachedFiles === undefined) {
		const files: Record<string, string> = {};
		readTree(kernelRoot, '', files);
		const tests: Record<string, string> = {};
		readTree(testKcRoot, '', tests);
		for (const [name, text] of Object.entries(tests)) {
			files[`test/${name}`] = text;
		}
		cachedFiles = files;
	}
	return cachedFiles;
}

/** `<linux/x.h>` and `<asm/x.h>` resolve in the kernel tree's include/ directory. */
export function kernelSources(extra: Record<string, string> = {}): SourceProvider {
	return memorySources({ ...kernelFiles(), ...extra }, ['include']);
}

/** Sources of modules (drivers, loaded per scenario), not of the kernel image. */
export function isModuleSource(file: string): boolean {
	return file.startsWith('drivers/') || file.startsWith('arch/powerpc/platforms/cell/spufs/') || file === 'arch/powerpc/platforms/cell/spu_base.c';
}

/** The kernel's translation units (kc/kernel/**\/*.c but the modules' sources), sorted. */
export function kernelUnits(): string[] {
	return Object.keys(kernelFiles()).filter(f => f.endsWith('.c') && !f.startsWith('test/') && !isModuleSource(f)).sort();
}

/** The profile's -D defines. */
export function profileDefines(name: string): Record<string, string> {
	const profile: KernelProfile | undefined = findProfile(name);
	if (profile === undefined) {
		throw new Error(`no profile ${name}`);
	}
	return { ...profile.defines };
}

const compiled = new Map<string, CheckedUnit[]>();

/** Compiles the kernel units and `tests` (names under test/) for a profile; throws with diagnostics. */
export function compileKernel(profile: string, tests: readonly string[], extra: Record<string, string> = {}): CheckedUnit[] {
	const key = `${profile}\0${tests.join(',')}\0${Object.keys(extra).join(',')}`;
	const hit = compiled.get(key);
	if (hit !== undefined && Object.keys(extra).length === 0) {
		return hit;
	}
	const sources = kernelSources(extra);
	const defines = profileDefines(profile);
	const units: CheckedUnit[] = [];
	for (const file of [...kernelUnits(), ...tests]) {
		const result = compileUnit(file, sources, { defines });
		const errors = result.diagnostics.filter(d => d.severity === 'error');
		if (result.unit === undefined || errors.length > 0) {
			throw new Error(`${profile}: ${result.diagnostics.map(formatDiagnostic).join('\n')}`);
		}
		units.push(result.unit);
	}
	compiled.set(key, units);
	return units;
}

/** Where the test kernel lives: text, rodata and data in the kernel half (the CPU's KernelLayout values). */
export const TEST_KERNEL_LAYOUT = { textBase: 0xffff_8100_0000, dataBase: 0xffff_8300_0000 } as const;
/** PAGE_OFFSET as a KC pointer (0xffff888000000000 without its top 16 bits). */
export const DIRECT_MAP = 0x8880_0000_0000;
/** Kernel stacks of the test threads: thread N's below STACKS + (N + 1) * STACK_STRIDE. */
const STACKS = 0xe800_0000_0000;
const STACK_STRIDE = 0x20000;
const STACK_SIZE = 0x10000;

export interface KernelMachineOptions {
	readonly profile?: string;
	/** Test units (file names under test/unit/kernel/mm/kc), default mm_test.c. */
	readonly tests?: readonly string[];
	/** Bytes of emulated RAM from physical 0 (default 8 MiB). */
	readonly ramBytes?: number;
	/** Extra builtins (test probes). */
	readonly builtins?: ReadonlyMap<string, Builtin>;
}

/** A linked kernel over emulated RAM, with its lock system, trace events and log. */
export class KernelMachine {
	readonly memory = new FlatMemory();
	readonly program: Program;
	readonly locks: LockSystem;
	readonly reports: LockReport[] = [];
	readonly events = new RecordingKernelEvents();
	readonly log = new KernelLog();
	readonly kernel: KernelBuiltins;
	readonly ramBytes: number;
	readonly profile: string;
	private nextCallThread = 100;

	constructor(options: KernelMachineOptions = {}) {
		this.profile = options.profile ?? 'linux-6.8';
		this.ramBytes = options.ramBytes ?? 8 << 20;
		this.locks = new LockSystem({ onReport: report => this.reports.push(report) });
		this.kernel = createKernelBuiltins({ locks: this.locks, events: this.events, log: this.log, taskOf: id => `T${id}` });
		const builtins = new Map(this.kernel.builtins);
		builtins.set('__test_invoke', () => this.invoke());
		for (const [name, fn] of options.builtins ?? []) {
			builtins.set(name, fn);
		}
		this.memory.map(DIRECT_MAP, this.ramBytes, { read: true, write: true });
		const units = compileKernel(this.profile, (options.tests ?? ['mm_test.c']).map(t => `test/${t}`));
		const linked = link(units, builtins, this.memory, TEST_KERNEL_LAYOUT);
		if (linked.program === undefined) {
			throw new Error(linked.diagnostics.map(formatDiagnostic).join('\n'));
		}
		this.program = linked.program;
	}

	/** A KC thread (id >= 1) that will call `entry(args)`; drive it with `run`. */
	thread(id: number, entry: string, args: readonly Value[] = []): Thread {
		return createThread(this.program, this.memory, entry, args, {
			threadId: id,
			stackTop: STACKS + (id + 1) * STACK_STRIDE,
			stackSize: STACK_SIZE,
		});
	}

	private pending: { target: string; args: readonly Value[]; result?: Value } | undefined;

	private invoke(): ReturnType<Builtin> {
		const call = this.pending;
		if (call === undefined) {
			return { kind: 'trap', message: '__test_invoke without a pending call' };
		}
		return {
			kind: 'call',
			target: call.target,
			args: call.args,
			then: value => {
				call.result = value;
				return 0;
			},
		};
	}

	/**
	 * Calls the KC function `name(args)` on a fresh thread and returns its value (undefined for void).
	 * Throws when the call stops any other way than returning (a trap, UB, blocking...).
	 */
	call(name: string, ...args: Value[]): Value | undefined {
		const { stop, result } = this.tryCall(name, ...args);
		if (stop.kind !== 'exited') {
			throw new Error(`${name}: ${JSON.stringify(stop)}\n${this.log.text()}`);
		}
		return result;
	}

	/** Like `call`, returning the stop as well (for BUG and other abnormal ends). */
	tryCall(name: string, ...args: Value[]): { readonly stop: StopReason; readonly result: Value | undefined } {
		this.pending = { target: name, args };
		const thread = this.thread(this.nextCallThread, '__test_entry');
		const stop = run(thread, 50_000_000);
		const result = this.pending.result;
		this.pending = undefined;
		return { stop, result };
	}

	/** `call` for functions returning a number-like value. */
	num(name: string, ...args: Value[]): number {
		const v = this.call(name, ...args);
		return Number(v);
	}

	/** The address of a KC global. */
	global(name: string): number {
		const g = this.program.globals.get(name);
		if (g === undefined) {
			throw new Error(`no global ${name}`);
		}
		return g.address;
	}

	/** The KC pointer (direct map) of physical address `phys`. */
	va(phys: number): number {
		return DIRECT_MAP + phys;
	}

	/** Boots the memory manager over all of RAM with `reserved` bytes reserved at 0 (memblock, mem_map, buddy, kmalloc). */
	boot(reserved = 1 << 20): void {
		this.call('test_boot', this.ramBytes, reserved);
	}
}

/** Runs a thread until it stops for another reason than its budget; returns the stop. */
export function runToStop(thread: Thread, budget = 10_000_000): StopReason {
	return run(thread, budget);
}

// A user program and a tiny KC "kernel" on one thread: system calls through a builtin's `call`
// action, faults handled by an injected kernel handler (re-executing the faulting access exactly
// once), nested faults, separate kernel and user stacks, kernel stack overflow, function pointers
// across programs (kernel and module), a user signal handler after the kernel's, save/restore in
// the middle of an injected handler, images loaded into several memories, and the debugger's view
// of mixed frames. The memory bus refuses kernel addresses in user mode, so a mode switch reported
// late (after a memory access in the new mode) fails the tests.

import * as assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/lang/source';
import { KernelLayout, type Builtin, type MemoryBus, type MemoryFault, type Privilege, type StopReason, type Value } from '../../../src/interp/contracts';
import { CodeSpace } from '../../../src/interp/codeSpace';
import { createThread, injectCall, run, startMain } from '../../../src/interp/cpu';
import { FlatMemory } from '../../../src/interp/flatMemory';
import { linkProgram, loadImage, moduleLayout } from '../../../src/interp/linker';
import type { Program } from '../../../src/interp/program';
import { Thread, type InjectionContinuation } from '../../../src/interp/thread';
import { ptrToU64 } from '../../../src/interp/values';
import { compileAll, readString, testBuiltins } from './harness';

const PAGE = 4096;
/** A user address range the tests' kernel "maps" on demand. */
const DEMAND = 0x50000000;
/** A kernel address range (in the vmalloc area) the kernel maps on demand too. */
const KDEMAND = KernelLayout.vmallocBase;

/**
 * A FlatMemory seen through a privilege check: in user mode every access to a kernel address
 * faults (protection), as the MMU does for supervisor pages.
 */
class PrivilegedBus implements MemoryBus {
	mode: Privilege = 'user';
	constructor(readonly flat: FlatMemory) {}
	get fault(): MemoryFault | null {
		return this.flat.fault;
	}
	set fault(f: MemoryFault | null) {
		this.flat.fault = f;
	}
	private denied(addr: number, len: number, access: 'read' | 'write'): boolean {
		if (this.mode === 'kernel' || len <= 0) return false;
		if (addr + len - 1 < KernelLayout.kernelHalf) return false;
		this.flat.fault = { address: Math.max(addr, KernelLayout.kernelHalf), access, reason: 'protection', detail: 'kernel address in user mode' };
		return true;
	}
	ld8u(a: number): number { return this.denied(a, 1, 'read') ? 0 : this.flat.ld8u(a); }
	ld8s(a: number): number { return this.denied(a, 1, 'read') ? 0 : this.flat.ld8s(a); }
	ld16u(a: number): number { return this.denied(a, 2, 'read') ? 0 : this.flat.ld16u(a); }
	ld16s(a: number): number { return this.denied(a, 2, 'read') ? 0 : this.flat.ld16s(a); }
	ld32u(a: number): number { return this.denied(a, 4, 'read') ? 0 : this.flat.ld32u(a); }
	ld32s(a: number): number { return this.denied(a, 4, 'read') ? 0 : this.flat.ld32s(a); }
	ld64u(a: number): Value { return this.denied(a, 8, 'read') ? 0 : this.flat.ld64u(a); }
	ld64s(a: number): Value { return this.denied(a, 8, 'read') ? 0 : this.flat.ld64s(a); }
	ldf32(a: number): number { return this.denied(a, 4, 'read') ? 0 : this.flat.ldf32(a); }
	ldf64(a: number): number { return this.denied(a, 8, 'read') ? 0 : this.flat.ldf64(a); }
	st8(a: number, v: number): void { if (!this.denied(a, 1, 'write')) this.flat.st8(a, v); }
	st16(a: number, v: number): void { if (!this.denied(a, 2, 'write')) this.flat.st16(a, v); }
	st32(a: number, v: number): void { if (!this.denied(a, 4, 'write')) this.flat.st32(a, v); }
	st64(a: number, v: Value): void { if (!this.denied(a, 8, 'write')) this.flat.st64(a, v); }
	stf32(a: number, v: number): void { if (!this.denied(a, 4, 'write')) this.flat.stf32(a, v); }
	stf64(a: number, v: number): void { if (!this.denied(a, 8, 'write')) this.flat.stf64(a, v); }
	copy(dst: number, src: number, len: number): void {
		if (!this.denied(src, len, 'read') && !this.denied(dst, len, 'write')) this.flat.copy(dst, src, len);
	}
	fill(dst: number, byte: number, len: number): void { if (!this.denied(dst, len, 'write')) this.flat.fill(dst, byte, len); }
	read(a: number, len: number): Uint8Array | null { return this.denied(a, len, 'read') ? null : this.flat.read(a, len); }
	write(a: number, bytes: Uint8Array): void { if (!this.denied(a, bytes.length, 'write')) this.flat.write(a, bytes); }
	map(start: number, length: number, prot: { read: boolean; write: boolean }): void { this.flat.map(start, length, prot); }
}

/** The tests' kernel: system calls, a fault handler, and helpers the scenarios need. */
const KERNEL = `
void console_put(int c);
void map_page(unsigned long address);
void note(long v);
long faults;
long written;
long *scratch = (long *)0xffffc90000000000UL;
struct ops { long (*fn)(long); };
struct ops registered;
long sys_write(int fd, const char *buf, unsigned long n) {
	for (unsigned long i = 0; i < n; i++)
		console_put(buf[i]);
	written += n;
	return fd == 1 ? (long)n : -9;
}
long sys_sum(int n, ...) {
	__builtin_va_list ap;
	__builtin_va_start(ap, n);
	long sum = 0;
	for (int i = 0; i < n; i++) sum += __builtin_va_arg(ap, long);
	__builtin_va_end(ap);
	return sum;
}
long sys_where(void) {
	int local = 7;
	return (long)&local + local - 7;
}
long sys_map(unsigned long address) {
	map_page(address & ~4095UL);
	return 0;
}
int do_page_fault(unsigned long address, unsigned long error_code) {
	faults++;
	if (address >= 0xffff800000000000UL) {
		map_page(address & ~4095UL);
		return 0;
	}
	if (address < 0x50000000UL || address >= 0x50100000UL)
		return 11;
	if (error_code == 99) {
		// Touch kernel memory that is not mapped yet: a fault inside the fault handler.
		scratch[1] += 5;
		note(scratch[1]);
	}
	map_page(address & ~4095UL);
	return 0;
}
int refuse_fault(unsigned long address, unsigned long error_code) {
	faults++;
	return 11;
}
long recurse(long n) {
	long pad[8];
	pad[n & 7] = n;
	return n == 0 ? 0 : recurse(n - 1) + pad[n & 7] - n + 1;
}
long sys_recurse(long n) {
	return recurse(n);
}
long tick_count;
void timer_tick(void) {
	long x = tick_count;
	tick_count = x + 1;
}
long double_it(long v) { return 2 * v; }
long sys_call_registered(long v) {
	return registered.fn ? registered.fn(v) : -1;
}
long slow_handler(unsigned long address, unsigned long error_code) {
	long sum = 0;
	for (int i = 0; i < 40; i++) {
		sum += i * (long)error_code;
		note(sum);
	}
	map_page(address & ~4095UL);
	return 0;
}
`;

interface World {
	readonly kernel: Program;
	readonly user: Program;
	readonly flat: FlatMemory;
	readonly bus: PrivilegedBus;
	readonly code: CodeSpace;
	readonly thread: Thread;
	readonly out: { text: string };
	/** Mode switches and notes, in order. */
	readonly events: string[];
	/** What each builtin saw as the thread's mode when it ran. */
	readonly builtinModes: string[];
}

function linked(result: ReturnType<typeof linkProgram>): Program {
	if (result.program === undefined) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
	return result.program;
}

/** Links KERNEL (plus `extraKernel`) and a user program over one FlatMemory, and starts main. */
function world(userSource: string, extraKernel = '', extraUserBuiltins?: (w: { kernel: Program }) => Map<string, Builtin>): World {
	const flat = new FlatMemory();
	const bus = new PrivilegedBus(flat);
	const out = { text: '' };
	const events: string[] = [];
	const builtinModes: string[] = [];
	const current: { thread?: Thread } = {};
	const modeOf = (): string => current.thread?.mode ?? '?';
	const kernelBuiltins = new Map<string, Builtin>([
		['console_put', (_ctx, args) => { builtinModes.push(`console_put:${modeOf()}`); out.text += String.fromCharCode(Number(args[0]) & 255); return undefined; }],
		['map_page', (_ctx, args) => { builtinModes.push(`map_page:${modeOf()}`); flat.map(Number(BigInt.asUintN(48, BigInt(args[0]))), PAGE, { read: true, write: true }); return undefined; }],
		['note', (_ctx, args) => { events.push(`note ${String(args[0])}`); return undefined; }],
	]);
	const kernel = linked(linkProgram(compileAll({ 'kernel.c': KERNEL + extraKernel }), kernelBuiltins, KernelLayout, { name: 'kernel' }));
	const userBuiltins = testBuiltins(out, flat);
	const syscalls = ['sys_write', 'sys_where', 'sys_map', 'sys_recurse', 'sys_call_registered', 'sys_sum'];
	userBuiltins.set('syscall', (_ctx, args) => {
		builtinModes.push(`syscall:${modeOf()}`);
		const fn = kernel.functionByName(syscalls[Number(args[0])]);
		if (fn === undefined) return -38;
		return { kind: 'call', target: fn.address, args: args.slice(1) };
	});
	for (const [name, fn] of extraUserBuiltins?.({ kernel }) ?? []) userBuiltins.set(name, fn);
	const user = linked(linkProgram(compileAll({ 'user.c': userSource }), userBuiltins, undefined, { name: 'user', entry: 'main' }));
	loadImage(kernel.image, flat);
	loadImage(user.image, flat);
	const code = new CodeSpace([user, kernel]);
	const host = {
		onModeSwitch: (_t: Thread, mode: Privilege) => {
			bus.mode = mode;
			events.push(mode);
		},
	};
	const thread = startMain(code, bus, ['prog'], { host });
	current.thread = thread;
	bus.mode = thread.mode;
	return { kernel, user, flat, bus, code, thread, out, events, builtinModes };
}

/** Runs until the thread stops for something other than the budget. */
function runOut(thread: Thread, budget = 1_000_000): StopReason {
	let stop: StopReason;
	do stop = run(thread, budget);
	while (stop.kind === 'budget');
	return stop;
}

/** The machine's fault path: inject `handler(address, errorCode)`; 0 resumes, a signal number ends the thread. */
function handleFaults(w: World, handler = 'do_page_fault', errorCode = 2): { stop: StopReason; faults: MemoryFault[] } {
	const faults: MemoryFault[] = [];
	for (;;) {
		const stop = runOut(w.thread);
		if (stop.kind !== 'fault') return { stop, faults };
		faults.push(stop.fault);
		const then: InjectionContinuation = ret => (ret === 0 ? undefined : { kind: 'trap', message: 'SIGSEGV', signal: Number(ret) });
		const code = stop.fault.address >= KernelLayout.kernelHalf ? 0 : errorCode;
		// An address passed as `unsigned long` is its canonical 64-bit value (kernel addresses sign-extended).
		assert.equal(injectCall(w.thread, handler, [ptrToU64(stop.fault.address), code], then), null);
	}
}

describe('KC CPU: kernel and user programs on one thread', () => {
	it('links the kernel at KernelLayout addresses with sign-extended pointers and per-program statement ids', () => {
		const w = world('int main(void) { return 0; }', `
unsigned long addr_of_faults = (unsigned long)&faults;
long *ptr_to_faults = &faults;
long kernel_checks(long user_pointer) {
	long *p = &faults;
	return ((long)p < 0) + 2 * ((unsigned long)p > (unsigned long)user_pointer) + 4 * ((void *)p > (void *)user_pointer)
		+ 8 * ((unsigned long)p >> 47 == 0x1ffff) + 16 * (ptr_to_faults == p) + 32 * ((char *)p - (char *)&written == -8);
}`);
		const k = w.kernel;
		assert.equal(k.privilege, 'kernel');
		assert.equal(w.user.privilege, 'user');
		assert.equal(k.textBase, 0xffff81000000);
		for (const f of k.functions) assert.equal(f.privilege, 'kernel');
		assert.ok(k.functions.every(f => f.program === k) && w.user.functions.every(f => f.program === w.user));
		const faults = k.globals.get('faults')!.address;
		assert.equal(faults, KernelLayout.dataBase, 'faults is laid out first, at dataBase');
		// Static initializers hold the canonical (sign-extended) address.
		assert.equal(w.flat.ld64u(k.globals.get('addr_of_faults')!.address), 0xffffffff83000000n);
		assert.equal(w.flat.ld64u(k.globals.get('ptr_to_faults')!.address), 0xffffffff83000000n);
		assert.equal(ptrToU64(faults), 0xffffffff83000000n);
		const t = createThread(w.code, w.bus, 'kernel_checks', [0x7ffff0000000]);
		assert.equal(t.mode, 'kernel');
		w.bus.mode = t.mode;
		assert.deepEqual(runOut(t), { kind: 'exited', code: 63 });
		// Both programs number their statements from 0; each frame's statement is looked up in its own program.
		assert.equal(k.statements[0].range.file, 'kernel.c');
		assert.equal(w.user.statements[0].range.file, 'user.c');
	});

	it('a system call enters kernel KC code through a builtin call action and returns its value, switching modes in order', () => {
		const w = world(`long syscall(long nr, ...);
void putint(long v);
int main(void) {
	char msg[] = "hello\\n";
	long r = syscall(0, 1, msg, 6);
	putint(r);
	putint(syscall(0, 2, msg, 2));
	putint(syscall(5, 3, 100L, 20L, 3L));
	return 0;
}`);
		assert.equal(w.thread.mode, 'user');
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 0 });
		// sys_sum's variadic arguments are spilled to the kernel stack: only possible once in kernel mode.
		assert.equal(w.out.text, 'hello\n6\nhe-9\n123\n');
		assert.deepEqual(w.events, ['kernel', 'user', 'kernel', 'user', 'kernel', 'user']);
		assert.deepEqual(w.builtinModes.filter(m => m.startsWith('syscall')), ['syscall:user', 'syscall:user', 'syscall:user']);
		assert.ok(w.builtinModes.filter(m => m.startsWith('console_put')).every(m => m === 'console_put:kernel'));
		assert.equal(w.flat.ld64s(w.kernel.globals.get('written')!.address), 8);
	});

	it('kernel frames live on the kernel stack and user frames on the user stack', () => {
		const w = world(`long syscall(long nr, ...);
void putint(long v);
long user_local;
int main(void) {
	int mine = 1;
	user_local = (long)&mine;
	long k = syscall(1);
	putint(k < 0);
	putint(k);
	return mine;
}`);
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 1 });
		const [negative, where] = w.out.text.trim().split('\n');
		assert.equal(negative, '1', 'a kernel stack address converts to a negative long');
		const kernelLocal = Number(BigInt.asUintN(48, BigInt(where)));
		const t = w.thread;
		assert.ok(kernelLocal >= t.kernelStackLow && kernelLocal < t.kernelStackTop, `kernel local at ${kernelLocal.toString(16)}`);
		assert.equal(t.kernelStackTop - t.kernelStackLow, 16 * 1024);
		assert.equal(t.kernelStackTop, KernelLayout.stackBase + KernelLayout.stackStride);
		const userLocal = Number(w.flat.ld64s(w.user.globals.get('user_local')!.address));
		assert.ok(userLocal >= t.stackLow && userLocal < t.initialSp);
		// The kernel frame starts at the top of the kernel stack (the first kernel entry).
		assert.ok(t.kernelStackTop - kernelLocal < 256);
	});

	it('a kernel stack overflow is a trap that ends the thread; a deep but fitting recursion is fine', () => {
		const fits = world(`long syscall(long nr, ...);
int main(void) { return (int)syscall(3, 100); }`);
		assert.deepEqual(runOut(fits.thread), { kind: 'exited', code: 100 });
		const w = world(`long syscall(long nr, ...);
int main(void) { return (int)syscall(3, 100000); }`);
		assert.deepEqual(runOut(w.thread), { kind: 'trap', message: 'kernel stack overflow' });
		const top = w.thread.top!;
		assert.equal(top.fn.name, 'recurse');
		assert.equal(top.fn.privilege, 'kernel');
		assert.ok(w.thread.frames.every(f => f.fn.privilege === 'user' || f.base >= w.thread.kernelStackLow));
	});

	it('a user fault: the injected kernel handler maps the page and the access re-executes exactly once', () => {
		const w = world(`void putint(long v);
int calls;
int tick(void) { return ++calls; }
int main(void) {
	int *p = (int *)${DEMAND};
	int i = 0, a[4] = { 0 };
	a[i++] = tick() + (*p = 41) + 1;
	putint(calls);
	putint(i);
	putint(a[0]);
	putint(*p);
	return 0;
}`);
		const stop = runOut(w.thread);
		assert.equal(stop.kind, 'fault');
		if (stop.kind !== 'fault') return;
		assert.equal(stop.fault.address, DEMAND);
		assert.equal(stop.fault.access, 'write');
		const before = w.thread.top!;
		const pc = before.pc;
		const regs = before.regs.slice();
		assert.equal(before.statementInfo?.range.line, 7);
		assert.equal(injectCall(w.thread, 'do_page_fault', [stop.fault.address, 2]), null);
		assert.equal(w.thread.mode, 'kernel');
		assert.equal(w.thread.top!.entry, 'inject');
		assert.equal(w.thread.frames[w.thread.frames.length - 2], before);
		assert.equal(before.pc, pc);
		assert.deepEqual(before.regs, regs);
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 0 });
		assert.equal(w.out.text, '1\n1\n43\n41\n');
		assert.equal(w.flat.ld64s(w.kernel.globals.get('faults')!.address), 1);
		assert.deepEqual(w.events, ['kernel', 'user']);
		assert.deepEqual(w.builtinModes, ['map_page:kernel']);
	});

	it('a fault the handler refuses ends the thread with the signal, the faulting frame on top', () => {
		const w = world(`void putint(long v);
int main(void) {
	putint(1);
	volatile int *p = (int *)0x60000000;
	putint(*p);
	return 0;
}`);
		const { stop, faults } = handleFaults(w);
		assert.deepEqual(stop, { kind: 'trap', message: 'SIGSEGV', signal: 11 });
		assert.equal(faults.length, 1);
		assert.equal(w.thread.top!.fn.name, 'main');
		assert.equal(w.thread.top!.statementInfo?.range.line, 5);
		assert.equal(w.thread.mode, 'user');
		assert.equal(w.out.text, '1\n');
	});

	it('a fault inside the kernel handler nests: the inner handler runs on the kernel stack, then both resume', () => {
		const w = world(`void putint(long v);
int main(void) {
	long *p = (long *)${DEMAND};
	*p = 5;
	p[600] = 6;
	putint(*p + p[600]);
	return 0;
}`);
		const first = runOut(w.thread);
		assert.equal(first.kind, 'fault');
		// error code 99 makes the handler touch unmapped kernel memory.
		assert.equal(injectCall(w.thread, 'do_page_fault', [DEMAND, 99], ret => (ret === 0 ? { kind: 'resume' } : { kind: 'trap', message: 'SIGSEGV', signal: 11 })), null);
		const nested = runOut(w.thread);
		assert.equal(nested.kind, 'fault');
		if (nested.kind !== 'fault') return;
		assert.equal(nested.fault.address, KDEMAND + 8);
		assert.equal(w.thread.mode, 'kernel');
		assert.deepEqual(w.thread.frames.map(f => `${f.fn.name}:${f.entry}:${f.fn.privilege}`), ['main:call:user', 'do_page_fault:inject:kernel']);
		const outer = w.thread.top!;
		assert.equal(injectCall(w.thread, 'do_page_fault', [ptrToU64(nested.fault.address), 0]), null);
		const inner = w.thread.top!;
		assert.ok(inner.base < outer.base && inner.base >= w.thread.kernelStackLow, 'the nested handler is below the first one on the kernel stack');
		const { stop, faults } = handleFaults(w);
		assert.deepEqual(stop, { kind: 'exited', code: 0 });
		assert.equal(w.out.text, '11\n');
		assert.deepEqual(faults.map(f => f.address), [DEMAND + 600 * 8]);
		assert.deepEqual(w.events, ['kernel', 'note 5', 'user', 'kernel', 'user'], 'the nested injection does not switch modes');
		assert.equal(w.flat.ld64s(w.kernel.globals.get('faults')!.address), 3);
	});

	it('a user signal handler runs after the kernel handler, may enter the kernel, and the faulting access is retried', () => {
		let handlerAddress = 0;
		const w = world(`long syscall(long nr, ...);
void putint(long v);
void register_handler(void (*h)(int, unsigned long));
int caught;
void on_segv(int sig, unsigned long address) {
	caught += sig;
	putint(sig);
	syscall(2, address);
}
int main(void) {
	register_handler(on_segv);
	int *p = (int *)${DEMAND + 3 * PAGE};
	*p = 17;
	putint(*p + caught);
	return 0;
}`, '', () => new Map<string, Builtin>([['register_handler', (_ctx, args) => { handlerAddress = Number(args[0]); return undefined; }]]));
		const stop = runOut(w.thread);
		assert.equal(stop.kind, 'fault');
		if (stop.kind !== 'fault') return;
		const address = stop.fault.address;
		// The kernel refuses the fault; the "signal delivery" then runs the user's handler, whose return resumes.
		const outcome = injectCall(w.thread, 'refuse_fault', [address, 6], sig => ({
			kind: 'call',
			target: handlerAddress,
			args: [Number(sig), address],
			then: () => ({ kind: 'resume' }),
		}));
		assert.equal(outcome, null);
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 0 });
		assert.equal(w.out.text, '11\n28\n');
		assert.deepEqual(w.events, ['kernel', 'user', 'kernel', 'user']);
	});

	it('injecting a kernel call at every statement boundary leaves the interrupted code unchanged', () => {
		const source = `void putint(long v);
struct pair { long a, b; };
struct pair mk(long a, long b) { struct pair p = { a, b }; return p; }
long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) {
	long acc = 0;
	for (int i = 0; i < 12; i++) {
		struct pair q = mk(i, fib(i % 7));
		acc = acc * 3 + q.a - q.b;
		if (i % 4 == 0) putint(acc);
	}
	putint(acc);
	return (int)(acc & 63);
}`;
		const plain = world(source);
		const expected = runOut(plain.thread);
		const w = world(source);
		let stops = 0;
		let interrupt = false;
		let stop: StopReason;
		for (;;) {
			stop = run(w.thread, 1);
			if (stop.kind !== 'budget') break;
			// An interrupt at every user statement boundary: the tick handler runs to completion, then
			// the interrupted code executes one statement before the next tick.
			if (w.thread.mode !== 'user') continue;
			interrupt = !interrupt;
			if (!interrupt) continue;
			stops++;
			assert.equal(injectCall(w.thread, 'timer_tick', []), null);
		}
		assert.deepEqual(stop, expected);
		assert.equal(w.out.text, plain.out.text);
		assert.equal(w.flat.ld64s(w.kernel.globals.get('tick_count')!.address), stops);
		assert.ok(stops > 100);
		assert.equal(w.events.length, 2 * stops);
	});

	it('an injection at a breakpoint stop resumes the statement without hitting the breakpoint again', () => {
		const w = world(`void putint(long v);
int main(void) {
	long total = 0;
	for (int i = 1; i <= 3; i++) {
		total += i;
		putint(total);
	}
	return (int)total;
}`);
		const [id] = w.user.stmtsAt('user.c', 5);
		w.user.breakpoints[id] = 1;
		const hits: string[] = [];
		let stop: StopReason;
		for (;;) {
			stop = run(w.thread, 1000);
			if (stop.kind !== 'breakpoint' || hits.length > 10) break;
			const top = w.thread.top!;
			const pc = top.pc;
			hits.push(`${stop.stmt}:${w.out.text.length}`);
			assert.equal(injectCall(w.thread, 'timer_tick', []), null);
			assert.equal(w.thread.frames[w.thread.frames.length - 2], top);
			assert.equal(top.pc, pc);
		}
		assert.deepEqual(stop, { kind: 'exited', code: 6 });
		assert.equal(w.out.text, '1\n3\n6\n');
		// One stop per iteration, each before the statement ran: the tick did not make it hit twice.
		assert.deepEqual(hits, [`${id}:0`, `${id}:2`, `${id}:4`]);
		assert.equal(w.flat.ld64s(w.kernel.globals.get('tick_count')!.address), 3);
	});

	it('save and restore in the middle of an injected handler reproduce the same run', () => {
		const w = world(`void putint(long v);
int main(void) {
	long *p = (long *)${DEMAND + 8 * PAGE};
	for (int i = 0; i < 3; i++) p[i * 512] = i + 1;
	putint(p[0] + p[512] + p[1024]);
	return 0;
}`);
		const first = runOut(w.thread);
		assert.equal(first.kind, 'fault');
		const then: InjectionContinuation = ret => (ret === 0 ? undefined : { kind: 'trap', message: 'SIGSEGV', signal: 11 });
		assert.equal(injectCall(w.thread, 'slow_handler', [DEMAND + 8 * PAGE, 3], then), null);
		assert.deepEqual(run(w.thread, 25), { kind: 'budget' });
		assert.equal(w.thread.top!.fn.name, 'slow_handler');
		const savedThread = w.thread.save();
		const savedMemory = w.flat.snapshot();
		const savedOut = w.out.text;
		const savedEvents = w.events.length;

		const finish = (): { stops: string[]; out: string; events: string[] } => {
			const stops: string[] = [];
			for (;;) {
				const stop = runOut(w.thread, 7);
				stops.push(JSON.stringify(stop));
				if (stop.kind !== 'fault') break;
				injectCall(w.thread, 'slow_handler', [stop.fault.address, 5], then);
			}
			return { stops, out: w.out.text, events: w.events.slice(savedEvents) };
		};
		const once = finish();
		w.flat.restore(savedMemory);
		Thread.restore(savedThread);
		w.bus.mode = w.thread.mode;
		w.out.text = savedOut;
		w.events.length = savedEvents;
		assert.equal(w.thread.mode, 'kernel');
		const twice = finish();
		assert.deepEqual(twice, once);
		assert.equal(once.out, '6\n');
		assert.equal(once.stops.length, 3);
		assert.match(once.stops[2], /exited/);
		// The first handler continues where it was saved (error code 3: sums of 3 * i), then two more run.
		assert.deepEqual(once.events.slice(once.events.indexOf('note 2340'), once.events.indexOf('note 2340') + 4), ['note 2340', 'user', 'kernel', 'note 0']);
		assert.equal(once.events.filter(e => e === 'note 3900').length, 2);
	});

	it('function pointers and direct calls across programs: kernel and module; a user pointer into the kernel faults', () => {
		const w = world(`long syscall(long nr, ...);
void putint(long v);
long (*kernel_fn)(long);
int main(void) {
	putint(syscall(4, 20));
	kernel_fn = (long (*)(long))${KernelLayout.textBase};
	putint(kernel_fn(1));
	return 0;
}`);
		const moduleBuiltins = new Map<string, Builtin>();
		const module = linked(linkProgram(compileAll({ 'module.c': `
struct ops { long (*fn)(long); };
extern struct ops registered;
extern long faults;
long double_it(long v);
static long mod_op(long v) { return double_it(v) + faults + 1000 * (double_it != 0); }
const char *mod_name = "mod";
void mod_init(void) { registered.fn = mod_op; faults = 3; }
` }), moduleBuiltins, moduleLayout(0), { name: 'module', imports: [w.kernel] }));
		assert.equal(module.privilege, 'kernel');
		assert.equal(module.textBase, KernelLayout.modulesBase);
		loadImage(module.image, w.flat);
		const code = new CodeSpace([w.user, w.kernel, module]);
		const init = createThread(code, w.bus, 'mod_init', [], { threadId: 3 });
		assert.equal(init.mode, 'kernel');
		w.bus.mode = init.mode;
		assert.deepEqual(runOut(init), { kind: 'exited', code: 0 });
		w.bus.mode = w.thread.mode;
		assert.equal(readString(w.flat, Number(BigInt.asUintN(48, BigInt(w.flat.ld64u(module.globals.get('mod_name')!.address))))), 'mod');
		w.thread.code = code;
		const stop = runOut(w.thread);
		// mod_op(20) = double_it(20) + faults + 1000 through the module, called by pointer from the kernel.
		assert.equal(w.out.text, '1043\n');
		assert.equal(stop.kind, 'fault');
		if (stop.kind !== 'fault') return;
		assert.equal(stop.fault.access, 'exec');
		assert.equal(stop.fault.reason, 'protection');
		assert.equal(stop.fault.address, KernelLayout.textBase);
		assert.equal(w.thread.mode, 'user');
	});

	it('one image loaded into two memories gives independent copies', () => {
		const result = linkProgram(compileAll({ 'p.c': `int counter = 5;
const char *greeting = "hi";
int bump(int by) { counter += by; return counter; }
int poke(void) { char *s = (char *)greeting; s[0] = 'H'; return 0; }` }), new Map());
		const program = linked(result);
		assert.equal(result.image, program.image);
		assert.deepEqual(program.image.segments.map(s => s.name), ['.text', '.rodata', '.data']);
		const a = new FlatMemory();
		const b = new FlatMemory();
		loadImage(program.image, a);
		loadImage(program.image, b);
		assert.deepEqual(runOut(createThread(program, a, 'bump', [10])), { kind: 'exited', code: 15 });
		assert.deepEqual(runOut(createThread(program, a, 'bump', [1])), { kind: 'exited', code: 16 });
		assert.deepEqual(runOut(createThread(program, b, 'bump', [100])), { kind: 'exited', code: 105 });
		const counter = program.globals.get('counter')!.address;
		assert.equal(a.ld32s(counter), 16);
		assert.equal(b.ld32s(counter), 105);
		// .rodata is read-only in both; .text is not mapped unless asked.
		const poke = runOut(createThread(program, b, 'poke', []));
		assert.equal(poke.kind, 'fault');
		assert.equal(a.isMapped(program.textBase), false);
		const c = new FlatMemory();
		loadImage(program.image, c, { mapText: true });
		assert.deepEqual(c.protection(program.textBase), { read: true, write: false });
	});

	it('shows every frame at its own statement in its own program, and stops at a breakpoint in kernel code', () => {
		const w = world(`long syscall(long nr, ...);
int main(void) {
	char text[] = "ab";
	long n = syscall(0, 1, text, 2);
	return (int)n;
}`);
		const line = KERNEL.split('\n').findIndex(l => l.includes('written += n;')) + 1;
		const ids = w.kernel.stmtsAt('kernel.c', line);
		assert.equal(ids.length, 1);
		w.kernel.breakpoints[ids[0]] = 1;
		const stop = run(w.thread, 1000);
		assert.deepEqual(stop, { kind: 'breakpoint', stmt: ids[0] });
		const top = w.thread.top!;
		assert.equal(top.fn.program, w.kernel, 'the stop statement is an id of the top frame\'s program');
		assert.deepEqual(
			w.thread.frames.map(f => `${f.fn.name}@${f.statementInfo?.range.file}:${f.statementInfo?.range.line}/${f.entry}`).slice(-2),
			['main@user.c:4/call', `sys_write@kernel.c:${line}/builtin`],
		);
		w.kernel.breakpoints[ids[0]] = 0;
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 2 });
		assert.equal(w.out.text, 'ab');
	});

	it('a builtin call action to a kernel builtin runs it in kernel mode', () => {
		const w = world(`long via_kernel(long c);
int main(void) { return (int)via_kernel('x'); }`, '', ({ kernel }) => new Map<string, Builtin>([
			['via_kernel', (_ctx, args) => ({ kind: 'call', target: 'console_put', args, then: () => (kernel.functionByName('console_put') !== undefined ? 3 : 4) })],
		]));
		// console_put is a builtin of the kernel program only once some kernel code references it.
		assert.equal(w.kernel.functionByName('console_put')?.kind, 'builtin');
		assert.deepEqual(runOut(w.thread), { kind: 'exited', code: 3 });
		assert.equal(w.out.text, 'x');
		assert.deepEqual(w.builtinModes, ['console_put:kernel']);
		assert.deepEqual(w.events, ['kernel', 'user']);
	});
});

// Booting the KC kernel on the simulated hardware (layer: kernel): what the boot loader, head_64.S
// and the early x86 setup do on a PC, then `start_kernel` (kc/kernel/init/main.c) on CPU 0.
//
// 1. A Machine with the requested RAM and CPUs.
// 2. Every kernel unit (KERNEL_UNITS) compiled with the profile's defines, linked at KernelLayout
//    with the kernel builtins (linkProgram: no memory needed yet).
// 3. The initial kernel page tables, written by TypeScript into simulated RAM from a bump allocator
//    of boot frames that starts at BOOT_FRAMES_BASE (1 MiB, where 2.6-era x86-64 kernels loaded):
//    the PML4 (swapper_pg_dir); the direct map of all RAM at PAGE_OFFSET with 2 MiB pages (4 KiB
//    pages for a tail that is not 2 MiB aligned); one kernel stack per CPU (the CPUs' boot/idle
//    threads, thread id = CPU number) in the stack area of KernelLayout; every CPU's CR3.
// 4. The image loaded through CPU 0's kernel-mode CpuMemoryBus by `loadImage`: the loader's `map`
//    backs each segment page with a boot frame and a writable 4 KiB PTE, its `protect` then drops
//    RW for .text and .rodata (and flushes the TLBs). Data pages are NX, text is executable.
// 5. `start_kernel(ram_end, boot_start, boot_end, pgd_phys)` on a kernel thread of CPU 0 (nullGuard
//    0: a kernel NULL dereference is a real page fault), run in slices. [boot_start, boot_end) holds
//    every boot frame (image, tables, stacks): start_kernel reserves it in memblock, so the page
//    allocator never hands those frames out.
//
// Invariant: boot frames are allocated in a fixed order from a fixed base, and every value written
// is a function of the options, so two boots with the same options give byte-identical RAM.
//
// There is no fault handler yet: a fault (or any other stop than a return) during boot ends the boot
// with an oops line in the kernel log and an error diagnostic.

import type { Diagnostic, SourceProvider, SourceRange } from '../lang/source';
import { compileKernelUnit } from './compileCache';
import { KernelLayout, type StopReason, type Value } from '../interp/contracts';
import { createThread, run } from '../interp/cpu';
import { linkProgram, loadImage } from '../interp/linker';
import type { Program } from '../interp/program';
import type { Thread, ThreadHost } from '../interp/thread';
import { createKernelBuiltins, KernelLog, nullKernelEvents, type KernelBuiltins, type KernelEvents } from './builtins';
import type { CpuMemoryBus } from './hw/cpuBus';
import { LoaderMemory } from './loaderMemory';
import { kernelFaultMessage } from './oops';
import { LOW_RAM_LIMIT, Machine } from './hw/machine';
import { encodePte, pdIndex, pdptIndex, pml4Index, pteToBigInt, ptIndex, PMD_SIZE, PAGE_SIZE } from './hw/pageTable';
import { LockSystem, type LockReport } from './locks/lockSystem';

/** The kernel's translation units, named relative to kc/kernel (as Kbuild names them). */
export const KERNEL_UNITS: readonly string[] = [
	'arch/powerpc/platforms/cell/spu_syscalls.c',
	'arch/x86/entry/common.c',
	'arch/x86/entry/syscall_64.c',
	'arch/x86/kernel/sys_x86_64.c',
	'arch/x86/mm/fault.c',
	'arch/x86/mm/init.c',
	'arch/x86/mm/pgtable.c',
	'fs/binfmt_kc.c',
	'fs/char_dev.c',
	'fs/console.c',
	'fs/dcache.c',
	'fs/devtmpfs.c',
	'fs/fcntl.c',
	'fs/file.c',
	'fs/file_table.c',
	'fs/inode.c',
	'fs/ioctl.c',
	'fs/libfs.c',
	'fs/namei.c',
	'fs/namespace.c',
	'fs/open.c',
	'fs/proc/base.c',
	'fs/proc/inode.c',
	'fs/proc/root.c',
	'fs/proc/task_mmu.c',
	'fs/read_write.c',
	'fs/stat.c',
	'fs/super.c',
	'fs/sync.c',
	'init/init_task.c',
	'init/main.c',
	'kernel/exit.c',
	'kernel/fork.c',
	'kernel/futex.c',
	'kernel/irq/manage.c',
	'kernel/kthread.c',
	'kernel/module.c',
	'kernel/ptrace.c',
	'kernel/resource.c',
	'kernel/signal.c',
	'kernel/sim_harness.c',
	'kernel/sched/completion.c',
	'kernel/sched/wait.c',
	'kernel/sys.c',
	'lib/string.c',
	'mm/filemap.c',
	'mm/gup.c',
	'mm/init-mm.c',
	'mm/madvise.c',
	'mm/memblock.c',
	'mm/memory.c',
	'mm/memory_hotplug.c',
	'mm/mincore.c',
	'mm/mmap.c',
	'mm/mmu_gather.c',
	'mm/mprotect.c',
	'mm/mremap.c',
	'mm/oom_kill.c',
	'mm/msync.c',
	'mm/page_alloc.c',
	'mm/rmap.c',
	'mm/shmem.c',
	'mm/slab.c',
	'mm/swap.c',
	'mm/truncate.c',
	'mm/util.c',
	'mm/vmalloc.c',
];


/** Formerly the process units kept apart from KERNEL_UNITS; merged into it (empty until the tests naming it are updated). */
export const PROCESS_UNITS: readonly string[] = [];

/** Physical address of the first boot frame (the image, the page tables, the boot stacks). */
export const BOOT_FRAMES_BASE = 0x100000;
/** Statements per `run` slice of the boot thread. */
const BOOT_SLICE = 1_000_000;
/** A boot that has not returned after this many statements is reported as hung. */
const BOOT_STATEMENT_LIMIT = 500_000_000;

/**
 * What bootKernel needs of a kernel profile (src/sim/profiles.ts KernelProfile has this shape; the
 * kernel layer does not import sim).
 */
export interface BootProfile {
	readonly name: string;
	/** Macros defined when compiling the kernel (`LINUX_VERSION_CODE`, `CONFIG_*`). */
	readonly defines: Readonly<Record<string, string>>;
}

/** Options of bootKernel. */
export interface BootOptions {
	/** Bytes of RAM (a multiple of 4 KiB, at least 4 MiB, at most the 3 GiB below the PCI hole). */
	readonly ramBytes: number;
	readonly cpus: number;
	readonly profile: BootProfile;
	/** The kc/kernel tree (`<linux/x.h>` resolving in include/). */
	readonly sources: SourceProvider;
	/** Trace events of the kernel builtins (default: ignored). */
	readonly events?: KernelEvents;
	/** The translation units to compile (default KERNEL_UNITS). */
	readonly units?: readonly string[];
}

/** The physical range of the boot frames, as start_kernel reserves it. */
export interface BootReservation {
	readonly start: number;
	/** Exclusive. */
	readonly end: number;
}

/** A booted (or failed) kernel. */
export interface BootedKernel {
	readonly machine: Machine;
	/** Bytes of RAM (the direct map covers [0, ramBytes)). */
	readonly ramBytes: number;
	/** The profile and the kernel sources it was built from (for header constants, views). */
	readonly profile: BootProfile;
	readonly sources: SourceProvider;
	/** The linked kernel; undefined when compiling or linking failed (see diagnostics). */
	readonly kernel: Program | undefined;
	/** Compiler and linker diagnostics, and an error for an oops or a hang during boot. */
	readonly diagnostics: Diagnostic[];
	readonly log: KernelLog;
	/** True when start_kernel returned. */
	readonly booted: boolean;
	/** How the boot thread stopped (undefined when it never ran). */
	readonly stop: StopReason | undefined;
	/** The kernel builtins' shared state (lock index, host). */
	readonly builtins: KernelBuiltins | undefined;
	readonly locks: LockSystem;
	/** Lock reports (lockdep, deadlocks) raised so far. */
	readonly lockReports: LockReport[];
	/** Physical address of the top-level page table (init_mm.pgd, CR3 of every CPU). */
	readonly pgdPhys: number;
	readonly reserved: BootReservation;
	/** Statements the boot thread executed. */
	readonly statements: number;
}

/** The page that contains `va`. */
function pageFloor(va: number): number {
	return Math.floor(va / PAGE_SIZE) * PAGE_SIZE;
}

/** The top of CPU `cpu`'s boot thread kernel stack (thread id = CPU number). */
export function bootStackTop(cpu: number): number {
	return KernelLayout.stackBase + (cpu + 1) * KernelLayout.stackStride;
}

/**
 * Writes the boot page tables into physical memory: a bump allocator of zeroed frames from
 * BOOT_FRAMES_BASE and 4-level table construction with 2 MiB or 4 KiB leaves.
 */
class BootPageTables {
	/** Next free boot frame. */
	next = BOOT_FRAMES_BASE;
	readonly pml4: number;
	private readonly scratch = new DataView(new ArrayBuffer(8));

	constructor(private readonly machine: Machine, private readonly ramBytes: number) {
		this.pml4 = this.allocFrame();
	}

	/** A zeroed boot frame. Throws when the boot frames run into the top of RAM (a host bug: RAM is checked first). */
	allocFrame(): number {
		const pa = this.next;
		if (pa + PAGE_SIZE > this.ramBytes) throw new RangeError('bootKernel: RAM too small for the boot frames');
		this.next += PAGE_SIZE;
		this.machine.phys.fill(pa, 0, PAGE_SIZE);
		return pa;
	}

	readEntry(pa: number): bigint {
		const bytes = this.machine.phys.read(pa, 8);
		if (bytes === null) throw new Error(`bootKernel: no RAM at ${pa}`);
		return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
	}

	writeEntry(pa: number, entry: Value): void {
		this.scratch.setBigUint64(0, pteToBigInt(entry), true);
		if (!this.machine.phys.write(pa, new Uint8Array(this.scratch.buffer))) throw new Error(`bootKernel: no RAM at ${pa}`);
	}

	/** The table that entry `index` of `table` points to, allocating it (kernel, RW, executable) if absent. */
	child(table: number, index: number): number {
		const slot = table + index * 8;
		const entry = this.readEntry(slot);
		if ((entry & 1n) !== 0n) return Number(entry & 0x000f_ffff_ffff_f000n);
		const pa = this.allocFrame();
		this.writeEntry(slot, encodePte({ physicalAddress: pa, writable: true }, 2));
		return pa;
	}

	/** The PD that covers `va`. */
	pd(va: number): number {
		return this.child(this.child(this.pml4, pml4Index(va)), pdptIndex(va));
	}

	/** The PTE slot of `va` (allocating the tables above it). */
	pteSlot(va: number): number {
		return this.child(this.pd(va), pdIndex(va)) + ptIndex(va) * 8;
	}

	/** Maps the 4 KiB page `va` to `pa`. */
	map4k(va: number, pa: number, writable: boolean, nx: boolean): void {
		this.writeEntry(this.pteSlot(va), encodePte({ physicalAddress: pa, writable, nx, global: true, accessed: true, dirty: writable }, 1));
	}

	/** The direct map: all RAM at PAGE_OFFSET, 2 MiB pages, 4 KiB pages for an unaligned tail. */
	mapDirect(): void {
		const base = KernelLayout.directMapBase;
		let pa = 0;
		for (; pa + PMD_SIZE <= this.ramBytes; pa += PMD_SIZE) {
			const va = base + pa;
			this.writeEntry(this.pd(va) + pdIndex(va) * 8, encodePte({ physicalAddress: pa, writable: true, nx: true, global: true, large: true, accessed: true, dirty: true }, 2));
		}
		for (; pa < this.ramBytes; pa += PAGE_SIZE) this.map4k(base + pa, pa, true, true);
	}

	/** Backs [va, va + length) with fresh boot frames (pages already mapped are kept). */
	mapFresh(va: number, length: number, writable: boolean, nx: boolean): void {
		for (let page = pageFloor(va); page < va + length; page += PAGE_SIZE) {
			const slot = this.pteSlot(page);
			if ((this.readEntry(slot) & 1n) !== 0n) continue;
			this.writeEntry(slot, encodePte({ physicalAddress: this.allocFrame(), writable, nx, global: true, accessed: true, dirty: writable }, 1));
		}
	}

	/** Sets or clears RW on the 4 KiB leaves of [va, va + length); false when a page is not mapped. */
	protect(va: number, length: number, writable: boolean): boolean {
		for (let page = pageFloor(va); page < va + length; page += PAGE_SIZE) {
			const slot = this.pteSlot(page);
			const entry = this.readEntry(slot);
			if ((entry & 1n) === 0n) return false;
			this.writeEntry(slot, writable ? entry | 2n : entry & ~2n);
		}
		return true;
	}
}

/**
 * The memory `loadImage` writes the kernel image through: CPU 0's bus (kernel mode, through the
 * MMU), with `map` and `protect` done by the boot page-table builder.
 */
class BootLoaderMemory extends LoaderMemory {
	constructor(
		bus: CpuMemoryBus,
		private readonly tables: BootPageTables,
		private readonly flush: () => void,
		/** Segments that hold code: executable (the others are NX). */
		private readonly textStart: number,
		private readonly textEnd: number,
	) {
		super(bus);
	}

	map(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): void {
		const code = start >= this.textStart && start < this.textEnd;
		this.tables.mapFresh(start, length, prot.write, !code);
	}

	protect(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): boolean {
		const done = this.tables.protect(start, length, prot.write);
		this.flush();
		return done;
	}
}

/** Sets the CPU bus's privilege at every crossing (only kernel code exists so far). */
function busHost(bus: CpuMemoryBus): ThreadHost {
	return { onModeSwitch: (_thread, mode) => { bus.mode = mode; } };
}

/**
 * A kernel thread on CPU `cpu` calling `entry(args)` on that CPU's boot stack (thread id = CPU
 * number; the stack was mapped at boot). nullGuard 0: NULL dereferences are page faults.
 * One such thread per CPU at a time: they share the stack.
 */
export function kernelThread(booted: BootedKernel, cpu: number, entry: string, args: readonly Value[] = []): Thread {
	if (booted.kernel === undefined) throw new Error('kernelThread: the kernel did not link');
	const bus = booted.machine.cpus[cpu].bus;
	bus.mode = 'kernel';
	return createThread(booted.kernel, bus, entry, args, {
		threadId: cpu,
		kernelStackTop: bootStackTop(cpu),
		kernelStackSize: KernelLayout.stackSize,
		mapStack: false,
		nullGuard: 0,
		host: busHost(bus),
	});
}

function placeOf(thread: Thread): { readonly fn: string; readonly range: SourceRange | undefined }[] {
	const places: { fn: string; range: SourceRange | undefined }[] = [];
	for (let i = thread.frames.length - 1; i >= 0; i--) {
		const frame = thread.frames[i];
		const stmt = frame.fn.pcStatement[frame.pc];
		places.push({ fn: frame.fn.name, range: stmt === undefined ? frame.fn.range : frame.fn.program.statements[stmt]?.range ?? frame.fn.range });
	}
	return places;
}

/** Where an oops with no KC frame is reported (start_kernel's file). */
const NO_RANGE: SourceRange = { file: 'init/main.c', line: 1, col: 1, endLine: 1, endCol: 1 };

/** Boots the KC kernel: see the file header. Bad kernel sources give diagnostics, never exceptions. */
export function bootKernel(options: BootOptions): BootedKernel {
	if (options.ramBytes > LOW_RAM_LIMIT || options.ramBytes < 4 << 20) throw new RangeError('bootKernel: ramBytes must be 4 MiB .. 3 GiB');
	const machine = new Machine({ ramBytes: options.ramBytes, cpus: options.cpus });
	const log = new KernelLog();
	const lockReports: LockReport[] = [];
	const locks = new LockSystem({ onReport: report => lockReports.push(report) });
	const diagnostics: Diagnostic[] = [];
	const flushAll = (): void => {
		for (const cpu of machine.cpus) cpu.mmu.flushAllIncludingGlobal();
	};
	const builtins = createKernelBuiltins({
		locks,
		events: options.events,
		log,
		taskOf: id => `swapper/${id}`,
		cpuOf: id => id,
		flushTlb: (_mm, start, end) => {
			if (!Number.isFinite(end) || end - start > 64 * PAGE_SIZE) flushAll();
			else for (const cpu of machine.cpus) for (let va = pageFloor(start); va < end; va += PAGE_SIZE) cpu.mmu.invlpg(va);
		},
	});
	const failed = (): BootedKernel => ({ machine, ramBytes: options.ramBytes, profile: options.profile, sources: options.sources, kernel: undefined, diagnostics, log, booted: false, stop: undefined, builtins: undefined, locks, lockReports, pgdPhys: 0, reserved: { start: BOOT_FRAMES_BASE, end: BOOT_FRAMES_BASE }, statements: 0 });

	// Compile and link.
	const units = [];
	for (const file of options.units ?? KERNEL_UNITS) {
		const result = compileKernelUnit(file, options.sources, options.profile.defines);
		diagnostics.push(...result.diagnostics);
		if (result.unit !== undefined) units.push(result.unit);
	}
	if (diagnostics.some(d => d.severity === 'error')) return failed();
	const linked = linkProgram(units, builtins.builtins, KernelLayout, { name: 'vmlinux', entry: 'start_kernel', privilege: 'kernel' });
	diagnostics.push(...linked.diagnostics);
	if (linked.program === undefined || linked.image === undefined) return failed();
	const kernel = linked.program;

	// Page tables, stacks, CR3.
	const tables = new BootPageTables(machine, options.ramBytes);
	tables.mapDirect();
	for (let cpu = 0; cpu < machine.cpus.length; cpu++) tables.mapFresh(bootStackTop(cpu) - KernelLayout.stackSize, KernelLayout.stackSize, true, true);
	// The vmalloc area's top-level entry exists from boot (mm/vmalloc.c maps below it), so the kernel
	// half every pgd_alloc copies already points at the tables vmalloc and ioremap fill later.
	tables.child(tables.pml4, pml4Index(KernelLayout.vmallocBase));
	for (const cpu of machine.cpus) cpu.mmu.setCr3(tables.pml4);

	// The image, through CPU 0's kernel-mode bus.
	const bus = machine.cpus[0].bus;
	bus.mode = 'kernel';
	loadImage(linked.image, new BootLoaderMemory(bus, tables, flushAll, kernel.textBase, KernelLayout.rodataBase), { mapText: true });
	flushAll();
	const reserved = { start: BOOT_FRAMES_BASE, end: tables.next };

	// start_kernel.
	const booted: BootedKernel = { machine, ramBytes: options.ramBytes, profile: options.profile, sources: options.sources, kernel, diagnostics, log, booted: false, stop: undefined, builtins, locks, lockReports, pgdPhys: tables.pml4, reserved, statements: 0 };
	const thread = kernelThread(booted, 0, 'start_kernel', [options.ramBytes, reserved.start, reserved.end, tables.pml4]);
	let statements = 0;
	let stop: StopReason;
	for (;;) {
		stop = run(thread, BOOT_SLICE);
		statements += BOOT_SLICE - Math.max(0, thread.cpu.budget);
		if (stop.kind !== 'budget' || statements >= BOOT_STATEMENT_LIMIT) break;
	}
	const done = stop.kind === 'exited';
	if (!done) {
		const places = placeOf(thread);
		const message = oopsMessage(stop);
		log.writeLines(1, `${message}\nCall Trace:\n${places.map(p => ` ${p.fn}${p.range === undefined ? '' : ` (${p.range.file}:${p.range.line})`}`).join('\n')}`, 'swapper/0');
		diagnostics.push({ severity: 'error', message: `kernel oops during boot: ${message}`, range: places[0]?.range ?? NO_RANGE });
	}
	return { ...booted, booted: done, stop, statements };
}

function oopsMessage(stop: StopReason): string {
	switch (stop.kind) {
		case 'fault':
			return kernelFaultMessage(stop.fault);
		case 'budget':
			return `start_kernel did not return after ${BOOT_STATEMENT_LIMIT} statements`;
		case 'blocked':
			return `start_kernel blocked with no scheduler: ${stop.reason}`;
		case 'ub':
			return `undefined behaviour: ${stop.message}`;
		case 'trap':
			return stop.message;
		default:
			return `start_kernel stopped: ${stop.kind}`;
	}
}

/** A booted kernel's whole state at one moment (see snapshotKernel). */
export interface KernelSnapshot {
	readonly owner: BootedKernel;
	readonly machine: ReturnType<Machine['snapshot']>;
	readonly locks: ReturnType<LockSystem['snapshot']>;
	readonly log: ReturnType<KernelLog['mark']>;
	readonly lockReports: number;
}

/**
 * Captures a booted kernel between runs: RAM (copy-on-write, so this is cheap), every CPU's MMU/TLB
 * and bus state, the lock system, the kernel log position. Restoring it puts the machine back exactly
 * (a booted machine is snapshotted once per profile and restored for each program run).
 * Only valid while no KC thread is in the middle of running.
 */
export function snapshotKernel(booted: BootedKernel): KernelSnapshot {
	return { owner: booted, machine: booted.machine.snapshot(), locks: booted.locks.snapshot(), log: booted.log.mark(), lockReports: booted.lockReports.length };
}

/** Puts `booted` back into the state `snapshot` captured; the process layer must be re-created. */
export function restoreKernel(booted: BootedKernel, snapshot: KernelSnapshot): void {
	if (snapshot.owner !== booted) throw new Error('restoreKernel: a snapshot of another kernel');
	booted.machine.restore(snapshot.machine);
	booted.locks.restore(snapshot.locks);
	booted.log.rewind(snapshot.log);
	booted.lockReports.length = snapshot.lockReports;
	const builtins = booted.builtins;
	if (builtins !== undefined) {
		builtins.lockIndex.resync();
		builtins.uaccess.faulted.clear();
		builtins.uaccess.fixup.clear();
		builtins.setScheduler(undefined);
		builtins.setProcesses(undefined);
		builtins.setConsole(undefined);
		builtins.host.setTaskNaming(id => `swapper/${id}`, id => id);
		builtins.host.setEvents(nullKernelEvents);
	}
}

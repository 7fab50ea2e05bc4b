// Starting a user program as a process (layer: kernel): what execve of the first process does, with
// the KC loader steps of kc/kernel/fs/binfmt_kc.c. The machine creates the task (create_user_process,
// KC), maps each segment of the linked program as a VMA, faults in and fills the pages that hold
// bytes (the page's physical address comes back from the kernel; the bytes are written to RAM as a
// DMA from the "disk" would), drops write permission from text and read-only data, builds the stack
// (argument strings, argv and envp arrays below the thread area at the top), records the layout in
// the mm, and gives the task its CPU thread starting at the C runtime's entry.
//
// User stack layout (top down): [STACK_TOP - 1 KiB, STACK_TOP) thread area (errno, signal frames);
// the argument strings; envp (one NULL) and argv (NULL-terminated) arrays, 16-byte aligned; the first
// frame below. The stack VMA starts at 128 KiB and grows down (VM_GROWSDOWN, 8 MiB limit).

import type { Value } from '../../interp/contracts';
import type { Program } from '../../interp/program';
import { PAGE_SIZE } from '../hw/pageTable';
import { THREAD_AREA_SIZE, type System, type Task } from './system';

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_EXEC = 0x4;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYEXEC = 0x40;
const VM_GROWSDOWN = 0x100;
const VM_ACCOUNT = 0x100000;
const VM_MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

/** TASK_SIZE / STACK_TOP of x86-64 with 4-level paging. */
export const STACK_TOP = 0x7fff_ffff_f000;
/** The initial size of the stack VMA. */
const INITIAL_STACK = 128 * 1024;

/** Options of spawnProcess. */
export interface SpawnOptions {
	/** The user program, linked at the user layout with the machine's user builtins. */
	readonly program: Program;
	readonly argv: readonly string[];
	/** The function the main thread starts in, called (argc, argv, envp). Default `__libc_start_main`. */
	readonly entry?: string;
	/** The task's name (comm), default the basename of argv[0]. */
	readonly comm?: string;
	/** The scheduler's id for the task (a scenario's process name); default its pid. */
	readonly taskId?: string;
}

function pageFloor(address: number): number {
	return Math.floor(address / PAGE_SIZE) * PAGE_SIZE;
}

function pageCeil(address: number): number {
	return Math.ceil(address / PAGE_SIZE) * PAGE_SIZE;
}

/** Loads `options.program` as a new process on `system` and returns its task (runnable). */
export function spawnProcess(system: System, options: SpawnOptions): Task {
	const phys = system.booted.machine.phys;
	const comm = options.comm ?? (options.argv[0] ?? 'a.out').split('/').pop()!.slice(0, 15);
	const call = (name: string, args: readonly Value[]): number => Number(system.callKernel(name, args) ?? 0);
	const check = (what: string, result: number): void => {
		if (result !== 0) throw new Error(`exec: ${what} failed (${result})`);
	};

	const files = call('kc_exec_stdio_files', []);
	const task = call('create_user_process', [0, files]);
	if (task === 0) throw new Error('exec: out of memory creating the process');
	const commBytes = new TextEncoder().encode(comm);
	const commAt = system.data.phys(task + system.data.offset('task_struct', 'comm'));
	if (commAt !== null) phys.write(commAt, commBytes);

	/** Faults the page at `va` in and returns its physical address. */
	const populate = (va: number): number => {
		const pa = call('kc_exec_populate', [task, va]);
		if (pa === 0) throw new Error(`exec: cannot populate ${va.toString(16)}`);
		return pa;
	};
	/** Writes bytes into the process's memory at `va` (pages populated first). */
	const writeUser = (va: number, bytes: Uint8Array): void => {
		let done = 0;
		while (done < bytes.length) {
			const at = va + done;
			const page = pageFloor(at);
			const n = Math.min(bytes.length - done, page + PAGE_SIZE - at);
			phys.write(populate(page) + (at - page), bytes.subarray(done, done + n));
			done += n;
		}
	};

	// Segments.
	let startCode = 0;
	let endCode = 0;
	let startData = 0;
	let endData = 0;
	for (const segment of options.program.image.segments) {
		const start = pageFloor(segment.address);
		const end = pageCeil(segment.address + segment.length);
		const final = (segment.prot.read ? VM_READ : 0) | (segment.prot.write ? VM_WRITE : 0) | (segment.prot.exec ? VM_EXEC : 0) | VM_MAY;
		if (segment.prot.exec) {
			startCode = start;
			endCode = end;
		} else if (segment.prot.write) {
			startData = start;
			endData = end;
		}
		const hasBytes = segment.bytes !== undefined && segment.bytes.some(b => b !== 0);
		check(`mapping ${segment.name}`, call('kc_exec_map', [task, start, end, hasBytes ? final | VM_WRITE : final]));
		if (hasBytes) {
			writeUser(segment.address, segment.bytes!);
			if (!segment.prot.write) check(`protecting ${segment.name}`, call('kc_exec_protect', [task, start, end, final]));
		}
	}

	// Stack: thread area, strings, argv/envp.
	check('mapping the stack', call('kc_exec_map', [task, STACK_TOP - INITIAL_STACK, STACK_TOP, VM_READ | VM_WRITE | VM_MAY | VM_GROWSDOWN | VM_ACCOUNT]));
	const threadArea = STACK_TOP - THREAD_AREA_SIZE;
	writeUser(threadArea, new Uint8Array(THREAD_AREA_SIZE));
	const encoder = new TextEncoder();
	let sp = threadArea;
	const pointers: number[] = [];
	for (const arg of options.argv) {
		const bytes = encoder.encode(arg);
		sp -= bytes.length + 1;
		const withNul = new Uint8Array(bytes.length + 1);
		withNul.set(bytes);
		writeUser(sp, withNul);
		pointers.push(sp);
	}
	sp = Math.floor(sp / 16) * 16;
	const words = pointers.length + 2;
	sp = Math.floor((sp - words * 8) / 16) * 16;
	const argv = sp;
	const table = new Uint8Array(words * 8);
	const view = new DataView(table.buffer);
	pointers.forEach((p, i) => view.setBigUint64(8 * i, BigInt(p), true));
	writeUser(argv, table);
	const envp = argv + 8 * (pointers.length + 1);
	const brk = pageCeil(Math.max(endData, endCode));
	call('kc_exec_layout', [task, startCode, endCode, startData, endData, brk, argv]);

	const pid = system.data.field(task, 'task_struct', 'pid', 4);
	const code = system.codeSpaceFor(options.program);
	const thread = system.newThread(code, options.entry ?? '__libc_start_main', [pointers.length, argv, envp], pid, task, sp);
	if (thread.finished !== null) throw new Error('exec: the entry function cannot start');
	return system.adopt(task, thread, threadArea, options.taskId);
}

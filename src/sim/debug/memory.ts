// Memory as a debugger reads it (layer: sim). Two paths, as on a real system:
// - `ptrace`: a user address of a process is read the way gdb's PEEK reaches it, through the
//   simulated kernel's own access_process_vm (KC, kernel/ptrace.c, called with System.callKernel on
//   a kernel buffer): get_user_pages, or the driver's vm_ops->access for VM_IO/VM_PFNMAP mappings,
//   so the era decides (2.6.18 returns nothing for device mappings, 2.6.27+ asks ->access). The
//   call runs on a copy of the moment: the machine is restored afterwards, so looking never
//   changes what runs next (no page faulted in for good, no refcount left over). A read that would
//   sleep on a lock a stopped task holds says so instead of hanging.
// - `machine`: the machine's truth: a walk of the task's page tables (no side effects) or a
//   physical address, RAM only.
// Memory references are canonical hex addresses, or `phys:0x...` for physical memory.

import { KernelLayout, type Value } from '../../interp/contracts';
import { intToPtr } from '../../interp/values';
import type { Task } from '../../kernel/proc/system';
import type { DebugEngine } from './engine';
import { findVma } from './faultInfo';
import { parseAddress, pointerHex } from './values';

/** A read: the bytes from the start that could be read, how, and why it stopped short. */
export interface MemoryRead {
	readonly bytes: Uint8Array;
	readonly via: 'gup' | 'access' | 'page-tables' | 'physical' | 'none';
	readonly error?: string;
}

/** A parsed memory reference. */
export interface MemoryReference {
	readonly physical: boolean;
	readonly address: number;
}

/** Parses `0x...` (virtual) or `phys:0x...` (physical) plus a byte offset; undefined when malformed. */
export function parseMemoryReference(reference: string, offset = 0): MemoryReference | undefined {
	const physical = reference.startsWith('phys:');
	const address = parseAddress(physical ? reference.slice(5) : reference);
	if (address === undefined || !Number.isSafeInteger(offset)) return undefined;
	return { physical, address: physical ? address + offset : intToPtr(address + offset) };
}

/** Largest read served at once. */
export const MAX_READ = 1 << 20;

/** Reads through the machine: the task's page tables (or physical memory), stopping at the first unreadable byte. */
export function readMachine(engine: DebugEngine, task: Task | undefined, reference: MemoryReference, length: number): MemoryRead {
	const out = new Uint8Array(Math.min(length, MAX_READ));
	const memory = engine.reader.memory;
	const space = engine.spaceOf(task);
	let done = 0;
	while (done < out.length) {
		const at = reference.address + done;
		const n = Math.min(out.length - done, 4096 - (at % 4096));
		try {
			out.set(reference.physical ? memory.readPhys(at, n) : space.read(at, n), done);
		} catch (error) {
			return { bytes: out.subarray(0, done), via: done === 0 ? 'none' : reference.physical ? 'physical' : 'page-tables', error: error instanceof Error ? error.message : String(error) };
		}
		done += n;
	}
	return { bytes: out, via: reference.physical ? 'physical' : 'page-tables' };
}

/** Writes through the machine (RAM behind the task's page tables, or physical RAM). Returns the bytes written. */
export function writeMachine(engine: DebugEngine, task: Task | undefined, reference: MemoryReference, data: Uint8Array): number {
	const space = engine.spaceOf(task);
	const phys = engine.machine.booted.machine.phys;
	let done = 0;
	while (done < data.length) {
		const at = reference.address + done;
		const n = Math.min(data.length - done, 4096 - (at % 4096));
		const chunk = data.subarray(done, done + n);
		if (reference.physical) {
			if (!engine.reader.memory.isRam(at, n)) break;
			const saved = phys.fault;
			phys.write(at, chunk);
			phys.fault = saved;
		} else {
			try {
				space.write(at, chunk);
			} catch {
				break;
			}
		}
		done += n;
	}
	return done;
}

/** The kernel's access_process_vm flags for a read or write (FOLL_FORCE as ptrace passes; 2.6 takes `write`). */
function accessFlags(engine: DebugEngine, write: boolean): Value {
	const fn = engine.machine.booted.kernel!.functionByName('access_process_vm');
	const fifth = fn?.type?.params[4]?.name;
	if (fifth === 'write') return write ? 1 : 0;
	const force = Number(engine.constants.values.get('FOLL_FORCE') ?? 0n);
	const foll = Number(engine.constants.values.get('FOLL_WRITE') ?? 0n);
	return force | (write ? foll : 0);
}

/**
 * Reads (or, with `data`, writes) `length` bytes at user address `address` of `task` through the
 * kernel's access_process_vm. Reads leave the machine as it was; writes are kept (an edit).
 */
export function accessProcessVm(engine: DebugEngine, task: Task, address: number, length: number, data?: Uint8Array): MemoryRead {
	if (address >= KernelLayout.kernelHalf) return { bytes: new Uint8Array(0), via: 'none', error: 'not a user address (use the machine path)' };
	const kernel = engine.machine.booted.kernel!;
	if (kernel.functionByName('access_process_vm') === undefined || kernel.functionByName('kmalloc') === undefined) return { bytes: new Uint8Array(0), via: 'none', error: 'the kernel has no access_process_vm' };
	const system = engine.system;
	const n = Math.min(length, MAX_READ);
	const vma = findVma(engine, task, address);
	const viaDriver = vma !== undefined && vma.flags.some(f => f === 'VM_IO' || f === 'VM_PFNMAP');
	const run = (): MemoryRead => {
		const gfp = Number(engine.constants.values.get('GFP_KERNEL') ?? 0n);
		const buffer = Number(system.callKernel('kmalloc', [Math.max(1, n), gfp]) ?? 0);
		if (buffer === 0) return { bytes: new Uint8Array(0), via: 'none', error: 'kmalloc failed' };
		if (data !== undefined) engine.spaceOf(undefined).write(buffer, data.subarray(0, n));
		const copied = Number(system.callKernel('access_process_vm', [task.address, address, buffer, n, accessFlags(engine, data !== undefined)]) ?? 0);
		const bytes = copied > 0 && data === undefined ? engine.reader.memory.read(buffer, copied) : new Uint8Array(0);
		system.callKernel('kfree', [buffer]);
		const via = copied <= 0 ? 'none' : viaDriver ? 'access' : 'gup';
		if (copied < n) {
			const why = vma === undefined ? 'no VMA contains the address (EIO)'
				: viaDriver && vma.accessHandler === undefined ? `a ${vma.flags.filter(f => f === 'VM_IO' || f === 'VM_PFNMAP').join('|')} mapping whose driver has no vm_ops->access (EIO)`
				: `access_process_vm copied ${copied} of ${n} bytes (EIO)`;
			return { bytes: data === undefined ? bytes : new Uint8Array(copied), via, error: why };
		}
		return { bytes: data === undefined ? bytes : new Uint8Array(copied), via };
	};
	if (data !== undefined) {
		let result: MemoryRead = { bytes: new Uint8Array(0), via: 'none' };
		try {
			engine.edit(`write ${data.length} bytes at ${pointerHex(address)} of ${task.id} (access_process_vm)`, () => {
				result = run();
			});
		} catch (error) {
			return { bytes: new Uint8Array(0), via: 'none', error: blockedMessage(engine, error) };
		}
		return result;
	}
	const snapshot = system.snapshot();
	const round = system.debugState();
	try {
		return run();
	} catch (error) {
		return { bytes: new Uint8Array(0), via: 'none', error: blockedMessage(engine, error) };
	} finally {
		system.restore(snapshot);
		system.debugLoad(round);
	}
}

/** Why a kernel call for the debugger did not finish (a lock a stopped task holds, usually). */
function blockedMessage(engine: DebugEngine, error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	if (!/blocked/.test(text)) return text;
	const holders = engine.machine.booted.locks.table.allLocks().filter(l => l.owner !== null).map(l => `${l.name} (held by ${l.owner})`);
	return `the read would sleep on a lock held by a stopped task${holders.length === 0 ? '' : `: ${holders.slice(0, 4).join(', ')}`}; continue the machine first`;
}

/** Base64 of bytes (no Node Buffer needed by callers). */
export function toBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** Bytes of base64 text. */
export function fromBase64(text: string): Uint8Array {
	return new Uint8Array(Buffer.from(text, 'base64'));
}

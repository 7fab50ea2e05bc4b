// Facts about a page fault for the debugger (layer: sim): the VMA that contains the address (its
// range, VM_* flags, vm_ops and the functions its ->fault and ->access point to) and the PTE as it
// is, read from the kernel's own data with the inspector (no side effects). The engine records them
// when the fault enters the kernel, so the Fault scope can show the PTE *before* the handler ran.

import type { Frame } from '../../interp/thread';
import type { Task } from '../../kernel/proc/system';
import { vmaWalk, type VmaView } from '../../kernel/inspect';
import { pointerHex } from './values';

/** The debugger's summary of a VMA. */
export interface VmaFacts {
	readonly start: number;
	readonly end: number;
	/** `0x...-0x...`. */
	readonly range: string;
	readonly flags: readonly string[];
	readonly ops: number;
	readonly faultHandler?: string;
	readonly accessHandler?: string;
	readonly file: number;
	readonly pgoff: number;
}

/** A page fault as the engine saw it enter the kernel. */
export interface FaultRecord {
	readonly pid: number;
	readonly address: number;
	readonly errorCode: number;
	readonly mode: 'user' | 'kernel';
	readonly access: 'read' | 'write' | 'exec';
	/** The engine's count when it happened. */
	readonly time: number;
	/** The PTE before the handler ran, in words. */
	readonly pteBefore: string;
	/** The task's frames at a kernel-mode fault (an oops replaces them). */
	readonly frames: readonly Frame[] | undefined;
}

/** What the fault helpers need of the engine (kept narrow). */
export interface FaultInfoHost {
	readonly reader: import('../../kernel/inspect').KernelReader;
	readonly system: import('../../kernel/proc/system').System;
}

/** The mm_struct address of a task (0 for kernel threads). */
export function taskMm(host: FaultInfoHost, task: Task): number {
	try {
		return host.reader.object('struct task_struct', task.address).member('mm').pointer();
	} catch {
		return 0;
	}
}

/** Facts about one VMA. */
export function vmaFacts(host: FaultInfoHost, vma: VmaView, task: Task | undefined): VmaFacts {
	let faultHandler: string | undefined;
	let accessHandler: string | undefined;
	if (vma.ops !== 0) {
		try {
			const ops = host.reader.object('struct vm_operations_struct', vma.ops);
			const name = (member: string): string | undefined => {
				if (!ops.hasMember(member)) return undefined;
				const target = ops.member(member).pointer();
				if (target === 0) return undefined;
				const code = task?.thread.code;
				const fn = code?.functionAt(target) ?? host.system.kernelPrograms().map(p => p.functionAt(target)).find(f => f !== undefined);
				return fn?.name ?? pointerHex(target);
			};
			faultHandler = name('fault') ?? name('nopage') ?? name('nopfn');
			accessHandler = name('access');
		} catch {
			faultHandler = undefined;
		}
	}
	return {
		start: vma.start,
		end: vma.end,
		range: `${pointerHex(vma.start)}-${pointerHex(vma.end)}`,
		flags: vma.flagNames,
		ops: vma.ops,
		...(faultHandler === undefined ? {} : { faultHandler }),
		...(accessHandler === undefined ? {} : { accessHandler }),
		file: vma.file,
		pgoff: vma.pgoff,
	};
}

/** The VMA of `task` containing `address`, if any. */
export function findVma(host: FaultInfoHost, task: Task, address: number): VmaFacts | undefined {
	const mm = taskMm(host, task);
	if (mm === 0) return undefined;
	try {
		const vma = vmaWalk(host.reader, mm).vmas.find(v => v.start <= address && address < v.end);
		return vma === undefined ? undefined : vmaFacts(host, vma, task);
	} catch {
		return undefined;
	}
}

/** The leaf page-table entry of `address` in the task's tables, in words. */
export function pteText(host: FaultInfoHost, task: Task, address: number): string {
	const walk = host.system.booted.machine.cpus[0].mmu.probe(address, task.cr3);
	const last = walk.steps[walk.steps.length - 1];
	if (last === undefined) return 'no page tables';
	const entry = last.entry;
	if (entry.raw === 0n) return `none (level-${last.level} entry empty)`;
	const raw = `0x${entry.raw.toString(16)}`;
	if (!entry.present) return `${raw} (not present${last.level > 1 ? ` at level ${last.level}` : ''})`;
	if (!entry.leaf) return `${raw} (table at level ${last.level})`;
	return `${raw} pfn 0x${entry.pfn.toString(16)} [${entry.flags}]`;
}

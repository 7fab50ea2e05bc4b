// Data breakpoints (layer: sim): what a watch looks at and how its value is read without disturbing
// the machine. Three kinds, as issue 5 asks: bytes at a virtual address of a task (through its page
// tables, as the CPU would see them), bytes at a physical address (RAM, VRAM, SPU local store: the
// machine's truth), and the translation of a virtual address (the PTE the MMU would use, ignoring the
// accessed and dirty bits the hardware sets on every use: a "translation" watch fires when the
// mapping changes, i.e. the frame, the present bit or the permissions).
//
// The engine (engine.ts, "Data breakpoints") compares the values after every run chunk and, on a
// change, replays the chunk statement by statement to find the statement that made it.

import type { Task } from '../../kernel/proc/system';
import { pointerHex } from './values';

/** What a data breakpoint watches. */
export type WatchSpec =
	| { readonly kind: 'virtual'; readonly pid: number; readonly address: number; readonly length: number }
	| { readonly kind: 'physical'; readonly address: number; readonly length: number }
	| { readonly kind: 'pte'; readonly pid: number; readonly address: number };

/** A watch's value: `key` compares, `text` shows. */
export interface WatchValue {
	readonly key: string;
	readonly text: string;
}

/** What reading a watch needs from the engine. */
export interface WatchHost {
	task(pid: number): Task | undefined;
	readVirtual(task: Task, address: number, length: number): Uint8Array;
	readPhysical(address: number, length: number): Uint8Array;
	/** The last page-table entry of the walk of `address` in the task's tables, and its level (1: PTE). */
	walk(task: Task, address: number): { readonly raw: bigint; readonly level: number; readonly present: boolean; readonly leaf: boolean; readonly pfn: number } | undefined;
}

/** Longest watched range (a data breakpoint watches a variable, not a buffer). */
export const MAX_WATCH_BYTES = 64;
/** PTE bits the hardware sets on use: not a change of the translation. */
const ACCESSED_DIRTY = (1n << 5n) | (1n << 6n);

function hexBytes(bytes: Uint8Array): string {
	return [...bytes].map(b => b.toString(16).padStart(2, '0')).join(' ');
}

/** The watch in words. */
export function describeWatch(spec: WatchSpec, host: WatchHost): string {
	switch (spec.kind) {
		case 'virtual':
			return `${spec.length} byte${spec.length === 1 ? '' : 's'} at ${pointerHex(spec.address)} of ${host.task(spec.pid)?.id ?? `pid ${spec.pid}`}`;
		case 'physical':
			return `${spec.length} byte${spec.length === 1 ? '' : 's'} at physical ${pointerHex(spec.address)}`;
		case 'pte':
			return `the translation of ${pointerHex(spec.address)} in ${host.task(spec.pid)?.id ?? `pid ${spec.pid}`}`;
	}
}

/** Why a watch cannot be set, or undefined. */
export function watchProblem(spec: WatchSpec, host: WatchHost): string | undefined {
	if (!Number.isSafeInteger(spec.address) || spec.address < 0) return `bad address ${String(spec.address)}`;
	if (spec.kind !== 'pte' && (!Number.isInteger(spec.length) || spec.length < 1 || spec.length > MAX_WATCH_BYTES)) return `a data breakpoint watches 1 to ${MAX_WATCH_BYTES} bytes`;
	if (spec.kind !== 'physical') {
		const task = host.task(spec.pid);
		if (task === undefined || task.state === 'dead') return `no live task ${spec.pid}`;
	}
	if (spec.kind === 'physical') {
		try {
			host.readPhysical(spec.address, spec.length);
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}
	return undefined;
}

/** The watch's current value (never throws: unreadable states are values too). */
export function readWatch(spec: WatchSpec, host: WatchHost): WatchValue {
	if (spec.kind === 'physical') {
		try {
			const text = hexBytes(host.readPhysical(spec.address, spec.length));
			return { key: text, text };
		} catch (error) {
			const text = `<${error instanceof Error ? error.message : String(error)}>`;
			return { key: text, text };
		}
	}
	const task = host.task(spec.pid);
	if (task === undefined || task.state === 'dead') return { key: 'gone', text: '<the task has ended>' };
	if (spec.kind === 'virtual') {
		try {
			const text = hexBytes(host.readVirtual(task, spec.address, spec.length));
			return { key: text, text };
		} catch {
			return { key: 'unmapped', text: '<not mapped>' };
		}
	}
	const entry = host.walk(task, spec.address);
	if (entry === undefined) return { key: 'none', text: 'no page tables' };
	if (entry.raw === 0n) return { key: `empty:${entry.level}`, text: `none (level-${entry.level} entry empty)` };
	const raw = `0x${entry.raw.toString(16)}`;
	if (!entry.present) return { key: `${entry.level}:${entry.raw & ~ACCESSED_DIRTY}`, text: `${raw} (not present)` };
	if (!entry.leaf) return { key: `table:${entry.level}`, text: `${raw} (no PTE yet: table at level ${entry.level})` };
	return { key: `${entry.level}:${entry.raw & ~ACCESSED_DIRTY}`, text: `${raw} pfn 0x${entry.pfn.toString(16)}` };
}

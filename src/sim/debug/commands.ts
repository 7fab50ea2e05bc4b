// Debug-console commands (layer: sim): `maps`, `vtop ADDR`, `pte ADDR`, `page PFN`, `locks`,
// `timeline [N]`, `devices`, `bo`, `spu`, `peek ADDR [LEN]`, `hex on|off`, `help`. They read the
// stopped machine with the kernel inspector; the task is the one selected in the debugger (or
// `pid=N` as last word). Anything else typed in the console is a KC expression (the adapter
// evaluates it). `bo` and `spu` show the GPU buffer objects and SPEs of the machine's device models
// (describe()), so they work as soon as a scenario loads such a driver.

import { PAGE_SIZE } from '../../kernel/hw/pageTable';
import { pageView } from '../../kernel/inspect';
import type { Task } from '../../kernel/proc/system';
import type { DebugEngine } from './engine';
import { accessProcessVm, readMachine } from './memory';
import { parseAddress, pointerHex } from './values';
import { devices, locks, timeline, vmaSummaries } from './views';
import type { InfoNode } from '../../shared/debugProtocol';

/** The commands and their one-line help, for completion. */
export const COMMANDS: readonly { readonly name: string; readonly usage: string; readonly help: string }[] = [
	{ name: 'maps', usage: 'maps [pid=N]', help: 'the VMAs of the process, as /proc/PID/maps with flags and vm_ops' },
	{ name: 'vtop', usage: 'vtop ADDR [pid=N]', help: 'the page-table walk of a virtual address, level by level' },
	{ name: 'pte', usage: 'pte ADDR [pid=N]', help: 'the page-table entry of a virtual address and its struct page' },
	{ name: 'page', usage: 'page PFN', help: 'struct page of a frame: flags, refcount, mapcount, mapping' },
	{ name: 'peek', usage: 'peek ADDR [LEN] [pid=N]', help: 'bytes at a user address through access_process_vm, and as the page tables map them' },
	{ name: 'locks', usage: 'locks', help: 'locks held and waited for, lockdep order, reports' },
	{ name: 'timeline', usage: 'timeline [N]', help: 'the last N memory-management events (default 20)' },
	{ name: 'devices', usage: 'devices', help: 'device models and loaded driver modules' },
	{ name: 'bo', usage: 'bo', help: 'GPU buffer objects of the machine\'s GPU models' },
	{ name: 'spu', usage: 'spu', help: 'SPEs and their contexts of the machine\'s Cell models' },
	{ name: 'hex', usage: 'hex on|off', help: 'show integers in hex in the Variables view' },
	{ name: 'help', usage: 'help', help: 'this list' },
];

/** Result of a console line: text to print, or undefined when the line is not a command. */
export interface CommandResult {
	readonly text: string;
	/** Set by `hex`. */
	readonly hex?: boolean;
}

function hexDump(address: number, bytes: Uint8Array): string {
	const lines: string[] = [];
	for (let i = 0; i < bytes.length; i += 16) {
		const row = bytes.subarray(i, i + 16);
		const hex = [...row].map(b => b.toString(16).padStart(2, '0')).join(' ');
		const text = [...row].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
		lines.push(`${pointerHex(address + i)}  ${hex.padEnd(47)}  ${text}`);
	}
	return lines.join('\n');
}

function tree(nodes: readonly InfoNode[], indent = ''): string {
	return nodes.map(n => `${indent}${n.label}${n.value === undefined ? '' : `: ${n.value}`}${n.description === undefined ? '' : ` (${n.description})`}${n.children === undefined ? '' : `\n${tree(n.children, `${indent}  `)}`}`).join('\n');
}

/** Runs console line `line` for task `task`; undefined when the line is not a command. */
export function runCommand(engine: DebugEngine, line: string, selected: Task | undefined): CommandResult | undefined {
	const words = line.trim().split(/\s+/);
	const name = words[0];
	if (!COMMANDS.some(c => c.name === name)) return undefined;
	let task = selected;
	const last = words[words.length - 1];
	if (words.length > 1 && /^pid=\d+$/.test(last)) {
		task = engine.task(Number(last.slice(4)));
		words.pop();
		if (task === undefined) return { text: `no task ${last.slice(4)}` };
	}
	const needTask = (): Task => {
		if (task === undefined) throw new Error('no task selected (add pid=N)');
		return task;
	};
	const address = (word: string | undefined): number => {
		const a = word === undefined ? undefined : parseAddress(word);
		if (a === undefined) throw new Error(`'${word ?? ''}' is not an address`);
		return a;
	};
	try {
		switch (name) {
			case 'help':
				return { text: COMMANDS.map(c => `${c.usage.padEnd(24)} ${c.help}`).join('\n') + '\nanything else: a KC expression in the selected frame' };
			case 'hex': {
				const on = words[1] !== 'off';
				return { text: `integers shown in ${on ? 'hex' : 'decimal'}`, hex: on };
			}
			case 'maps': {
				const t = needTask();
				const rows = vmaSummaries(engine, t);
				if (rows.length === 0) return { text: `${t.id} has no user address space` };
				return { text: rows.map(v => `${v.start}-${v.end} ${v.perms} ${v.pgoff.toString(16).padStart(8, '0')} ${v.mappedPages === undefined ? '' : `${v.mappedPages}/`}${v.pages} pages ${v.backing} ${v.flags.join('|')}${v.faultHandler === undefined ? '' : ` fault=${v.faultHandler}`}${v.accessHandler === undefined ? '' : ` access=${v.accessHandler}`}`).join('\n') };
			}
			case 'vtop':
			case 'pte': {
				const t = needTask();
				const va = address(words[1]);
				const walk = engine.machine.booted.machine.cpus[0].mmu.probe(va, t.cr3);
				const lines = walk.steps.map(s => `L${s.level} ${s.tableName} @ ${pointerHex(s.entryAddress)} [${s.index}] = 0x${s.entry.raw.toString(16)} ${s.entry.flags}`);
				if (name === 'vtop') {
					lines.push(walk.physicalAddress === null ? `${pointerHex(va)}: not mapped (${walk.stop})` : `${pointerHex(va)} -> physical ${pointerHex(walk.physicalAddress)} (${walk.pageSize} byte page, ${walk.writable ? 'rw' : 'ro'}, ${walk.user ? 'user' : 'kernel'}${walk.nx ? ', nx' : ''})`);
					return { text: lines.join('\n') };
				}
				const leaf = walk.steps[walk.steps.length - 1];
				if (leaf === undefined || !leaf.entry.present) return { text: `${pointerHex(va)}: no present PTE${leaf === undefined ? '' : ` (level ${leaf.level} entry 0x${leaf.entry.raw.toString(16)})`}` };
				const out = [`PTE of ${pointerHex(va)} at physical ${pointerHex(leaf.entryAddress)}: 0x${leaf.entry.raw.toString(16)} pfn 0x${leaf.entry.pfn.toString(16)} [${leaf.entry.flags}]`];
				const region = engine.machine.booted.machine.phys.regionAt(leaf.entry.physicalAddress);
				if (region !== null && region.kind !== 'ram') out.push(`frame in ${region.kind} region ${region.name}${region.owner === undefined ? '' : ` of ${region.owner}`}: no struct page`);
				else if (leaf.entry.special) out.push('special PTE: no struct page is referenced');
				else {
					const page = pageView(engine.reader, leaf.entry.pfn);
					out.push(`struct page: refcount ${page.refcount} mapcount ${page.mapcount} flags ${page.flagNames.join('|') || '0'} mapping ${pointerHex(page.mapping)}`);
				}
				return { text: out.join('\n') };
			}
			case 'page': {
				const pfn = address(words[1]);
				const page = pageView(engine.reader, pfn);
				return { text: `pfn 0x${pfn.toString(16)} (physical ${pointerHex(pfn * PAGE_SIZE)}): flags ${page.flagNames.join('|') || '0'} refcount ${page.refcount} mapcount ${page.mapcount} mapping ${pointerHex(page.mapping)} index ${String(page.index)} private ${String(page.private)}` };
			}
			case 'peek': {
				const t = needTask();
				const va = address(words[1]);
				const length = Math.min(Number(words[2] ?? '16') || 16, 4096);
				const ptrace = accessProcessVm(engine, t, va, length);
				const machine = readMachine(engine, t, { physical: false, address: va }, length);
				return {
					text: [
						`access_process_vm (${ptrace.via}): ${ptrace.bytes.length} of ${length} bytes${ptrace.error === undefined ? '' : ` — ${ptrace.error}`}`,
						hexDump(va, ptrace.bytes),
						`machine (page tables): ${machine.bytes.length} of ${length} bytes${machine.error === undefined ? '' : ` — ${machine.error}`}`,
						hexDump(va, machine.bytes),
					].filter(l => l !== '').join('\n'),
				};
			}
			case 'locks': {
				const view = locks(engine);
				const held = view.locks.map(l => `${l.name} (${l.kind}) held by ${l.holders.join(', ') || 'nobody'}${l.waiters.length === 0 ? '' : `, waited for by ${l.waiters.join(', ')}`}`);
				return { text: [...(held.length === 0 ? ['no lock is held or waited for'] : held), `${view.order.length} lock-order edges`, ...view.reports.map(r => `${r.kind}: ${r.title}`)].join('\n') };
			}
			case 'timeline': {
				const n = Math.max(1, Math.min(Number(words[1] ?? '20') || 20, 1000));
				const all = timeline(engine, { start: 0, count: 1 }).total;
				const events = timeline(engine, { start: Math.max(0, all - n), count: n }).events;
				return { text: events.map(e => `#${e.id} t=${e.time} ${e.kind}${e.task === undefined ? '' : ` ${e.task}`}: ${e.text}`).join('\n') || 'no events yet' };
			}
			case 'devices':
			case 'bo':
			case 'spu': {
				const all = devices(engine).devices;
				const wanted = name === 'devices' ? all : all.filter(d => (name === 'bo' ? /gpu|ttm|drm|bo/i : /spe|spu|cell/i).test(`${d.label} ${d.description ?? ''}`));
				if (wanted.length === 0) return { text: name === 'devices' ? 'no device models and no driver modules in this machine' : `this machine has no ${name === 'bo' ? 'GPU (no buffer objects)' : 'Cell SPEs'}: the scenario loads no such driver` };
				return { text: tree(wanted) };
			}
		}
	} catch (error) {
		return { text: `${name}: ${error instanceof Error ? error.message : String(error)}` };
	}
	return undefined;
}

/** Completions of a console line at `column` (1-based): command names, then `pid=`. */
export function completions(line: string, column: number): { readonly label: string; readonly detail: string }[] {
	const prefix = line.slice(0, Math.max(0, column - 1));
	if (/\s/.test(prefix.trim())) return [];
	return COMMANDS.filter(c => c.name.startsWith(prefix.trim())).map(c => ({ label: c.name, detail: c.help }));
}

/** The hex dump used by `peek` (exported for tests). */
export { hexDump };

// Unit tests of the MMU and TLB (layer: kernel, hardware): walks over hand-built page tables in
// simulated RAM (4 KiB, 2 MiB and 1 GiB pages), accessed/dirty bits, every page-fault error code,
// user/kernel permissions, and the TLB's stale translations, flushes and global entries.

import assert from 'node:assert/strict';
import { Mmu, X86_PF_INSTR, X86_PF_PROT, X86_PF_RSVD, X86_PF_USER, X86_PF_WRITE, type PageFault } from '../../../../src/kernel/hw/mmu';
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_RW, _PAGE_USER, decodePte } from '../../../../src/kernel/hw/pageTable';
import { PhysicalMemory } from '../../../../src/kernel/hw/physMem';
import type { TlbEvent } from '../../../../src/kernel/hw/tlb';
import { TableBuilder } from './tables';

const MiB = 1024 * 1024;
const USER_VA = 0x400000;
const DIRECT_MAP = 0x888000000000;

function setup(options: ConstructorParameters<typeof Mmu>[1] = {}): { phys: PhysicalMemory; mmu: Mmu; tables: TableBuilder } {
	const phys = new PhysicalMemory([
		{ base: 0, size: 64 * MiB, kind: 'ram', name: 'System RAM' },
		{ base: 0xfe000000, size: 4096, kind: 'hole', name: 'hole' },
	]);
	const tables = new TableBuilder(phys, 1 * MiB);
	const mmu = new Mmu(phys, options);
	mmu.setCr3(tables.root);
	return { phys, mmu, tables };
}

function faultOf(mmu: Mmu): PageFault {
	const f = mmu.fault as PageFault;
	assert.ok(f !== null, 'expected a fault');
	return f;
}

describe('kernel/hw/mmu', () => {
	describe('page walk', () => {
		it('translates through 4 KiB pages and sets ACCESSED on every level, DIRTY on writes', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, writable: true, user: true });
			assert.equal(mmu.translate(USER_VA + 0x123, 'read', 'user'), 0x200123);
			for (const level of [4, 3, 2, 1] as const) assert.ok((tables.read(USER_VA, level) & BigInt(_PAGE_ACCESSED)) !== 0n, `A at level ${level}`);
			assert.equal(tables.read(USER_VA) & BigInt(_PAGE_DIRTY), 0n);
			assert.equal(mmu.translate(USER_VA + 8, 'write', 'user'), 0x200008);
			assert.ok((tables.read(USER_VA) & BigInt(_PAGE_DIRTY)) !== 0n);
			// DIRTY goes in the leaf only.
			assert.equal(tables.read(USER_VA, 2) & BigInt(_PAGE_DIRTY), 0n);
			assert.equal(mmu.lastCacheMode(), 'WB');
		});

		it('translates 2 MiB and 1 GiB pages (a kernel direct map) and sets their bits in the large entry', () => {
			const { mmu, tables } = setup();
			tables.map(DIRECT_MAP, { physicalAddress: 0, writable: true, nx: true, global: true }, 2);
			tables.map(DIRECT_MAP + 0x40000000, { physicalAddress: 0x40000000, writable: true }, 3);
			assert.equal(mmu.translate(DIRECT_MAP + 0x123456, 'read', 'kernel'), 0x123456);
			assert.equal(mmu.translate(DIRECT_MAP + 0x1fffff, 'write', 'kernel'), 0x1fffff);
			const pmd = decodePte(tables.read(DIRECT_MAP, 2), 2);
			assert.ok(pmd.accessed && pmd.dirty && pmd.large);
			assert.equal(mmu.translate(DIRECT_MAP + 0x40000000 + 0x3456789, 'read', 'kernel'), 0x43456789);
			const entry = mmu.tlb.find(DIRECT_MAP + 0x123456);
			assert.equal(entry?.pageSize, 2 * MiB);
			assert.equal(entry?.global, true);
			assert.equal(entry?.nx, true);
		});

		it('reads the cache mode from PWT/PCD/PAT under the MMU’s PAT', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true, cacheMode: 'WC' });
			tables.map(USER_VA + 0x1000, { physicalAddress: 0x201000, user: true, cacheMode: 'UC' });
			mmu.translate(USER_VA, 'read', 'user');
			assert.equal(mmu.lastCacheMode(), 'WC');
			mmu.translate(USER_VA + 0x1000, 'read', 'user');
			assert.equal(mmu.lastCacheMode(), 'UC');
		});

		it('reports a walk into a hole as a bus error', () => {
			const { mmu } = setup();
			mmu.setCr3(0xfe000000);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), -1);
			assert.equal(mmu.fault?.reason, 'bus');
			assert.equal(mmu.fault?.address, USER_VA);
		});

		it('shows a walk step by step without side effects (probe)', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true });
			const trace = mmu.probe(USER_VA + 5);
			assert.equal(trace.physicalAddress, 0x200005);
			assert.deepEqual(trace.steps.map((s) => s.level), [4, 3, 2, 1]);
			assert.equal(trace.steps[0].tableAddress, tables.root);
			assert.equal(trace.writable, false);
			assert.equal(trace.user, true);
			assert.equal(tables.read(USER_VA) & BigInt(_PAGE_ACCESSED), 0n, 'probe sets no ACCESSED bit');
			assert.equal(mmu.tlb.size(), 0, 'probe fills no TLB entry');
			const missing = mmu.probe(0x700000000000);
			assert.equal(missing.stop, 'not-present');
			assert.equal(missing.steps.length, 1);
		});
	});

	describe('page faults', () => {
		const cases: { name: string; access: 'read' | 'write' | 'exec'; mode: 'user' | 'kernel'; map?: Parameters<TableBuilder['map']>[1]; code: number; reason: 'not-present' | 'protection' }[] = [
			{ name: 'user read, not present', access: 'read', mode: 'user', code: X86_PF_USER, reason: 'not-present' },
			{ name: 'kernel write, not present', access: 'write', mode: 'kernel', code: X86_PF_WRITE, reason: 'not-present' },
			{ name: 'kernel fetch, not present', access: 'exec', mode: 'kernel', code: X86_PF_INSTR, reason: 'not-present' },
			{ name: 'user read of a kernel page', access: 'read', mode: 'user', map: { physicalAddress: 0x200000 }, code: X86_PF_PROT | X86_PF_USER, reason: 'protection' },
			{ name: 'user write to a read-only page', access: 'write', mode: 'user', map: { physicalAddress: 0x200000, user: true }, code: X86_PF_PROT | X86_PF_WRITE | X86_PF_USER, reason: 'protection' },
			{ name: 'kernel write to a read-only page (CR0.WP)', access: 'write', mode: 'kernel', map: { physicalAddress: 0x200000, user: true }, code: X86_PF_PROT | X86_PF_WRITE, reason: 'protection' },
			{ name: 'user fetch from an NX page', access: 'exec', mode: 'user', map: { physicalAddress: 0x200000, user: true, nx: true }, code: X86_PF_PROT | X86_PF_USER | X86_PF_INSTR, reason: 'protection' },
			{ name: 'kernel fetch from an NX page', access: 'exec', mode: 'kernel', map: { physicalAddress: 0x200000, nx: true }, code: X86_PF_PROT | X86_PF_INSTR, reason: 'protection' },
		];
		for (const c of cases) {
			it(`${c.name}: error code 0x${c.code.toString(16)}`, () => {
				const { mmu, tables } = setup();
				if (c.map !== undefined) tables.map(USER_VA, c.map);
				assert.equal(mmu.translate(USER_VA + 0x10, c.access, c.mode), -1);
				const f = faultOf(mmu);
				assert.equal(f.errorCode, c.code);
				assert.equal(f.reason, c.reason);
				assert.equal(f.access, c.access);
				assert.equal(f.address, USER_VA + 0x10);
				assert.equal(mmu.cr2, USER_VA + 0x10);
			});
		}

		it('sets RSVD (with P) for reserved bits: above MAXPHYADDR, PSE in a PML4 entry, inside a large page address', () => {
			const { mmu, tables } = setup();
			tables.write(USER_VA, 0x0000400000200005n);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_RSVD | X86_PF_USER);
			assert.equal(faultOf(mmu).level, 1);
			tables.write(DIRECT_MAP, 0x00202083n, 2);
			assert.equal(mmu.translate(DIRECT_MAP, 'write', 'kernel'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_RSVD | X86_PF_WRITE);
			assert.equal(faultOf(mmu).level, 2);
			tables.update(0x10000000000, _PAGE_USER, 0, 3);
			tables.update(0x10000000000, 0x80, 0, 4);
			assert.equal(mmu.translate(0x10000000000, 'read', 'kernel'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_RSVD);
			assert.equal(faultOf(mmu).level, 4);
		});

		it('requires US and RW at every level', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true, writable: true });
			tables.update(USER_VA, 0, _PAGE_USER, 3);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_USER);
			tables.update(USER_VA, _PAGE_USER, _PAGE_RW, 3);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000);
			mmu.flushAll();
			assert.equal(mmu.translate(USER_VA, 'write', 'user'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_WRITE | X86_PF_USER);
		});

		it('leaves ACCESSED clear in a leaf whose access was refused', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000 });
			mmu.translate(USER_VA, 'read', 'user');
			assert.equal(tables.read(USER_VA) & BigInt(_PAGE_ACCESSED), 0n);
			assert.ok((tables.read(USER_VA, 2) & BigInt(_PAGE_ACCESSED)) !== 0n);
		});

		it('applies SMEP and SMAP, with EFLAGS.AC opening user pages to the kernel', () => {
			const { mmu, tables } = setup({ smep: true, smap: true });
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true, writable: true });
			assert.equal(mmu.translate(USER_VA, 'exec', 'kernel'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT | X86_PF_INSTR);
			assert.equal(mmu.translate(USER_VA, 'read', 'kernel'), -1);
			assert.equal(faultOf(mmu).errorCode, X86_PF_PROT);
			mmu.ac = true;
			assert.equal(mmu.translate(USER_VA, 'write', 'kernel'), 0x200000);
			mmu.ac = false;
			assert.equal(mmu.translate(USER_VA, 'read', 'kernel'), -1, 'the TLB entry is checked against AC again');
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000);
		});
	});

	describe('TLB', () => {
		it('keeps translating to the old frame after a PTE change without a flush, and to the new one after invlpg', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true, writable: true });
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000);
			tables.map(USER_VA, { physicalAddress: 0x300000, user: true, writable: true });
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000, 'stale');
			mmu.invlpg(USER_VA + 0x800);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x300000);
			// Cleared PTE, no flush: still translates.
			tables.write(USER_VA, 0);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x300000);
			mmu.invlpg(USER_VA);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), -1);
		});

		it('keeps GLOBAL entries across CR3 writes and drops them on a full flush', () => {
			const { mmu, tables } = setup();
			tables.map(DIRECT_MAP, { physicalAddress: 0x200000, writable: true, global: true });
			tables.map(USER_VA, { physicalAddress: 0x210000, user: true });
			mmu.translate(DIRECT_MAP, 'read', 'kernel');
			mmu.translate(USER_VA, 'read', 'user');
			tables.map(DIRECT_MAP, { physicalAddress: 0x300000, writable: true, global: true });
			tables.map(USER_VA, { physicalAddress: 0x310000, user: true });
			mmu.setCr3(tables.root);
			assert.equal(mmu.translate(DIRECT_MAP, 'read', 'kernel'), 0x200000, 'global survives');
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x310000, 'non-global re-walked');
			mmu.flushAll();
			assert.equal(mmu.translate(DIRECT_MAP, 'read', 'kernel'), 0x200000);
			mmu.flushAllIncludingGlobal();
			assert.equal(mmu.translate(DIRECT_MAP, 'read', 'kernel'), 0x300000);
			// Without CR4.PGE a CR3 write drops global entries too.
			const other = setup({ pge: false });
			other.tables.map(DIRECT_MAP, { physicalAddress: 0x200000, global: true });
			other.mmu.translate(DIRECT_MAP, 'read', 'kernel');
			other.mmu.setCr3(other.tables.root);
			assert.equal(other.mmu.tlb.size(), 0);
		});

		it('re-walks a write through a clean entry to set DIRTY, seeing a changed PTE', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true, writable: true });
			mmu.translate(USER_VA, 'read', 'user');
			assert.equal(tables.read(USER_VA) & BigInt(_PAGE_DIRTY), 0n);
			tables.map(USER_VA, { physicalAddress: 0x300000, user: true, writable: true });
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000);
			assert.equal(mmu.translate(USER_VA, 'write', 'user'), 0x300000);
			assert.ok((tables.read(USER_VA) & BigInt(_PAGE_DIRTY)) !== 0n);
			// Once DIRTY is cached, writes hit the TLB even if the PTE's D bit is cleared behind its back.
			tables.update(USER_VA, 0, _PAGE_DIRTY);
			assert.equal(mmu.translate(USER_VA, 'write', 'user'), 0x300000);
			assert.equal(tables.read(USER_VA) & BigInt(_PAGE_DIRTY), 0n);
		});

		it('forgets the faulting page’s entry on a page fault (spurious faults after a permission upgrade)', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true });
			mmu.translate(USER_VA, 'read', 'user');
			tables.update(USER_VA, _PAGE_RW);
			assert.equal(mmu.translate(USER_VA, 'write', 'user'), -1, 'stale read-only entry faults');
			assert.equal(faultOf(mmu).reason, 'protection');
			assert.equal(mmu.translate(USER_VA, 'write', 'user'), 0x200000, 'the retry re-walks');
		});

		it('invalidates every 4 KiB piece of a large page on invlpg of any address in it', () => {
			const { mmu, tables } = setup();
			tables.map(DIRECT_MAP, { physicalAddress: 0x200000, writable: true }, 2);
			mmu.translate(DIRECT_MAP + 0x1000, 'read', 'kernel');
			mmu.translate(DIRECT_MAP + 0x5000, 'read', 'kernel');
			assert.ok(mmu.tlb.entries().some((e) => e.fractured));
			tables.map(DIRECT_MAP, { physicalAddress: 0x400000, writable: true }, 2);
			assert.equal(mmu.translate(DIRECT_MAP + 0x5000, 'read', 'kernel'), 0x205000);
			mmu.invlpg(DIRECT_MAP + 0x9000);
			assert.equal(mmu.translate(DIRECT_MAP + 0x1000, 'read', 'kernel'), 0x401000);
			assert.equal(mmu.translate(DIRECT_MAP + 0x5000, 'read', 'kernel'), 0x405000);
		});

		it('replaces entries round-robin when a set is full (and the evicted page re-walks)', () => {
			const { mmu, tables } = setup({ tlb: { sets: 1, ways: 2 } });
			for (let i = 0; i < 3; i++) tables.map(USER_VA + i * 0x1000, { physicalAddress: 0x200000 + i * 0x1000, user: true });
			mmu.translate(USER_VA, 'read', 'user');
			tables.map(USER_VA, { physicalAddress: 0x300000, user: true });
			mmu.translate(USER_VA + 0x1000, 'read', 'user');
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000, 'still cached');
			mmu.translate(USER_VA + 0x2000, 'read', 'user');
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x300000, 'evicted, re-walked');
			assert.equal(mmu.tlb.size(), 2);
		});

		it('reports fills, evictions and flushes to its event hook', () => {
			const { mmu, tables } = setup({ tlb: { sets: 1, ways: 1 } });
			const events: TlbEvent[] = [];
			mmu.tlb.onEvent = (e) => events.push(e);
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true });
			tables.map(USER_VA + 0x1000, { physicalAddress: 0x201000, user: true });
			mmu.translate(USER_VA, 'read', 'user');
			mmu.translate(USER_VA + 0x1000, 'read', 'user');
			mmu.invlpg(USER_VA + 0x1000);
			mmu.setCr3(tables.root);
			assert.deepEqual(events.map((e) => e.kind === 'flush' ? `flush ${e.scope} ${e.cause} ${e.dropped}` : `${e.kind} ${e.entry.va.toString(16)}`), [
				'fill 400000',
				'evict 400000',
				'fill 401000',
				'flush page invlpg 1',
				'flush non-global cr3 0',
			]);
		});

		it('restores TLB contents, stale entries included, with the MMU registers', () => {
			const { mmu, tables } = setup();
			tables.map(USER_VA, { physicalAddress: 0x200000, user: true });
			mmu.translate(USER_VA, 'read', 'user');
			tables.map(USER_VA, { physicalAddress: 0x300000, user: true });
			const s = mmu.snapshot();
			mmu.invlpg(USER_VA);
			mmu.cr2 = 5;
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x300000);
			mmu.restore(s);
			assert.equal(mmu.translate(USER_VA, 'read', 'user'), 0x200000, 'stale again');
			assert.equal(mmu.cr2, 0);
		});
	});
});

// A per-CPU MMU: CR3, the x86-64 4-level page walk over tables in simulated physical memory, the
// accessed/dirty bits, permission checks, page faults as values, and the CPU's TLB (layer: kernel,
// hardware).
//
// ## Translation
// A translation first looks in the TLB. On a miss the MMU walks PML4 -> PDPT -> PD -> PT reading
// the entries from physical memory (2 MiB pages via PSE in a PD entry, 1 GiB pages via PSE in a PDPT
// entry), checks reserved bits and permissions, sets ACCESSED in every entry it used (and DIRTY in the
// leaf on a write) and fills the TLB. A write through a TLB entry whose DIRTY bit is clear re-walks,
// as hardware does, so DIRTY gets set in memory (and a PTE changed meanwhile is seen).
// Policy where the SDM leaves room: ACCESSED is set in each non-leaf entry as the walk passes it, and
// in the leaf only when the access is allowed. Not-present entries are never cached.
//
// ## Permissions (CR0.WP = 1, EFER.NXE = 1)
// - user mode: every level must have US; a write needs RW at every level; a fetch needs NX clear.
// - kernel mode: a write needs RW at every level (WP=1: supervisor writes to read-only pages fault
//   too); a fetch needs NX clear; with SMEP, no fetch from a user page; with SMAP (and EFLAGS.AC
//   clear), no data access to a user page. SMEP and SMAP are off by default (pre-3.x kernels).
//
// ## Faults
// A fault is a value (`PageFault`): the x86 error code (P, W/R, U/S, RSVD, I/D), the faulting
// virtual address (also left in `cr2`), and a reason for the CPU contract ('not-present' when P=0,
// else 'protection'). As on x86, a page fault invalidates the TLB entries for the faulting page
// (Linux relies on it for lazy permission upgrades). A page-table entry that cannot be read
// (nothing at its physical address) gives a BusFault instead.

import type { AccessKind, MemoryFault } from '../../interp/contracts';
import type { CpuCache } from './cache';
import * as pageTable from './pageTable';
import type { CacheMode, DecodedPte, PagingLevel } from './pageTable';
import * as physMem from './physMem';
import type { BusFault, PhysicalMemory } from './physMem';
import { Tlb, type TlbEntryView, type TlbOptions } from './tlb';
import * as tlbModule from './tlb';

// Imported bindings compile to getter calls under CommonJS (tsx, mocha), which V8 does not always
// inline: the hot paths use module-local copies.
const {
	CACHE_MODES, LINUX_PAT, PMD_LARGE_RESERVED_MASK, PTE_HI_ADDRESS_MASK, PTE_HI_NX, PTE_HI_RESERVED_MASK, PUD_LARGE_RESERVED_MASK,
	_PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_GLOBAL, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW, _PAGE_USER,
	decodePte, patSlot, tableIndex, levelSpan, LEVEL_NAMES,
} = pageTable;
const { FRAME_SIZE, PAGE_DEVICE, PAGE_RAM, PAGE_ROM, PHYS_ADDRESS_LIMIT } = physMem;
const { TLB_D, TLB_G, TLB_LEVEL_SHIFT, TLB_MODE_SHIFT, TLB_NX, TLB_U, TLB_W, tlbCacheMode, tlbLevel } = tlbModule;

/** Privilege of an access: CPL 3 or CPL 0. */
export type CpuMode = 'user' | 'kernel';

/** Page-fault error code bits (Linux `enum x86_pf_error_code`). */
export const X86_PF_PROT = 1;
export const X86_PF_WRITE = 2;
export const X86_PF_USER = 4;
export const X86_PF_RSVD = 8;
export const X86_PF_INSTR = 16;

/** A page fault: the access had no effect. `address` is the faulting virtual address (CR2). */
export interface PageFault extends MemoryFault {
	readonly reason: 'not-present' | 'protection';
	/** The x86 page-fault error code (X86_PF_*). */
	readonly errorCode: number;
	/** Paging level whose entry decided the fault (4 = PML4 ... 1 = PT). */
	readonly level: PagingLevel;
}

/** Any fault the CPU's memory bus reports. */
export type HardwareFault = PageFault | BusFault;

/** Access codes of the hot path. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;

/** Control-register and feature settings of one MMU. */
export interface MmuOptions {
	/** The PAT MSR (8 cache modes). Default: Linux 4.2+. */
	readonly pat?: readonly CacheMode[];
	/** CR4.PGE: honour GLOBAL entries across CR3 writes. Default true. */
	readonly pge?: boolean;
	/** CR4.SMEP / CR4.SMAP. Default false. */
	readonly smep?: boolean;
	readonly smap?: boolean;
	readonly tlb?: TlbOptions;
}

/** One level of a walk, for views (`vtop`, page-table panels). */
export interface WalkStep {
	readonly level: PagingLevel;
	readonly tableName: string;
	/** Physical address of the table, the entry's index in it, and the entry's own physical address. */
	readonly tableAddress: number;
	readonly index: number;
	readonly entryAddress: number;
	readonly entry: DecodedPte;
}

/** What the page tables in memory say about a virtual address (no side effects). */
export interface WalkTrace {
	readonly va: number;
	readonly steps: readonly WalkStep[];
	/** The physical address `va` translates to, or null when the walk stops at a not-present or bad entry. */
	readonly physicalAddress: number | null;
	readonly pageSize: number;
	/** Effective permissions over all levels (meaningful when physicalAddress is not null). */
	readonly writable: boolean;
	readonly user: boolean;
	readonly nx: boolean;
	readonly cacheMode: CacheMode | null;
	/** Why the walk stopped early: 'not-present', 'reserved' or 'bus'; null when it reached a page. */
	readonly stop: 'not-present' | 'reserved' | 'bus' | null;
}

/** Opaque captured MMU state (registers and TLB). */
export interface MmuSnapshot {
	readonly __mmuSnapshot: true;
}

class MmuSnapshotImpl implements MmuSnapshot {
	readonly __mmuSnapshot = true as const;
	constructor(
		readonly owner: Mmu,
		readonly cr3: number,
		readonly cr2: number,
		readonly ac: boolean,
		readonly smep: boolean,
		readonly smap: boolean,
		readonly pge: boolean,
		readonly pat: readonly CacheMode[],
		readonly tlb: ReturnType<Tlb['snapshot']>,
		readonly fault: HardwareFault | null,
	) {}
}

const ACCESS_NAMES: readonly AccessKind[] = ['read', 'write', 'exec'];
const TWO32 = 4294967296;

/** The MMU of one CPU. See the file header. */
export class Mmu {
	readonly tlb: Tlb;

	/** CR2: the address of the last page fault. */
	cr2 = 0;
	/** SMAP is on and EFLAGS.AC clear: kernel data accesses to user pages fault. Derived; read by the CPU bus's hit path. */
	kernelUserDataDenied = false;
	/** Hardware-internal: runs when a control bit that decides permissions (AC, SMEP, SMAP) changes. */
	onControlChange: (() => void) | null = null;
	/** CR4.PGE. */
	pge: boolean;
	private acFlag = false;
	private smepFlag: boolean;
	private smapFlag: boolean;

	/** The fault of the last failed translation (set by translate, never cleared by the MMU). */
	fault: HardwareFault | null = null;
	/** TLB bits of the last successful translation (cache mode, level, permissions). */
	lastBits = 0;

	private cr3Value = 0;
	/** PAT slot -> cache-mode index. */
	private readonly patModes = new Uint8Array(8);
	private patList: readonly CacheMode[] = LINUX_PAT;

	// Entry halves of the last readEntry.
	private entryLo = 0;
	private entryHi = 0;

	constructor(
		readonly phys: PhysicalMemory,
		options: MmuOptions = {},
		private readonly cache: CpuCache | null = null,
	) {
		this.tlb = new Tlb(options.tlb);
		this.pge = options.pge ?? true;
		this.smepFlag = options.smep ?? false;
		this.smapFlag = options.smap ?? false;
		this.kernelUserDataDenied = this.smapFlag;
		this.pat = options.pat ?? LINUX_PAT;
	}

	// ---- Registers -------------------------------------------------------------------------------

	/** CR3: physical address of the PML4 (frame-aligned). */
	get cr3(): number {
		return this.cr3Value;
	}

	/**
	 * MOV to CR3: switches page tables and flushes the TLB's non-global entries (all entries when
	 * CR4.PGE is clear). The low 12 bits (PWT/PCD, no PCID here) and bits above MAXPHYADDR are ignored.
	 */
	setCr3(value: number): void {
		const pa = Math.floor(value / FRAME_SIZE) * FRAME_SIZE;
		this.cr3Value = pa % PHYS_ADDRESS_LIMIT;
		if (this.pge) this.tlb.flushNonGlobal('cr3');
		else this.tlb.flushAll('cr3');
	}

	/** EFLAGS.AC: with SMAP, lets the kernel touch user pages (`stac`/`clac`). */
	get ac(): boolean {
		return this.acFlag;
	}

	set ac(value: boolean) {
		if (value === this.acFlag) return;
		this.acFlag = value;
		this.controlChanged();
	}

	/** CR4.SMEP: the kernel may not fetch from user pages. */
	get smep(): boolean {
		return this.smepFlag;
	}

	set smep(value: boolean) {
		this.smepFlag = value;
		this.controlChanged();
	}

	/** CR4.SMAP: the kernel may not read or write user pages unless EFLAGS.AC is set. */
	get smap(): boolean {
		return this.smapFlag;
	}

	set smap(value: boolean) {
		this.smapFlag = value;
		this.controlChanged();
	}

	private controlChanged(): void {
		this.kernelUserDataDenied = this.smapFlag && !this.acFlag;
		if (this.onControlChange !== null) this.onControlChange();
	}

	/** The PAT MSR. Setting it flushes the TLB (as Linux does with wbinvd + TLB flush). */
	get pat(): readonly CacheMode[] {
		return this.patList;
	}

	set pat(modes: readonly CacheMode[]) {
		if (modes.length !== 8) throw new RangeError('Mmu.pat: the PAT has 8 entries');
		this.patList = Object.freeze([...modes]);
		for (let i = 0; i < 8; i++) this.patModes[i] = CACHE_MODES.indexOf(modes[i]);
		this.tlb.flushAll('flush');
	}

	// ---- TLB maintenance -------------------------------------------------------------------------

	/** Flushes every non-global TLB entry (what a CR3 write without PCID does). */
	flushAll(): void {
		this.tlb.flushNonGlobal('flush');
	}

	/** Flushes every TLB entry, global ones too (CR4.PGE toggle). */
	flushAllIncludingGlobal(): void {
		this.tlb.flushAll('flush');
	}

	/** The TLB's entries, for views. */
	tlbEntries(): TlbEntryView[] {
		return this.tlb.entries();
	}

	/** INVLPG: drops the TLB entries of the page containing `va`. */
	invlpg(va: number): void {
		this.tlb.invalidatePage(Math.floor(va / FRAME_SIZE), 'invlpg');
	}

	// ---- Translation -----------------------------------------------------------------------------

	/**
	 * Translates virtual address `va` for an access of `access` kind in `mode`. Returns the physical
	 * address, or -1 with `fault` set (and `cr2` for a page fault).
	 */
	translate(va: number, access: AccessKind, mode: CpuMode): number {
		return this.translateCode(va, access === 'read' ? ACCESS_READ : access === 'write' ? ACCESS_WRITE : ACCESS_EXEC, mode === 'user');
	}

	/** translate() with numeric access code (ACCESS_*) and a user flag: the CPU bus's entry point. `va` must be an integer in [0, 2^48). */
	translateCode(va: number, code: number, user: boolean): number {
		const vpn = Math.floor(va / FRAME_SIZE);
		const tlb = this.tlb;
		// Tlb.lookup, inlined: calls with a non-Smi argument box it.
		const vpns = tlb.vpn;
		let index = (vpn & tlb.setMask) * tlb.ways;
		const end = index + tlb.ways;
		while (index < end && vpns[index] !== vpn) index++;
		if (index === end) index = tlb.lookupLarge(vpn);
		if (index >= 0) {
			const bits = tlb.bits[index];
			const denied = this.denied(bits, code, user);
			if (denied === 0) {
				if (code !== ACCESS_WRITE || (bits & TLB_D) !== 0) {
					this.lastBits = bits;
					return tlb.pfn[index] * FRAME_SIZE + (va - vpn * FRAME_SIZE);
				}
				// A write through a clean entry: re-walk to set DIRTY (the walk refills this entry).
			} else {
				const level = (tlbLevel(bits) + 1) as PagingLevel;
				return this.pageFault(va, code, user, X86_PF_PROT, level, denied === 2 ? 'write to a read-only page (TLB entry)' : 'the TLB entry forbids the access');
			}
		}
		return this.walk(va, vpn, code, user);
	}

	/** 0 when TLB/entry bits allow the access, else 1 (a reason other than a read-only write) or 2 (a write to a read-only page). */
	private denied(bits: number, code: number, user: boolean): number {
		const userPage = (bits & TLB_U) !== 0;
		if (user) {
			if (!userPage) return 1;
		} else if (userPage) {
			if (code === ACCESS_EXEC ? this.smepFlag : this.smapFlag && !this.acFlag) return 1;
		}
		if (code === ACCESS_WRITE) return (bits & TLB_W) !== 0 ? 0 : 2;
		if (code === ACCESS_EXEC) return (bits & TLB_NX) !== 0 ? 1 : 0;
		return 0;
	}

	/** The hardware page walk; fills the TLB. Returns the physical address or -1 (fault set). */
	private walk(va: number, vpn: number, code: number, user: boolean): number {
		let table = this.cr3Value;
		let rw = TLB_W;
		let us = TLB_U;
		let nx = 0;
		let level: PagingLevel = 4;
		let lo = 0;
		let hi = 0;
		let entryPa = 0;
		for (;;) {
			entryPa = table + tableIndex(va, level) * 8;
			if (!this.readEntry(entryPa, va, code)) return -1;
			lo = this.entryLo;
			hi = this.entryHi;
			if ((lo & _PAGE_PRESENT) === 0) {
				return this.pageFault(va, code, user, 0, level, `not-present entry in ${LEVEL_NAMES[level]}`);
			}
			const large = (lo & _PAGE_PSE) !== 0;
			if ((hi & PTE_HI_RESERVED_MASK) !== 0 || (large && (level === 4 || (level === 3 ? (lo & PUD_LARGE_RESERVED_MASK) !== 0 : level === 2 && (lo & PMD_LARGE_RESERVED_MASK) !== 0)))) {
				return this.pageFault(va, code, user, X86_PF_PROT | X86_PF_RSVD, level, `reserved bit set in ${LEVEL_NAMES[level]} entry`);
			}
			if ((lo & _PAGE_RW) === 0) rw = 0;
			if ((lo & _PAGE_USER) === 0) us = 0;
			if ((hi & PTE_HI_NX) !== 0) nx = TLB_NX;
			if (level === 1 || large) break;
			if ((lo & _PAGE_ACCESSED) === 0) this.writeEntryLow(entryPa, lo | _PAGE_ACCESSED);
			table = (lo >>> 12) * FRAME_SIZE + (hi & PTE_HI_ADDRESS_MASK) * TWO32;
			level = (level - 1) as PagingLevel;
		}
		// The leaf: `level` 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB).
		const mode = this.patModes[patSlot(lo, level)];
		let bits = rw | us | nx | ((level - 1) << TLB_LEVEL_SHIFT) | (mode << TLB_MODE_SHIFT);
		if (this.pge && (lo & _PAGE_GLOBAL) !== 0) bits |= TLB_G;
		const denied = this.denied(bits, code, user);
		if (denied !== 0) return this.pageFault(va, code, user, X86_PF_PROT, level, denied === 2 ? 'write to a read-only page' : 'page-table entry forbids the access');
		const update = code === ACCESS_WRITE ? _PAGE_ACCESSED | _PAGE_DIRTY : _PAGE_ACCESSED;
		if ((lo & update) !== update) {
			lo |= update;
			this.writeEntryLow(entryPa, lo);
		}
		if ((lo & _PAGE_DIRTY) !== 0) bits |= TLB_D;
		// Frame of the 4 KiB page: the leaf's address plus the page's offset inside a large page.
		const span = levelSpan(level);
		const base = (lo >>> 12) * FRAME_SIZE + (hi & PTE_HI_ADDRESS_MASK) * TWO32;
		const pageBase = level === 1 ? base : base - (base % span) + ((vpn * FRAME_SIZE) % span);
		const pfn = pageBase / FRAME_SIZE;
		this.tlb.insert(vpn, pfn, bits);
		this.lastBits = bits;
		return pageBase + (va - vpn * FRAME_SIZE);
	}

	/** Reads the entry at physical address `pa` into entryLo/entryHi; false (fault set) on a bus error. */
	private readEntry(pa: number, va: number, code: number): boolean {
		const phys = this.phys;
		const kind = phys.resolveFrame(Math.floor(pa / FRAME_SIZE));
		if (kind === PAGE_RAM || kind === PAGE_ROM) {
			if (this.cache !== null && this.cache.active && this.cache.covers(pa)) {
				this.entryLo = this.cache.coherentLoad32(pa);
				this.entryHi = this.cache.coherentLoad32(pa + 4);
				return true;
			}
			const store = phys.frameForRead(phys.resolvedPfn);
			const off = phys.frameOffset + (pa % FRAME_SIZE);
			this.entryLo = store.view.getUint32(off, true);
			this.entryHi = store.view.getUint32(off + 4, true);
			return true;
		}
		if (kind === PAGE_DEVICE) {
			// Page tables in device memory: the device answers (two 32-bit reads).
			const saved = phys.fault;
			this.entryLo = phys.ld32(pa);
			this.entryHi = phys.ld32(pa + 4);
			phys.fault = saved;
			return true;
		}
		// PAGE_NONE: nothing answers at the entry's address.
		this.fault = {
			address: va,
			physicalAddress: pa,
			access: ACCESS_NAMES[code],
			reason: 'bus',
			detail: `page walk read nothing at physical address 0x${pa.toString(16)}`,
		};
		return false;
	}

	/** Writes the low half of the entry at `pa` (the accessed and dirty bits), coherently with the CPU cache. */
	private writeEntryLow(pa: number, lo: number): void {
		if (this.cache !== null && this.cache.active && this.cache.covers(pa)) this.cache.coherentStore32(pa, lo);
		else {
			const saved = this.phys.fault;
			this.phys.st32(pa, lo);
			this.phys.fault = saved;
		}
	}

	/** Records a page fault for `va` and returns -1. As on x86, the TLB forgets the faulting page. */
	private pageFault(va: number, code: number, user: boolean, bits: number, level: PagingLevel, detail: string): number {
		const errorCode = bits | (code === ACCESS_WRITE ? X86_PF_WRITE : 0) | (user ? X86_PF_USER : 0) | (code === ACCESS_EXEC ? X86_PF_INSTR : 0);
		const access = ACCESS_NAMES[code];
		this.cr2 = va;
		this.fault = {
			address: va,
			access,
			reason: (errorCode & X86_PF_PROT) !== 0 ? 'protection' : 'not-present',
			errorCode,
			level,
			detail: `${user ? 'user' : 'kernel'} ${access}: ${detail}`,
		};
		this.tlb.invalidatePage(Math.floor(va / FRAME_SIZE), 'fault');
		return -1;
	}

	// ---- Views -----------------------------------------------------------------------------------

	/** What the page tables in memory say about `va` now: each level's entry, and the result. No side effects (no A/D bits, no TLB fill). */
	probe(va: number, cr3: number = this.cr3Value): WalkTrace {
		const steps: WalkStep[] = [];
		let table = Math.floor(cr3 / FRAME_SIZE) * FRAME_SIZE;
		let writable = true;
		let user = true;
		let nx = false;
		for (let level: PagingLevel = 4; ; level = (level - 1) as PagingLevel) {
			const index = tableIndex(va, level);
			const entryAddress = table + index * 8;
			const saved = this.phys.fault;
			const bytes = this.cache !== null && this.cache.active ? this.cache.peek(entryAddress, 8) : this.phys.read(entryAddress, 8);
			this.phys.fault = saved;
			const stop = (reason: WalkTrace['stop']): WalkTrace => ({ va, steps, physicalAddress: null, pageSize: 0, writable: false, user: false, nx: false, cacheMode: null, stop: reason });
			if (bytes === null) return stop('bus');
			const view = new DataView(bytes.buffer);
			const raw = (BigInt(view.getUint32(4, true)) << 32n) | BigInt(view.getUint32(0, true));
			const entry = decodePte(raw, level, this.patList);
			steps.push({ level, tableName: LEVEL_NAMES[level], tableAddress: table, index, entryAddress, entry });
			if (!entry.present) return stop('not-present');
			if (entry.reservedBits !== 0n) return stop('reserved');
			writable &&= entry.writable;
			user &&= entry.user;
			nx ||= entry.nx;
			if (entry.leaf) {
				const span = entry.pageSize;
				return {
					va,
					steps,
					physicalAddress: entry.physicalAddress + (va % span),
					pageSize: span,
					writable,
					user,
					nx,
					cacheMode: entry.cacheMode,
					stop: null,
				};
			}
			table = entry.physicalAddress;
		}
	}

	/** The cache mode of the last successful translation. */
	lastCacheMode(): CacheMode {
		return tlbCacheMode(this.lastBits);
	}

	// ---- Snapshots -------------------------------------------------------------------------------

	snapshot(): MmuSnapshot {
		return new MmuSnapshotImpl(this, this.cr3Value, this.cr2, this.ac, this.smep, this.smap, this.pge, this.patList, this.tlb.snapshot(), this.fault);
	}

	restore(s: MmuSnapshot): void {
		if (!(s instanceof MmuSnapshotImpl) || s.owner !== this) throw new Error('Mmu.restore: not a snapshot of this MMU');
		this.cr3Value = s.cr3;
		this.cr2 = s.cr2;
		this.acFlag = s.ac;
		this.smepFlag = s.smep;
		this.smapFlag = s.smap;
		this.pge = s.pge;
		this.patList = s.pat;
		for (let i = 0; i < 8; i++) this.patModes[i] = CACHE_MODES.indexOf(s.pat[i]);
		this.fault = s.fault;
		this.tlb.restore(s.tlb);
		this.controlChanged();
	}
}

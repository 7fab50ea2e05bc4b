// The x86-64 4-level paging format: table indices of a 48-bit virtual address, page-table-entry bits
// under their Linux names, decoding and encoding entries for views, and cache modes from PWT/PCD/PAT
// (layer: kernel, hardware).
//
// A 64-bit entry does not fit a JS number's exact range once NX (bit 63) is set, so the hot paths
// (the MMU walk) read entries as two 32-bit halves: `lo` = bits 31..0, `hi` = bits 63..32. The
// constants below come in three forms: bit numbers (`_PAGE_BIT_*`), masks of the low half as numbers
// (`_PAGE_*` for bits 0..12), and masks of the whole entry as bigints (`_PAGE_NX`, `_PAGE_SOFTW4`, ...).
// Bit numbers and names are those of arch/x86/include/asm/pgtable_types.h in Linux 6.8.

import type { Value } from '../../interp/contracts';

// ---- Virtual address split ------------------------------------------------------------------------

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PMD_SHIFT = 21;
/** Size of a large page mapped by a PMD (PD entry with PSE). */
export const PMD_SIZE = 2 * 1024 * 1024;
export const PUD_SHIFT = 30;
/** Size of a huge page mapped by a PUD (PDPT entry with PSE). */
export const PUD_SIZE = 1024 * 1024 * 1024;
export const PGDIR_SHIFT = 39;
/** Entries per table at every level. */
export const PTRS_PER_TABLE = 512;

/** Paging levels, leaf-first numbering as in the SDM: 1 = PT, 2 = PD, 3 = PDPT, 4 = PML4. */
export type PagingLevel = 1 | 2 | 3 | 4;

/** Linux names of the tables at each level (for views). */
export const LEVEL_NAMES: Readonly<Record<PagingLevel, string>> = { 4: 'PML4 (pgd)', 3: 'PDPT (pud)', 2: 'PD (pmd)', 1: 'PT (pte)' };

const TWO12 = 4096;
const TWO21 = 2097152;
const TWO30 = 1073741824;
const TWO39 = 549755813888;

/** PML4 index (bits 47..39) of a 48-bit virtual address. */
export function pml4Index(va: number): number {
	return Math.floor(va / TWO39) & 511;
}

/** PDPT index (bits 38..30). */
export function pdptIndex(va: number): number {
	return Math.floor(va / TWO30) & 511;
}

/** PD index (bits 29..21). */
export function pdIndex(va: number): number {
	return Math.floor(va / TWO21) & 511;
}

/** PT index (bits 20..12). */
export function ptIndex(va: number): number {
	return Math.floor(va / TWO12) & 511;
}

/** The table index of `va` at `level`. */
export function tableIndex(va: number, level: PagingLevel): number {
	switch (level) {
		case 4:
			return pml4Index(va);
		case 3:
			return pdptIndex(va);
		case 2:
			return pdIndex(va);
		default:
			return ptIndex(va);
	}
}

/** Bytes mapped by one entry at `level` (512 GiB, 1 GiB, 2 MiB, 4 KiB). */
export function levelSpan(level: PagingLevel): number {
	return level === 4 ? TWO39 : level === 3 ? TWO30 : level === 2 ? TWO21 : TWO12;
}

// ---- Entry bits (Linux 6.8 names) ----------------------------------------------------------------

export const _PAGE_BIT_PRESENT = 0;
export const _PAGE_BIT_RW = 1;
export const _PAGE_BIT_USER = 2;
export const _PAGE_BIT_PWT = 3;
export const _PAGE_BIT_PCD = 4;
export const _PAGE_BIT_ACCESSED = 5;
export const _PAGE_BIT_DIRTY = 6;
/** Large page (in PD and PDPT entries). */
export const _PAGE_BIT_PSE = 7;
/** PAT bit of a 4 KiB PTE (same bit as PSE). */
export const _PAGE_BIT_PAT = 7;
export const _PAGE_BIT_GLOBAL = 8;
export const _PAGE_BIT_SOFTW1 = 9;
export const _PAGE_BIT_SOFTW2 = 10;
export const _PAGE_BIT_SOFTW3 = 11;
/** PAT bit of a 2 MiB or 1 GiB entry. */
export const _PAGE_BIT_PAT_LARGE = 12;
/** 57 since Linux 6.6 (58 before, when there was no SOFTW5). */
export const _PAGE_BIT_SOFTW4 = 57;
export const _PAGE_BIT_SOFTW5 = 58;
export const _PAGE_BIT_NX = 63;
/** "No struct page behind this PFN" (vm_normal_page skips it); Linux 2.6.26+. */
export const _PAGE_BIT_SPECIAL = _PAGE_BIT_SOFTW1;
export const _PAGE_BIT_CPA_TEST = _PAGE_BIT_SOFTW1;
export const _PAGE_BIT_UFFD_WP = _PAGE_BIT_SOFTW2;
export const _PAGE_BIT_SOFT_DIRTY = _PAGE_BIT_SOFTW3;
export const _PAGE_BIT_DEVMAP = _PAGE_BIT_SOFTW4;

export const _PAGE_PRESENT = 1 << _PAGE_BIT_PRESENT;
export const _PAGE_RW = 1 << _PAGE_BIT_RW;
export const _PAGE_USER = 1 << _PAGE_BIT_USER;
export const _PAGE_PWT = 1 << _PAGE_BIT_PWT;
export const _PAGE_PCD = 1 << _PAGE_BIT_PCD;
export const _PAGE_ACCESSED = 1 << _PAGE_BIT_ACCESSED;
export const _PAGE_DIRTY = 1 << _PAGE_BIT_DIRTY;
export const _PAGE_PSE = 1 << _PAGE_BIT_PSE;
export const _PAGE_PAT = 1 << _PAGE_BIT_PAT;
export const _PAGE_GLOBAL = 1 << _PAGE_BIT_GLOBAL;
export const _PAGE_SOFTW1 = 1 << _PAGE_BIT_SOFTW1;
export const _PAGE_SOFTW2 = 1 << _PAGE_BIT_SOFTW2;
export const _PAGE_SOFTW3 = 1 << _PAGE_BIT_SOFTW3;
export const _PAGE_PAT_LARGE = 1 << _PAGE_BIT_PAT_LARGE;
export const _PAGE_SPECIAL = _PAGE_SOFTW1;
export const _PAGE_SOFT_DIRTY = _PAGE_SOFTW3;
/** Whole-entry masks of the high bits (bigints: they exceed 2^53). */
export const _PAGE_SOFTW4 = 1n << BigInt(_PAGE_BIT_SOFTW4);
export const _PAGE_SOFTW5 = 1n << BigInt(_PAGE_BIT_SOFTW5);
export const _PAGE_DEVMAP = _PAGE_SOFTW4;
export const _PAGE_NX = 1n << BigInt(_PAGE_BIT_NX);

/** NX in the high half of an entry. */
export const PTE_HI_NX = 0x80000000;
/** Bits 12..51: the physical frame address of an entry. */
export const PTE_PFN_MASK = ((1n << 52n) - 1n) & ~0xfffn;
/** Physical-address bits of the high half that this machine has (bits 45..32, MAXPHYADDR = 46). */
export const PTE_HI_ADDRESS_MASK = 0x3fff;
/** Reserved bits of the high half: physical-address bits 51..46, above MAXPHYADDR. */
export const PTE_HI_RESERVED_MASK = 0x000fc000;
/** Reserved low bits of a 2 MiB entry (20..13) and of a 1 GiB entry (29..13). */
export const PMD_LARGE_RESERVED_MASK = 0x001fe000;
export const PUD_LARGE_RESERVED_MASK = 0x3fffe000;

// ---- Cache modes -----------------------------------------------------------------------------------

/** Memory types a mapping can select (PAT types). */
export type CacheMode = 'WB' | 'WT' | 'WP' | 'WC' | 'UC-' | 'UC';

/** All cache modes, indexed by their small number (TLB entries keep the index). */
export const CACHE_MODES: readonly CacheMode[] = ['WB', 'WT', 'WP', 'WC', 'UC-', 'UC'];

/** The PAT of Linux 4.2+ (`pat_init`): PTE (PAT,PCD,PWT) 000 WB, 001 WC, 010 UC-, 011 UC, 100 WB, 101 WP, 110 UC-, 111 WT. */
export const LINUX_PAT: readonly CacheMode[] = ['WB', 'WC', 'UC-', 'UC', 'WB', 'WP', 'UC-', 'WT'];
/** The PAT of Linux 2.6.26 .. 4.1: WB, WC, UC-, UC repeated. */
export const LINUX_2_6_PAT: readonly CacheMode[] = ['WB', 'WC', 'UC-', 'UC', 'WB', 'WC', 'UC-', 'UC'];
/** The power-on PAT, which kernels before 2.6.26 never reprogrammed: WB, WT, UC-, UC repeated. */
export const POWER_ON_PAT: readonly CacheMode[] = ['WB', 'WT', 'UC-', 'UC', 'WB', 'WT', 'UC-', 'UC'];

/** True when the CPU cache holds lines for this mode (WB, WT, WP); UC, UC- and WC bypass it. */
export function isCacheable(mode: CacheMode): boolean {
	return mode === 'WB' || mode === 'WT' || mode === 'WP';
}

/** The PAT slot selected by an entry's low half at `level` (PAT bit 7 for a 4 KiB PTE, bit 12 for a large page). */
export function patSlot(lo: number, level: PagingLevel): number {
	const pat = level === 1 ? (lo & _PAGE_PAT) !== 0 : (lo & _PAGE_PAT_LARGE) !== 0;
	return (pat ? 4 : 0) | ((lo & _PAGE_PCD) !== 0 ? 2 : 0) | ((lo & _PAGE_PWT) !== 0 ? 1 : 0);
}

/** The cache mode of a leaf entry's low half at `level`, under the PAT `pat`. */
export function cacheModeOf(lo: number, level: PagingLevel, pat: readonly CacheMode[] = LINUX_PAT): CacheMode {
	return pat[patSlot(lo, level)];
}

/**
 * The PWT/PCD/PAT bits (of the low half, at `level`) that select `mode` under `pat`: the lowest slot
 * holding it, as Linux's `cachemode2protval`. Null when the PAT has no slot for the mode.
 */
export function cacheModeBits(mode: CacheMode, level: PagingLevel, pat: readonly CacheMode[] = LINUX_PAT): number | null {
	const slot = pat.indexOf(mode);
	if (slot < 0) return null;
	return ((slot & 4) !== 0 ? (level === 1 ? _PAGE_PAT : _PAGE_PAT_LARGE) : 0) | ((slot & 2) !== 0 ? _PAGE_PCD : 0) | ((slot & 1) !== 0 ? _PAGE_PWT : 0);
}

// ---- Whole entries ---------------------------------------------------------------------------------

/** An entry as a bigint (any canonical 64-bit value or bigint; negative values are two's complement). */
export function pteToBigInt(pte: Value): bigint {
	return BigInt.asUintN(64, typeof pte === 'bigint' ? pte : BigInt(pte));
}

/** The canonical unsigned 64-bit value of an entry (a number when below 2^53), ready for a 64-bit store. */
export function pteToValue(pte: bigint): Value {
	const v = BigInt.asUintN(64, pte);
	return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** The low half (bits 31..0) of an entry. */
export function pteLow(pte: Value): number {
	return Number(pteToBigInt(pte) & 0xffffffffn);
}

/** The high half (bits 63..32) of an entry, as a uint32. */
export function pteHigh(pte: Value): number {
	return Number(pteToBigInt(pte) >> 32n);
}

/** An entry, decoded for the debugger's views. */
export interface DecodedPte {
	readonly raw: bigint;
	readonly level: PagingLevel;
	readonly present: boolean;
	readonly writable: boolean;
	readonly user: boolean;
	readonly pwt: boolean;
	readonly pcd: boolean;
	readonly accessed: boolean;
	readonly dirty: boolean;
	/** PSE: the entry maps a page (2 MiB at level 2, 1 GiB at level 3) instead of pointing at a table. */
	readonly large: boolean;
	/** The PAT bit (bit 7 of a PTE, bit 12 of a large entry). */
	readonly pat: boolean;
	readonly global: boolean;
	/** Software bits. SOFTW1 is Linux's `_PAGE_SPECIAL`. */
	readonly special: boolean;
	readonly softw2: boolean;
	readonly softw3: boolean;
	readonly softw4: boolean;
	readonly nx: boolean;
	/** Whether the entry maps a page (a PTE, or a large entry) rather than a table. */
	readonly leaf: boolean;
	/** Physical address of the page or table (bits 12..51; bits 12..20 or 12..29 are not part of a large page's address). */
	readonly physicalAddress: number;
	readonly pfn: number;
	/** Size of the page a leaf maps (0 for a table pointer). */
	readonly pageSize: number;
	/** Cache mode of a leaf under the given PAT (null for a table pointer). */
	readonly cacheMode: CacheMode | null;
	/** Set reserved bits (above MAXPHYADDR, inside a large page's address), which make the MMU fault with RSVD. */
	readonly reservedBits: bigint;
	/** Short flag string in the style of page-table dumps: `P RW US A D G NX SPECIAL`. */
	readonly flags: string;
}

/** Decodes an entry found at `level` (4 = PML4). */
export function decodePte(pte: Value, level: PagingLevel, pat: readonly CacheMode[] = LINUX_PAT): DecodedPte {
	const raw = pteToBigInt(pte);
	const lo = Number(raw & 0xffffffffn);
	const hi = Number(raw >> 32n);
	const bit = (n: number): boolean => ((raw >> BigInt(n)) & 1n) === 1n;
	const present = (lo & _PAGE_PRESENT) !== 0;
	const large = level !== 1 && level !== 4 && (lo & _PAGE_PSE) !== 0;
	const leaf = level === 1 || large;
	let addressMask = PTE_PFN_MASK;
	if (large) addressMask &= ~BigInt(level === 2 ? PMD_SIZE - 1 : PUD_SIZE - 1);
	const physicalAddress = Number(raw & addressMask & ((1n << 46n) - 1n));
	let reservedBits = BigInt(hi & PTE_HI_RESERVED_MASK) << 32n;
	if (large) reservedBits |= BigInt(lo & (level === 2 ? PMD_LARGE_RESERVED_MASK : PUD_LARGE_RESERVED_MASK));
	if (level === 4 && (lo & _PAGE_PSE) !== 0) reservedBits |= BigInt(_PAGE_PSE);
	const d: Omit<DecodedPte, 'flags'> = {
		raw,
		level,
		present,
		writable: (lo & _PAGE_RW) !== 0,
		user: (lo & _PAGE_USER) !== 0,
		pwt: (lo & _PAGE_PWT) !== 0,
		pcd: (lo & _PAGE_PCD) !== 0,
		accessed: (lo & _PAGE_ACCESSED) !== 0,
		dirty: (lo & _PAGE_DIRTY) !== 0,
		large,
		pat: level === 1 ? (lo & _PAGE_PAT) !== 0 : large && (lo & _PAGE_PAT_LARGE) !== 0,
		global: (lo & _PAGE_GLOBAL) !== 0,
		special: (lo & _PAGE_SPECIAL) !== 0,
		softw2: (lo & _PAGE_SOFTW2) !== 0,
		softw3: (lo & _PAGE_SOFTW3) !== 0,
		softw4: bit(_PAGE_BIT_SOFTW4),
		nx: bit(_PAGE_BIT_NX),
		leaf,
		physicalAddress,
		pfn: Math.floor(physicalAddress / PAGE_SIZE),
		pageSize: !leaf ? 0 : level === 1 ? PAGE_SIZE : level === 2 ? PMD_SIZE : PUD_SIZE,
		cacheMode: leaf ? cacheModeOf(lo, level, pat) : null,
		reservedBits,
	};
	return { ...d, flags: pteFlagString(d) };
}

function pteFlagString(d: Omit<DecodedPte, 'flags'>): string {
	if (!d.present && d.raw === 0n) return 'none';
	const parts: string[] = [d.present ? 'P' : 'NP'];
	if (d.writable) parts.push('RW');
	if (d.user) parts.push('US');
	if (d.pwt) parts.push('PWT');
	if (d.pcd) parts.push('PCD');
	if (d.accessed) parts.push('A');
	if (d.dirty) parts.push('D');
	if (d.large) parts.push('PSE');
	if (d.pat) parts.push('PAT');
	if (d.global) parts.push('G');
	if (d.special) parts.push('SPECIAL');
	if (d.softw2) parts.push('SOFTW2');
	if (d.softw3) parts.push('SOFTW3');
	if (d.softw4) parts.push('SOFTW4');
	if (d.nx) parts.push('NX');
	return parts.join(' ');
}

/** The fields of an entry to encode; absent flags are clear. */
export interface PteFields {
	/** Physical address of the page or table (frame-aligned; large-page aligned for a large entry). */
	readonly physicalAddress: number;
	readonly present?: boolean;
	readonly writable?: boolean;
	readonly user?: boolean;
	readonly accessed?: boolean;
	readonly dirty?: boolean;
	/** A large page (2 MiB at level 2, 1 GiB at level 3). */
	readonly large?: boolean;
	readonly global?: boolean;
	readonly special?: boolean;
	readonly nx?: boolean;
	/** Cache mode of a leaf, encoded through the PAT (default WB). */
	readonly cacheMode?: CacheMode;
}

/**
 * Encodes an entry for `level` as a canonical 64-bit value. Throws RangeError for an address that is
 * not aligned or beyond MAXPHYADDR, or a cache mode the PAT cannot express (host bugs).
 */
export function encodePte(fields: PteFields, level: PagingLevel = 1, pat: readonly CacheMode[] = LINUX_PAT): Value {
	const pa = fields.physicalAddress;
	const large = fields.large === true && (level === 2 || level === 3);
	const align = large ? levelSpan(level) : PAGE_SIZE;
	if (!Number.isInteger(pa) || pa < 0 || pa >= 2 ** 46 || pa % align !== 0) throw new RangeError(`encodePte: bad physical address ${pa}`);
	let lo = 0;
	if (fields.present !== false) lo |= _PAGE_PRESENT;
	if (fields.writable) lo |= _PAGE_RW;
	if (fields.user) lo |= _PAGE_USER;
	if (fields.accessed) lo |= _PAGE_ACCESSED;
	if (fields.dirty) lo |= _PAGE_DIRTY;
	if (large) lo |= _PAGE_PSE;
	if (fields.global) lo |= _PAGE_GLOBAL;
	if (fields.special) lo |= _PAGE_SPECIAL;
	if (level === 1 || large) {
		const bits = cacheModeBits(fields.cacheMode ?? 'WB', level, pat);
		if (bits === null) throw new RangeError(`encodePte: the PAT has no slot for ${fields.cacheMode}`);
		lo |= bits;
	}
	let raw = BigInt(pa) | BigInt(lo >>> 0);
	if (fields.nx) raw |= _PAGE_NX;
	return pteToValue(raw);
}

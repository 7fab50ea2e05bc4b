// A per-CPU translation lookaside buffer (layer: kernel, hardware).
//
// The TLB caches what page walks found: virtual page -> physical frame, permissions (the AND of RW
// and US over all levels, the OR of NX), GLOBAL, DIRTY and the cache mode. It is *not* coherent with
// the page tables in memory: an entry keeps translating to the old frame after the PTE changes,
// until `invalidatePage` (INVLPG), a flush (CR3 write), a page fault on that page, or replacement.
// That stale translation is the point: the simulator shows missing-flush bugs.
//
// ## Structure (deterministic, like the hardware it imitates)
// - A set-associative array of 4 KiB translations (`sets` x `ways`, default 256 x 8): set =
//   vpn mod sets; replacement per set is round-robin. Kept in typed arrays for speed.
// - A fully associative array of large-page translations (2 MiB and 1 GiB, default 32 entries),
//   FIFO replacement. A hit there is *fractured*: a 4 KiB entry for the touched page is added to the
//   small array (marked with the large page's level), so the next access hits the fast array.
//   Invalidating any address of a large page drops the large entry and all its fractured entries,
//   as the SDM requires of INVLPG. Invariant: fractured entries exist only while the large entry they
//   came from does (evicting a large entry drops its pieces), so INVLPG finds them through it.
// Entry bits (Int32): TLB_W, TLB_U, TLB_NX, TLB_G, TLB_D, the level of the page (0 = 4 KiB, 1 = 2 MiB,
// 2 = 1 GiB) in bits 5..6, and the cache-mode index (into CACHE_MODES) in bits 8..10.

import { CACHE_MODES, type CacheMode } from './pageTable';

export const TLB_W = 1;
export const TLB_U = 2;
export const TLB_NX = 4;
export const TLB_G = 8;
export const TLB_D = 16;
export const TLB_LEVEL_SHIFT = 5;
export const TLB_LEVEL_MASK = 3 << TLB_LEVEL_SHIFT;
export const TLB_MODE_SHIFT = 8;
export const TLB_MODE_MASK = 7 << TLB_MODE_SHIFT;

/** 4 KiB pages per page of each level (index = level field). */
const PAGES_PER_LEVEL = [1, 512, 262144];
const PAGE_SIZES = [4096, 2097152, 1073741824];

/** Why entries were dropped. */
export type TlbFlushCause = 'cr3' | 'flush' | 'invlpg' | 'fault';

/** One translation, for views. */
export interface TlbEntryView {
	/** Virtual address of the page this entry translates (a 4 KiB page for fractured entries). */
	readonly va: number;
	readonly physicalAddress: number;
	readonly pfn: number;
	/** Size of the page the translation came from (4 KiB, 2 MiB, 1 GiB). */
	readonly pageSize: number;
	/** A 4 KiB piece of a large-page translation. */
	readonly fractured: boolean;
	readonly writable: boolean;
	readonly user: boolean;
	readonly nx: boolean;
	readonly global: boolean;
	readonly dirty: boolean;
	readonly cacheMode: CacheMode;
}

/** What the TLB tells its event hook. */
export type TlbEvent =
	| { readonly kind: 'fill'; readonly entry: TlbEntryView }
	/** An entry was replaced to make room. */
	| { readonly kind: 'evict'; readonly entry: TlbEntryView }
	/** `scope` 'page': one page (INVLPG or a fault); 'non-global': a CR3 write; 'all': global entries too. */
	| { readonly kind: 'flush'; readonly scope: 'page' | 'non-global' | 'all'; readonly cause: TlbFlushCause; readonly va: number | null; readonly dropped: number };

/** Sizes of the TLB. */
export interface TlbOptions {
	/** Sets of the 4 KiB array (a power of two). Default 256. */
	readonly sets?: number;
	/** Ways per set. Default 8. */
	readonly ways?: number;
	/** Entries of the large-page array. Default 32. */
	readonly largeEntries?: number;
}

/** Opaque captured TLB contents. */
export interface TlbSnapshot {
	readonly __tlbSnapshot: true;
}

class TlbSnapshotImpl implements TlbSnapshot {
	readonly __tlbSnapshot = true as const;
	constructor(
		readonly owner: Tlb,
		readonly arrays: readonly (Float64Array | Int32Array | Uint8Array)[],
		readonly largeNext: number,
		readonly valid: number,
		readonly largeValid: number,
	) {}
}

/** The level field of entry bits. */
export function tlbLevel(bits: number): number {
	return (bits & TLB_LEVEL_MASK) >> TLB_LEVEL_SHIFT;
}

/** The cache mode of entry bits. */
export function tlbCacheMode(bits: number): CacheMode {
	return CACHE_MODES[(bits & TLB_MODE_MASK) >> TLB_MODE_SHIFT];
}

function view(vpn: number, pfn: number, bits: number, fractured: boolean): TlbEntryView {
	return {
		va: vpn * 4096,
		physicalAddress: pfn * 4096,
		pfn,
		pageSize: PAGE_SIZES[tlbLevel(bits)],
		fractured,
		writable: (bits & TLB_W) !== 0,
		user: (bits & TLB_U) !== 0,
		nx: (bits & TLB_NX) !== 0,
		global: (bits & TLB_G) !== 0,
		dirty: (bits & TLB_D) !== 0,
		cacheMode: tlbCacheMode(bits),
	};
}

/** The TLB of one CPU. See the file header. */
export class Tlb {
	readonly sets: number;
	readonly ways: number;
	/** 4 KiB array: virtual page number per entry (-1: empty), frame number, bits. Read by the MMU's hit path. */
	readonly vpn: Float64Array;
	readonly pfn: Float64Array;
	readonly bits: Int32Array;
	private readonly victim: Uint8Array;
	/** sets - 1: the set of virtual page `vpn` starts at `(vpn & setMask) * ways`. */
	readonly setMask: number;

	/** Large array: first virtual page and first frame of the large page, bits (level > 0), -1 when empty. */
	private readonly largeVpn: Float64Array;
	private readonly largePfn: Float64Array;
	private readonly largeBits: Int32Array;
	private largeNext = 0;
	/** Valid entries of the large array (a miss skips it when there are none). */
	private largeValid = 0;

	/** Number of valid entries in both arrays (flushes of an empty TLB are free). */
	private valid = 0;
	private lastSnapshot: TlbSnapshotImpl | null = null;

	/** Observer of every fill, eviction and flush (views, traces). Null costs nothing. */
	onEvent: ((event: TlbEvent) => void) | null = null;
	/**
	 * Hardware-internal: called whenever entries are dropped, with the virtual page number when only
	 * that page's 4 KiB entry went, or -1 when more did (the CPU bus drops what it derived from them).
	 */
	onInvalidate: ((vpn: number) => void) | null = null;

	constructor(options: TlbOptions = {}) {
		const sets = options.sets ?? 256;
		const ways = options.ways ?? 8;
		const large = options.largeEntries ?? 32;
		if (!(Number.isInteger(sets) && sets > 0 && (sets & (sets - 1)) === 0)) throw new RangeError('Tlb: sets must be a power of two');
		if (!(Number.isInteger(ways) && ways > 0 && ways <= 64)) throw new RangeError('Tlb: ways must be 1..64');
		if (!(Number.isInteger(large) && large > 0)) throw new RangeError('Tlb: largeEntries must be positive');
		this.sets = sets;
		this.ways = ways;
		this.setMask = sets - 1;
		this.vpn = new Float64Array(sets * ways).fill(-1);
		this.pfn = new Float64Array(sets * ways);
		this.bits = new Int32Array(sets * ways);
		this.victim = new Uint8Array(sets);
		this.largeVpn = new Float64Array(large).fill(-1);
		this.largePfn = new Float64Array(large);
		this.largeBits = new Int32Array(large);
	}

	/** Index of the 4 KiB-array entry for virtual page `vpn` (a large-page hit is fractured into one), or -1. */
	lookup(vpn: number): number {
		const base = (vpn & this.setMask) * this.ways;
		const vpns = this.vpn;
		for (let i = base, end = base + this.ways; i < end; i++) if (vpns[i] === vpn) return i;
		return this.lookupLarge(vpn);
	}

	/** The large-page part of lookup: fractures a hit into the 4 KiB array and returns its index, or -1. */
	lookupLarge(vpn: number): number {
		if (this.largeValid === 0) return -1;
		const vpns = this.largeVpn;
		for (let i = 0; i < vpns.length; i++) {
			const first = vpns[i];
			if (first < 0) continue;
			const bits = this.largeBits[i];
			const delta = vpn - first;
			if (delta >= 0 && delta < PAGES_PER_LEVEL[tlbLevel(bits)]) {
				return this.insertSmall(vpn, this.largePfn[i] + delta, bits, false);
			}
		}
		return -1;
	}

	/**
	 * Caches a translation of the 4 KiB virtual page `vpn` to frame `pfn` with `bits`. For a large page
	 * (level > 0 in `bits`) the large entry is filled too. Returns the 4 KiB-array index.
	 */
	insert(vpn: number, pfn: number, bits: number): number {
		const level = tlbLevel(bits);
		if (level > 0) {
			const pages = PAGES_PER_LEVEL[level];
			const offset = vpn % pages;
			this.insertLarge(vpn - offset, pfn - offset, bits);
		}
		return this.insertSmall(vpn, pfn, bits, true);
	}

	private insertSmall(vpn: number, pfn: number, bits: number, announce: boolean): number {
		const base = (vpn & this.setMask) * this.ways;
		const end = base + this.ways;
		const vpns = this.vpn;
		let slot = -1;
		for (let i = base; i < end; i++) {
			if (vpns[i] === vpn) {
				slot = i;
				break;
			}
			if (slot < 0 && vpns[i] < 0) slot = i;
		}
		if (slot < 0) {
			const set = base / this.ways;
			slot = base + this.victim[set];
			this.victim[set] = (this.victim[set] + 1) % this.ways;
			this.announceEvict(vpns[slot], this.pfn[slot], this.bits[slot], tlbLevel(this.bits[slot]) > 0, vpns[slot]);
		} else if (vpns[slot] < 0) this.valid++;
		vpns[slot] = vpn;
		this.pfn[slot] = pfn;
		this.bits[slot] = bits;
		this.lastSnapshot = null;
		if (announce && this.onEvent !== null) this.onEvent({ kind: 'fill', entry: view(vpn, pfn, bits, false) });
		return slot;
	}

	private insertLarge(firstVpn: number, firstPfn: number, bits: number): void {
		const vpns = this.largeVpn;
		let slot = -1;
		for (let i = 0; i < vpns.length; i++) {
			if (vpns[i] === firstVpn && tlbLevel(this.largeBits[i]) === tlbLevel(bits)) {
				slot = i;
				break;
			}
			if (slot < 0 && vpns[i] < 0) slot = i;
		}
		if (slot < 0) {
			slot = this.largeNext;
			this.largeNext = (this.largeNext + 1) % vpns.length;
			this.announceEvict(vpns[slot], this.largePfn[slot], this.largeBits[slot], false, -1);
			this.dropFractured(vpns[slot], this.largeBits[slot]);
		} else if (vpns[slot] < 0) {
			this.valid++;
			this.largeValid++;
		}
		vpns[slot] = firstVpn;
		this.largePfn[slot] = firstPfn;
		this.largeBits[slot] = bits;
	}

	/** Reports a replaced entry; `invalidated` is what onInvalidate gets (the page, or -1). */
	private announceEvict(vpn: number, pfn: number, bits: number, fractured: boolean, invalidated: number): void {
		if (this.onEvent !== null) this.onEvent({ kind: 'evict', entry: view(vpn, pfn, bits, fractured) });
		if (this.onInvalidate !== null) this.onInvalidate(invalidated);
	}

	/** Drops the 4 KiB entries fractured from the large page starting at `firstVpn` with `bits`' level. */
	private dropFractured(firstVpn: number, bits: number): number {
		const level = tlbLevel(bits);
		const pages = PAGES_PER_LEVEL[level];
		const vpns = this.vpn;
		let dropped = 0;
		for (let i = 0; i < vpns.length; i++) {
			const v = vpns[i];
			if (v >= firstVpn && v < firstVpn + pages && tlbLevel(this.bits[i]) === level) {
				vpns[i] = -1;
				this.valid--;
				dropped++;
			}
		}
		return dropped;
	}

	/** INVLPG: drops every entry translating the page (of any size) that contains virtual page `vpn`. Returns how many. */
	invalidatePage(vpn: number, cause: TlbFlushCause = 'invlpg'): number {
		let dropped = 0;
		let onlyThisPage = true;
		if (this.valid > 0) {
			const base = (vpn & this.setMask) * this.ways;
			const vpns = this.vpn;
			for (let i = base, end = base + this.ways; i < end; i++) {
				if (vpns[i] !== vpn) continue;
				const bits = this.bits[i];
				const level = tlbLevel(bits);
				vpns[i] = -1;
				this.valid--;
				dropped++;
				if (level > 0) {
					dropped += this.dropFractured(vpn - (vpn % PAGES_PER_LEVEL[level]), bits);
					onlyThisPage = false;
				}
			}
			const large = this.largeVpn;
			for (let i = 0; i < large.length; i++) {
				const first = large[i];
				if (first < 0) continue;
				const bits = this.largeBits[i];
				if (vpn >= first && vpn < first + PAGES_PER_LEVEL[tlbLevel(bits)]) {
					large[i] = -1;
					this.valid--;
					this.largeValid--;
					dropped++;
					dropped += this.dropFractured(first, bits);
					onlyThisPage = false;
				}
			}
		}
		this.finishFlush('page', cause, vpn * 4096, dropped, onlyThisPage ? vpn : -1);
		return dropped;
	}

	/** Drops every entry except GLOBAL ones (a CR3 write with CR4.PGE set). Returns how many. */
	flushNonGlobal(cause: TlbFlushCause = 'cr3'): number {
		return this.flush(false, cause);
	}

	/** Drops every entry, GLOBAL ones too. Returns how many. */
	flushAll(cause: TlbFlushCause = 'flush'): number {
		return this.flush(true, cause);
	}

	private flush(includingGlobal: boolean, cause: TlbFlushCause): number {
		let dropped = 0;
		if (this.valid > 0) {
			const vpns = this.vpn;
			for (let i = 0; i < vpns.length; i++) {
				if (vpns[i] >= 0 && (includingGlobal || (this.bits[i] & TLB_G) === 0)) {
					vpns[i] = -1;
					dropped++;
				}
			}
			const large = this.largeVpn;
			for (let i = 0; i < large.length; i++) {
				if (large[i] >= 0 && (includingGlobal || (this.largeBits[i] & TLB_G) === 0)) {
					large[i] = -1;
					this.largeValid--;
					dropped++;
				}
			}
			this.valid -= dropped;
		}
		this.finishFlush(includingGlobal ? 'all' : 'non-global', cause, null, dropped, -1);
		return dropped;
	}

	private finishFlush(scope: 'page' | 'non-global' | 'all', cause: TlbFlushCause, va: number | null, dropped: number, invalidated: number): void {
		if (dropped > 0) this.lastSnapshot = null;
		if (this.onEvent !== null) this.onEvent({ kind: 'flush', scope, cause, va, dropped });
		if (dropped > 0 && this.onInvalidate !== null) this.onInvalidate(invalidated);
	}

	/** Updates the bits of the entry at `index` (the DIRTY bit after a re-walk keeps the same slot). */
	setBits(index: number, bits: number): void {
		this.bits[index] = bits;
		this.lastSnapshot = null;
	}

	/** The translation the TLB holds for virtual address `va`, without fracturing or any side effect; null when none. */
	find(va: number): TlbEntryView | null {
		const vpn = Math.floor(va / 4096);
		const base = (vpn & this.setMask) * this.ways;
		for (let i = base; i < base + this.ways; i++) {
			if (this.vpn[i] === vpn) return view(vpn, this.pfn[i], this.bits[i], tlbLevel(this.bits[i]) > 0);
		}
		for (let i = 0; i < this.largeVpn.length; i++) {
			const first = this.largeVpn[i];
			if (first < 0) continue;
			const bits = this.largeBits[i];
			if (vpn >= first && vpn < first + PAGES_PER_LEVEL[tlbLevel(bits)]) return view(first, this.largePfn[i], bits, false);
		}
		return null;
	}

	/** Every valid entry: large-page entries first, then the 4 KiB array (fractured pieces marked), by virtual address. */
	entries(): TlbEntryView[] {
		const large: TlbEntryView[] = [];
		for (let i = 0; i < this.largeVpn.length; i++) {
			if (this.largeVpn[i] >= 0) large.push(view(this.largeVpn[i], this.largePfn[i], this.largeBits[i], false));
		}
		const small: TlbEntryView[] = [];
		for (let i = 0; i < this.vpn.length; i++) {
			if (this.vpn[i] >= 0) small.push(view(this.vpn[i], this.pfn[i], this.bits[i], tlbLevel(this.bits[i]) > 0));
		}
		large.sort((a, b) => a.va - b.va);
		small.sort((a, b) => a.va - b.va);
		return [...large, ...small];
	}

	/** Number of valid entries. */
	size(): number {
		return this.valid;
	}

	/** Captures the contents (shared with the previous snapshot when nothing changed since). */
	snapshot(): TlbSnapshot {
		if (this.lastSnapshot === null) {
			this.lastSnapshot = new TlbSnapshotImpl(
				this,
				[this.vpn.slice(), this.pfn.slice(), this.bits.slice(), this.victim.slice(), this.largeVpn.slice(), this.largePfn.slice(), this.largeBits.slice()],
				this.largeNext,
				this.valid,
				this.largeValid,
			);
		}
		return this.lastSnapshot;
	}

	/** Puts back what `s` (a snapshot of this TLB) captured. */
	restore(s: TlbSnapshot): void {
		if (!(s instanceof TlbSnapshotImpl) || s.owner !== this) throw new Error('Tlb.restore: not a snapshot of this TLB');
		const [vpn, pfn, bits, victim, largeVpn, largePfn, largeBits] = s.arrays;
		this.vpn.set(vpn as Float64Array);
		this.pfn.set(pfn as Float64Array);
		this.bits.set(bits as Int32Array);
		this.victim.set(victim as Uint8Array);
		this.largeVpn.set(largeVpn as Float64Array);
		this.largePfn.set(largePfn as Float64Array);
		this.largeBits.set(largeBits as Int32Array);
		this.largeNext = s.largeNext;
		this.valid = s.valid;
		this.largeValid = s.largeValid;
		this.lastSnapshot = s;
		if (this.onInvalidate !== null) this.onInvalidate(-1);
	}
}

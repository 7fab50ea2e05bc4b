// Sparse, copy-on-write, snapshottable byte memory: the MemoryBus of the flat address space that
// `faultline exec` runs programs in before the simulated kernel provides processes (layer: interp).
//
// ## Layout
// The 48-bit address space is split into 4 KiB pages. Page numbers (36 bits) index a radix tree of
// six levels of 64 slots each: five levels of `Directory` and a `Leaf` holding, per page, its
// protection bits and its `Page` (bytes + DataView), or null for a page that is mapped but was never
// written. Such pages read as zero (through the shared ZERO_PAGE) and cost no host memory: a page is
// allocated on its first write only. (Nodes of 64 slots rather than x86's 512 because copying a node
// on write costs about 50 ns at 64 slots and 500 ns at 512; the deeper walk only costs cache misses.)
//
// ## Copy-on-write snapshots (the invariants)
// Every node, every page and the memory itself carry a generation number `gen`, the memory's
// generation when they were created. `snapshot()` keeps the current root and increments `this.gen`;
// `restore(s)` installs the captured root and increments it too.
// 1. A Directory or Leaf may be mutated in place only when `node.gen === this.gen`; a node of an older
//    generation may be reachable from a snapshot, so a write first copies the path from the root
//    (path copying: at most five directories and one leaf of 64 slots). A node of the current
//    generation is reachable from the current root only, because every snapshot starts a new generation.
// 2. Likewise a Page's bytes may be mutated in place only when `page.gen === this.gen`; an older page
//    is copied into a fresh one first (copy-on-write). Such a page was created, in this generation, in
//    a leaf of this generation, so it is not shared. Snapshots are therefore never mutated, any number
//    may be alive, and restoring an old one then writing cannot disturb another: snapshot() and
//    restore() are O(1), and the first write to a page after a snapshot costs one page copy (plus the
//    path, once per leaf).
//
// ## Caches (software TLBs)
// Loads first check the last page read (its base address and DataView: one subtraction and one
// comparison), then a 64-entry direct-mapped read TLB indexed by a hash of the page number,
// and only then walk the tree. Stores do the same with the last page written and a write TLB. A read
// entry may point at any readable page (ZERO_PAGE included); a write entry only at a writable page
// that may be mutated in place (invariant 2). Entries are refreshed when a page is replaced
// (copy-on-write, allocation, release) and dropped by snapshot (write entries), restore, map, unmap
// and protect. Accesses that cross a page boundary or fault take the slow path, which checks every
// byte's page before touching anything, so a faulting access has no effect.

import type { AccessKind, MemoryFault, MemorySnapshot, SnapshottableMemory, Value } from './contracts';
import * as values from './values';

// Bound once: when modules are compiled to CommonJS one by one (tsx, mocha), every use of a named
// import reads a getter on the exporting module's object, which costs more than the load itself.
const fromHalvesI64 = values.fromHalvesI64;
const fromHalvesU64 = values.fromHalvesU64;
const high32 = values.high32;
const low32 = values.low32;

/** Size of a page of FlatMemory: mapping, protection and copy-on-write granularity. */
export const PAGE_SIZE = 4096;

/** Addresses are 0 .. 2^48 - 1. */
const ADDRESS_LIMIT = 2 ** 48;
/** Slots per radix-tree node. Page number bits: 35..30 root, 29..24, 23..18, 17..12, 11..6, 5..0 leaf. */
const FANOUT = 64;
const SLOT_BITS = 6;
const SLOT_MASK = FANOUT - 1;
/** Directory levels: the root is level 5, the directories holding leaves are level 1. */
const ROOT_LEVEL = 5;
/** 2^30: page number / ROOT_SPAN = root slot (page numbers exceed 32 bits, so no shift there). */
const ROOT_SPAN = 2 ** 30;

/** The slot of page number `pn` in a directory of `level` (1 .. ROOT_LEVEL). */
function slotIndex(pn: number, level: number): number {
	// Below the root, the bits used are within the low 32 bits of pn, where `>>>` is exact.
	return level === ROOT_LEVEL ? Math.floor(pn / ROOT_SPAN) : (pn >>> (SLOT_BITS * level)) & SLOT_MASK;
}

/** Protection bits kept per page in a leaf. 0 means unmapped. */
const PROT_PRESENT = 1;
const PROT_READ = 2;
const PROT_WRITE = 4;

/**
 * Pages are carved out of slabs of this many pages: allocating a 4 KiB ArrayBuffer costs about as
 * much as a 64 KiB one (V8 tracks each as external memory), and pages allocated together tend to die
 * together, so little memory stays pinned by a slab.
 */
const SLAB_PAGES = 16;

/** Base address of an empty cache entry: `addr - NO_PAGE` is +Infinity (or NaN), never a page offset. */
const NO_PAGE = -Infinity;

/** Entries of each TLB (a power of two). */
const TLB_SIZE = 64;

/**
 * The TLB slot of the page containing `addr`: a fold of the low 24 bits of its page number, so that
 * the starts of regions aligned to large powers of two (text, data, heap, stack) do not collide.
 */
function tlbSlot(addr: number): number {
	// ToInt32 truncates the page number, then wraps it exactly to its low 32 bits.
	const pn = (addr * (1 / PAGE_SIZE)) | 0;
	return (pn ^ (pn >>> 6) ^ (pn >>> 12) ^ (pn >>> 18)) & (TLB_SIZE - 1);
}

/** Read/write permission of a mapped range. */
export interface PageProtection {
	readonly read: boolean;
	readonly write: boolean;
}

/** Host memory use, for benchmarks and the debugger's views. */
export interface MemoryStats {
	/** Bytes of address space mapped (a multiple of PAGE_SIZE). */
	readonly mappedBytes: number;
	/** Pages of the current contents that hold host memory (written at least once, not released). */
	readonly residentPages: number;
	/** Pages copied on write because a snapshot shared them, since this memory was created. */
	readonly copiedPages: number;
}

/** The bytes of one resident page. Immutable once a snapshot shares it (see invariant 2). */
class Page {
	readonly view: DataView;
	constructor(
		readonly gen: number,
		readonly bytes: Uint8Array,
	) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_SIZE);
	}
}

/** Contents of every mapped page that was never written (or was released by a zero fill). Never written. */
const ZERO_PAGE = new Page(-1, new Uint8Array(PAGE_SIZE));

/**
 * A packed (not holey) array of `count` copies of `value`: slices of it stay packed, which keeps
 * element loads fast. Tree nodes use plain arrays rather than typed arrays because copying a node on
 * write must be cheap, and each typed array would be a separate host allocation.
 */
function packed<T>(value: T, count: number): T[] {
	const out: T[] = [];
	for (let i = 0; i < count; i++) out.push(value);
	return out;
}

const NO_PROTECTION: readonly number[] = packed(0, FANOUT);
const NO_PAGES: readonly (Page | null)[] = packed<Page | null>(null, FANOUT);
const NO_SLOTS: readonly null[] = packed(null, FANOUT);

/** The last level of the radix tree: 64 consecutive pages. */
class Leaf {
	constructor(
		readonly gen: number,
		/** Per slot: 0 (unmapped) or PROT_PRESENT | PROT_READ? | PROT_WRITE?. */
		readonly prot: number[],
		/** Per slot: the page's bytes, or null when the page reads as zero. */
		readonly pages: (Page | null)[],
		/** Number of mapped slots. */
		public mapped: number,
	) {}

	static empty(gen: number): Leaf {
		return new Leaf(gen, NO_PROTECTION.slice(), NO_PAGES.slice(), 0);
	}

	/** A copy for generation `gen` sharing this leaf's pages. */
	copy(gen: number): Leaf {
		return new Leaf(gen, this.prot.slice(), this.pages.slice(), this.mapped);
	}
}

/** An inner level of the radix tree. Slots of level 1 hold leaves, slots of higher levels directories. */
class Directory {
	constructor(
		readonly gen: number,
		readonly slots: (Directory | Leaf | null)[],
	) {}

	static empty(gen: number): Directory {
		return new Directory(gen, NO_SLOTS.slice());
	}

	copy(gen: number): Directory {
		return new Directory(gen, this.slots.slice());
	}
}

/** A captured state of one FlatMemory: its root (never mutated again), counters and pending fault. */
class FlatSnapshot implements MemorySnapshot {
	readonly __memorySnapshot = true as const;
	constructor(
		readonly owner: FlatMemory,
		readonly root: Directory,
		readonly mappedPages: number,
		readonly residentPages: number,
		readonly fault: MemoryFault | null,
	) {}
}

/** The fault address for an address outside the 48-bit space: wrapped into it, as the hardware would drop bits 63..48. */
function wrapAddress(addr: number): number {
	if (!Number.isFinite(addr)) return 0;
	const r = Math.floor(addr) % ADDRESS_LIMIT;
	return r < 0 ? r + ADDRESS_LIMIT : r + 0;
}

/**
 * Sparse, little-endian memory over a 48-bit address space with page protection and O(1)
 * copy-on-write snapshots. Accesses to unmapped pages fault with reason `not-present`, accesses the
 * protection forbids with `protection`; a faulting access has no effect and loads return 0. `fault` is
 * only ever set here, never cleared: whoever handles a fault clears it.
 */
export class FlatMemory implements SnapshottableMemory {
	fault: MemoryFault | null = null;

	private root = Directory.empty(0);
	private gen = 0;
	private mappedPages = 0;
	private residentPages = 0;
	private copiedPages = 0;

	// The last page read and written: base address and DataView.
	private readBase = NO_PAGE;
	private readView: DataView = ZERO_PAGE.view;
	private writeBase = NO_PAGE;
	private writeView: DataView = ZERO_PAGE.view;
	// Direct-mapped TLBs: base address (NO_PAGE when empty) and DataView per slot.
	private readonly readTlbBase = new Float64Array(TLB_SIZE).fill(NO_PAGE);
	private readonly readTlbView: DataView[] = packed(ZERO_PAGE.view, TLB_SIZE);
	private readonly writeTlbBase = new Float64Array(TLB_SIZE).fill(NO_PAGE);
	private readonly writeTlbView: DataView[] = packed(ZERO_PAGE.view, TLB_SIZE);

	/** The slab that fresh pages are carved from, and the index of its next free page. */
	private slab = new ArrayBuffer(0);
	private slabNext = SLAB_PAGES;

	/** Staging bytes for accesses that cross a page boundary. */
	private readonly scratch = new Uint8Array(8);
	private readonly scratchView = new DataView(this.scratch.buffer);

	// ---- Loads -----------------------------------------------------------------------------------
	// Each load: the last page read, else the TLB or a walk (readMiss), else the checked slow path.
	// The in-page limits are literals (4096 - size): in V8 11 a module-level const costs a context
	// load per use, which would be a third of a load's cost here.

	ld8u(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off < 4096) return this.readView.getUint8(off);
		if (this.readMiss(addr, 1)) return this.readView.getUint8(addr - this.readBase);
		return this.loadSlow(addr, 1) ? this.scratch[0] : 0;
	}

	ld8s(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off < 4096) return this.readView.getInt8(off);
		if (this.readMiss(addr, 1)) return this.readView.getInt8(addr - this.readBase);
		return this.loadSlow(addr, 1) ? this.scratchView.getInt8(0) : 0;
	}

	ld16u(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4094) return this.readView.getUint16(off, true);
		if (this.readMiss(addr, 2)) return this.readView.getUint16(addr - this.readBase, true);
		return this.loadSlow(addr, 2) ? this.scratchView.getUint16(0, true) : 0;
	}

	ld16s(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4094) return this.readView.getInt16(off, true);
		if (this.readMiss(addr, 2)) return this.readView.getInt16(addr - this.readBase, true);
		return this.loadSlow(addr, 2) ? this.scratchView.getInt16(0, true) : 0;
	}

	ld32u(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4092) return this.readView.getUint32(off, true);
		if (this.readMiss(addr, 4)) return this.readView.getUint32(addr - this.readBase, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getUint32(0, true) : 0;
	}

	ld32s(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4092) return this.readView.getInt32(off, true);
		if (this.readMiss(addr, 4)) return this.readView.getInt32(addr - this.readBase, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getInt32(0, true) : 0;
	}

	ldf32(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4092) return this.readView.getFloat32(off, true);
		if (this.readMiss(addr, 4)) return this.readView.getFloat32(addr - this.readBase, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getFloat32(0, true) : 0;
	}

	ldf64(addr: number): number {
		const off = addr - this.readBase;
		if (off >= 0 && off <= 4088) return this.readView.getFloat64(off, true);
		if (this.readMiss(addr, 8)) return this.readView.getFloat64(addr - this.readBase, true);
		return this.loadSlow(addr, 8) ? this.scratchView.getFloat64(0, true) : 0;
	}

	ld64u(addr: number): Value {
		let off = addr - this.readBase;
		if (off >= 0 && off <= 4088) return fromHalvesU64(this.readView.getUint32(off + 4, true), this.readView.getUint32(off, true));
		if (this.readMiss(addr, 8)) {
			off = addr - this.readBase;
			return fromHalvesU64(this.readView.getUint32(off + 4, true), this.readView.getUint32(off, true));
		}
		return this.loadSlow(addr, 8) ? fromHalvesU64(this.scratchView.getUint32(0 + 4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	ld64s(addr: number): Value {
		let off = addr - this.readBase;
		if (off >= 0 && off <= 4088) return fromHalvesI64(this.readView.getInt32(off + 4, true), this.readView.getUint32(off, true));
		if (this.readMiss(addr, 8)) {
			off = addr - this.readBase;
			return fromHalvesI64(this.readView.getInt32(off + 4, true), this.readView.getUint32(off, true));
		}
		return this.loadSlow(addr, 8) ? fromHalvesI64(this.scratchView.getInt32(0 + 4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	// ---- Stores ----------------------------------------------------------------------------------

	st8(addr: number, v: number): void {
		const off = addr - this.writeBase;
		if (off >= 0 && off < 4096) return this.writeView.setUint8(off, v);
		if (this.writeMiss(addr, 1)) return this.writeView.setUint8(addr - this.writeBase, v);
		this.scratchView.setUint8(0, v);
		this.storeSlow(addr, 1);
	}

	st16(addr: number, v: number): void {
		const off = addr - this.writeBase;
		if (off >= 0 && off <= 4094) return this.writeView.setUint16(off, v, true);
		if (this.writeMiss(addr, 2)) return this.writeView.setUint16(addr - this.writeBase, v, true);
		this.scratchView.setUint16(0, v, true);
		this.storeSlow(addr, 2);
	}

	st32(addr: number, v: number): void {
		const off = addr - this.writeBase;
		if (off >= 0 && off <= 4092) return this.writeView.setInt32(off, v, true);
		if (this.writeMiss(addr, 4)) return this.writeView.setInt32(addr - this.writeBase, v, true);
		this.scratchView.setInt32(0, v, true);
		this.storeSlow(addr, 4);
	}

	stf32(addr: number, v: number): void {
		const off = addr - this.writeBase;
		if (off >= 0 && off <= 4092) return this.writeView.setFloat32(off, v, true);
		if (this.writeMiss(addr, 4)) return this.writeView.setFloat32(addr - this.writeBase, v, true);
		this.scratchView.setFloat32(0, v, true);
		this.storeSlow(addr, 4);
	}

	stf64(addr: number, v: number): void {
		const off = addr - this.writeBase;
		if (off >= 0 && off <= 4088) return this.writeView.setFloat64(off, v, true);
		if (this.writeMiss(addr, 8)) return this.writeView.setFloat64(addr - this.writeBase, v, true);
		this.scratchView.setFloat64(0, v, true);
		this.storeSlow(addr, 8);
	}

	st64(addr: number, v: Value): void {
		const lo = low32(v);
		const hi = high32(v);
		let off = addr - this.writeBase;
		if (off >= 0 && off <= 4088) {
			this.writeView.setUint32(off, lo, true);
			return this.writeView.setInt32(off + 4, hi, true);
		}
		if (this.writeMiss(addr, 8)) {
			off = addr - this.writeBase;
			this.writeView.setUint32(off, lo, true);
			return this.writeView.setInt32(off + 4, hi, true);
		}
		this.scratchView.setUint32(0, lo, true);
		this.scratchView.setInt32(4, hi, true);
		this.storeSlow(addr, 8);
	}

	// ---- Block operations ------------------------------------------------------------------------

	/** Copies `len` bytes from `src` to `dst` with memmove semantics. Faults (copying nothing) if any source byte is unreadable or any destination byte unwritable. */
	copy(dst: number, src: number, len: number): void {
		if (!(len > 0)) return;
		if (!this.checkRange(src, len, 'read') || !this.checkRange(dst, len, 'write')) return;
		if (dst > src && dst < src + len) {
			// The destination overlaps the end of the source: copy backwards, chunk by chunk.
			let end = len;
			while (end > 0) {
				const sourceEnd = src + end;
				const targetEnd = dst + end;
				const n = Math.min(end, ((sourceEnd - 1) % PAGE_SIZE) + 1, ((targetEnd - 1) % PAGE_SIZE) + 1);
				this.copyChunk(targetEnd - n, sourceEnd - n, n);
				end -= n;
			}
			return;
		}
		let pos = 0;
		while (pos < len) {
			const source = src + pos;
			const target = dst + pos;
			const n = Math.min(len - pos, PAGE_SIZE - (source % PAGE_SIZE), PAGE_SIZE - (target % PAGE_SIZE));
			this.copyChunk(target, source, n);
			pos += n;
		}
	}

	/** Sets `len` bytes at `dst` to `byte & 255`. Faults (writing nothing) if any byte is unwritable. Zeroing whole pages releases their host memory. */
	fill(dst: number, byte: number, len: number): void {
		if (!(len > 0)) return;
		if (!this.checkRange(dst, len, 'write')) return;
		const value = byte & 0xff;
		let pos = 0;
		while (pos < len) {
			const target = dst + pos;
			const off = target % PAGE_SIZE;
			const n = Math.min(len - pos, PAGE_SIZE - off);
			if (value !== 0) this.ownPage(target).bytes.fill(value, off, off + n);
			else if (n === PAGE_SIZE) this.releasePage(target);
			else if (this.residentPage(target) !== null) this.ownPage(target).bytes.fill(0, off, off + n);
			pos += n;
		}
	}

	/** Reads `len` bytes into a new array; null (and `fault` set) if any byte is unreadable. */
	read(addr: number, len: number): Uint8Array | null {
		if (!(len > 0)) return new Uint8Array(0);
		if (!this.checkRange(addr, len, 'read')) return null;
		const out = new Uint8Array(len);
		let pos = 0;
		while (pos < len) {
			const source = addr + pos;
			const off = source % PAGE_SIZE;
			const n = Math.min(len - pos, PAGE_SIZE - off);
			const page = this.residentPage(source);
			if (page !== null) out.set(page.bytes.subarray(off, off + n), pos);
			pos += n;
		}
		return out;
	}

	/** Writes `bytes` at `addr`; faults (writing nothing) if any byte is unwritable. */
	write(addr: number, bytes: Uint8Array): void {
		const len = bytes.length;
		if (len === 0) return;
		if (!this.checkRange(addr, len, 'write')) return;
		let pos = 0;
		while (pos < len) {
			const target = addr + pos;
			const off = target % PAGE_SIZE;
			const n = Math.min(len - pos, PAGE_SIZE - off);
			this.ownPage(target).bytes.set(bytes.subarray(pos, pos + n), off);
			pos += n;
		}
	}

	// ---- Mappings --------------------------------------------------------------------------------

	/**
	 * Maps the pages covering [start, start + length) with protection `prot`, zero-filled. Pages that
	 * were mapped already are replaced (their contents are discarded), like mmap with MAP_FIXED. No host
	 * memory is allocated until a page is written. Throws RangeError for a range outside 0 .. 2^48.
	 */
	map(start: number, length: number, prot: PageProtection): void {
		const bits = PROT_PRESENT | (prot.read ? PROT_READ : 0) | (prot.write ? PROT_WRITE : 0);
		this.forEachLeaf(start, length, true, (leaf, from, to) => {
			for (let i = from; i < to; i++) {
				if (leaf.prot[i] === 0) {
					leaf.mapped++;
					this.mappedPages++;
				}
				this.dropPage(leaf, i);
				leaf.prot[i] = bits;
			}
			return true;
		});
		this.resetCaches();
	}

	/** Unmaps the pages covering [start, start + length); unmapped pages in the range are ignored. Throws RangeError for a range outside 0 .. 2^48. */
	unmap(start: number, length: number): void {
		this.forEachLeaf(start, length, false, (leaf, from, to) => {
			for (let i = from; i < to; i++) {
				if (leaf.prot[i] === 0) continue;
				this.dropPage(leaf, i);
				leaf.prot[i] = 0;
				leaf.mapped--;
				this.mappedPages--;
			}
			return leaf.mapped > 0;
		});
		this.resetCaches();
	}

	/**
	 * Changes the protection of the mapped pages covering [start, start + length), keeping their
	 * contents. Returns false if some page of the range is not mapped (it stays unmapped, the others
	 * change). Throws RangeError for a range outside 0 .. 2^48.
	 */
	protect(start: number, length: number, prot: PageProtection): boolean {
		const bits = PROT_PRESENT | (prot.read ? PROT_READ : 0) | (prot.write ? PROT_WRITE : 0);
		let complete = true;
		const visited = this.forEachLeaf(start, length, false, (leaf, from, to) => {
			for (let i = from; i < to; i++) {
				if (leaf.prot[i] === 0) complete = false;
				else leaf.prot[i] = bits;
			}
			return true;
		});
		this.resetCaches();
		return complete && visited === this.pageCount(start, length);
	}

	/** True when the page containing `addr` is mapped (with any protection). */
	isMapped(addr: number): boolean {
		return this.protectionBits(addr) !== 0;
	}

	/** The protection of the page containing `addr`, or null when it is not mapped. */
	protection(addr: number): PageProtection | null {
		const bits = this.protectionBits(addr);
		if (bits === 0) return null;
		return { read: (bits & PROT_READ) !== 0, write: (bits & PROT_WRITE) !== 0 };
	}

	/** Host memory use of the current contents. */
	stats(): MemoryStats {
		return { mappedBytes: this.mappedPages * PAGE_SIZE, residentPages: this.residentPages, copiedPages: this.copiedPages };
	}

	// ---- Snapshots -------------------------------------------------------------------------------

	/** Captures the contents, mappings and pending fault in O(1); later writes copy the pages they touch. */
	snapshot(): MemorySnapshot {
		const s = new FlatSnapshot(this, this.root, this.mappedPages, this.residentPages, this.fault);
		this.gen++;
		// Pages that were writable in place are now shared with the snapshot.
		this.resetWriteCaches();
		return s;
	}

	/** Puts back exactly the contents, mappings and pending fault captured by `s` (a snapshot of this memory), in O(1). */
	restore(s: MemorySnapshot): void {
		if (!(s instanceof FlatSnapshot) || s.owner !== this) throw new Error('FlatMemory.restore: not a snapshot of this memory');
		this.root = s.root;
		this.mappedPages = s.mappedPages;
		this.residentPages = s.residentPages;
		this.fault = s.fault;
		// Nodes captured by any snapshot are older than the current generation already (snapshot() moved
		// on), so writes would copy them anyway; starting a new generation keeps invariant 1 evident.
		this.gen++;
		this.resetCaches();
	}

	// ---- Internals -------------------------------------------------------------------------------

	// Emptying an entry only needs its base: a view is never used without its base matching.
	// (Plain loops: TypedArray.prototype.fill costs a runtime call, and snapshot() runs this.)
	private resetCaches(): void {
		this.readBase = NO_PAGE;
		const bases = this.readTlbBase;
		for (let slot = 0; slot < TLB_SIZE; slot++) bases[slot] = NO_PAGE;
		this.resetWriteCaches();
	}

	private resetWriteCaches(): void {
		this.writeBase = NO_PAGE;
		const bases = this.writeTlbBase;
		for (let slot = 0; slot < TLB_SIZE; slot++) bases[slot] = NO_PAGE;
	}

	/** Points the read caches for the page at `base`, if they hold it, at `view` (its new bytes). */
	private refreshRead(base: number, view: DataView): void {
		if (this.readBase === base) this.readView = view;
		const slot = tlbSlot(base);
		if (this.readTlbBase[slot] === base) this.readTlbView[slot] = view;
	}

	/** The leaf holding page number `pn` (0 .. 2^36 - 1), or null. Unrolled: this is every cache miss. */
	private findLeaf(pn: number): Leaf | null {
		let node = this.root.slots[Math.floor(pn / ROOT_SPAN)] as Directory | null;
		if (node === null) return null;
		node = node.slots[(pn >>> 24) & SLOT_MASK] as Directory | null;
		if (node === null) return null;
		node = node.slots[(pn >>> 18) & SLOT_MASK] as Directory | null;
		if (node === null) return null;
		node = node.slots[(pn >>> 12) & SLOT_MASK] as Directory | null;
		if (node === null) return null;
		return node.slots[(pn >>> 6) & SLOT_MASK] as Leaf | null;
	}

	/**
	 * The leaf holding page number `pn`, made mutable (invariant 1) by copying the path from the root
	 * where it belongs to an older generation. Missing nodes are created when `create`, else null is returned.
	 */
	private mutableLeaf(pn: number, create: boolean): Leaf | null {
		const gen = this.gen;
		let dir = this.root;
		if (dir.gen !== gen) this.root = dir = dir.copy(gen);
		for (let level = ROOT_LEVEL; level > 1; level--) {
			const i = slotIndex(pn, level);
			let child = dir.slots[i] as Directory | null;
			if (child === null) {
				if (!create) return null;
				dir.slots[i] = child = Directory.empty(gen);
			} else if (child.gen !== gen) dir.slots[i] = child = child.copy(gen);
			dir = child;
		}
		const i = slotIndex(pn, 1);
		let leaf = dir.slots[i] as Leaf | null;
		if (leaf === null) {
			if (!create) return null;
			dir.slots[i] = leaf = Leaf.empty(gen);
		} else if (leaf.gen !== gen) dir.slots[i] = leaf = leaf.copy(gen);
		return leaf;
	}

	/** Removes the (mutable, just visited) leaf holding `pn` from its directory. */
	private detachLeaf(pn: number): void {
		let dir: Directory | null = this.root;
		for (let level = ROOT_LEVEL; level > 1 && dir !== null; level--) dir = dir.slots[slotIndex(pn, level)] as Directory | null;
		if (dir !== null && dir.gen === this.gen) dir.slots[slotIndex(pn, 1)] = null;
	}

	/** Number of pages covering [start, start + length). */
	private pageCount(start: number, length: number): number {
		if (length === 0) return 0;
		return Math.ceil((start + length) / PAGE_SIZE) - Math.floor(start / PAGE_SIZE);
	}

	/**
	 * Calls `visit(leaf, from, to)` for each leaf covering part of the pages of [start, start + length),
	 * with the slot range, after making the leaf mutable (creating it when `create`; leaves that do not
	 * exist are skipped otherwise). A leaf for which `visit` returns false is detached (it is empty).
	 * Returns the number of pages visited (those in existing or created leaves).
	 */
	private forEachLeaf(start: number, length: number, create: boolean, visit: (leaf: Leaf, from: number, to: number) => boolean): number {
		if (!(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 0 && start + length <= ADDRESS_LIMIT)) {
			throw new RangeError(`FlatMemory: bad range ${start} + ${length}`);
		}
		if (length === 0) return 0;
		const end = Math.ceil((start + length) / PAGE_SIZE);
		let visited = 0;
		let pn = Math.floor(start / PAGE_SIZE);
		while (pn < end) {
			if (!create) {
				// Skip whole missing subtrees: unmapping or protecting all of the address space stays cheap.
				const span = this.missingSpan(pn);
				if (span !== 0) {
					pn = Math.min(end, (Math.floor(pn / span) + 1) * span);
					continue;
				}
			}
			const first = pn & SLOT_MASK;
			const stop = Math.min(end, pn - first + FANOUT);
			const leaf = this.mutableLeaf(pn, create) as Leaf;
			visited += stop - pn;
			if (!visit(leaf, first, first + (stop - pn))) this.detachLeaf(pn);
			pn = stop;
		}
		return visited;
	}

	/** 0 when the leaf for page number `pn` exists, else the number of pages the missing node would cover. */
	private missingSpan(pn: number): number {
		let node: Directory | Leaf | null = this.root;
		for (let level = ROOT_LEVEL; level >= 1; level--) {
			node = (node as Directory).slots[slotIndex(pn, level)];
			if (node === null) return FANOUT ** level;
		}
		return 0;
	}

	/** Forgets the page in slot `i` of the mutable `leaf` (it reads as zero afterwards). */
	private dropPage(leaf: Leaf, i: number): void {
		if (leaf.pages[i] === null) return;
		leaf.pages[i] = null;
		this.residentPages--;
	}

	/** Protection bits of the page containing `addr` (0 when unmapped or outside the address space). */
	private protectionBits(addr: number): number {
		if (!(addr >= 0 && addr < ADDRESS_LIMIT)) return 0;
		const pn = Math.floor(addr / PAGE_SIZE);
		const leaf = this.findLeaf(pn);
		return leaf === null ? 0 : leaf.prot[pn & SLOT_MASK];
	}

	/** The resident page containing the mapped address `addr`, or null when it reads as zero. */
	private residentPage(addr: number): Page | null {
		const pn = Math.floor(addr / PAGE_SIZE);
		const leaf = this.findLeaf(pn);
		return leaf === null ? null : leaf.pages[pn & SLOT_MASK];
	}

	/**
	 * The page containing the mapped, writable address `addr`, writable in place: allocated if it read
	 * as zero, copied if a snapshot shares it. Read-cache entries for the page follow the new bytes.
	 */
	private ownPage(addr: number): Page {
		const pn = Math.floor(addr / PAGE_SIZE);
		const i = pn & SLOT_MASK;
		const current = this.findLeaf(pn);
		const resident = current === null ? null : current.pages[i];
		if (resident !== null && resident.gen === this.gen) return resident;
		const leaf = this.mutableLeaf(pn, false) as Leaf;
		const old = leaf.pages[i];
		if (this.slabNext === SLAB_PAGES) {
			this.slab = new ArrayBuffer(SLAB_PAGES * PAGE_SIZE);
			this.slabNext = 0;
		}
		const page = new Page(this.gen, new Uint8Array(this.slab, PAGE_SIZE * this.slabNext++, PAGE_SIZE));
		if (old === null) this.residentPages++;
		else {
			page.bytes.set(old.bytes);
			this.copiedPages++;
		}
		leaf.pages[i] = page;
		this.refreshRead(pn * PAGE_SIZE, page.view);
		return page;
	}

	/** Makes the mapped, writable page containing `addr` read as zero again, freeing its bytes. */
	private releasePage(addr: number): void {
		if (this.residentPage(addr) === null) return;
		const pn = Math.floor(addr / PAGE_SIZE);
		this.dropPage(this.mutableLeaf(pn, false) as Leaf, pn & SLOT_MASK);
		const base = pn * PAGE_SIZE;
		this.refreshRead(base, ZERO_PAGE.view);
		if (this.writeBase === base) this.writeBase = NO_PAGE;
		const slot = tlbSlot(base);
		if (this.writeTlbBase[slot] === base) this.writeTlbBase[slot] = NO_PAGE;
	}

	/** Copies `n` bytes from `source` to `target`, each range within one page, both checked. */
	private copyChunk(target: number, source: number, n: number): void {
		const from = this.residentPage(source);
		// Zeros into a page that reads as zero: nothing to do (and nothing to allocate).
		if (from === null && this.residentPage(target) === null) return;
		const to = this.ownPage(target);
		const sourceOff = source % PAGE_SIZE;
		const targetOff = target % PAGE_SIZE;
		if (from === null) to.bytes.fill(0, targetOff, targetOff + n);
		else if (from === to) to.bytes.copyWithin(targetOff, sourceOff, sourceOff + n);
		// `from` may be the pre-copy version of `to` (same contents) when both lie in one shared page.
		else to.bytes.set(from.bytes.subarray(sourceOff, sourceOff + n), targetOff);
	}

	/**
	 * For a `size`-byte load at `addr` that missed the last page read: makes its page the last page
	 * read, from the TLB or else by walking the tree (and filling the TLB), if the load lies within one
	 * readable page. Returns false (setting no fault) otherwise.
	 */
	private readMiss(addr: number, size: number): boolean {
		const slot = tlbSlot(addr);
		let base = this.readTlbBase[slot];
		const off = addr - base;
		if (!(off >= 0 && off <= PAGE_SIZE - size)) {
			if (!(addr >= 0 && addr < ADDRESS_LIMIT)) return false;
			const pn = Math.floor(addr / PAGE_SIZE);
			base = pn * PAGE_SIZE;
			if (addr - base > PAGE_SIZE - size) return false;
			const leaf = this.findLeaf(pn);
			if (leaf === null) return false;
			const i = pn & SLOT_MASK;
			if ((leaf.prot[i] & PROT_READ) === 0) return false;
			const page = leaf.pages[i];
			this.readTlbBase[slot] = base;
			this.readTlbView[slot] = page === null ? ZERO_PAGE.view : page.view;
		}
		this.readBase = base;
		this.readView = this.readTlbView[slot];
		return true;
	}

	/**
	 * For a `size`-byte store at `addr` that missed the last page written: makes its page the last
	 * page written, from the TLB or else by walking the tree, allocating or copying the page (and
	 * filling the TLB), if the store lies within one writable page. Returns false (setting no fault) otherwise.
	 */
	private writeMiss(addr: number, size: number): boolean {
		const slot = tlbSlot(addr);
		let base = this.writeTlbBase[slot];
		const off = addr - base;
		if (!(off >= 0 && off <= PAGE_SIZE - size)) {
			if (!(addr >= 0 && addr < ADDRESS_LIMIT)) return false;
			const pn = Math.floor(addr / PAGE_SIZE);
			base = pn * PAGE_SIZE;
			if (addr - base > PAGE_SIZE - size) return false;
			const leaf = this.findLeaf(pn);
			if (leaf === null || (leaf.prot[pn & SLOT_MASK] & PROT_WRITE) === 0) return false;
			this.writeTlbBase[slot] = base;
			this.writeTlbView[slot] = this.ownPage(addr).view;
		}
		this.writeBase = base;
		this.writeView = this.writeTlbView[slot];
		return true;
	}

	/** Sets `fault` for an `access` at `addr`, whose page has protection `bits` (0: unmapped). */
	private raise(addr: number, access: AccessKind, bits: number): void {
		const address = wrapAddress(addr);
		this.fault =
			bits === 0
				? { address, access, reason: 'not-present', detail: `${access} of unmapped address` }
				: { address, access, reason: 'protection', detail: access === 'write' ? 'write to read-only page' : `${access} of page without ${access} permission` };
	}

	/**
	 * Checks that every byte of [addr, addr + len) (len >= 1) may be accessed for `access`. Sets
	 * `fault` for the first byte that may not, and returns false; touches nothing either way.
	 */
	private checkRange(addr: number, len: number, access: 'read' | 'write'): boolean {
		const need = access === 'read' ? PROT_READ : PROT_WRITE;
		if (!(addr >= 0 && addr < ADDRESS_LIMIT)) {
			this.raise(addr, access, 0);
			return false;
		}
		const end = addr + len;
		for (let base = addr - (addr % PAGE_SIZE); base < end; base += PAGE_SIZE) {
			const bits = this.protectionBits(base);
			if ((bits & need) === 0) {
				this.raise(Math.max(base, addr), access, bits);
				return false;
			}
		}
		return true;
	}

	/** A load that crosses a page boundary or faults: into `scratch`, byte by byte after checking all. */
	private loadSlow(addr: number, size: number): boolean {
		if (!this.checkRange(addr, size, 'read')) return false;
		for (let k = 0; k < size; k++) {
			const page = this.residentPage(addr + k);
			this.scratch[k] = page === null ? 0 : page.bytes[(addr + k) % PAGE_SIZE];
		}
		return true;
	}

	/** A store (of the bytes in `scratch`) that crosses a page boundary or faults: all pages checked first. */
	private storeSlow(addr: number, size: number): void {
		if (!this.checkRange(addr, size, 'write')) return;
		for (let k = 0; k < size; k++) this.ownPage(addr + k).bytes[(addr + k) % PAGE_SIZE] = this.scratch[k];
	}
}

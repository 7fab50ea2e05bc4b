// Sparse, copy-on-write, snapshottable byte memory: the MemoryBus of the flat address space that
// `faultline exec` runs programs in before the simulated kernel provides processes (layer: interp).
//
// ## Layout
// The 48-bit address space is split into 4 KiB pages. Page numbers (36 bits) index a radix tree of
// four levels of 512 slots each, like x86-64 page tables: three levels of `Directory` and a `Leaf`
// holding, per page, its protection bits and its `Page` (bytes + DataView), or null for a page that
// is mapped but was never written. Such pages read as zero (through the shared ZERO_PAGE) and cost no
// host memory: a page is allocated on its first write only.
//
// ## Copy-on-write snapshots (the invariants)
// Every node and the memory itself carry a generation number `gen`. `snapshot()` keeps the current
// root and increments `this.gen`; `restore(s)` installs the captured root and increments it too.
// 1. A Directory or Leaf may be mutated in place only when `node.gen === this.gen`; a node of an older
//    generation may be reachable from a snapshot, so a write first copies the path from the root
//    (path copying, at most 3 * 512 slots + one leaf). A node of the current generation is reachable
//    from the current root only, because every snapshot or restore starts a new generation.
// 2. A Page's bytes may be mutated in place only when its leaf is of the current generation and the
//    leaf's `owned` flag for that slot is set: the page was allocated or copied by that very leaf.
//    Copying a leaf clears all `owned` flags, so a page shared with a snapshot is copied before it is
//    written. Snapshots are therefore never mutated, any number may be alive, and restoring an old one
//    then writing cannot disturb another: snapshot() and restore() are O(1).
//
// ## Last-page caches
// Loads check two read-cache entries (page base address + DataView) before anything else; stores
// check two write-cache entries. A read entry may point at any readable page (ZERO_PAGE included); a
// write entry only at a writable page that may be mutated in place (invariant 2). Entries are
// refreshed when a page is replaced (copy-on-write, allocation, release) and dropped by snapshot
// (write entries), restore, map, unmap and protect. Accesses that cross a page boundary, miss the
// caches, or fault take the slow path, which checks every byte's page before touching anything, so
// a faulting access has no effect.

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
/** Slots per radix-tree node. Page number bits: 35..27 root, 26..18, 17..9, 8..0 leaf. */
const FANOUT = 512;
const SLOT_MASK = FANOUT - 1;
/** 2^27: page number / ROOT_SPAN = root slot (page numbers exceed 32 bits, so no shift there). */
const ROOT_SPAN = 134217728;

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
	constructor(readonly bytes: Uint8Array) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_SIZE);
	}
}

/** Contents of every mapped page that was never written (or was released by a zero fill). Never written. */
const ZERO_PAGE = new Page(new Uint8Array(PAGE_SIZE));

/** The last level of the radix tree: 512 consecutive pages. */
class Leaf {
	constructor(
		readonly gen: number,
		/** Per slot: 0 (unmapped) or PROT_PRESENT | PROT_READ? | PROT_WRITE?. */
		readonly prot: Uint8Array,
		/** Per slot: the page's bytes, or null when the page reads as zero. */
		readonly pages: (Page | null)[],
		/** Per slot: 1 when this leaf allocated or copied the page, so it may write it in place. */
		readonly owned: Uint8Array,
		/** Number of mapped slots. */
		public mapped: number,
	) {}

	static empty(gen: number): Leaf {
		return new Leaf(gen, new Uint8Array(FANOUT), new Array<Page | null>(FANOUT).fill(null), new Uint8Array(FANOUT), 0);
	}

	/** A copy for generation `gen` sharing this leaf's pages (none owned by the copy). */
	copy(gen: number): Leaf {
		return new Leaf(gen, this.prot.slice(), this.pages.slice(), new Uint8Array(FANOUT), this.mapped);
	}
}

/** An inner level of the radix tree. */
class Directory<T> {
	constructor(
		readonly gen: number,
		readonly slots: (T | null)[],
	) {}

	static empty<T>(gen: number): Directory<T> {
		return new Directory<T>(gen, new Array<T | null>(FANOUT).fill(null));
	}

	copy(gen: number): Directory<T> {
		return new Directory<T>(gen, this.slots.slice());
	}
}

type Root = Directory<Directory<Directory<Leaf>>>;

/** A captured state of one FlatMemory: its root (never mutated again), counters and pending fault. */
class FlatSnapshot implements MemorySnapshot {
	readonly __memorySnapshot = true as const;
	constructor(
		readonly owner: FlatMemory,
		readonly root: Root,
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

	private root: Root = Directory.empty(0);
	private gen = 0;
	private mappedPages = 0;
	private residentPages = 0;
	private copiedPages = 0;

	// Read cache: two entries, most recently filled first.
	private r0Base = NO_PAGE;
	private r0View: DataView = ZERO_PAGE.view;
	private r1Base = NO_PAGE;
	private r1View: DataView = ZERO_PAGE.view;
	// Write cache: two entries of pages writable in place.
	private w0Base = NO_PAGE;
	private w0View: DataView = ZERO_PAGE.view;
	private w1Base = NO_PAGE;
	private w1View: DataView = ZERO_PAGE.view;

	/** The slab that fresh pages are carved from, and the index of its next free page. */
	private slab = new ArrayBuffer(0);
	private slabNext = SLAB_PAGES;

	/** Staging bytes for accesses that cross a page boundary. */
	private readonly scratch = new Uint8Array(8);
	private readonly scratchView = new DataView(this.scratch.buffer);

	// ---- Loads -----------------------------------------------------------------------------------

	ld8u(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off < 4096) return this.r0View.getUint8(off);
		off = addr - this.r1Base;
		if (off >= 0 && off < 4096) return this.r1View.getUint8(off);
		if (this.fillReadCache(addr, 1)) return this.r0View.getUint8(addr - this.r0Base);
		return this.loadSlow(addr, 1) ? this.scratch[0] : 0;
	}

	ld8s(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off < 4096) return this.r0View.getInt8(off);
		off = addr - this.r1Base;
		if (off >= 0 && off < 4096) return this.r1View.getInt8(off);
		if (this.fillReadCache(addr, 1)) return this.r0View.getInt8(addr - this.r0Base);
		return this.loadSlow(addr, 1) ? this.scratchView.getInt8(0) : 0;
	}

	ld16u(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4094) return this.r0View.getUint16(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4094) return this.r1View.getUint16(off, true);
		if (this.fillReadCache(addr, 2)) return this.r0View.getUint16(addr - this.r0Base, true);
		return this.loadSlow(addr, 2) ? this.scratchView.getUint16(0, true) : 0;
	}

	ld16s(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4094) return this.r0View.getInt16(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4094) return this.r1View.getInt16(off, true);
		if (this.fillReadCache(addr, 2)) return this.r0View.getInt16(addr - this.r0Base, true);
		return this.loadSlow(addr, 2) ? this.scratchView.getInt16(0, true) : 0;
	}

	ld32u(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4092) return this.r0View.getUint32(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4092) return this.r1View.getUint32(off, true);
		if (this.fillReadCache(addr, 4)) return this.r0View.getUint32(addr - this.r0Base, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getUint32(0, true) : 0;
	}

	ld32s(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4092) return this.r0View.getInt32(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4092) return this.r1View.getInt32(off, true);
		if (this.fillReadCache(addr, 4)) return this.r0View.getInt32(addr - this.r0Base, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getInt32(0, true) : 0;
	}

	ld64u(addr: number): Value {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4088) return fromHalvesU64(this.r0View.getUint32(off + 4, true), this.r0View.getUint32(off, true));
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4088) return fromHalvesU64(this.r1View.getUint32(off + 4, true), this.r1View.getUint32(off, true));
		if (this.fillReadCache(addr, 8)) {
			off = addr - this.r0Base;
			return fromHalvesU64(this.r0View.getUint32(off + 4, true), this.r0View.getUint32(off, true));
		}
		return this.loadSlow(addr, 8) ? fromHalvesU64(this.scratchView.getUint32(4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	ld64s(addr: number): Value {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4088) return fromHalvesI64(this.r0View.getInt32(off + 4, true), this.r0View.getUint32(off, true));
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4088) return fromHalvesI64(this.r1View.getInt32(off + 4, true), this.r1View.getUint32(off, true));
		if (this.fillReadCache(addr, 8)) {
			off = addr - this.r0Base;
			return fromHalvesI64(this.r0View.getInt32(off + 4, true), this.r0View.getUint32(off, true));
		}
		return this.loadSlow(addr, 8) ? fromHalvesI64(this.scratchView.getInt32(4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	ldf32(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4092) return this.r0View.getFloat32(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4092) return this.r1View.getFloat32(off, true);
		if (this.fillReadCache(addr, 4)) return this.r0View.getFloat32(addr - this.r0Base, true);
		return this.loadSlow(addr, 4) ? this.scratchView.getFloat32(0, true) : 0;
	}

	ldf64(addr: number): number {
		let off = addr - this.r0Base;
		if (off >= 0 && off <= 4088) return this.r0View.getFloat64(off, true);
		off = addr - this.r1Base;
		if (off >= 0 && off <= 4088) return this.r1View.getFloat64(off, true);
		if (this.fillReadCache(addr, 8)) return this.r0View.getFloat64(addr - this.r0Base, true);
		return this.loadSlow(addr, 8) ? this.scratchView.getFloat64(0, true) : 0;
	}

	// ---- Stores ----------------------------------------------------------------------------------

	st8(addr: number, v: number): void {
		let off = addr - this.w0Base;
		if (off >= 0 && off < 4096) return this.w0View.setUint8(off, v);
		off = addr - this.w1Base;
		if (off >= 0 && off < 4096) return this.w1View.setUint8(off, v);
		if (this.fillWriteCache(addr, 1)) return this.w0View.setUint8(addr - this.w0Base, v);
		this.scratchView.setUint8(0, v);
		this.storeSlow(addr, 1);
	}

	st16(addr: number, v: number): void {
		let off = addr - this.w0Base;
		if (off >= 0 && off <= 4094) return this.w0View.setUint16(off, v, true);
		off = addr - this.w1Base;
		if (off >= 0 && off <= 4094) return this.w1View.setUint16(off, v, true);
		if (this.fillWriteCache(addr, 2)) return this.w0View.setUint16(addr - this.w0Base, v, true);
		this.scratchView.setUint16(0, v, true);
		this.storeSlow(addr, 2);
	}

	st32(addr: number, v: number): void {
		let off = addr - this.w0Base;
		if (off >= 0 && off <= 4092) return this.w0View.setInt32(off, v, true);
		off = addr - this.w1Base;
		if (off >= 0 && off <= 4092) return this.w1View.setInt32(off, v, true);
		if (this.fillWriteCache(addr, 4)) return this.w0View.setInt32(addr - this.w0Base, v, true);
		this.scratchView.setInt32(0, v, true);
		this.storeSlow(addr, 4);
	}

	st64(addr: number, v: Value): void {
		const lo = low32(v);
		const hi = high32(v);
		let off = addr - this.w0Base;
		if (off >= 0 && off <= 4088) {
			this.w0View.setUint32(off, lo, true);
			return this.w0View.setInt32(off + 4, hi, true);
		}
		off = addr - this.w1Base;
		if (off >= 0 && off <= 4088) {
			this.w1View.setUint32(off, lo, true);
			return this.w1View.setInt32(off + 4, hi, true);
		}
		if (this.fillWriteCache(addr, 8)) {
			off = addr - this.w0Base;
			this.w0View.setUint32(off, lo, true);
			return this.w0View.setInt32(off + 4, hi, true);
		}
		this.scratchView.setUint32(0, lo, true);
		this.scratchView.setInt32(4, hi, true);
		this.storeSlow(addr, 8);
	}

	stf32(addr: number, v: number): void {
		let off = addr - this.w0Base;
		if (off >= 0 && off <= 4092) return this.w0View.setFloat32(off, v, true);
		off = addr - this.w1Base;
		if (off >= 0 && off <= 4092) return this.w1View.setFloat32(off, v, true);
		if (this.fillWriteCache(addr, 4)) return this.w0View.setFloat32(addr - this.w0Base, v, true);
		this.scratchView.setFloat32(0, v, true);
		this.storeSlow(addr, 4);
	}

	stf64(addr: number, v: number): void {
		let off = addr - this.w0Base;
		if (off >= 0 && off <= 4088) return this.w0View.setFloat64(off, v, true);
		off = addr - this.w1Base;
		if (off >= 0 && off <= 4088) return this.w1View.setFloat64(off, v, true);
		if (this.fillWriteCache(addr, 8)) return this.w0View.setFloat64(addr - this.w0Base, v, true);
		this.scratchView.setFloat64(0, v, true);
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
		this.w0Base = NO_PAGE;
		this.w1Base = NO_PAGE;
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

	private resetCaches(): void {
		this.r0Base = NO_PAGE;
		this.r1Base = NO_PAGE;
		this.w0Base = NO_PAGE;
		this.w1Base = NO_PAGE;
		this.r0View = this.r1View = this.w0View = this.w1View = ZERO_PAGE.view;
	}

	/** The leaf holding page number `pn` (0 .. 2^36 - 1), or null. */
	private findLeaf(pn: number): Leaf | null {
		const d2 = this.root.slots[Math.floor(pn / ROOT_SPAN)];
		if (d2 === null) return null;
		// Bits 26..0 of pn are within its low 32 bits, where `>>>` works exactly.
		const d1 = d2.slots[(pn >>> 18) & SLOT_MASK];
		if (d1 === null) return null;
		return d1.slots[(pn >>> 9) & SLOT_MASK];
	}

	/**
	 * The leaf holding page number `pn`, made mutable (invariant 1) by copying the path from the root
	 * where it belongs to an older generation. Missing nodes are created when `create`, else null is returned.
	 */
	private mutableLeaf(pn: number, create: boolean): Leaf | null {
		const gen = this.gen;
		let d3 = this.root;
		if (d3.gen !== gen) this.root = d3 = d3.copy(gen);
		const i3 = Math.floor(pn / ROOT_SPAN);
		let d2 = d3.slots[i3];
		if (d2 === null) {
			if (!create) return null;
			d3.slots[i3] = d2 = Directory.empty(gen);
		} else if (d2.gen !== gen) d3.slots[i3] = d2 = d2.copy(gen);
		const i2 = (pn >>> 18) & SLOT_MASK;
		let d1 = d2.slots[i2];
		if (d1 === null) {
			if (!create) return null;
			d2.slots[i2] = d1 = Directory.empty(gen);
		} else if (d1.gen !== gen) d2.slots[i2] = d1 = d1.copy(gen);
		const i1 = (pn >>> 9) & SLOT_MASK;
		let leaf = d1.slots[i1];
		if (leaf === null) {
			if (!create) return null;
			d1.slots[i1] = leaf = Leaf.empty(gen);
		} else if (leaf.gen !== gen) d1.slots[i1] = leaf = leaf.copy(gen);
		return leaf;
	}

	/** Removes the (mutable, just visited) leaf holding `pn` from its directory. */
	private detachLeaf(pn: number): void {
		const d2 = this.root.slots[Math.floor(pn / ROOT_SPAN)];
		const d1 = d2 === null ? null : d2.slots[(pn >>> 18) & SLOT_MASK];
		if (d1 !== null && d1.gen === this.gen) d1.slots[(pn >>> 9) & SLOT_MASK] = null;
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
		const d2 = this.root.slots[Math.floor(pn / ROOT_SPAN)];
		if (d2 === null) return ROOT_SPAN;
		const d1 = d2.slots[(pn >>> 18) & SLOT_MASK];
		if (d1 === null) return FANOUT * FANOUT;
		return d1.slots[(pn >>> 9) & SLOT_MASK] === null ? FANOUT : 0;
	}

	/** Forgets the page in slot `i` of the mutable `leaf` (it reads as zero afterwards). */
	private dropPage(leaf: Leaf, i: number): void {
		if (leaf.pages[i] === null) return;
		leaf.pages[i] = null;
		leaf.owned[i] = 0;
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
		if (current !== null && current.gen === this.gen && current.owned[i] === 1) return current.pages[i] as Page;
		const leaf = this.mutableLeaf(pn, false) as Leaf;
		const old = leaf.pages[i];
		if (this.slabNext === SLAB_PAGES) {
			this.slab = new ArrayBuffer(SLAB_PAGES * PAGE_SIZE);
			this.slabNext = 0;
		}
		const page = new Page(new Uint8Array(this.slab, PAGE_SIZE * this.slabNext++, PAGE_SIZE));
		if (old === null) this.residentPages++;
		else {
			page.bytes.set(old.bytes);
			this.copiedPages++;
		}
		leaf.pages[i] = page;
		leaf.owned[i] = 1;
		const base = pn * PAGE_SIZE;
		if (this.r0Base === base) this.r0View = page.view;
		if (this.r1Base === base) this.r1View = page.view;
		return page;
	}

	/** Makes the mapped, writable page containing `addr` read as zero again, freeing its bytes. */
	private releasePage(addr: number): void {
		if (this.residentPage(addr) === null) return;
		const pn = Math.floor(addr / PAGE_SIZE);
		this.dropPage(this.mutableLeaf(pn, false) as Leaf, pn & SLOT_MASK);
		const base = pn * PAGE_SIZE;
		if (this.r0Base === base) this.r0View = ZERO_PAGE.view;
		if (this.r1Base === base) this.r1View = ZERO_PAGE.view;
		if (this.w0Base === base) this.w0Base = NO_PAGE;
		if (this.w1Base === base) this.w1Base = NO_PAGE;
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
	 * Makes the page of a `size`-byte load at `addr` the first read-cache entry, if the load lies within
	 * one readable page. Returns false (setting no fault) otherwise.
	 */
	private fillReadCache(addr: number, size: number): boolean {
		if (!(addr >= 0 && addr < ADDRESS_LIMIT)) return false;
		const pn = Math.floor(addr / PAGE_SIZE);
		const base = pn * PAGE_SIZE;
		if (addr - base > PAGE_SIZE - size) return false;
		const leaf = this.findLeaf(pn);
		if (leaf === null) return false;
		const i = pn & SLOT_MASK;
		if ((leaf.prot[i] & PROT_READ) === 0) return false;
		const page = leaf.pages[i];
		this.r1Base = this.r0Base;
		this.r1View = this.r0View;
		this.r0Base = base;
		this.r0View = page === null ? ZERO_PAGE.view : page.view;
		return true;
	}

	/**
	 * Makes the page of a `size`-byte store at `addr` the first write-cache entry (allocating or copying
	 * it), if the store lies within one writable page. Returns false (setting no fault) otherwise.
	 */
	private fillWriteCache(addr: number, size: number): boolean {
		if (!(addr >= 0 && addr < ADDRESS_LIMIT)) return false;
		const pn = Math.floor(addr / PAGE_SIZE);
		const base = pn * PAGE_SIZE;
		if (addr - base > PAGE_SIZE - size) return false;
		const leaf = this.findLeaf(pn);
		if (leaf === null || (leaf.prot[pn & SLOT_MASK] & PROT_WRITE) === 0) return false;
		const page = this.ownPage(addr);
		this.w1Base = this.w0Base;
		this.w1View = this.w0View;
		this.w0Base = base;
		this.w0View = page.view;
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

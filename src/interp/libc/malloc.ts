// The user C library's memory allocator: boundary-tag chunks with segregated free lists, all of
// it (headers, links, bins) in simulated memory (layer: interp).
//
// Layout of a chunk at address c (16-aligned; the user pointer is c + 16):
//   c + 0   u64  canary(c) while the previous chunk is in use, else the previous chunk's size
//   c + 8   u64  size | INUSE | PREV_INUSE   (size includes the header, a multiple of 16, >= 32)
//   c + 16  u64  free chunks: next in bin      c + 24  u64  free chunks: previous in bin
// Invariants: no two free chunks are adjacent (they are coalesced) and the chunk just below `top`
// is in use, so a free chunk's PREV_INUSE is always set; everything from `top` to the heap limit
// is unallocated and mapped lazily in 64 KiB steps. Small bins hold one exact size each (32 ..
// 1024), the last bin holds every larger chunk and is searched first-fit. The canary and the size
// checks let `free` recognise pointers it never returned and double frees, and report them with
// glibc's messages.

import type { MemoryBus } from '../contracts';

const INUSE = 1;
const PREV_INUSE = 2;
const FLAG_MASK = 15;
const HEADER = 16;
const MIN_CHUNK = 32;
const ALIGNMENT = 16;
const SMALL_BINS = 63;
const LARGE_BIN = 63;
const GROWTH = 64 * 1024;

/** Offsets in the control block. */
const Control = {
	start: 0,
	top: 8,
	mappedEnd: 16,
	bitmapLow: 24,
	bitmapHigh: 28,
	bins: 32,
} as const;

/** Size of the control block the allocator keeps at `HeapConfig.control`. */
export const HEAP_CONTROL_SIZE = Control.bins + 8 * 64;

/** Where the heap lives and how it grows. */
export interface HeapConfig {
	/** Address of the control block (HEAP_CONTROL_SIZE bytes of mapped, writable memory). */
	readonly control: number;
	/** First address of the heap (16-aligned). */
	readonly start: number;
	/** End of the heap: allocations that would cross it fail with ENOMEM. */
	readonly limit: number;
	/** Makes [start, start + length) readable and writable; false if it cannot. */
	map(start: number, length: number): boolean;
}

/** A misuse of the allocator that glibc reports before aborting (`free(): invalid pointer`). */
export interface HeapError {
	readonly error: string;
}

function canary(c: number): number {
	return ((c / ALIGNMENT) ^ 0x4641554c) >>> 0;
}

function binIndex(size: number): number {
	return size < MIN_CHUNK + ALIGNMENT * SMALL_BINS ? (size - MIN_CHUNK) / ALIGNMENT : LARGE_BIN;
}

/** The allocator. Stateless: all state is in simulated memory, reached through `mem`. */
export class Allocator {
	constructor(private readonly config: HeapConfig) {}

	/** Writes an empty control block. The heap pages are mapped on demand. */
	init(mem: MemoryBus): void {
		const c = this.config.control;
		mem.fill(c, 0, HEAP_CONTROL_SIZE);
		mem.st64(c + Control.start, this.config.start);
		mem.st64(c + Control.top, this.config.start);
		mem.st64(c + Control.mappedEnd, this.config.start);
	}

	/** The chunk size serving a request of `n` bytes, or undefined if it can never fit. */
	private chunkSizeFor(n: number): number | undefined {
		if (n > this.config.limit - this.config.start) {
			return undefined;
		}
		return Math.max(MIN_CHUNK, Math.ceil((n + HEADER) / ALIGNMENT) * ALIGNMENT);
	}

	/** malloc: the user pointer, or 0 when the heap is exhausted. */
	malloc(mem: MemoryBus, n: number): number {
		const size = this.chunkSizeFor(n);
		if (size === undefined) {
			return 0;
		}
		const index = binIndex(size);
		if (index < SMALL_BINS) {
			const exact = this.binHead(mem, index);
			if (exact !== 0) {
				this.unlink(mem, exact, index);
				return this.useChunk(mem, exact, size, size);
			}
			for (let j = this.nextNonEmptyBin(mem, index + 1); j >= 0 && j < SMALL_BINS; j = this.nextNonEmptyBin(mem, j + 1)) {
				const c = this.binHead(mem, j);
				const csize = this.sizeOf(mem, c);
				this.unlink(mem, c, j);
				return this.useChunk(mem, c, csize, size);
			}
		}
		for (let c = this.binHead(mem, LARGE_BIN); c !== 0; c = this.ld(mem, c + 16)) {
			const csize = this.sizeOf(mem, c);
			if (csize >= size) {
				this.unlink(mem, c, LARGE_BIN);
				return this.useChunk(mem, c, csize, size);
			}
		}
		return this.fromTop(mem, size);
	}

	/** free: undefined when done (or p is NULL), else the glibc message for the misuse. */
	free(mem: MemoryBus, p: number): HeapError | undefined {
		if (p === 0) {
			return undefined;
		}
		const checked = this.check(mem, p, 'free()');
		if ('error' in checked) {
			return checked;
		}
		const { c, size, prevInUse } = checked;
		mem.st64(c + 8, size | prevInUse);
		this.release(mem, c, size, prevInUse);
		return undefined;
	}

	/** realloc: the new user pointer, or 0 (and p untouched) when memory is exhausted. */
	realloc(mem: MemoryBus, p: number, n: number): number | HeapError {
		if (p === 0) {
			return this.malloc(mem, n);
		}
		const checked = this.check(mem, p, 'realloc()');
		if ('error' in checked) {
			return checked;
		}
		if (n === 0) {
			// glibc frees the block and returns NULL.
			this.free(mem, p);
			return 0;
		}
		const need = this.chunkSizeFor(n);
		if (need === undefined) {
			return 0;
		}
		const { c, size, prevInUse } = checked;
		if (need <= size) {
			this.shrink(mem, c, size, need, prevInUse);
			return p;
		}
		const next = c + size;
		const top = this.ld(mem, this.config.control + Control.top);
		if (next === top) {
			if (c + need <= this.config.limit && this.ensureMapped(mem, c + need)) {
				mem.st64(c + 8, need | INUSE | prevInUse);
				mem.st64(this.config.control + Control.top, c + need);
				return p;
			}
		} else {
			const nextWord = this.ld(mem, next + 8);
			const nextSize = nextWord - (nextWord & FLAG_MASK);
			if ((nextWord & INUSE) === 0 && size + nextSize >= need) {
				this.unlink(mem, next, binIndex(nextSize));
				const total = size + nextSize;
				mem.st64(c + 8, total | INUSE | prevInUse);
				this.markPrevInUse(mem, c + total);
				this.shrink(mem, c, total, need, prevInUse);
				return p;
			}
		}
		const q = this.malloc(mem, n);
		if (q === 0) {
			return 0;
		}
		mem.copy(q, p, Math.min(size - HEADER, n));
		// malloc may have taken the free chunk just below c, so its PREV_INUSE must be read again.
		const prevNow = this.ld(mem, c + 8) & PREV_INUSE;
		mem.st64(c + 8, size | prevNow);
		this.release(mem, c, size, prevNow);
		return q;
	}

	/** memalign: a block whose address is a multiple of `alignment` (a power of two), or 0. */
	memalign(mem: MemoryBus, alignment: number, n: number): number {
		if (alignment <= ALIGNMENT) {
			return this.malloc(mem, n);
		}
		const need = this.chunkSizeFor(n);
		if (need === undefined || n + alignment + MIN_CHUNK > this.config.limit - this.config.start) {
			return 0;
		}
		const p = this.malloc(mem, n + alignment + MIN_CHUNK);
		if (p === 0) {
			return 0;
		}
		let c = p - HEADER;
		let size = this.sizeOf(mem, c);
		let aligned = Math.ceil(p / alignment) * alignment;
		if (aligned !== p && aligned - p < MIN_CHUNK) {
			aligned += alignment;
		}
		const lead = aligned - p;
		if (lead > 0) {
			// Give the leading part back as a free chunk.
			const prevInUse = this.ld(mem, c + 8) & PREV_INUSE;
			const ac = c + lead;
			mem.st64(ac, canary(ac));
			mem.st64(ac + 8, (size - lead) | INUSE | PREV_INUSE);
			mem.st64(c + 8, lead | prevInUse);
			this.release(mem, c, lead, prevInUse);
			c = ac;
			size -= lead;
		}
		this.shrink(mem, c, size, need, this.ld(mem, c + 8) & PREV_INUSE);
		return c + HEADER;
	}

	/** The usable size of an allocated block (at least what was asked for). */
	usableSize(mem: MemoryBus, p: number): number {
		return this.sizeOf(mem, p - HEADER) - HEADER;
	}

	/**
	 * Walks the heap and checks its invariants; returns a description of each violation (empty when
	 * the heap is sound). For tests and for the debugger's heap view.
	 */
	audit(mem: MemoryBus): { chunks: { address: number; size: number; inUse: boolean }[]; problems: string[] } {
		const problems: string[] = [];
		const chunks: { address: number; size: number; inUse: boolean }[] = [];
		const top = this.ld(mem, this.config.control + Control.top);
		let previousFree = false;
		let c = this.config.start;
		while (c < top) {
			const word = this.ld(mem, c + 8);
			const size = word - (word & FLAG_MASK);
			const inUse = (word & INUSE) !== 0;
			if (size < MIN_CHUNK || size % ALIGNMENT !== 0 || c + size > top) {
				problems.push(`chunk 0x${c.toString(16)}: bad size ${size}`);
				break;
			}
			if (((word & PREV_INUSE) !== 0) === previousFree) {
				problems.push(`chunk 0x${c.toString(16)}: PREV_INUSE disagrees with the previous chunk`);
			}
			if (!previousFree && this.ld(mem, c) !== canary(c)) {
				problems.push(`chunk 0x${c.toString(16)}: canary overwritten`);
			}
			if (!inUse && previousFree) {
				problems.push(`chunk 0x${c.toString(16)}: two adjacent free chunks`);
			}
			if (!inUse && c + size === top) {
				problems.push(`chunk 0x${c.toString(16)}: free chunk next to top`);
			}
			chunks.push({ address: c, size, inUse });
			previousFree = !inUse;
			c += size;
		}
		const binned = new Set<number>();
		for (let index = 0; index < 64; index++) {
			for (let f = this.binHead(mem, index); f !== 0; f = this.ld(mem, f + 16)) {
				if (binned.has(f) || binned.size > chunks.length) {
					problems.push(`bin ${index}: cycle`);
					break;
				}
				binned.add(f);
				if (binIndex(this.sizeOf(mem, f)) !== index) {
					problems.push(`bin ${index}: chunk 0x${f.toString(16)} of the wrong size`);
				}
			}
		}
		const free = chunks.filter(ch => !ch.inUse);
		if (free.length !== binned.size || free.some(ch => !binned.has(ch.address))) {
			problems.push('free chunks and bins disagree');
		}
		return { chunks, problems };
	}

	// ---- internals ----

	private ld(mem: MemoryBus, address: number): number {
		return Number(mem.ld64u(address));
	}

	private sizeOf(mem: MemoryBus, c: number): number {
		const word = this.ld(mem, c + 8);
		return word - (word & FLAG_MASK);
	}

	/** Validates a pointer given to free/realloc the way glibc's checks do. */
	private check(mem: MemoryBus, p: number, who: string): { c: number; size: number; prevInUse: number } | HeapError {
		const control = this.config.control;
		const mappedEnd = this.ld(mem, control + Control.mappedEnd);
		const invalid = { error: `${who}: invalid pointer` };
		if (p % ALIGNMENT !== 0 || p < this.config.start + HEADER || p >= mappedEnd) {
			return invalid;
		}
		const c = p - HEADER;
		const word = this.ld(mem, c + 8);
		const size = word - (word & FLAG_MASK);
		const top = this.ld(mem, control + Control.top);
		if ((word & INUSE) === 0) {
			if (size >= MIN_CHUNK && size % ALIGNMENT === 0) {
				// glibc 2.36 finds small blocks in its tcache, larger ones by the next chunk's PREV_INUSE.
				return { error: size <= 1040 ? `${who}: double free detected in tcache 2` : 'double free or corruption (!prev)' };
			}
			return invalid;
		}
		if (c >= top || size < MIN_CHUNK || size % ALIGNMENT !== 0 || c + size > top) {
			return size < MIN_CHUNK || c + size > top ? { error: `${who}: invalid size` } : invalid;
		}
		const prevInUse = word & PREV_INUSE;
		if (prevInUse !== 0) {
			if (this.ld(mem, c) !== canary(c)) {
				return invalid;
			}
		} else {
			const prevSize = this.ld(mem, c);
			const pc = c - prevSize;
			if (prevSize < MIN_CHUNK || prevSize % ALIGNMENT !== 0 || pc < this.config.start) {
				return invalid;
			}
			const prevWord = this.ld(mem, pc + 8);
			if (prevWord - (prevWord & FLAG_MASK) !== prevSize || (prevWord & INUSE) !== 0) {
				return { error: 'corrupted size vs. prev_size' };
			}
		}
		const next = c + size;
		if (next < top && (this.ld(mem, next + 8) & PREV_INUSE) === 0) {
			return { error: 'double free or corruption (!prev)' };
		}
		return { c, size, prevInUse };
	}

	/** Turns the unlinked free chunk c (csize bytes) into an allocation of `need` bytes. */
	private useChunk(mem: MemoryBus, c: number, csize: number, need: number): number {
		const rest = csize - need;
		mem.st64(c, canary(c));
		if (rest >= MIN_CHUNK) {
			mem.st64(c + 8, need | INUSE | PREV_INUSE);
			const r = c + need;
			mem.st64(r, canary(r));
			mem.st64(r + 8, rest | PREV_INUSE);
			// The chunk after the remainder still sees a free predecessor, now `rest` bytes long.
			const after = c + csize;
			if (after < this.ld(mem, this.config.control + Control.top)) {
				mem.st64(after, rest);
			}
			this.link(mem, r, binIndex(rest));
		} else {
			mem.st64(c + 8, csize | INUSE | PREV_INUSE);
			this.markPrevInUse(mem, c + csize);
		}
		return c + HEADER;
	}

	private fromTop(mem: MemoryBus, size: number): number {
		const topAddress = this.config.control + Control.top;
		const top = this.ld(mem, topAddress);
		const end = top + size;
		if (end > this.config.limit || !this.ensureMapped(mem, end)) {
			return 0;
		}
		mem.st64(top, canary(top));
		mem.st64(top + 8, size | INUSE | PREV_INUSE);
		mem.st64(topAddress, end);
		return top + HEADER;
	}

	private ensureMapped(mem: MemoryBus, end: number): boolean {
		const mappedAddress = this.config.control + Control.mappedEnd;
		const mapped = this.ld(mem, mappedAddress);
		if (end <= mapped) {
			return true;
		}
		const newEnd = Math.min(this.config.limit, Math.ceil(end / GROWTH) * GROWTH);
		if (!this.config.map(mapped, newEnd - mapped)) {
			return false;
		}
		mem.st64(mappedAddress, newEnd);
		return true;
	}

	/** Marks chunk n (if below top) as having an in-use predecessor. */
	private markPrevInUse(mem: MemoryBus, n: number): void {
		if (n < this.ld(mem, this.config.control + Control.top)) {
			mem.st64(n, canary(n));
			mem.st64(n + 8, this.ld(mem, n + 8) | PREV_INUSE);
		}
	}

	/** Cuts an in-use chunk down to `need` bytes, releasing the tail if it can stand alone. */
	private shrink(mem: MemoryBus, c: number, size: number, need: number, prevInUse: number): void {
		if (size - need < MIN_CHUNK) {
			return;
		}
		mem.st64(c + 8, need | INUSE | prevInUse);
		const r = c + need;
		mem.st64(r, canary(r));
		mem.st64(r + 8, (size - need) | PREV_INUSE);
		this.release(mem, r, size - need, PREV_INUSE);
	}

	/** Returns chunk c (header already marked free) to the heap, coalescing with free neighbours and top. */
	private release(mem: MemoryBus, c: number, size: number, prevInUse: number): void {
		const topAddress = this.config.control + Control.top;
		if (prevInUse === 0) {
			const prevSize = this.ld(mem, c);
			c -= prevSize;
			size += prevSize;
			this.unlink(mem, c, binIndex(prevSize));
		}
		const top = this.ld(mem, topAddress);
		let next = c + size;
		if (next !== top) {
			const nextWord = this.ld(mem, next + 8);
			if ((nextWord & INUSE) === 0) {
				const nextSize = nextWord - (nextWord & FLAG_MASK);
				this.unlink(mem, next, binIndex(nextSize));
				size += nextSize;
				next = c + size;
			}
		}
		mem.st64(c, canary(c));
		mem.st64(c + 8, size | PREV_INUSE);
		if (next === top) {
			mem.st64(topAddress, c);
			return;
		}
		mem.st64(next, size);
		mem.st64(next + 8, this.ld(mem, next + 8) & ~PREV_INUSE);
		this.link(mem, c, binIndex(size));
	}

	private binHead(mem: MemoryBus, index: number): number {
		return this.ld(mem, this.config.control + Control.bins + 8 * index);
	}

	private setBinHead(mem: MemoryBus, index: number, c: number): void {
		mem.st64(this.config.control + Control.bins + 8 * index, c);
		const wordAddress = this.config.control + (index < 32 ? Control.bitmapLow : Control.bitmapHigh);
		const bit = 1 << (index % 32);
		const word = mem.ld32u(wordAddress);
		mem.st32(wordAddress, (c !== 0 ? word | bit : word & ~bit) >>> 0);
	}

	/** The first non-empty bin at or after `from`, or -1. */
	private nextNonEmptyBin(mem: MemoryBus, from: number): number {
		for (let half = from < 32 ? 0 : 1; half < 2; half++) {
			let word = mem.ld32u(this.config.control + (half === 0 ? Control.bitmapLow : Control.bitmapHigh));
			const base = half * 32;
			if (from > base) {
				word = from - base >= 32 ? 0 : (word >>> (from - base)) << (from - base);
			}
			if (word !== 0) {
				return base + (31 - Math.clz32(word & -word));
			}
		}
		return -1;
	}

	private link(mem: MemoryBus, c: number, index: number): void {
		const head = this.binHead(mem, index);
		mem.st64(c + 16, head);
		mem.st64(c + 24, 0);
		if (head !== 0) {
			mem.st64(head + 24, c);
		}
		this.setBinHead(mem, index, c);
	}

	private unlink(mem: MemoryBus, c: number, index: number): void {
		const next = this.ld(mem, c + 16);
		const prev = this.ld(mem, c + 24);
		if (prev !== 0) {
			mem.st64(prev + 16, next);
		} else {
			this.setBinHead(mem, index, next);
		}
		if (next !== 0) {
			mem.st64(next + 24, prev);
		}
	}
}

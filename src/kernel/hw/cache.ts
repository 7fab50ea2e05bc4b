// The CPU cache model for non-coherent device access (layer: kernel, hardware).
//
// On a non-coherent system (ARM SoCs, some GPUs' system memory) devices read and write RAM without
// looking into the CPU caches. The model keeps 64-byte lines for the physical ranges the machine
// configuration declares non-coherent; everywhere else the CPU caches are coherent and not modelled
// (the CPU bus goes straight to RAM there, on its fast path).
//
// Inside a non-coherent range, for CPU accesses through a cacheable mapping (WB, WT, WP):
// - a load fills the line from RAM if absent, then reads the line (later device writes to RAM stay
//   invisible: the CPU reads the stale line until it is invalidated);
// - a WB store allocates the line (filling it) and dirties it: RAM, and so the device, does not see it
//   until the line is cleaned; a WT store writes RAM and updates a present line; a WP store writes RAM
//   and drops the line;
// - device (DMA) accesses go to physical memory directly and never touch the lines.
// Uncached mappings (UC, UC-, WC) bypass the lines in both directions, as on hardware (a dirty line
// written back later overwrites what an uncached store put in RAM).
// Maintenance: `clean` writes dirty lines back (they stay, clean), `invalidate` drops lines (dirty
// data is lost, as on hardware), `flush` = clean + invalidate. Lines are never evicted on their own:
// the model has no capacity limit, so a missing maintenance operation is always visible.
// The page walker reads and updates page-table entries coherently (`coherentLoad32/Store32`).
//
// Snapshots are copy-on-write: a snapshot shares the line map and the lines; a mutation after it
// copies the map once and each line it touches (a line may be mutated only when `line.gen === gen`).

import * as pageTable from './pageTable';
import type { CacheMode } from './pageTable';
import * as physMem from './physMem';
import type { PhysicalMemory } from './physMem';

// Imported bindings compile to getter calls under CommonJS (tsx, mocha), which V8 does not always
// inline: the hot paths use module-local copies.
const { FRAME_SIZE } = physMem;
const { isCacheable } = pageTable;

/** Size of a cache line. */
export const LINE_SIZE = 64;

/** State of one line, for views. */
export type LineState = 'absent' | 'clean' | 'dirty';

/** What the cache tells its event hook (views, traces). */
export interface CacheEvent {
	readonly kind: 'fill' | 'writeback' | 'drop';
	/** Physical address of the line. */
	readonly address: number;
	/** For 'drop': the line was dirty, so its data was lost. */
	readonly lostDirtyData?: boolean;
}

/** A non-coherent physical range. */
export interface NonCoherentRange {
	readonly base: number;
	readonly size: number;
}

class Line {
	constructor(
		readonly gen: number,
		readonly data: Uint8Array,
		public dirty: boolean,
	) {}
}

/** Opaque captured cache state. */
export interface CacheSnapshot {
	readonly __cacheSnapshot: true;
}

class CacheSnapshotImpl implements CacheSnapshot {
	readonly __cacheSnapshot = true as const;
	constructor(
		readonly owner: CpuCache,
		readonly lines: Map<number, Line>,
		readonly ranges: readonly NonCoherentRange[],
	) {}
}

/** The CPUs' caches as the devices see them (one model for all CPUs: CPU-to-CPU coherence is the hardware's). */
export class CpuCache {
	private lines = new Map<number, Line>();
	/** The map is shared with a snapshot: copy before mutating. */
	private linesShared = false;
	private gen = 0;
	private rangeList: readonly NonCoherentRange[] = [];
	private readonly listeners: (() => void)[] = [];
	private readonly scratch = new Uint8Array(8);
	private readonly scratchView = new DataView(this.scratch.buffer);

	/** Observer of fills, write-backs and drops. */
	onEvent: ((event: CacheEvent) => void) | null = null;

	constructor(private readonly phys: PhysicalMemory) {}

	// ---- Configuration ---------------------------------------------------------------------------

	/** True when some range is non-coherent (otherwise the model is never consulted). */
	get active(): boolean {
		return this.rangeList.length > 0;
	}

	/** Declares [base, base + size) non-coherent. Throws RangeError unless both are multiples of 64 (host bug). */
	addNonCoherentRange(base: number, size: number): void {
		if (!(Number.isInteger(base) && Number.isInteger(size) && base >= 0 && size > 0 && base % LINE_SIZE === 0 && size % LINE_SIZE === 0)) {
			throw new RangeError('CpuCache: non-coherent ranges must be line-aligned');
		}
		this.rangeList = Object.freeze([...this.rangeList, { base, size }].sort((a, b) => a.base - b.base));
		this.notify();
	}

	/** Makes [base, base + size) coherent again; its lines are written back and dropped first. */
	removeNonCoherentRange(base: number, size: number): void {
		this.flush(base, size);
		this.rangeList = Object.freeze(this.rangeList.filter((r) => r.base !== base || r.size !== size));
		this.notify();
	}

	nonCoherentRanges(): readonly NonCoherentRange[] {
		return this.rangeList;
	}

	/** True when physical address `pa` is non-coherent. */
	covers(pa: number): boolean {
		for (const r of this.rangeList) if (pa >= r.base && pa < r.base + r.size) return true;
		return false;
	}

	/** True when some byte of frame `pfn` is non-coherent. */
	coversFrame(pfn: number): boolean {
		const start = pfn * FRAME_SIZE;
		for (const r of this.rangeList) if (start < r.base + r.size && r.base < start + FRAME_SIZE) return true;
		return false;
	}

	/** Hardware-internal: `listener` runs when the non-coherent ranges change or a snapshot is restored. */
	addListener(listener: () => void): void {
		this.listeners.push(listener);
	}

	private notify(): void {
		for (const l of this.listeners) l();
	}

	// ---- CPU accesses ----------------------------------------------------------------------------

	/**
	 * A CPU read of `len` bytes at `pa` through a mapping of cache mode `mode`, into `out[outOffset..]`.
	 * False (and `phys.fault` set, nothing read) on a bus error.
	 */
	cpuRead(pa: number, out: Uint8Array, outOffset: number, len: number, mode: CacheMode): boolean {
		if (!this.phys.checkRange(pa, len, 'read')) return false;
		if (!isCacheable(mode)) return this.phys.readInto(pa, out, outOffset, len);
		let pos = 0;
		while (pos < len) {
			const at = pa + pos;
			const inLine = at % LINE_SIZE;
			const n = Math.min(len - pos, LINE_SIZE - inLine);
			if (this.covers(at)) {
				const line = this.lineFor(at - inLine);
				out.set(line.data.subarray(inLine, inLine + n), outOffset + pos);
			} else this.phys.readInto(at, out, outOffset + pos, n);
			pos += n;
		}
		return true;
	}

	/** A CPU write of `src[srcOffset .. srcOffset + len)` at `pa` through a mapping of cache mode `mode`. False on a bus error (nothing written). */
	cpuWrite(pa: number, src: Uint8Array, srcOffset: number, len: number, mode: CacheMode): boolean {
		if (!this.phys.checkRange(pa, len, 'write')) return false;
		if (!isCacheable(mode)) return this.phys.writeFrom(pa, src, srcOffset, len);
		let pos = 0;
		while (pos < len) {
			const at = pa + pos;
			const inLine = at % LINE_SIZE;
			const n = Math.min(len - pos, LINE_SIZE - inLine);
			const lineAddress = at - inLine;
			if (!this.covers(at)) this.phys.writeFrom(at, src, srcOffset + pos, n);
			else if (mode === 'WB') {
				const line = this.mutableLine(this.lineFor(lineAddress), lineAddress);
				line.data.set(src.subarray(srcOffset + pos, srcOffset + pos + n), inLine);
				line.dirty = true;
			} else {
				this.phys.writeFrom(at, src, srcOffset + pos, n);
				const present = this.lines.get(lineAddress / LINE_SIZE);
				if (present !== undefined) {
					if (mode === 'WT') this.mutableLine(present, lineAddress).data.set(src.subarray(srcOffset + pos, srcOffset + pos + n), inLine);
					else this.dropLine(lineAddress);
				}
			}
			pos += n;
		}
		return true;
	}

	/** The page walker's coherent 32-bit read: the line when the CPU holds it, else RAM. */
	coherentLoad32(pa: number): number {
		const line = this.covers(pa) ? this.lines.get(Math.floor(pa / LINE_SIZE)) : undefined;
		if (line === undefined || pa % LINE_SIZE > LINE_SIZE - 4) return this.phys.ld32(pa);
		const off = pa % LINE_SIZE;
		return (line.data[off] | (line.data[off + 1] << 8) | (line.data[off + 2] << 16) | (line.data[off + 3] << 24)) >>> 0;
	}

	/** The page walker's coherent 32-bit update (accessed and dirty bits): into the line when the CPU holds it, else RAM. */
	coherentStore32(pa: number, v: number): void {
		const lineAddress = pa - (pa % LINE_SIZE);
		const present = this.covers(pa) ? this.lines.get(lineAddress / LINE_SIZE) : undefined;
		if (present === undefined || pa % LINE_SIZE > LINE_SIZE - 4) {
			this.phys.st32(pa, v);
			return;
		}
		const line = this.mutableLine(present, lineAddress);
		this.scratchView.setUint32(0, v >>> 0, true);
		line.data.set(this.scratch.subarray(0, 4), pa % LINE_SIZE);
		line.dirty = true;
	}

	// ---- Maintenance -----------------------------------------------------------------------------

	/** Writes back the dirty lines of [pa, pa + len); they stay cached, clean. Returns how many were written. */
	clean(pa: number, len: number): number {
		let written = 0;
		for (const lineAddress of this.linesIn(pa, len)) {
			const line = this.lines.get(lineAddress / LINE_SIZE) as Line;
			if (!line.dirty) continue;
			this.phys.writeFrom(lineAddress, line.data, 0, LINE_SIZE);
			this.mutableLine(line, lineAddress).dirty = false;
			written++;
			if (this.onEvent !== null) this.onEvent({ kind: 'writeback', address: lineAddress });
		}
		return written;
	}

	/** Drops the lines of [pa, pa + len), losing dirty data. Returns how many were dropped. */
	invalidate(pa: number, len: number): number {
		const lines = this.linesIn(pa, len);
		for (const lineAddress of lines) this.dropLine(lineAddress);
		return lines.length;
	}

	/** Writes back and drops the lines of [pa, pa + len). Returns how many were dropped. */
	flush(pa: number, len: number): number {
		this.clean(pa, len);
		return this.invalidate(pa, len);
	}

	/** State of the line containing `pa`. */
	lineState(pa: number): LineState {
		const line = this.lines.get(Math.floor(pa / LINE_SIZE));
		return line === undefined ? 'absent' : line.dirty ? 'dirty' : 'clean';
	}

	/** Cached lines overlapping [pa, pa + len), by address, with their state. */
	cachedLines(pa: number, len: number): { readonly address: number; readonly state: LineState }[] {
		return this.linesIn(pa, len).map((address) => ({ address, state: this.lineState(address) }));
	}

	/** Bytes the CPU would read at `pa` (the line when cached, else RAM), without filling anything: for views. Null on a bus error. */
	peek(pa: number, len: number): Uint8Array | null {
		const out = this.phys.read(pa, len);
		if (out === null) return null;
		for (const lineAddress of this.linesIn(pa, len)) {
			const line = this.lines.get(lineAddress / LINE_SIZE) as Line;
			const from = Math.max(pa, lineAddress);
			const to = Math.min(pa + len, lineAddress + LINE_SIZE);
			out.set(line.data.subarray(from - lineAddress, to - lineAddress), from - pa);
		}
		return out;
	}

	// ---- Snapshots -------------------------------------------------------------------------------

	snapshot(): CacheSnapshot {
		const s = new CacheSnapshotImpl(this, this.lines, this.rangeList);
		this.linesShared = true;
		this.gen++;
		return s;
	}

	restore(s: CacheSnapshot): void {
		if (!(s instanceof CacheSnapshotImpl) || s.owner !== this) throw new Error('CpuCache.restore: not a snapshot of this cache');
		this.lines = s.lines;
		this.linesShared = true;
		this.rangeList = s.ranges;
		this.gen++;
		this.notify();
	}

	// ---- Internals -------------------------------------------------------------------------------

	/** The line at `lineAddress`, filled from RAM when absent. */
	private lineFor(lineAddress: number): Line {
		const present = this.lines.get(lineAddress / LINE_SIZE);
		if (present !== undefined) return present;
		const data = new Uint8Array(LINE_SIZE);
		this.phys.readInto(lineAddress, data, 0, LINE_SIZE);
		const line = new Line(this.gen, data, false);
		this.ownMap().set(lineAddress / LINE_SIZE, line);
		if (this.onEvent !== null) this.onEvent({ kind: 'fill', address: lineAddress });
		return line;
	}

	/** `line` (cached at `lineAddress`), made mutable: copied when a snapshot may share it. */
	private mutableLine(line: Line, lineAddress: number): Line {
		if (line.gen === this.gen) return line;
		const copy = new Line(this.gen, line.data.slice(), line.dirty);
		this.ownMap().set(lineAddress / LINE_SIZE, copy);
		return copy;
	}

	private dropLine(lineAddress: number): void {
		const line = this.lines.get(lineAddress / LINE_SIZE);
		if (line === undefined) return;
		this.ownMap().delete(lineAddress / LINE_SIZE);
		if (this.onEvent !== null) this.onEvent({ kind: 'drop', address: lineAddress, lostDirtyData: line.dirty });
	}

	private ownMap(): Map<number, Line> {
		if (this.linesShared) {
			this.lines = new Map(this.lines);
			this.linesShared = false;
		}
		return this.lines;
	}

	/** Addresses of the cached lines overlapping [pa, pa + len), sorted. */
	private linesIn(pa: number, len: number): number[] {
		if (!(len > 0) || this.lines.size === 0) return [];
		const first = Math.floor(pa / LINE_SIZE);
		const last = Math.floor((pa + len - 1) / LINE_SIZE);
		const out: number[] = [];
		if (last - first + 1 <= this.lines.size) {
			for (let n = first; n <= last; n++) if (this.lines.has(n)) out.push(n * LINE_SIZE);
		} else {
			for (const n of this.lines.keys()) if (n >= first && n <= last) out.push(n * LINE_SIZE);
			out.sort((a, b) => a - b);
		}
		return out;
	}
}

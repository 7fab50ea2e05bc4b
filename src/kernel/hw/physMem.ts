// The physical address space of the simulated machine: RAM, RAM-like device memory, MMIO register
// windows, apertures and holes, with copy-on-write snapshots (layer: kernel, hardware).
//
// ## Regions
// The 46-bit physical address space (MAXPHYADDR = 46) holds non-overlapping regions, each a whole
// number of 4 KiB frames. What backs a region follows from its kind:
// - `ram`, `vram`, `spu-ls`: sparse frames (below). `rom`: frames whose stores are dropped (initialise
//   them with `writeBackdoor`).
// - `mmio`, `spu-ps`: a device model's `DeviceRegisters`; until one is attached, accesses are bus errors.
// - `gtt-aperture`: with an `ApertureRemap` (a GART), each aperture page stands for the RAM frame the
//   remap names; with a device, the device; with neither, sparse frames of its own.
// - `hole`, and every address outside all regions: accesses are bus errors (a BusFault, reason 'bus').
//
// ## Frames
// Frame-backed memory is stored per 4 KiB frame, keyed by physical frame number (PFN, 34 bits) in a
// radix tree of four levels of 512 slots (like FlatMemory and the x86 page tables). A leaf holds, for
// 512 frames, the slab (an ArrayBuffer of SLAB_FRAMES frames, with one DataView) and the slot in it.
// A frame that was never written has no slab and reads as zero: untouched memory costs no host memory,
// and a whole-frame zero fill gives the frame's host memory back. Per resident frame the host pays
// 11 bytes of leaf (slab reference, slot, owned flag) plus its share of the slab's headers.
//
// ## Copy-on-write snapshots (the invariants, as in FlatMemory)
// Every tree node and the memory carry a generation `gen`; snapshot() and restore() start a new one.
// 1. A node may be mutated in place only when `node.gen === this.gen` (it is reachable from the
//    current root only); otherwise the path from the root is copied first.
// 2. A frame's bytes may be written in place only when its leaf is of the current generation and the
//    leaf's `owned` flag for it is set (the leaf allocated or copied that frame itself). Copying a leaf
//    clears every `owned` flag, so a frame shared with a snapshot is copied before it is written.
// Snapshots are never mutated, any number may be alive, and restore-then-write disturbs none of them.
// A frame given back by a zero fill goes to a free list for reuse only when it is owned in place
// (then no snapshot can reference it).
//
// ## Observers
// CPU buses cache host references to frames (slab + offset) for their fast paths. Whenever the host
// storage of a frame changes (allocation, copy-on-write, release) observers hear `frameMoved(pfn)`;
// after a snapshot, references that write in place are dropped (`framesShared`); after a restore or
// a change of regions or aperture remapping, everything is dropped (`layoutChanged`).

import type { MemoryFault, Value } from '../../interp/contracts';
import * as values from '../../interp/values';

// Imported bindings compile to getter calls under CommonJS (tsx, mocha), which V8 does not always
// inline: the hot paths use module-local copies.
const { fromHalvesU64, high32, low32 } = values;

/** Size of a physical frame (and of a small page). */
export const FRAME_SIZE = 4096;
/** log2(FRAME_SIZE). */
export const FRAME_SHIFT = 12;
/** Physical address width of the machine (x86-64 MAXPHYADDR). */
export const PHYS_ADDRESS_BITS = 46;
/** Physical addresses are 0 .. PHYS_ADDRESS_LIMIT - 1. */
export const PHYS_ADDRESS_LIMIT = 2 ** PHYS_ADDRESS_BITS;

/** Frames per slab: one ArrayBuffer (and one DataView) serves this many frames. */
const SLAB_FRAMES = 16;
/** Slots per radix-tree node. PFN bits: 33..27 root, 26..18, 17..9, 8..0 leaf. */
const FANOUT = 512;
const SLOT_MASK = FANOUT - 1;
/** 2^27: pfn / ROOT_SPAN is the root slot (PFNs exceed 32 bits, so no shift there). */
const ROOT_SPAN = 134217728;

/** What a region of the physical address space is, for views and for what backs it. */
export type RegionKind = 'ram' | 'vram' | 'gtt-aperture' | 'spu-ls' | 'spu-ps' | 'mmio' | 'rom' | 'hole';

/**
 * A device model's register window. Offsets are relative to the region base; sizes are 1, 2, 4 or 8
 * and accesses are naturally aligned unless the program misaligns them. Values follow the KC value
 * representation (an 8-byte read may return a bigint). Devices never throw for guest behaviour.
 */
export interface DeviceRegisters {
	read(offset: number, size: number): Value;
	write(offset: number, size: number, value: Value): void;
	/** Device state for machine snapshots (optional; a stateless device has none). */
	snapshot?(): unknown;
	restore?(state: unknown): void;
}

/** A GART: maps an aperture page to the physical address of the RAM frame behind it, or -1 when unbound. */
export interface ApertureRemap {
	/** `offset` is a frame-aligned offset into the aperture; the result a frame-aligned physical address or -1. */
	translate(offset: number): number;
}

/** The description of a region, as a machine configuration gives it. */
export interface RegionSpec {
	readonly base: number;
	readonly size: number;
	readonly kind: RegionKind;
	readonly name: string;
	/** Who the memory belongs to, for views (`gpu0`, `spu3`, `system`). */
	readonly owner?: string;
	/** The device model serving an `mmio`, `spu-ps` or `gtt-aperture` region. */
	readonly device?: DeviceRegisters;
	/** The GART of a `gtt-aperture` region. */
	readonly remap?: ApertureRemap;
}

/** How a region's bytes are served. */
export type RegionBacking = 'frames' | 'device' | 'remap' | 'none';

/** A region of the physical address space (immutable; changing a region replaces it). */
export interface Region {
	readonly base: number;
	readonly size: number;
	/** base + size. */
	readonly end: number;
	readonly kind: RegionKind;
	readonly name: string;
	readonly owner: string | undefined;
	readonly backing: RegionBacking;
	/** Stores are dropped (ROM). */
	readonly readOnly: boolean;
	readonly device: DeviceRegisters | null;
	readonly remap: ApertureRemap | null;
}

/** A failed physical access: nothing answers at that address. `address` is the physical address (or, through a CPU bus, the virtual one). */
export interface BusFault extends MemoryFault {
	readonly reason: 'bus';
	readonly physicalAddress: number;
}

/** The host bytes of some frames: a frame's bytes are `bytes[offset .. offset + FRAME_SIZE)`. */
export interface FrameStore {
	readonly bytes: Uint8Array;
	readonly view: DataView;
}

/** Observers of frame storage (CPU buses with cached frame references). */
export interface PhysObserver {
	/** The host storage of frame `pfn` changed: drop cached references to it. */
	frameMoved(pfn: number): void;
	/** Frames are now shared with a snapshot: drop references used to write in place. */
	framesShared(): void;
	/** Regions, aperture remapping or the whole contents changed: drop every cached reference. */
	layoutChanged(): void;
}

/** Host memory use, for benchmarks and views. */
export interface PhysStats {
	/** Frames of the current contents that hold host memory. */
	readonly residentFrames: number;
	/** Frames copied because a snapshot shared them, since creation. */
	readonly copiedFrames: number;
	/** Slabs allocated since creation, and their bytes (frame data, current and snapshot-only). */
	readonly slabs: number;
	readonly slabBytes: number;
	/** Slab slots released by zero fills and waiting for reuse. */
	readonly freeSlots: number;
	/** Radix-tree leaves of the current contents. */
	readonly leaves: number;
	/**
	 * Estimated host bytes beyond frame data for the current contents: leaves, directories and slab
	 * headers. Benchmarks measure the real figure with the host's memory counters.
	 */
	readonly estimatedOverheadBytes: number;
}

/** Page-resolution results of `resolvePage`. */
export const PAGE_RAM = 0;
/** Frame-backed, stores dropped. */
export const PAGE_ROM = 1;
/** Served by a device model (`resolvedRegion`). */
export const PAGE_DEVICE = 2;
/** Nothing there: bus error. */
export const PAGE_NONE = 3;

/** One ArrayBuffer holding SLAB_FRAMES frames (or one, for the zero frame). */
class Slab implements FrameStore {
	readonly bytes: Uint8Array;
	readonly view: DataView;
	constructor(frames: number) {
		const buffer = new ArrayBuffer(frames * FRAME_SIZE);
		this.bytes = new Uint8Array(buffer);
		this.view = new DataView(buffer);
	}
}

/** What every frame that holds no host memory reads as. Never written. */
const ZERO_SLAB = new Slab(1);

/** The last level of the tree: 512 consecutive frames. */
class Leaf {
	constructor(
		readonly gen: number,
		/** Per frame: its slab, or null when it reads as zero. */
		readonly slabs: (Slab | null)[],
		/** Per frame: its slot in the slab. */
		readonly slots: Uint16Array,
		/** Per frame: 1 when this leaf allocated or copied the frame (invariant 2). */
		readonly owned: Uint8Array,
		/** Number of resident frames. */
		public resident: number,
	) {}

	static empty(gen: number): Leaf {
		return new Leaf(gen, new Array<Slab | null>(FANOUT).fill(null), new Uint16Array(FANOUT), new Uint8Array(FANOUT), 0);
	}

	copy(gen: number): Leaf {
		return new Leaf(gen, this.slabs.slice(), this.slots.slice(), new Uint8Array(FANOUT), this.resident);
	}
}

class Directory<T> {
	constructor(
		readonly gen: number,
		readonly slots: (T | null)[],
	) {}

	static empty<T>(gen: number, size: number): Directory<T> {
		return new Directory<T>(gen, new Array<T | null>(size).fill(null));
	}

	copy(gen: number): Directory<T> {
		return new Directory<T>(gen, this.slots.slice());
	}
}

type Root = Directory<Directory<Directory<Leaf>>>;

/** Root slots: PFNs are below 2^34. */
const ROOT_SLOTS = (PHYS_ADDRESS_LIMIT / FRAME_SIZE) / ROOT_SPAN;

/** Opaque captured state of a PhysicalMemory. */
export interface PhysSnapshot {
	readonly __physSnapshot: true;
}

class PhysSnapshotImpl implements PhysSnapshot {
	readonly __physSnapshot = true as const;
	constructor(
		readonly owner: PhysicalMemory,
		readonly root: Root,
		readonly regions: readonly Region[],
		readonly residentFrames: number,
		readonly leaves: number,
		readonly fault: BusFault | null,
	) {}
}

/** Builds the immutable region for a spec (validated by the caller). */
function makeRegion(spec: RegionSpec): Region {
	const device = spec.device ?? null;
	const remap = spec.remap ?? null;
	let backing: RegionBacking;
	switch (spec.kind) {
		case 'hole':
			backing = 'none';
			break;
		case 'mmio':
		case 'spu-ps':
			backing = device !== null ? 'device' : 'none';
			break;
		case 'gtt-aperture':
			backing = remap !== null ? 'remap' : device !== null ? 'device' : 'frames';
			break;
		default:
			backing = 'frames';
	}
	return Object.freeze({
		base: spec.base,
		size: spec.size,
		end: spec.base + spec.size,
		kind: spec.kind,
		name: spec.name,
		owner: spec.owner,
		backing,
		readOnly: spec.kind === 'rom',
		device: backing === 'device' ? device : null,
		remap: backing === 'remap' ? remap : null,
	});
}

function specOf(r: Region): RegionSpec {
	return { base: r.base, size: r.size, kind: r.kind, name: r.name, owner: r.owner, device: r.device ?? undefined, remap: r.remap ?? undefined };
}

function isFrameAligned(n: number): boolean {
	return Number.isInteger(n) && n >= 0 && n % FRAME_SIZE === 0;
}

/**
 * The physical address space. Loads and stores of 1, 2, 4 and 8 bytes, bulk operations, device
 * dispatch, O(1) copy-on-write snapshots. A failed access sets `fault` (a BusFault) and has no
 * effect (loads return 0); `fault` is only set here, never cleared: whoever handles it clears it.
 * Configuration errors (overlapping regions, unaligned sizes) throw RangeError: they are host bugs.
 */
export class PhysicalMemory {
	fault: BusFault | null = null;

	/** Host offset of the frame found by the last frameForRead/frameForWrite call. */
	frameOffset = 0;
	/** PFN (after aperture remapping) and region found by the last resolvePage call. */
	resolvedPfn = 0;
	resolvedRegion: Region | null = null;

	private regionList: readonly Region[] = [];
	private lastRegion: Region | null = null;

	private root: Root = Directory.empty(0, ROOT_SLOTS);
	private gen = 0;
	private residentFrames = 0;
	private leafCount = 0;
	private directoryCount = 0;
	private copiedFrames = 0;

	private slab: Slab = ZERO_SLAB;
	private slabNext = SLAB_FRAMES;
	private slabCount = 0;
	private readonly freeSlabs: Slab[] = [];
	private readonly freeSlots: number[] = [];

	private readonly observers: PhysObserver[] = [];

	/** Staging bytes for accesses that are not served by one frame. */
	private readonly scratch = new Uint8Array(8);
	private readonly scratchView = new DataView(this.scratch.buffer);

	constructor(regions: readonly RegionSpec[] = []) {
		for (const r of regions) this.addRegion(r);
	}

	// ---- Regions ---------------------------------------------------------------------------------

	/** Adds a region. Throws RangeError when it is not frame-aligned, exceeds 2^46 or overlaps another, or its name is taken. */
	addRegion(spec: RegionSpec): Region {
		if (!isFrameAligned(spec.base) || !isFrameAligned(spec.size) || spec.size === 0 || spec.base + spec.size > PHYS_ADDRESS_LIMIT) {
			throw new RangeError(`physical region ${spec.name}: base and size must be frame-aligned, non-empty and below 2^${PHYS_ADDRESS_BITS}`);
		}
		for (const r of this.regionList) {
			if (r.name === spec.name) throw new RangeError(`physical region ${spec.name}: name already used`);
			if (spec.base < r.end && r.base < spec.base + spec.size) throw new RangeError(`physical region ${spec.name} overlaps ${r.name}`);
		}
		const region = makeRegion(spec);
		this.setRegions([...this.regionList, region]);
		return region;
	}

	/** Removes the named region; its frames are forgotten. Returns false when there is no such region. */
	removeRegion(name: string): boolean {
		const region = this.regionList.find((r) => r.name === name);
		if (region === undefined) return false;
		if (region.backing === 'frames') this.dropFrames(region.base / FRAME_SIZE, region.end / FRAME_SIZE);
		this.setRegions(this.regionList.filter((r) => r !== region));
		return true;
	}

	/** Attaches (or with null detaches) the device model serving a region. Returns false when there is no such region. */
	attachDevice(name: string, device: DeviceRegisters | null): boolean {
		return this.replaceRegion(name, (spec) => ({ ...spec, device: device ?? undefined }));
	}

	/** Sets (or with null removes) the GART of an aperture region. Returns false when there is no such region. */
	setRemap(name: string, remap: ApertureRemap | null): boolean {
		return this.replaceRegion(name, (spec) => ({ ...spec, remap: remap ?? undefined }));
	}

	/** Tells caches that an aperture's remapping changed (a GART entry was written). */
	remapChanged(): void {
		this.notifyLayout();
	}

	/** The regions, sorted by base. */
	regions(): readonly Region[] {
		return this.regionList;
	}

	/** The regions and the holes between them (as regions of kind `hole` named `(unassigned)`), up to `limit`. */
	layout(limit = this.highestAddress()): Region[] {
		const out: Region[] = [];
		let at = 0;
		for (const r of this.regionList) {
			if (r.base > at) out.push(makeRegion({ base: at, size: r.base - at, kind: 'hole', name: '(unassigned)' }));
			out.push(r);
			at = r.end;
		}
		if (limit > at) out.push(makeRegion({ base: at, size: limit - at, kind: 'hole', name: '(unassigned)' }));
		return out;
	}

	/** The region containing physical address `pa`, or null (a hole between regions). */
	regionAt(pa: number): Region | null {
		const last = this.lastRegion;
		if (last !== null && pa >= last.base && pa < last.end) return last;
		const list = this.regionList;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const r = list[mid];
			if (pa < r.base) hi = mid - 1;
			else if (pa >= r.end) lo = mid + 1;
			else {
				this.lastRegion = r;
				return r;
			}
		}
		return null;
	}

	/** The region with this name, or null. */
	region(name: string): Region | null {
		return this.regionList.find((r) => r.name === name) ?? null;
	}

	private highestAddress(): number {
		const list = this.regionList;
		return list.length === 0 ? 0 : list[list.length - 1].end;
	}

	private replaceRegion(name: string, change: (spec: RegionSpec) => RegionSpec): boolean {
		const index = this.regionList.findIndex((r) => r.name === name);
		if (index < 0) return false;
		const list = this.regionList.slice();
		list[index] = makeRegion(change(specOf(list[index])));
		this.setRegions(list);
		return true;
	}

	private setRegions(list: Region[]): void {
		list.sort((a, b) => a.base - b.base);
		this.regionList = Object.freeze(list);
		this.lastRegion = null;
		this.notifyLayout();
	}

	// ---- Observers -------------------------------------------------------------------------------

	addObserver(observer: PhysObserver): void {
		this.observers.push(observer);
	}

	removeObserver(observer: PhysObserver): void {
		const i = this.observers.indexOf(observer);
		if (i >= 0) this.observers.splice(i, 1);
	}

	private notifyMoved(pfn: number): void {
		const list = this.observers;
		for (let i = 0; i < list.length; i++) list[i].frameMoved(pfn);
	}

	private notifyLayout(): void {
		for (const o of this.observers) o.layoutChanged();
	}

	// ---- Page resolution (for the CPU bus and the MMU) ------------------------------------------

	/**
	 * Resolves the frame containing physical address `pa` (0 <= pa < 2^46): returns PAGE_RAM or
	 * PAGE_ROM (with `resolvedPfn` the frame holding the bytes, after aperture remapping), PAGE_DEVICE
	 * (with `resolvedRegion`), or PAGE_NONE for a bus error. Sets no fault.
	 */
	resolvePage(pa: number): number {
		const r = this.regionAt(pa);
		this.resolvedRegion = r;
		if (r === null) return PAGE_NONE;
		switch (r.backing) {
			case 'frames':
				this.resolvedPfn = Math.floor(pa / FRAME_SIZE);
				return r.readOnly ? PAGE_ROM : PAGE_RAM;
			case 'device':
				return PAGE_DEVICE;
			case 'remap': {
				const offset = Math.floor((pa - r.base) / FRAME_SIZE) * FRAME_SIZE;
				const target = (r.remap as ApertureRemap).translate(offset);
				if (!isFrameAligned(target) || target >= PHYS_ADDRESS_LIMIT) return PAGE_NONE;
				const t = this.regionAt(target);
				// The GART points at system memory only; anything else is a bus error, not a recursion.
				if (t === null || t.backing !== 'frames') return PAGE_NONE;
				this.resolvedPfn = target / FRAME_SIZE;
				return t.readOnly ? PAGE_ROM : PAGE_RAM;
			}
			default:
				return PAGE_NONE;
		}
	}

	/** resolvePage for the frame `pfn` (a Smi for any RAM below 8 TiB, so the call does not box), with a fast path for frame-backed regions. */
	resolveFrame(pfn: number): number {
		const pa = pfn * FRAME_SIZE;
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && pa >= r.base && pa < r.end) {
			this.resolvedRegion = r;
			this.resolvedPfn = pfn;
			return r.readOnly ? PAGE_ROM : PAGE_RAM;
		}
		return this.resolvePage(pa);
	}

	/** The storage of frame `pfn` for reading (the shared zero frame when it holds no memory); its offset goes to `frameOffset`. */
	frameForRead(pfn: number): FrameStore {
		const leaf = this.findLeaf(pfn);
		if (leaf !== null) {
			const i = pfn & SLOT_MASK;
			const slab = leaf.slabs[i];
			if (slab !== null) {
				this.frameOffset = leaf.slots[i] * FRAME_SIZE;
				return slab;
			}
		}
		this.frameOffset = 0;
		return ZERO_SLAB;
	}

	/**
	 * The storage of frame `pfn`, writable in place (allocated if it held no memory, copied if a
	 * snapshot shares it; observers hear frameMoved then); its offset goes to `frameOffset`.
	 */
	frameForWrite(pfn: number): FrameStore {
		const i = pfn & SLOT_MASK;
		const current = this.findLeaf(pfn);
		if (current !== null && current.gen === this.gen && current.owned[i] === 1) {
			this.frameOffset = current.slots[i] * FRAME_SIZE;
			return current.slabs[i] as Slab;
		}
		const leaf = this.mutableLeaf(pfn, true) as Leaf;
		const old = leaf.slabs[i];
		const oldOffset = leaf.slots[i] * FRAME_SIZE;
		const slab = this.allocateSlot();
		const offset = this.frameOffset;
		if (old !== null) {
			slab.bytes.set(old.bytes.subarray(oldOffset, oldOffset + FRAME_SIZE), offset);
			this.copiedFrames++;
		} else {
			leaf.resident++;
			this.residentFrames++;
		}
		leaf.slabs[i] = slab;
		leaf.slots[i] = offset / FRAME_SIZE;
		leaf.owned[i] = 1;
		this.notifyMoved(pfn);
		this.frameOffset = offset;
		return slab;
	}

	/** True when frame `pfn` holds host memory in the current contents. */
	isResident(pfn: number): boolean {
		const leaf = this.findLeaf(pfn);
		return leaf !== null && leaf.slabs[pfn & SLOT_MASK] !== null;
	}

	/** Calls `visit(pfn)` for each resident frame in [fromPfn, toPfn), in order. */
	forEachResidentFrame(fromPfn: number, toPfn: number, visit: (pfn: number) => void): void {
		let pfn = Math.max(0, Math.floor(fromPfn));
		const end = Math.min(toPfn, PHYS_ADDRESS_LIMIT / FRAME_SIZE);
		while (pfn < end) {
			const leafStart = pfn - (pfn & SLOT_MASK);
			const leaf = this.findLeaf(pfn);
			const stop = Math.min(end, leafStart + FANOUT);
			if (leaf !== null && leaf.resident > 0) {
				for (let p = pfn; p < stop; p++) if (leaf.slabs[p - leafStart] !== null) visit(p);
			}
			pfn = stop;
		}
	}

	// ---- Scalar loads and stores ------------------------------------------------------------------

	/** Loads an unsigned byte. */
	ld8(pa: number): number {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && pa >= r.base && pa < r.end) {
			return this.frameForRead(Math.floor(pa / FRAME_SIZE)).bytes[this.frameOffset + (pa & 4095)];
		}
		return this.loadGeneric(pa, 1) ? this.scratch[0] : 0;
	}

	/** Loads an unsigned 16-bit value (little-endian). */
	ld16(pa: number): number {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && pa >= r.base && pa + 2 <= r.end && (pa & 4095) <= FRAME_SIZE - 2) {
			return this.frameForRead(Math.floor(pa / FRAME_SIZE)).view.getUint16(this.frameOffset + (pa & 4095), true);
		}
		return this.loadGeneric(pa, 2) ? this.scratchView.getUint16(0, true) : 0;
	}

	/** Loads an unsigned 32-bit value. */
	ld32(pa: number): number {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && pa >= r.base && pa + 4 <= r.end && (pa & 4095) <= FRAME_SIZE - 4) {
			return this.frameForRead(Math.floor(pa / FRAME_SIZE)).view.getUint32(this.frameOffset + (pa & 4095), true);
		}
		return this.loadGeneric(pa, 4) ? this.scratchView.getUint32(0, true) : 0;
	}

	/** Loads an unsigned 64-bit value (canonical: a number when below 2^53). */
	ld64(pa: number): Value {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && pa >= r.base && pa + 8 <= r.end && (pa & 4095) <= FRAME_SIZE - 8) {
			const view = this.frameForRead(Math.floor(pa / FRAME_SIZE)).view;
			const off = this.frameOffset + (pa & 4095);
			return fromHalvesU64(view.getUint32(off + 4, true), view.getUint32(off, true));
		}
		return this.loadGeneric(pa, 8) ? fromHalvesU64(this.scratchView.getUint32(4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	/** Stores the low byte of `v`. */
	st8(pa: number, v: number): void {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && !r.readOnly && pa >= r.base && pa < r.end) {
			this.frameForWrite(Math.floor(pa / FRAME_SIZE)).bytes[this.frameOffset + (pa & 4095)] = v;
			return;
		}
		this.scratch[0] = v;
		this.storeGeneric(pa, 1);
	}

	/** Stores the low 16 bits of `v`. */
	st16(pa: number, v: number): void {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && !r.readOnly && pa >= r.base && pa + 2 <= r.end && (pa & 4095) <= FRAME_SIZE - 2) {
			this.frameForWrite(Math.floor(pa / FRAME_SIZE)).view.setUint16(this.frameOffset + (pa & 4095), v, true);
			return;
		}
		this.scratchView.setUint16(0, v, true);
		this.storeGeneric(pa, 2);
	}

	/** Stores the low 32 bits of `v`. */
	st32(pa: number, v: number): void {
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && !r.readOnly && pa >= r.base && pa + 4 <= r.end && (pa & 4095) <= FRAME_SIZE - 4) {
			this.frameForWrite(Math.floor(pa / FRAME_SIZE)).view.setUint32(this.frameOffset + (pa & 4095), v, true);
			return;
		}
		this.scratchView.setUint32(0, v >>> 0, true);
		this.storeGeneric(pa, 4);
	}

	/** Stores a 64-bit integer value (any canonical form; the low 64 bits are stored). */
	st64(pa: number, v: Value): void {
		const lo = low32(v);
		const hi = high32(v);
		const r = this.lastRegion;
		if (r !== null && r.backing === 'frames' && !r.readOnly && pa >= r.base && pa + 8 <= r.end && (pa & 4095) <= FRAME_SIZE - 8) {
			const view = this.frameForWrite(Math.floor(pa / FRAME_SIZE)).view;
			const off = this.frameOffset + (pa & 4095);
			view.setUint32(off, lo, true);
			view.setInt32(off + 4, hi, true);
			return;
		}
		this.scratchView.setUint32(0, lo, true);
		this.scratchView.setInt32(4, hi, true);
		this.storeGeneric(pa, 8);
	}

	// ---- Bulk operations -------------------------------------------------------------------------

	/** Reads `len` bytes into a new array; null (and `fault` set) when some byte has nothing behind it. */
	read(pa: number, len: number): Uint8Array | null {
		if (!(len > 0)) return new Uint8Array(0);
		const out = new Uint8Array(len);
		return this.readInto(pa, out, 0, len) ? out : null;
	}

	/** Reads `len` bytes at `pa` into `out[outOffset..]`. False (and `fault` set, nothing read) on a bus error. */
	readInto(pa: number, out: Uint8Array, outOffset: number, len: number): boolean {
		if (!(len > 0)) return true;
		if (!this.checkRange(pa, len, 'read')) return false;
		let pos = 0;
		while (pos < len) {
			const at = pa + pos;
			const n = Math.min(len - pos, FRAME_SIZE - (at % FRAME_SIZE));
			this.readChunk(at, out, outOffset + pos, n);
			pos += n;
		}
		return true;
	}

	/** Writes `bytes` at `pa`. False (and `fault` set, nothing written) on a bus error. Stores to ROM are dropped. */
	write(pa: number, bytes: Uint8Array): boolean {
		return this.writeFrom(pa, bytes, 0, bytes.length);
	}

	/** Writes `src[srcOffset .. srcOffset + len)` at `pa`. False (and `fault` set, nothing written) on a bus error. */
	writeFrom(pa: number, src: Uint8Array, srcOffset: number, len: number): boolean {
		if (!(len > 0)) return true;
		if (!this.checkRange(pa, len, 'write')) return false;
		let pos = 0;
		while (pos < len) {
			const at = pa + pos;
			const n = Math.min(len - pos, FRAME_SIZE - (at % FRAME_SIZE));
			this.writeChunk(at, src, srcOffset + pos, n);
			pos += n;
		}
		return true;
	}

	/** Sets `len` bytes at `pa` to `byte & 255`. A whole frame filled with zeros gives its host memory back. */
	fill(pa: number, byte: number, len: number): boolean {
		if (!(len > 0)) return true;
		if (!this.checkRange(pa, len, 'write')) return false;
		const value = byte & 0xff;
		let pos = 0;
		let buffer: Uint8Array | null = null;
		while (pos < len) {
			const at = pa + pos;
			const off = at % FRAME_SIZE;
			const n = Math.min(len - pos, FRAME_SIZE - off);
			const kind = this.resolvePage(at);
			if (kind === PAGE_RAM) {
				const pfn = this.resolvedPfn;
				if (value === 0 && n === FRAME_SIZE) this.releaseFrame(pfn);
				else if (value !== 0 || this.isResident(pfn)) {
					const store = this.frameForWrite(pfn);
					store.bytes.fill(value, this.frameOffset + off, this.frameOffset + off + n);
				}
			} else if (kind === PAGE_DEVICE) {
				if (buffer === null || buffer.length < n) buffer = new Uint8Array(FRAME_SIZE).fill(value);
				this.deviceWrite(this.resolvedRegion as Region, at, buffer, 0, n);
			}
			pos += n;
		}
		return true;
	}

	/** Copies `len` bytes from `src` to `dst` (memmove semantics). False (and `fault` set, nothing copied) on a bus error. */
	copy(dst: number, src: number, len: number): boolean {
		if (!(len > 0)) return true;
		if (!this.checkRange(src, len, 'read') || !this.checkRange(dst, len, 'write')) return false;
		const buffer = new Uint8Array(len);
		this.readInto(src, buffer, 0, len);
		this.writeFrom(dst, buffer, 0, len);
		return true;
	}

	/** Writes bytes even into ROM (initialising firmware images, tests). False on a bus error. */
	writeBackdoor(pa: number, bytes: Uint8Array): boolean {
		if (bytes.length === 0) return true;
		if (!this.checkRange(pa, bytes.length, 'write')) return false;
		let pos = 0;
		while (pos < bytes.length) {
			const at = pa + pos;
			const off = at % FRAME_SIZE;
			const n = Math.min(bytes.length - pos, FRAME_SIZE - off);
			const kind = this.resolvePage(at);
			if (kind === PAGE_RAM || kind === PAGE_ROM) {
				const store = this.frameForWrite(this.resolvedPfn);
				store.bytes.set(bytes.subarray(pos, pos + n), this.frameOffset + off);
			} else if (kind === PAGE_DEVICE) this.deviceWrite(this.resolvedRegion as Region, at, bytes, pos, n);
			pos += n;
		}
		return true;
	}

	/** Gives back the host memory of every all-zero resident frame (a sweep for views and long runs). Returns the number released. */
	reclaimZeroFrames(): number {
		const zeros: number[] = [];
		for (const r of this.regionList) {
			if (r.backing !== 'frames') continue;
			this.forEachResidentFrame(r.base / FRAME_SIZE, r.end / FRAME_SIZE, (pfn) => {
				const store = this.frameForRead(pfn);
				const words = new Int32Array(store.bytes.buffer, this.frameOffset, FRAME_SIZE / 4);
				for (let i = 0; i < words.length; i++) if (words[i] !== 0) return;
				zeros.push(pfn);
			});
		}
		for (const pfn of zeros) this.releaseFrame(pfn);
		return zeros.length;
	}

	// ---- Snapshots -------------------------------------------------------------------------------

	/** Captures contents, regions and pending fault in O(1); later writes copy the frames they touch. */
	snapshot(): PhysSnapshot {
		const s = new PhysSnapshotImpl(this, this.root, this.regionList, this.residentFrames, this.leafCount, this.fault);
		this.gen++;
		for (const o of this.observers) o.framesShared();
		return s;
	}

	/** Puts back exactly what `s` (a snapshot of this memory) captured, in O(1). Device models restore their own state. */
	restore(s: PhysSnapshot): void {
		if (!(s instanceof PhysSnapshotImpl) || s.owner !== this) throw new Error('PhysicalMemory.restore: not a snapshot of this memory');
		this.root = s.root;
		this.regionList = s.regions;
		this.residentFrames = s.residentFrames;
		this.leafCount = s.leaves;
		this.fault = s.fault;
		this.lastRegion = null;
		this.gen++;
		this.notifyLayout();
	}

	/** Host memory use. */
	stats(): PhysStats {
		// Leaf: 512 slab references (8 bytes), 512 slots (2), 512 owned flags (1), array and object headers.
		const leafBytes = FANOUT * 11 + 300;
		const directoryBytes = FANOUT * 8 + 100;
		// ArrayBuffer, its backing-store record, Uint8Array, DataView and the Slab object.
		const slabHeaderBytes = 400;
		const liveSlabs = Math.ceil(this.residentFrames / SLAB_FRAMES);
		return {
			residentFrames: this.residentFrames,
			copiedFrames: this.copiedFrames,
			slabs: this.slabCount,
			slabBytes: this.slabCount * SLAB_FRAMES * FRAME_SIZE,
			freeSlots: this.freeSlots.length,
			leaves: this.leafCount,
			estimatedOverheadBytes: this.leafCount * leafBytes + this.directoryCount * directoryBytes + liveSlabs * slabHeaderBytes,
		};
	}

	// ---- Internals: the tree ---------------------------------------------------------------------

	private findLeaf(pfn: number): Leaf | null {
		const d2 = this.root.slots[Math.floor(pfn / ROOT_SPAN)];
		if (d2 == null) return null;
		const d1 = d2.slots[(pfn >>> 18) & SLOT_MASK];
		if (d1 === null) return null;
		return d1.slots[(pfn >>> 9) & SLOT_MASK];
	}

	/** The leaf of `pfn` made mutable (invariant 1), created when missing if `create`, else null. */
	private mutableLeaf(pfn: number, create: boolean): Leaf | null {
		const gen = this.gen;
		let d3 = this.root;
		if (d3.gen !== gen) this.root = d3 = d3.copy(gen);
		const i3 = Math.floor(pfn / ROOT_SPAN);
		let d2 = d3.slots[i3];
		if (d2 === null) {
			if (!create) return null;
			d3.slots[i3] = d2 = Directory.empty(gen, FANOUT);
			this.directoryCount++;
		} else if (d2.gen !== gen) d3.slots[i3] = d2 = d2.copy(gen);
		const i2 = (pfn >>> 18) & SLOT_MASK;
		let d1 = d2.slots[i2];
		if (d1 === null) {
			if (!create) return null;
			d2.slots[i2] = d1 = Directory.empty(gen, FANOUT);
			this.directoryCount++;
		} else if (d1.gen !== gen) d2.slots[i2] = d1 = d1.copy(gen);
		const i1 = (pfn >>> 9) & SLOT_MASK;
		let leaf = d1.slots[i1];
		if (leaf === null) {
			if (!create) return null;
			d1.slots[i1] = leaf = Leaf.empty(gen);
			this.leafCount++;
		} else if (leaf.gen !== gen) d1.slots[i1] = leaf = leaf.copy(gen);
		return leaf;
	}

	/** A free slab slot: reused from the free list, else carved from the current slab. Sets frameOffset; the slot's bytes are zero. */
	private allocateSlot(): Slab {
		const reused = this.freeSlabs.pop();
		if (reused !== undefined) {
			const offset = (this.freeSlots.pop() as number) * FRAME_SIZE;
			reused.bytes.fill(0, offset, offset + FRAME_SIZE);
			this.frameOffset = offset;
			return reused;
		}
		if (this.slabNext === SLAB_FRAMES) {
			this.slab = new Slab(SLAB_FRAMES);
			this.slabNext = 0;
			this.slabCount++;
		}
		this.frameOffset = this.slabNext++ * FRAME_SIZE;
		return this.slab;
	}

	/** Makes frame `pfn` read as zero again, giving its host memory back (to the free list when owned in place). */
	private releaseFrame(pfn: number): void {
		if (!this.isResident(pfn)) return;
		const leaf = this.mutableLeaf(pfn, false) as Leaf;
		this.dropSlot(leaf, pfn & SLOT_MASK);
		this.notifyMoved(pfn);
	}

	/** Empties slot `i` of the mutable `leaf`. */
	private dropSlot(leaf: Leaf, i: number): void {
		const slab = leaf.slabs[i];
		if (slab === null) return;
		// Owned in place means no snapshot can reach the frame (invariant 2): its slot may be reused.
		if (leaf.owned[i] === 1) {
			this.freeSlabs.push(slab);
			this.freeSlots.push(leaf.slots[i]);
		}
		leaf.slabs[i] = null;
		leaf.slots[i] = 0;
		leaf.owned[i] = 0;
		leaf.resident--;
		this.residentFrames--;
	}

	/** Forgets every frame in [fromPfn, toPfn). */
	private dropFrames(fromPfn: number, toPfn: number): void {
		const resident: number[] = [];
		this.forEachResidentFrame(fromPfn, toPfn, (pfn) => resident.push(pfn));
		for (const pfn of resident) this.dropSlot(this.mutableLeaf(pfn, false) as Leaf, pfn & SLOT_MASK);
	}

	// ---- Internals: generic accesses -------------------------------------------------------------

	private raise(pa: number, access: 'read' | 'write', detail: string): void {
		const address = Number.isFinite(pa) ? pa : 0;
		this.fault = { address, physicalAddress: address, access, reason: 'bus', detail };
	}

	/**
	 * Checks that every byte of [pa, pa + len) (len >= 1) has something behind it. Sets `fault` for
	 * the first byte that has not and returns false; touches nothing.
	 */
	checkRange(pa: number, len: number, access: 'read' | 'write'): boolean {
		if (!(Number.isInteger(pa) && pa >= 0 && pa + len <= PHYS_ADDRESS_LIMIT)) {
			this.raise(pa, access, `physical address ${pa} outside the ${PHYS_ADDRESS_BITS}-bit space`);
			return false;
		}
		const end = pa + len;
		let at = pa;
		while (at < end) {
			const r = this.regionAt(at);
			if (r === null) {
				this.raise(at, access, `no memory or device at physical address 0x${at.toString(16)}`);
				return false;
			}
			if (r.backing === 'none') {
				this.raise(at, access, `${r.kind === 'hole' ? 'hole' : `${r.name} has no device attached`} at physical address 0x${at.toString(16)}`);
				return false;
			}
			if (r.backing === 'remap') {
				const stop = Math.min(end, r.end);
				for (let page = at - (at % FRAME_SIZE); page < stop; page += FRAME_SIZE) {
					if (this.resolvePage(page) === PAGE_NONE) {
						this.raise(Math.max(page, at), access, `aperture ${r.name} page 0x${(page - r.base).toString(16)} is not bound`);
						return false;
					}
				}
			}
			at = r.end;
		}
		return true;
	}

	/** A load the fast path does not serve: into `scratch`. */
	private loadGeneric(pa: number, size: number): boolean {
		if (!this.checkRange(pa, size, 'read')) return false;
		const r = this.regionAt(pa) as Region;
		if (r.backing === 'device' && pa + size <= r.end) {
			const value = (r.device as DeviceRegisters).read(pa - r.base, size);
			this.putScratch(value, size);
			return true;
		}
		this.readInto(pa, this.scratch, 0, size);
		return true;
	}

	/** A store (of the bytes in `scratch`) the fast path does not serve. */
	private storeGeneric(pa: number, size: number): void {
		if (!this.checkRange(pa, size, 'write')) return;
		const r = this.regionAt(pa) as Region;
		if (r.backing === 'device' && pa + size <= r.end) {
			(r.device as DeviceRegisters).write(pa - r.base, size, this.getScratch(size));
			return;
		}
		this.writeFrom(pa, this.scratch, 0, size);
	}

	private putScratch(value: Value, size: number): void {
		const view = this.scratchView;
		if (size === 8) {
			view.setUint32(0, low32(value), true);
			view.setInt32(4, high32(value), true);
		} else view.setUint32(0, low32(value), true);
	}

	private getScratch(size: number): Value {
		const view = this.scratchView;
		switch (size) {
			case 1:
				return view.getUint8(0);
			case 2:
				return view.getUint16(0, true);
			case 4:
				return view.getUint32(0, true);
			default:
				return fromHalvesU64(view.getUint32(4, true), view.getUint32(0, true));
		}
	}

	/** Reads `n` bytes within one frame at `pa` (checked) into `out[outOffset..]`. */
	private readChunk(pa: number, out: Uint8Array, outOffset: number, n: number): void {
		const kind = this.resolvePage(pa);
		if (kind === PAGE_RAM || kind === PAGE_ROM) {
			const store = this.frameForRead(this.resolvedPfn);
			const off = this.frameOffset + (pa % FRAME_SIZE);
			out.set(store.bytes.subarray(off, off + n), outOffset);
		} else if (kind === PAGE_DEVICE) {
			this.deviceRead(this.resolvedRegion as Region, pa, out, outOffset, n);
		}
	}

	/** Writes `n` bytes within one frame at `pa` (checked) from `src[srcOffset..]`; dropped for ROM. */
	private writeChunk(pa: number, src: Uint8Array, srcOffset: number, n: number): void {
		const kind = this.resolvePage(pa);
		if (kind === PAGE_RAM) {
			const store = this.frameForWrite(this.resolvedPfn);
			store.bytes.set(src.subarray(srcOffset, srcOffset + n), this.frameOffset + (pa % FRAME_SIZE));
		} else if (kind === PAGE_DEVICE) {
			this.deviceWrite(this.resolvedRegion as Region, pa, src, srcOffset, n);
		}
	}

	/** Reads device registers for a bulk read, in naturally aligned accesses of up to 8 bytes (like memcpy_fromio). */
	deviceRead(r: Region, pa: number, out: Uint8Array, outOffset: number, n: number): void {
		const device = r.device as DeviceRegisters;
		let pos = 0;
		while (pos < n) {
			const offset = pa + pos - r.base;
			const size = chunkSize(offset, n - pos);
			const value = device.read(offset, size);
			const lo = low32(value);
			const hi = size === 8 ? high32(value) : 0;
			for (let k = 0; k < size; k++) out[outOffset + pos + k] = k < 4 ? (lo >>> (8 * k)) & 0xff : (hi >>> (8 * (k - 4))) & 0xff;
			pos += size;
		}
	}

	/** Writes device registers for a bulk write, in naturally aligned accesses of up to 8 bytes (like memcpy_toio). */
	deviceWrite(r: Region, pa: number, src: Uint8Array, srcOffset: number, n: number): void {
		const device = r.device as DeviceRegisters;
		let pos = 0;
		while (pos < n) {
			const offset = pa + pos - r.base;
			const size = chunkSize(offset, n - pos);
			let lo = 0;
			let hi = 0;
			for (let k = 0; k < size; k++) {
				const b = src[srcOffset + pos + k];
				if (k < 4) lo |= b << (8 * k);
				else hi |= b << (8 * (k - 4));
			}
			device.write(offset, size, size === 8 ? fromHalvesU64(hi >>> 0, lo >>> 0) : lo >>> 0);
			pos += size;
		}
	}
}

/** The largest naturally aligned access size (8, 4, 2 or 1) at `offset` that fits in `remaining` bytes. */
function chunkSize(offset: number, remaining: number): number {
	if (remaining >= 8 && offset % 8 === 0) return 8;
	if (remaining >= 4 && offset % 4 === 0) return 4;
	if (remaining >= 2 && offset % 2 === 0) return 2;
	return 1;
}

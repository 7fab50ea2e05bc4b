// The memory bus of one CPU: every load and store of the KC interpreter, translated by the CPU's MMU
// in the current privilege mode, then served by physical memory (layer: kernel, hardware).
//
// ## Fast path
// Two read entries and two write entries cache the last translated pages: virtual page base, host
// DataView of the frame's slab and the frame's offset in it. A hit costs a subtraction, a range check
// and one DataView access. Behind them, a direct-mapped page cache of PAGE_CACHE read and as many
// write entries (indexed by virtual page number) keeps the same for recently used pages, so that a
// program working on a few dozen pages rarely reaches the TLB. Invariants (what keeps entries truthful):
// - An entry exists only while the TLB holds the translation it came from: every TLB drop (INVLPG,
//   flush, CR3 write, fault, replacement, restore) drops the entries of that page, or all of them
//   (Tlb.onInvalidate).
// - Entries were checked for the current mode and control bits: an AC/SMEP/SMAP change resets them,
//   and each privilege mode has its own set (EntrySet): a mode change parks the current set and
//   takes the other, and every drop below applies to both sets.
// - A read entry may point at any readable RAM or ROM frame (the shared zero frame for untouched
//   ones); a write entry only at a RAM frame writable in place whose TLB entry is dirty. When a
//   frame's host storage changes (first write, copy-on-write, release; by any CPU or DMA) physical
//   memory tells every bus (frameMoved) and the entries for that frame go. A snapshot drops the write
//   entries (frames are shared from then on); a restore, region or remap change drops everything.
// - Device pages, holes, and frames the cache model covers through a cacheable mapping never get an
//   entry: they always take the slow path (device dispatch, bus error, cache model).
//
// ## Slow path and atomicity
// An access that misses, crosses a page boundary, or is not plain RAM translates *every* page it
// touches and checks that something answers at every physical byte before any byte moves, so a
// faulting access has no effect on memory (translation may still set ACCESSED/DIRTY bits and fill
// the TLB for the pages that translated, as hardware does). Loads then return 0 and `fault` is set:
// a PageFault from the MMU or a BusFault (reason 'bus') for a hole. Block operations (copy, fill,
// read, write) work the same way, page by page.

import type { AccessKind, MemoryBus, MemoryFault, Value } from '../../interp/contracts';
import * as values from '../../interp/values';
import type { CpuCache } from './cache';
import * as mmuModule from './mmu';
import type { CpuMode, Mmu, PageFault } from './mmu';
import * as pageTable from './pageTable';
import * as physMem from './physMem';
import type { BusFault, DeviceRegisters, PhysObserver, PhysicalMemory, Region } from './physMem';
import * as tlbModule from './tlb';
import type { Tlb } from './tlb';

// Imported bindings compile to getter calls under CommonJS (tsx, mocha), which V8 does not always
// inline: the hot paths use module-local copies.
const { fromHalvesI64, fromHalvesU64, high32, low32 } = values;
const { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, X86_PF_INSTR, X86_PF_USER, X86_PF_WRITE } = mmuModule;
const { isCacheable } = pageTable;
const { FRAME_SIZE, PAGE_DEVICE, PAGE_RAM, PAGE_ROM } = physMem;
const { tlbCacheMode, TLB_D, TLB_U, TLB_W } = tlbModule;

/** Virtual addresses are 0 .. 2^48 - 1 (the KC pointer representation). */
const VA_LIMIT = 2 ** 48;
const PAGE = FRAME_SIZE;
/** Copies up to this many bytes within one page each way take the small path (see copy). */
const SMALL_COPY = 64;
/** Fills up to this many bytes within one page of plain RAM take the write entries (see fill). */
const SMALL_FILL = 256;
/** Base of an empty entry: `addr - NO_PAGE` is +Infinity, never a page offset. */
const NO_PAGE = -Infinity;

/** Entries of each direct-mapped page cache (a power of two). */
const PAGE_CACHE = 256;
const PAGE_CACHE_MASK = PAGE_CACHE - 1;
/** Buckets of the frame-number filter of the page caches (a power of two). */
const PFN_FILTER = 4096;
const PFN_FILTER_MASK = PFN_FILTER - 1;

const FILLED = 1;
const SLOW = 0;
const FAULTED = -1;

const ACCESS_NAMES: readonly AccessKind[] = ['read', 'write', 'exec'];
const EMPTY_VIEW: DataView = new DataView(new ArrayBuffer(8));

/**
 * The fast-path entries of one privilege mode (see the header): the two read and two write entries
 * and the two page caches. The bus holds the current mode's and parks the other mode's in a second
 * set, so that a mode switch (every system call and fault) exchanges them instead of dropping them.
 * Every drop applies to both sets: an entry stays valid while parked exactly as long as it would
 * have while in use.
 */
class EntrySet {
	// Read entries (0 most recent).
	protected r0Base = NO_PAGE;
	protected r0View = EMPTY_VIEW;
	protected r0Off = 0;
	protected r0Pfn = -1;
	protected r1Base = NO_PAGE;
	protected r1View = EMPTY_VIEW;
	protected r1Off = 0;
	protected r1Pfn = -1;
	// Write entries.
	protected w0Base = NO_PAGE;
	protected w0View = EMPTY_VIEW;
	protected w0Off = 0;
	protected w0Pfn = -1;
	protected w1Base = NO_PAGE;
	protected w1View = EMPTY_VIEW;
	protected w1Off = 0;
	protected w1Pfn = -1;

	// Page caches: virtual page number (-1: empty), frame number, slab view and offset, per slot.
	protected readVpn = new Float64Array(PAGE_CACHE).fill(-1);
	protected readPfn = new Float64Array(PAGE_CACHE).fill(-1);
	protected readView = new Array<DataView>(PAGE_CACHE).fill(EMPTY_VIEW);
	protected readOff = new Int32Array(PAGE_CACHE);
	protected writeVpn = new Float64Array(PAGE_CACHE).fill(-1);
	protected writePfn = new Float64Array(PAGE_CACHE).fill(-1);
	protected writeView = new Array<DataView>(PAGE_CACHE).fill(EMPTY_VIEW);
	protected writeOff = new Int32Array(PAGE_CACHE);

	/** Drops every entry of the set. */
	dropAll(): void {
		this.r0Base = this.r1Base = this.w0Base = this.w1Base = NO_PAGE;
		this.r0Pfn = this.r1Pfn = this.w0Pfn = this.w1Pfn = -1;
		this.r0View = this.r1View = this.w0View = this.w1View = EMPTY_VIEW;
		this.readVpn.fill(-1);
		this.writeVpn.fill(-1);
	}

	/** Drops the entries of virtual page `vpn`. */
	dropPage(vpn: number): void {
		const base = vpn * PAGE;
		if (this.r0Base === base) this.r0Base = NO_PAGE;
		if (this.r1Base === base) this.r1Base = NO_PAGE;
		if (this.w0Base === base) this.w0Base = NO_PAGE;
		if (this.w1Base === base) this.w1Base = NO_PAGE;
		const slot = vpn & PAGE_CACHE_MASK;
		if (this.readVpn[slot] === vpn) this.readVpn[slot] = -1;
		if (this.writeVpn[slot] === vpn) this.writeVpn[slot] = -1;
	}

	/** Drops the entries of frame `pfn`; `scan`: whether its page caches may hold it (see pfnFilter). */
	dropFrame(pfn: number, scan: boolean): void {
		if (this.r0Pfn === pfn) {
			this.r0Base = NO_PAGE;
			this.r0Pfn = -1;
		}
		if (this.r1Pfn === pfn) {
			this.r1Base = NO_PAGE;
			this.r1Pfn = -1;
		}
		if (this.w0Pfn === pfn) {
			this.w0Base = NO_PAGE;
			this.w0Pfn = -1;
		}
		if (this.w1Pfn === pfn) {
			this.w1Base = NO_PAGE;
			this.w1Pfn = -1;
		}
		if (!scan) return;
		const readPfn = this.readPfn;
		const writePfn = this.writePfn;
		for (let i = 0; i < PAGE_CACHE; i++) {
			if (readPfn[i] === pfn) this.readVpn[i] = -1;
			if (writePfn[i] === pfn) this.writeVpn[i] = -1;
		}
	}

	/** Drops the write entries (frames are shared with a snapshot). */
	dropWrites(): void {
		this.w0Base = this.w1Base = NO_PAGE;
		this.w0Pfn = this.w1Pfn = -1;
		this.writeVpn.fill(-1);
	}

	/** Exchanges every entry with `other`. */
	exchangeWith(other: EntrySet): void {
		let n = this.r0Base; this.r0Base = other.r0Base; other.r0Base = n;
		let v = this.r0View; this.r0View = other.r0View; other.r0View = v;
		n = this.r0Off; this.r0Off = other.r0Off; other.r0Off = n;
		n = this.r0Pfn; this.r0Pfn = other.r0Pfn; other.r0Pfn = n;
		n = this.r1Base; this.r1Base = other.r1Base; other.r1Base = n;
		v = this.r1View; this.r1View = other.r1View; other.r1View = v;
		n = this.r1Off; this.r1Off = other.r1Off; other.r1Off = n;
		n = this.r1Pfn; this.r1Pfn = other.r1Pfn; other.r1Pfn = n;
		n = this.w0Base; this.w0Base = other.w0Base; other.w0Base = n;
		v = this.w0View; this.w0View = other.w0View; other.w0View = v;
		n = this.w0Off; this.w0Off = other.w0Off; other.w0Off = n;
		n = this.w0Pfn; this.w0Pfn = other.w0Pfn; other.w0Pfn = n;
		n = this.w1Base; this.w1Base = other.w1Base; other.w1Base = n;
		v = this.w1View; this.w1View = other.w1View; other.w1View = v;
		n = this.w1Off; this.w1Off = other.w1Off; other.w1Off = n;
		n = this.w1Pfn; this.w1Pfn = other.w1Pfn; other.w1Pfn = n;
		let f = this.readVpn; this.readVpn = other.readVpn; other.readVpn = f;
		f = this.readPfn; this.readPfn = other.readPfn; other.readPfn = f;
		let views = this.readView; this.readView = other.readView; other.readView = views;
		let offsets = this.readOff; this.readOff = other.readOff; other.readOff = offsets;
		f = this.writeVpn; this.writeVpn = other.writeVpn; other.writeVpn = f;
		f = this.writePfn; this.writePfn = other.writePfn; other.writePfn = f;
		views = this.writeView; this.writeView = other.writeView; other.writeView = views;
		offsets = this.writeOff; this.writeOff = other.writeOff; other.writeOff = offsets;
	}
}

/** The MemoryBus of one CPU. See the file header. */
export class CpuMemoryBus extends EntrySet implements MemoryBus, PhysObserver {
	fault: MemoryFault | null = null;

	private userMode = false;
	/** The other mode's entries (see EntrySet). */
	private readonly parked = new EntrySet();

	/** Staging bytes for slow-path scalar accesses. */
	private readonly scratch = new Uint8Array(8);
	private readonly scratchView = new DataView(this.scratch.buffer);

	/**
	 * How many page-cache slots of both entry sets (read and write, valid or not) hold a frame
	 * number, by frame number modulo PFN_FILTER: frameMoved skips its scans when the count is zero.
	 */
	private readonly pfnFilter = new Uint16Array(PFN_FILTER);

	/** TLB bits of the translation fillRead/fillWrite just used. */
	private hitBits = 0;
	private readonly tlb: Tlb;

	// Translations of the pages of the current slow-path or block access.
	private pagePa: number[] = [];
	private pageBits: number[] = [];

	constructor(
		readonly mmu: Mmu,
		readonly phys: PhysicalMemory,
		private readonly cache: CpuCache | null = null,
	) {
		super();
		this.tlb = mmu.tlb;
		phys.addObserver(this);
		mmu.tlb.onInvalidate = (vpn) => {
			if (vpn < 0) this.reset();
			else {
				this.dropPage(vpn);
				this.parked.dropPage(vpn);
			}
		};
		mmu.onControlChange = () => this.reset();
		if (cache !== null) cache.addListener(() => this.reset());
	}

	/** The privilege mode accesses are checked in. Changing it parks the fast-path entries and takes the other mode's. */
	get mode(): CpuMode {
		return this.userMode ? 'user' : 'kernel';
	}

	set mode(mode: CpuMode) {
		const user = mode === 'user';
		if (user === this.userMode) return;
		this.userMode = user;
		this.exchangeWith(this.parked);
	}

	/** Drops every fast-path entry, of both modes. */
	reset(): void {
		this.dropAll();
		this.parked.dropAll();
	}

	// ---- PhysObserver ----------------------------------------------------------------------------

	frameMoved(pfn: number): void {
		const scan = this.pfnFilter[pfn & PFN_FILTER_MASK] !== 0;
		this.dropFrame(pfn, scan);
		this.parked.dropFrame(pfn, scan);
	}

	framesShared(): void {
		this.dropWrites();
		this.parked.dropWrites();
	}

	layoutChanged(): void {
		this.reset();
	}

	// ---- Loads -----------------------------------------------------------------------------------
	// Each access is a small method serving read (or write) entry 0, which compilers inline into
	// generated code, and a miss method for everything else (entry 1, the page caches, the slow path).

	ld8u(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off < PAGE) return this.r0View.getUint8(this.r0Off + off);
		return this.ld8uMiss(addr);
	}

	/** ld8u past read entry 0. */
	private ld8uMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off < PAGE) return this.r1View.getUint8(this.r1Off + off);
		const r = this.fillRead(addr, 1);
		if (r === FILLED) return this.r0View.getUint8(this.r0Off + (addr - this.r0Base));
		return r === SLOW && this.loadSlow(addr, 1) ? this.scratch[0] : 0;
	}

	ld8s(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off < PAGE) return this.r0View.getInt8(this.r0Off + off);
		return this.ld8sMiss(addr);
	}

	/** ld8s past read entry 0. */
	private ld8sMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off < PAGE) return this.r1View.getInt8(this.r1Off + off);
		const r = this.fillRead(addr, 1);
		if (r === FILLED) return this.r0View.getInt8(this.r0Off + (addr - this.r0Base));
		return r === SLOW && this.loadSlow(addr, 1) ? this.scratchView.getInt8(0) : 0;
	}

	ld16u(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 2) return this.r0View.getUint16(this.r0Off + off, true);
		return this.ld16uMiss(addr);
	}

	/** ld16u past read entry 0. */
	private ld16uMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 2) return this.r1View.getUint16(this.r1Off + off, true);
		const r = this.fillRead(addr, 2);
		if (r === FILLED) return this.r0View.getUint16(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 2) ? this.scratchView.getUint16(0, true) : 0;
	}

	ld16s(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 2) return this.r0View.getInt16(this.r0Off + off, true);
		return this.ld16sMiss(addr);
	}

	/** ld16s past read entry 0. */
	private ld16sMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 2) return this.r1View.getInt16(this.r1Off + off, true);
		const r = this.fillRead(addr, 2);
		if (r === FILLED) return this.r0View.getInt16(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 2) ? this.scratchView.getInt16(0, true) : 0;
	}

	ld32u(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 4) return this.r0View.getUint32(this.r0Off + off, true);
		return this.ld32uMiss(addr);
	}

	/** ld32u past read entry 0. */
	private ld32uMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 4) return this.r1View.getUint32(this.r1Off + off, true);
		const r = this.fillRead(addr, 4);
		if (r === FILLED) return this.r0View.getUint32(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 4) ? this.scratchView.getUint32(0, true) : 0;
	}

	ld32s(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 4) return this.r0View.getInt32(this.r0Off + off, true);
		return this.ld32sMiss(addr);
	}

	/** ld32s past read entry 0. */
	private ld32sMiss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 4) return this.r1View.getInt32(this.r1Off + off, true);
		const r = this.fillRead(addr, 4);
		if (r === FILLED) return this.r0View.getInt32(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 4) ? this.scratchView.getInt32(0, true) : 0;
	}

	ld64u(addr: number): Value {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 8) {
			const at = this.r0Off + off;
			return fromHalvesU64(this.r0View.getUint32(at + 4, true), this.r0View.getUint32(at, true));
		}
		return this.ld64uMiss(addr);
	}

	/** ld64u past read entry 0. */
	private ld64uMiss(addr: number): Value {
		let off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 8) {
			off += this.r1Off;
			return fromHalvesU64(this.r1View.getUint32(off + 4, true), this.r1View.getUint32(off, true));
		}
		const r = this.fillRead(addr, 8);
		if (r === FILLED) {
			off = this.r0Off + (addr - this.r0Base);
			return fromHalvesU64(this.r0View.getUint32(off + 4, true), this.r0View.getUint32(off, true));
		}
		return r === SLOW && this.loadSlow(addr, 8) ? fromHalvesU64(this.scratchView.getUint32(4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	ld64s(addr: number): Value {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 8) {
			const at = this.r0Off + off;
			return fromHalvesI64(this.r0View.getInt32(at + 4, true), this.r0View.getUint32(at, true));
		}
		return this.ld64sMiss(addr);
	}

	/** ld64s past read entry 0. */
	private ld64sMiss(addr: number): Value {
		let off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 8) {
			off += this.r1Off;
			return fromHalvesI64(this.r1View.getInt32(off + 4, true), this.r1View.getUint32(off, true));
		}
		const r = this.fillRead(addr, 8);
		if (r === FILLED) {
			off = this.r0Off + (addr - this.r0Base);
			return fromHalvesI64(this.r0View.getInt32(off + 4, true), this.r0View.getUint32(off, true));
		}
		return r === SLOW && this.loadSlow(addr, 8) ? fromHalvesI64(this.scratchView.getInt32(4, true), this.scratchView.getUint32(0, true)) : 0;
	}

	ldf32(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 4) return this.r0View.getFloat32(this.r0Off + off, true);
		return this.ldf32Miss(addr);
	}

	/** ldf32 past read entry 0. */
	private ldf32Miss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 4) return this.r1View.getFloat32(this.r1Off + off, true);
		const r = this.fillRead(addr, 4);
		if (r === FILLED) return this.r0View.getFloat32(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 4) ? this.scratchView.getFloat32(0, true) : 0;
	}

	ldf64(addr: number): number {
		const off = addr - this.r0Base;
		if (off >= 0 && off <= PAGE - 8) return this.r0View.getFloat64(this.r0Off + off, true);
		return this.ldf64Miss(addr);
	}

	/** ldf64 past read entry 0. */
	private ldf64Miss(addr: number): number {
		const off = addr - this.r1Base;
		if (off >= 0 && off <= PAGE - 8) return this.r1View.getFloat64(this.r1Off + off, true);
		const r = this.fillRead(addr, 8);
		if (r === FILLED) return this.r0View.getFloat64(this.r0Off + (addr - this.r0Base), true);
		return r === SLOW && this.loadSlow(addr, 8) ? this.scratchView.getFloat64(0, true) : 0;
	}

	// ---- Stores ----------------------------------------------------------------------------------

	st8(addr: number, v: number): void {
		const off = addr - this.w0Base;
		if (off >= 0 && off < PAGE) return this.w0View.setUint8(this.w0Off + off, v);
		this.st8Miss(addr, v);
	}

	/** st8 past write entry 0. */
	private st8Miss(addr: number, v: number): void {
		const off = addr - this.w1Base;
		if (off >= 0 && off < PAGE) return this.w1View.setUint8(this.w1Off + off, v);
		const r = this.fillWrite(addr, 1);
		if (r === FILLED) return this.w0View.setUint8(this.w0Off + (addr - this.w0Base), v);
		if (r === FAULTED) return;
		this.scratchView.setUint8(0, v);
		this.storeSlow(addr, 1);
	}

	st16(addr: number, v: number): void {
		const off = addr - this.w0Base;
		if (off >= 0 && off <= PAGE - 2) return this.w0View.setUint16(this.w0Off + off, v, true);
		this.st16Miss(addr, v);
	}

	/** st16 past write entry 0. */
	private st16Miss(addr: number, v: number): void {
		const off = addr - this.w1Base;
		if (off >= 0 && off <= PAGE - 2) return this.w1View.setUint16(this.w1Off + off, v, true);
		const r = this.fillWrite(addr, 2);
		if (r === FILLED) return this.w0View.setUint16(this.w0Off + (addr - this.w0Base), v, true);
		if (r === FAULTED) return;
		this.scratchView.setUint16(0, v, true);
		this.storeSlow(addr, 2);
	}

	st32(addr: number, v: number): void {
		const off = addr - this.w0Base;
		if (off >= 0 && off <= PAGE - 4) return this.w0View.setInt32(this.w0Off + off, v, true);
		this.st32Miss(addr, v);
	}

	/** st32 past write entry 0. */
	private st32Miss(addr: number, v: number): void {
		const off = addr - this.w1Base;
		if (off >= 0 && off <= PAGE - 4) return this.w1View.setInt32(this.w1Off + off, v, true);
		const r = this.fillWrite(addr, 4);
		if (r === FILLED) return this.w0View.setInt32(this.w0Off + (addr - this.w0Base), v, true);
		if (r === FAULTED) return;
		this.scratchView.setInt32(0, v, true);
		this.storeSlow(addr, 4);
	}

	st64(addr: number, v: Value): void {
		const lo = low32(v);
		const hi = high32(v);
		const off = addr - this.w0Base;
		if (off >= 0 && off <= PAGE - 8) {
			const at = this.w0Off + off;
			this.w0View.setUint32(at, lo, true);
			return this.w0View.setInt32(at + 4, hi, true);
		}
		this.st64Miss(addr, lo, hi);
	}

	/** st64 past write entry 0. */
	private st64Miss(addr: number, lo: number, hi: number): void {
		let off = addr - this.w1Base;
		if (off >= 0 && off <= PAGE - 8) {
			off += this.w1Off;
			this.w1View.setUint32(off, lo, true);
			return this.w1View.setInt32(off + 4, hi, true);
		}
		const r = this.fillWrite(addr, 8);
		if (r === FILLED) {
			off = this.w0Off + (addr - this.w0Base);
			this.w0View.setUint32(off, lo, true);
			return this.w0View.setInt32(off + 4, hi, true);
		}
		if (r === FAULTED) return;
		this.scratchView.setUint32(0, lo, true);
		this.scratchView.setInt32(4, hi, true);
		this.storeSlow(addr, 8);
	}

	stf32(addr: number, v: number): void {
		const off = addr - this.w0Base;
		if (off >= 0 && off <= PAGE - 4) return this.w0View.setFloat32(this.w0Off + off, v, true);
		this.stf32Miss(addr, v);
	}

	/** stf32 past write entry 0. */
	private stf32Miss(addr: number, v: number): void {
		const off = addr - this.w1Base;
		if (off >= 0 && off <= PAGE - 4) return this.w1View.setFloat32(this.w1Off + off, v, true);
		const r = this.fillWrite(addr, 4);
		if (r === FILLED) return this.w0View.setFloat32(this.w0Off + (addr - this.w0Base), v, true);
		if (r === FAULTED) return;
		this.scratchView.setFloat32(0, v, true);
		this.storeSlow(addr, 4);
	}

	stf64(addr: number, v: number): void {
		const off = addr - this.w0Base;
		if (off >= 0 && off <= PAGE - 8) return this.w0View.setFloat64(this.w0Off + off, v, true);
		this.stf64Miss(addr, v);
	}

	/** stf64 past write entry 0. */
	private stf64Miss(addr: number, v: number): void {
		const off = addr - this.w1Base;
		if (off >= 0 && off <= PAGE - 8) return this.w1View.setFloat64(this.w1Off + off, v, true);
		const r = this.fillWrite(addr, 8);
		if (r === FILLED) return this.w0View.setFloat64(this.w0Off + (addr - this.w0Base), v, true);
		if (r === FAULTED) return;
		this.scratchView.setFloat64(0, v, true);
		this.storeSlow(addr, 8);
	}

	// ---- Block operations ------------------------------------------------------------------------

	/** Scratch buffer of small copies. */
	private readonly smallCopy = new Uint8Array(SMALL_COPY);
	/** smallCopy's bytes, for copies of whole 32-bit words. */
	private readonly smallCopyView = new DataView(this.smallCopy.buffer);

	/** Copies `len` bytes from `src` to `dst` (memmove semantics). Faults, copying nothing, if a source page is unreadable or a destination page unwritable. */
	copy(dst: number, src: number, len: number): void {
		if (!(len > 0)) return;
		if (len <= SMALL_COPY && (src % PAGE) + len <= PAGE && (dst % PAGE) + len <= PAGE) {
			// Struct assignments (pte_t, small structs) are most copies. All loads happen before any
			// store, and the stores go to one page that is translated (and faults) before the first
			// byte is written, so a fault leaves no effect. Plain RAM pages are served through the
			// read and write entries; anything else takes one byte access at a time.
			if (this.loadSmall(src, len)) this.storeSmall(dst, len);
			return;
		}
		if (!this.translateRange(src, len, ACCESS_READ)) return;
		const srcPa = this.pagePa;
		const srcBits = this.pageBits;
		this.pagePa = [];
		this.pageBits = [];
		if (!this.translateRange(dst, len, ACCESS_WRITE)) return;
		if (!this.checkPages(src, len, srcPa, 'read') || !this.checkPages(dst, len, this.pagePa, 'write')) return;
		const buffer = new Uint8Array(len);
		this.transferPages(src, len, srcPa, srcBits, buffer, false);
		this.transferPages(dst, len, this.pagePa, this.pageBits, buffer, true);
	}

	/** Loads `len` (<= SMALL_COPY) bytes of one page at `src` into smallCopy; false (fault set) when the page faults. */
	private loadSmall(src: number, len: number): boolean {
		const bytes = this.smallCopy;
		let view: DataView;
		let at = src - this.r0Base;
		if (at >= 0 && at <= PAGE - len) {
			view = this.r0View;
			at += this.r0Off;
		} else {
			at = src - this.r1Base;
			if (at >= 0 && at <= PAGE - len) {
				view = this.r1View;
				at += this.r1Off;
			} else {
				const r = this.fillRead(src, len);
				if (r === FAULTED) return false;
				if (r === SLOW) {
					// Device pages and frames behind the cache model: the bytes one by one.
					for (let i = 0; i < len; i++) {
						bytes[i] = this.ld8u(src + i);
						if (this.fault !== null) return false;
					}
					return true;
				}
				view = this.r0View;
				at = this.r0Off + (src - this.r0Base);
			}
		}
		if ((len & 3) === 0) {
			const words = this.smallCopyView;
			for (let i = 0; i < len; i += 4) words.setUint32(i, view.getUint32(at + i, true), true);
		} else {
			for (let i = 0; i < len; i++) bytes[i] = view.getUint8(at + i);
		}
		return true;
	}

	/** Stores the first `len` (<= SMALL_COPY) bytes of smallCopy into one page at `dst`; nothing is stored when the page faults. */
	private storeSmall(dst: number, len: number): void {
		const bytes = this.smallCopy;
		let view: DataView;
		let at = dst - this.w0Base;
		if (at >= 0 && at <= PAGE - len) {
			view = this.w0View;
			at += this.w0Off;
		} else {
			at = dst - this.w1Base;
			if (at >= 0 && at <= PAGE - len) {
				view = this.w1View;
				at += this.w1Off;
			} else {
				const r = this.fillWrite(dst, len);
				if (r === FAULTED) return;
				if (r === SLOW) {
					this.st8(dst, bytes[0]);
					if (this.fault !== null) return;
					for (let i = 1; i < len; i++) this.st8(dst + i, bytes[i]);
					return;
				}
				view = this.w0View;
				at = this.w0Off + (dst - this.w0Base);
			}
		}
		if ((len & 3) === 0) {
			const words = this.smallCopyView;
			for (let i = 0; i < len; i += 4) view.setUint32(at + i, words.getUint32(i, true), true);
		} else {
			for (let i = 0; i < len; i++) view.setUint8(at + i, bytes[i]);
		}
	}

	/** Sets `len` bytes at `dst` to `byte & 255`. Faults, writing nothing, if a page is unwritable. */
	fill(dst: number, byte: number, len: number): void {
		if (!(len > 0)) return;
		if (len <= SMALL_FILL && (dst % PAGE) + len <= PAGE) {
			// Small fills within one page of plain RAM (compound literals, small memsets): through the
			// write entries. Whole-frame fills keep the general path, which gives zeroed frames back.
			let view: DataView | null = null;
			let at = dst - this.w0Base;
			if (at >= 0 && at <= PAGE - len) {
				view = this.w0View;
				at += this.w0Off;
			} else {
				at = dst - this.w1Base;
				if (at >= 0 && at <= PAGE - len) {
					view = this.w1View;
					at += this.w1Off;
				} else {
					const r = this.fillWrite(dst, len);
					if (r === FAULTED) return;
					if (r === FILLED) {
						view = this.w0View;
						at = this.w0Off + (dst - this.w0Base);
					}
				}
			}
			if (view !== null) {
				const value = byte & 0xff;
				for (let i = 0; i < len; i++) view.setUint8(at + i, value);
				return;
			}
		}
		if (!this.translateRange(dst, len, ACCESS_WRITE) || !this.checkPages(dst, len, this.pagePa, 'write')) return;
		const value = byte & 0xff;
		let filled: Uint8Array | null = null;
		let pos = 0;
		for (let i = 0; pos < len; i++) {
			const n = Math.min(len - pos, PAGE - ((dst + pos) % PAGE));
			const pa = this.pagePa[i];
			const bits = this.pageBits[i];
			if (this.throughCache(pa, bits)) {
				if (filled === null) filled = new Uint8Array(PAGE).fill(value);
				(this.cache as CpuCache).cpuWrite(pa, filled, 0, n, tlbCacheMode(bits));
			} else this.phys.fill(pa, value, n);
			pos += n;
		}
	}

	/** Reads `len` bytes into a new array; null (and `fault` set) when a page is unreadable. */
	read(addr: number, len: number): Uint8Array | null {
		if (!(len > 0)) return new Uint8Array(0);
		if (!this.translateRange(addr, len, ACCESS_READ) || !this.checkPages(addr, len, this.pagePa, 'read')) return null;
		const out = new Uint8Array(len);
		this.transferPages(addr, len, this.pagePa, this.pageBits, out, false);
		return out;
	}

	/** Writes `bytes` at `addr`; faults, writing nothing, when a page is unwritable. */
	write(addr: number, bytes: Uint8Array): void {
		const len = bytes.length;
		if (len === 0) return;
		if (!this.translateRange(addr, len, ACCESS_WRITE) || !this.checkPages(addr, len, this.pagePa, 'write')) return;
		this.transferPages(addr, len, this.pagePa, this.pageBits, bytes, true);
	}

	// ---- Other CPU operations --------------------------------------------------------------------

	/** Checks that code at `addr` may be fetched (NX, SMEP); false with `fault` set otherwise. */
	checkFetch(addr: number): boolean {
		if (!this.validAddress(addr, 1, ACCESS_EXEC)) return false;
		if (this.mmu.translateCode(addr, ACCESS_EXEC, this.userMode) < 0) {
			this.fault = this.mmu.fault;
			return false;
		}
		return true;
	}

	/** Translates `addr` for `access` in the current mode: the physical address, or -1 with `fault` set. */
	translate(addr: number, access: AccessKind): number {
		const code = access === 'read' ? ACCESS_READ : access === 'write' ? ACCESS_WRITE : ACCESS_EXEC;
		if (!this.validAddress(addr, 1, code)) return -1;
		const pa = this.mmu.translateCode(addr, code, this.userMode);
		if (pa < 0) this.fault = this.mmu.fault;
		return pa;
	}

	// ---- Internals -------------------------------------------------------------------------------

	/** True when an access at `addr` of `size` bytes stays inside the 48-bit space; else sets a not-present fault. */
	private validAddress(addr: number, size: number, code: number): boolean {
		if (Number.isInteger(addr) && addr >= 0 && addr + size <= VA_LIMIT) return true;
		const address = Number.isInteger(addr) && addr >= 0 && addr < VA_LIMIT ? addr : 0;
		const fault: PageFault = {
			address,
			access: ACCESS_NAMES[code],
			reason: 'not-present',
			errorCode: (code === ACCESS_WRITE ? X86_PF_WRITE : 0) | (this.userMode ? X86_PF_USER : 0) | (code === ACCESS_EXEC ? X86_PF_INSTR : 0),
			level: 4,
			detail: `address ${addr} outside the 48-bit virtual address space`,
		};
		this.fault = fault;
		return false;
	}

	/** True when accesses to `pa` through a translation with `bits` must go through the cache model. */
	private throughCache(pa: number, bits: number): boolean {
		const cache = this.cache;
		return cache !== null && cache.active && isCacheable(tlbCacheMode(bits)) && cache.coversFrame(Math.floor(pa / PAGE));
	}

	/**
	 * The TLB-hit part of a translation, done here without calls (a call with a non-Smi page number
	 * would box it): the frame number of `vpn` when the TLB holds it and its bits allow a read (or,
	 * with `write`, a write through a dirty entry), with the bits in `hitBits`; else -1.
	 */
	private tlbHit(vpn: number, write: boolean): number {
		const tlb = this.tlb;
		const vpns = tlb.vpn;
		let i = (vpn & tlb.setMask) * tlb.ways;
		const end = i + tlb.ways;
		while (i < end && vpns[i] !== vpn) i++;
		if (i === end) return -1;
		const bits = tlb.bits[i];
		if ((bits & TLB_U) !== 0 ? !this.userMode && this.mmu.kernelUserDataDenied : this.userMode) return -1;
		if (write && (bits & (TLB_W | TLB_D)) !== (TLB_W | TLB_D)) return -1;
		this.hitBits = bits;
		return tlb.pfn[i];
	}

	/** Sets the frame number of a page-cache slot, keeping pfnFilter's counts. */
	private setSlotPfn(pfns: Float64Array, slot: number, pfn: number): void {
		const filter = this.pfnFilter;
		const old = pfns[slot];
		if (old >= 0) filter[old & PFN_FILTER_MASK]--;
		filter[pfn & PFN_FILTER_MASK]++;
		pfns[slot] = pfn;
	}

	/** Translates a load that lies in one page and, when it is plain RAM or ROM, makes it read entry 0 (from the page cache when it can). */
	private fillRead(addr: number, size: number): number {
		if (!(addr >= 0 && addr <= VA_LIMIT - size)) return this.validAddress(addr, size, ACCESS_READ) ? SLOW : FAULTED;
		const vpn = Math.floor(addr / PAGE);
		const base = vpn * PAGE;
		if (addr - base > PAGE - size) return SLOW;
		const slot = vpn & PAGE_CACHE_MASK;
		let view: DataView;
		let offset: number;
		let pfn: number;
		if (this.readVpn[slot] === vpn) {
			view = this.readView[slot];
			offset = this.readOff[slot];
			pfn = this.readPfn[slot];
		} else {
			pfn = this.tlbHit(vpn, false);
			if (pfn < 0) {
				const mmu = this.mmu;
				const pa = mmu.translateCode(addr, ACCESS_READ, this.userMode);
				if (pa < 0) {
					this.fault = mmu.fault;
					return FAULTED;
				}
				pfn = Math.floor(pa / PAGE);
				this.hitBits = mmu.lastBits;
			}
			const phys = this.phys;
			const kind = phys.resolveFrame(pfn);
			if (kind !== PAGE_RAM && kind !== PAGE_ROM) return SLOW;
			if (this.cache !== null && this.cache.active && this.throughCache(pfn * PAGE, this.hitBits)) return SLOW;
			pfn = phys.resolvedPfn;
			view = phys.frameForRead(pfn).view;
			offset = phys.frameOffset;
			this.readVpn[slot] = vpn;
			this.setSlotPfn(this.readPfn, slot, pfn);
			this.readView[slot] = view;
			this.readOff[slot] = offset;
		}
		this.r1Base = this.r0Base;
		this.r1View = this.r0View;
		this.r1Off = this.r0Off;
		this.r1Pfn = this.r0Pfn;
		this.r0Base = base;
		this.r0View = view;
		this.r0Off = offset;
		this.r0Pfn = pfn;
		return FILLED;
	}

	/** Translates a store that lies in one page and, when it is plain RAM, makes it write entry 0 (the frame made writable in place). */
	private fillWrite(addr: number, size: number): number {
		if (!(addr >= 0 && addr <= VA_LIMIT - size)) return this.validAddress(addr, size, ACCESS_WRITE) ? SLOW : FAULTED;
		const vpn = Math.floor(addr / PAGE);
		const base = vpn * PAGE;
		if (addr - base > PAGE - size) return SLOW;
		const slot = vpn & PAGE_CACHE_MASK;
		let view: DataView;
		let offset: number;
		let pfn: number;
		if (this.writeVpn[slot] === vpn) {
			view = this.writeView[slot];
			offset = this.writeOff[slot];
			pfn = this.writePfn[slot];
		} else {
			pfn = this.tlbHit(vpn, true);
			if (pfn < 0) {
				const mmu = this.mmu;
				const pa = mmu.translateCode(addr, ACCESS_WRITE, this.userMode);
				if (pa < 0) {
					this.fault = mmu.fault;
					return FAULTED;
				}
				pfn = Math.floor(pa / PAGE);
				this.hitBits = mmu.lastBits;
			}
			const phys = this.phys;
			if (phys.resolveFrame(pfn) !== PAGE_RAM) return SLOW;
			if (this.cache !== null && this.cache.active && this.throughCache(pfn * PAGE, this.hitBits)) return SLOW;
			pfn = phys.resolvedPfn;
			// May allocate or copy the frame; frameMoved then drops entries for it (ours included).
			view = phys.frameForWrite(pfn).view;
			offset = phys.frameOffset;
			this.writeVpn[slot] = vpn;
			this.setSlotPfn(this.writePfn, slot, pfn);
			this.writeView[slot] = view;
			this.writeOff[slot] = offset;
		}
		this.w1Base = this.w0Base;
		this.w1View = this.w0View;
		this.w1Off = this.w0Off;
		this.w1Pfn = this.w0Pfn;
		this.w0Base = base;
		this.w0View = view;
		this.w0Off = offset;
		this.w0Pfn = pfn;
		return FILLED;
	}

	/** A load not served by the entries: every page translated and checked, then into `scratch`. */
	private loadSlow(addr: number, size: number): boolean {
		if (!this.translateRange(addr, size, ACCESS_READ) || !this.checkPages(addr, size, this.pagePa, 'read')) return false;
		if (this.pagePa.length === 1) {
			const device = this.singleDevice(this.pagePa[0], size);
			if (device !== null) {
				const value = (device.device as DeviceRegisters).read(this.pagePa[0] - device.base, size);
				this.scratchView.setUint32(0, low32(value), true);
				this.scratchView.setInt32(4, size === 8 ? high32(value) : 0, true);
				return true;
			}
		}
		this.transferPages(addr, size, this.pagePa, this.pageBits, this.scratch, false);
		return true;
	}

	/** A store (of `scratch`) not served by the entries: every page translated and checked first. */
	private storeSlow(addr: number, size: number): void {
		if (!this.translateRange(addr, size, ACCESS_WRITE) || !this.checkPages(addr, size, this.pagePa, 'write')) return;
		if (this.pagePa.length === 1) {
			const device = this.singleDevice(this.pagePa[0], size);
			if (device !== null) {
				const view = this.scratchView;
				const value: Value = size === 1 ? view.getUint8(0) : size === 2 ? view.getUint16(0, true) : size === 4 ? view.getUint32(0, true) : fromHalvesU64(view.getUint32(4, true), view.getUint32(0, true));
				(device.device as DeviceRegisters).write(this.pagePa[0] - device.base, size, value);
				return;
			}
		}
		this.transferPages(addr, size, this.pagePa, this.pageBits, this.scratch, true);
	}

	/** The device region when [pa, pa + size) lies inside one device region, else null. */
	private singleDevice(pa: number, size: number): Region | null {
		if (this.phys.resolvePage(pa) !== PAGE_DEVICE) return null;
		const r = this.phys.resolvedRegion as Region;
		return pa + size <= r.end ? r : null;
	}

	/**
	 * Translates every page of [addr, addr + len) for `code` into pagePa/pageBits (the physical address
	 * of the first byte used in each page). False (fault set) at the first page that faults.
	 */
	private translateRange(addr: number, len: number, code: number): boolean {
		if (!this.validAddress(addr, len, code)) return false;
		const pas = this.pagePa;
		const bits = this.pageBits;
		pas.length = 0;
		bits.length = 0;
		const mmu = this.mmu;
		let pos = 0;
		while (pos < len) {
			const va = addr + pos;
			const pa = mmu.translateCode(va, code, this.userMode);
			if (pa < 0) {
				this.fault = mmu.fault;
				return false;
			}
			pas.push(pa);
			bits.push(mmu.lastBits);
			pos += PAGE - (va % PAGE);
		}
		return true;
	}

	/** Checks that something answers at every physical byte of the translated pages; else sets a BusFault with the virtual address. */
	private checkPages(addr: number, len: number, pas: readonly number[], access: 'read' | 'write'): boolean {
		const phys = this.phys;
		let pos = 0;
		for (let i = 0; pos < len; i++) {
			const n = Math.min(len - pos, PAGE - ((addr + pos) % PAGE));
			const pa = pas[i];
			const kind = phys.resolvePage(pa);
			if (kind !== PAGE_RAM && kind !== PAGE_ROM) {
				const saved = phys.fault;
				phys.fault = null;
				const ok = phys.checkRange(pa, n, access);
				const failure = phys.fault as BusFault | null;
				phys.fault = saved;
				if (!ok && failure !== null) {
					const fault: BusFault = { ...failure, address: addr + pos + (failure.physicalAddress - pa) };
					this.fault = fault;
					return false;
				}
			}
			pos += n;
		}
		return true;
	}

	/** Moves bytes between `buffer` and the translated, checked pages of [addr, addr + len), page by page. */
	private transferPages(addr: number, len: number, pas: readonly number[], bits: readonly number[], buffer: Uint8Array, toMemory: boolean): void {
		const phys = this.phys;
		const cache = this.cache;
		let pos = 0;
		for (let i = 0; pos < len; i++) {
			const n = Math.min(len - pos, PAGE - ((addr + pos) % PAGE));
			const pa = pas[i];
			if (this.throughCache(pa, bits[i])) {
				const mode = tlbCacheMode(bits[i]);
				if (toMemory) (cache as CpuCache).cpuWrite(pa, buffer, pos, n, mode);
				else (cache as CpuCache).cpuRead(pa, buffer, pos, n, mode);
			} else if (toMemory) phys.writeFrom(pa, buffer, pos, n);
			else phys.readInto(pa, buffer, pos, n);
			pos += n;
		}
	}
}

// A capture/display engine that does not snoop the CPU caches, as a device model (layer: kernel,
// device model). Its driver is kc/kernel/drivers/media/vcam (the `dma-buf-vcam` driver).
//
// Registers (32-bit, little-endian, in the `vcam0` MMIO window):
//   0x00 ID          read-only 0x5643414d ("VCAM")
//   0x04 CTRL        write: 1 queue a capture job, 2 queue a scanout job, 4 reset
//   0x08 STATUS      read: bit 0 busy (jobs queued), bit 1 a job completed since reset
//   0x0c IRQ_STATUS  read; write 1s to clear. bit 0: a job completed
//   0x10 IRQ_ENABLE  read/write. bit 0: raise the interrupt line on completion
//   0x14 SEQNO       write: the sequence number of the next job
//   0x18 DONE_SEQNO  read: the sequence number of the last completed job
//   0x1c FILL        write: the byte a capture writes (the "frame")
//   0x20 BUF_SELECT  write: the buffer slot (0..15) that SEG_* and BUF_CLEAR act on and jobs use
//   0x24 SEG_ADDR_LO, 0x28 SEG_ADDR_HI, 0x2c SEG_LEN: a DMA segment (bus address = physical)
//   0x30 SEG_PUSH    write: append the segment to the selected slot's buffer table
//   0x34 BUF_CLEAR   write: forget the selected slot's table
//   0x38 SEG_COUNT   read: segments in the selected slot
//   0x3c SCAN_FIRST  read: the first byte the last scanout read
//   0x40 SCAN_SUM    read: the sum of the bytes the last scanout read (mod 2^32)
// Jobs run one at a time, each `latency` nanoseconds of simulated time after the previous one (or
// its queueing); a capture writes FILL over every byte of the slot's segments, a scanout reads them,
// both straight to and from physical memory. Then DONE_SEQNO, IRQ_STATUS and (if enabled) the
// interrupt line.
//
// Coherency: the engine's bus path does not snoop the CPU caches. The model declares the segments
// of every buffer table as non-coherent ranges of the machine's cache model (src/kernel/hw/cache.ts)
// while they are in a table (those are the only RAM it can reach), so CPU accesses to them go
// through modelled cache lines: a CPU read after a capture returns stale lines until they are
// invalidated, a CPU write stays in a dirty line the scanout does not see until it is cleaned.
// Builtins: where its window and interrupt are (firmware's `__vcam_*`). The CPU's cache maintenance
// is cacheOps.ts.
//
// Invariants: never throws for guest behaviour (unknown registers read 0, bad slots are ignored);
// state is plain data; time only advances through `tick(now)`.

import type { Builtin, BuiltinTable, Value } from '../../../interp/contracts';
import type { RegionSpec } from '../../hw/physMem';
import type { DeviceConfig, DeviceHost, DeviceModel, DeviceView } from '../device';

export const VcamRegister = {
	ID: 0x00, CTRL: 0x04, STATUS: 0x08, IRQ_STATUS: 0x0c, IRQ_ENABLE: 0x10, SEQNO: 0x14, DONE_SEQNO: 0x18, FILL: 0x1c,
	BUF_SELECT: 0x20, SEG_ADDR_LO: 0x24, SEG_ADDR_HI: 0x28, SEG_LEN: 0x2c, SEG_PUSH: 0x30, BUF_CLEAR: 0x34, SEG_COUNT: 0x38,
	SCAN_FIRST: 0x3c, SCAN_SUM: 0x40,
} as const;

export const VCAM_ID = 0x5643414d;
export const VcamCtrl = { CAPTURE: 1, SCANOUT: 2, RESET: 4 } as const;
/** The interrupt line (kernel/irq has 64). */
export const VCAM_IRQ = 24;
/** Where the register window goes when the machine section has no `vcam0` window. */
export const VCAM_DEFAULT_BASE = 0xfd000000;
export const VCAM_WINDOW_SIZE = 0x1000;
/** Simulated nanoseconds per job (a fifth of a jiffy). */
export const VCAM_DEFAULT_LATENCY = 200_000;
const SLOTS = 16;

interface Segment {
	readonly addr: number;
	readonly len: number;
}

interface Job {
	readonly kind: 'capture' | 'scanout';
	readonly slot: number;
	readonly seqno: number;
	readonly fill: number;
	due: number;
}

/** A completed job, for views and tests. */
export interface JobRecord {
	readonly time: number;
	readonly kind: 'capture' | 'scanout';
	readonly slot: number;
	readonly seqno: number;
	/** capture: the byte written; scanout: the first byte read. */
	readonly value: number;
	readonly sum: number;
}

interface VcamState {
	irqStatus: number;
	irqEnable: number;
	seqno: number;
	doneSeqno: number;
	fill: number;
	select: number;
	segAddr: number;
	segLen: number;
	completed: boolean;
	scanFirst: number;
	scanSum: number;
	tables: Segment[][];
	queue: Job[];
	jobs: JobRecord[];
}

function freshState(): VcamState {
	return {
		irqStatus: 0, irqEnable: 0, seqno: 0, doneSeqno: 0, fill: 0, select: 0, segAddr: 0, segLen: 0, completed: false,
		scanFirst: 0, scanSum: 0, tables: Array.from({ length: SLOTS }, () => []), queue: [], jobs: [],
	};
}

function cloneState(s: VcamState): VcamState {
	return { ...s, tables: s.tables.map(t => t.map(seg => ({ ...seg }))), queue: s.queue.map(j => ({ ...j })), jobs: [...s.jobs] };
}

/** The vcam device (see the file header). */
export class Vcam implements DeviceModel {
	readonly name = 'vcam0';
	private host: DeviceHost | undefined;
	private s: VcamState = freshState();

	constructor(readonly base: number = VCAM_DEFAULT_BASE, readonly latency: number = VCAM_DEFAULT_LATENCY) {}

	/** The model for a machine section: at the `vcam0` MMIO window if there is one. */
	static fromConfig(config: DeviceConfig): Vcam {
		const window = config.regions.find(r => r.name === 'vcam0');
		const latency = config.config.vcam_latency_ns;
		return new Vcam(window?.base ?? VCAM_DEFAULT_BASE, typeof latency === 'number' && latency > 0 ? latency : VCAM_DEFAULT_LATENCY);
	}

	regions(): readonly RegionSpec[] {
		return [{
			base: this.base, size: VCAM_WINDOW_SIZE, kind: 'mmio', name: 'vcam0', owner: 'vcam0',
			device: { read: (offset, size) => this.read(offset, size), write: (offset, size, value) => this.write(offset, size, value) },
		}];
	}

	attach(host: DeviceHost): void {
		this.host = host;
	}

	private now(): number {
		return this.host?.now() ?? 0;
	}

	/** Jobs the engine completed, oldest first. */
	get completedJobs(): readonly JobRecord[] {
		return this.s.jobs;
	}

	/** The segments of buffer slot `slot`. */
	table(slot: number): readonly Segment[] {
		return this.s.tables[slot] ?? [];
	}

	// ---- registers ----------------------------------------------------------------------------------

	private read(offset: number, size: number): Value {
		if (size !== 4 || (offset & 3) !== 0) return 0;
		const s = this.s;
		switch (offset) {
			case VcamRegister.ID: return VCAM_ID;
			case VcamRegister.STATUS: return (s.queue.length > 0 ? 1 : 0) | (s.completed ? 2 : 0);
			case VcamRegister.IRQ_STATUS: return s.irqStatus;
			case VcamRegister.IRQ_ENABLE: return s.irqEnable;
			case VcamRegister.DONE_SEQNO: return s.doneSeqno;
			case VcamRegister.SEG_COUNT: return s.tables[s.select].length;
			case VcamRegister.SCAN_FIRST: return s.scanFirst;
			case VcamRegister.SCAN_SUM: return s.scanSum;
			default: return 0;
		}
	}

	private write(offset: number, size: number, value: Value): void {
		if (size !== 4 || (offset & 3) !== 0) return;
		const v = Number(BigInt.asUintN(32, BigInt(value)));
		const s = this.s;
		switch (offset) {
			case VcamRegister.CTRL:
				if (v === VcamCtrl.RESET) this.reset();
				else if (v === VcamCtrl.CAPTURE || v === VcamCtrl.SCANOUT) this.queue(v === VcamCtrl.CAPTURE ? 'capture' : 'scanout');
				break;
			case VcamRegister.IRQ_STATUS: s.irqStatus &= ~v; break;
			case VcamRegister.IRQ_ENABLE: s.irqEnable = v & 1; break;
			case VcamRegister.SEQNO: s.seqno = v; break;
			case VcamRegister.FILL: s.fill = v & 0xff; break;
			case VcamRegister.BUF_SELECT: if (v < SLOTS) s.select = v; break;
			case VcamRegister.SEG_ADDR_LO: s.segAddr = s.segAddr - (s.segAddr % 0x100000000) + v; break;
			case VcamRegister.SEG_ADDR_HI: s.segAddr = (s.segAddr % 0x100000000) + (v & 0xfffff) * 0x100000000; break;
			case VcamRegister.SEG_LEN: s.segLen = v; break;
			case VcamRegister.SEG_PUSH: this.pushSegment(); break;
			case VcamRegister.BUF_CLEAR: this.clearTable(s.select); break;
			default: break;
		}
	}

	/** A segment joins the selected table; its lines are now tracked (the engine does not snoop them). */
	private pushSegment(): void {
		const s = this.s;
		const seg = { addr: s.segAddr, len: s.segLen };
		// The engine moves whole 64-byte lines: a segment must be line-aligned (a bad one is ignored).
		if (seg.len <= 0 || seg.addr % 64 !== 0 || seg.len % 64 !== 0) return;
		s.tables[s.select].push(seg);
		this.host?.machine.cache.addNonCoherentRange(seg.addr, seg.len);
	}

	private clearTable(slot: number): void {
		for (const seg of this.s.tables[slot]) this.host?.machine.cache.removeNonCoherentRange(seg.addr, seg.len);
		this.s.tables[slot] = [];
	}

	private reset(): void {
		for (let slot = 0; slot < SLOTS; slot++) this.clearTable(slot);
		const { jobs } = this.s;
		this.s = { ...freshState(), jobs };
	}

	private queue(kind: 'capture' | 'scanout'): void {
		const s = this.s;
		const start = s.queue.length > 0 ? s.queue[s.queue.length - 1].due : this.now();
		s.queue.push({ kind, slot: s.select, seqno: s.seqno, fill: s.fill, due: start + this.latency });
	}

	// ---- the engine -----------------------------------------------------------------------------------

	nextEvent(): number | undefined {
		return this.s.queue[0]?.due;
	}

	tick(now: number): void {
		const s = this.s;
		while (s.queue.length > 0 && s.queue[0].due <= now) {
			const job = s.queue.shift() as Job;
			this.run(job, now);
			s.doneSeqno = job.seqno;
			s.completed = true;
			s.irqStatus |= 1;
			if (s.irqEnable & 1) this.host?.raiseIrq(VCAM_IRQ);
			// The next job starts now.
			if (s.queue.length > 0) s.queue[0].due = Math.max(s.queue[0].due, now + this.latency);
		}
	}

	/** DMA: physical memory directly, never the CPU's lines. */
	private run(job: Job, now: number): void {
		const phys = this.host?.machine.phys;
		if (phys === undefined) return;
		let first = -1;
		let sum = 0;
		for (const seg of this.s.tables[job.slot]) {
			if (job.kind === 'capture') {
				phys.write(seg.addr, new Uint8Array(seg.len).fill(job.fill));
			} else {
				const bytes = phys.read(seg.addr, seg.len);
				if (bytes === null) continue;
				if (first < 0 && bytes.length > 0) first = bytes[0];
				for (const b of bytes) sum = (sum + b) >>> 0;
			}
		}
		if (job.kind === 'scanout') {
			this.s.scanFirst = Math.max(first, 0);
			this.s.scanSum = sum;
		}
		this.s.jobs.push({ time: now, kind: job.kind, slot: job.slot, seqno: job.seqno, value: job.kind === 'capture' ? job.fill : Math.max(first, 0), sum });
	}

	// ---- builtins ---------------------------------------------------------------------------------------

	builtins(): BuiltinTable {
		const table = new Map<string, Builtin>();
		table.set('__vcam_regs_base', () => this.base);
		table.set('__vcam_regs_size', () => VCAM_WINDOW_SIZE);
		table.set('__vcam_irq', () => VCAM_IRQ);
		return table;
	}

	// ---- snapshots and views ------------------------------------------------------------------------------

	snapshot(): unknown {
		return cloneState(this.s);
	}

	restore(state: unknown): void {
		this.s = cloneState(state as VcamState);
	}

	describe(): DeviceView {
		const s = this.s;
		return {
			label: 'vcam0',
			description: `capture/display engine [mem 0x${this.base.toString(16)}], not cache-coherent`,
			fields: { doneSeqno: s.doneSeqno, queued: s.queue.length, irqStatus: s.irqStatus, scanFirst: `0x${s.scanFirst.toString(16)}`, scanSum: s.scanSum },
			children: [
				...s.tables.map((t, slot) => ({ slot, t })).filter(x => x.t.length > 0).map(({ slot, t }) => ({
					label: `buffer slot ${slot}`,
					description: `${t.length} segments, ${t.reduce((n, seg) => n + seg.len, 0)} bytes`,
					children: t.map(seg => ({ label: `0x${seg.addr.toString(16)}`, description: `${seg.len} bytes` })),
				})),
			],
		};
	}
}

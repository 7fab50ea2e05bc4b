// The Cell Broadband Engine's SPEs as a device model (layer: kernel, device model).
//
// One model serves every SPE of the machine (their builtins are shared, keyed by SPE number). Per
// SPE it adds two physical regions (placed by the scenario's machine section, src/sim/scenario):
// - `speN-ls`, kind 'spu-ls': the 256 KiB local store, plain frames (I/O memory with no struct
//   page: the kernel maps it with ioremap and hands PFNs to user mappings; only the 2.6.18 profile
//   hot-adds struct pages for it, as spu_base.c did);
// - `speN-ps`, kind 'spu-ps': the problem-state registers (asm/spu.h struct spu_problem), served
//   here through DeviceRegisters: the mailboxes, run control, status, next program counter and the
//   signal-notification registers.
// Builtins give the driver what firmware and the hypervisor give spu_base.c: the device tree
// (`__spu_firmware_*`), the interrupt status and mask registers (priv1, `__spu_priv1_*`), the
// channel access the context save/restore sequence needs (priv2, `__spu_priv2_*`), and the
// switch notifier spufs calls on every bind and unbind (`__spu_switch_notify`, what OProfile and
// sputrace listen to), which this model records for views and traces.
//
// Execution (isa.ts): an SPE whose run control is RUNNABLE executes its local store program, one
// instruction per SPU_CYCLE of simulated time, in `tick`. When it stops (stop-and-signal, halt, an
// invalid instruction) it sets the class 2 interrupt status and raises its class 2 line if that
// cause is enabled in the mask; spu_base.c's handler wakes the context's stop queue.
//
// Invariants: the model never throws for guest behaviour (bad registers are ignored, reads of
// unknown ones return 0); its state is plain data (snapshot/restore); time is only `now`.

import type { Builtin, BuiltinTable, Value } from '../../../interp/contracts';
import { latin1Text, readCString, toAddress } from '../../../interp/libc/memoryAccess';
import type { RegionSpec } from '../../hw/physMem';
import type { DeviceConfig, DeviceHost, DeviceModel, DeviceView } from '../device';
import { disassemble, SPU_CYCLE, SpuOp, spuTwoWords } from './isa';

/** SPU status register bits (asm/spu.h). */
export const SpuStatus = {
	RUNNING: 0x1,
	STOPPED_BY_STOP: 0x2,
	STOPPED_BY_HALT: 0x4,
	WAITING_FOR_CHANNEL: 0x8,
	INVALID_INSTR: 0x20,
} as const;

/** Problem-state register offsets (asm/spu.h). */
export const SpuProblem = {
	PU_MB_R: 0x4004,
	SPU_MB_W: 0x400c,
	MB_STAT_R: 0x4014,
	SPU_RUNCNTL_RW: 0x401c,
	SPU_STATUS_R: 0x4024,
	SPU_SPE_R: 0x402c,
	SPU_NPC_RW: 0x4034,
	SIGNAL_NOTIFY1: 0x1400c,
	SIGNAL_NOTIFY2: 0x1c00c,
} as const;

/** priv2 registers (asm/spu.h SPU_PRIV2_*) and channel numbers. */
export const SpuPriv2 = { CHNLCNTPTR: 0x4000, CHNLCNT: 0x4008, CHNLDATA: 0x4010, STATUS_RESTORE: 0x4018 } as const;
export const SpuChannel = { RdSigNotify1: 3, RdSigNotify2: 4, WrOutMbox: 28, RdInMbox: 29 } as const;

/** Class 2 interrupt causes. */
export const SpuClass2 = { MAILBOX: 0x1, STOP: 0x2, HALT: 0x4 } as const;

/** The inbound (PPE to SPU) mailbox holds four entries, the outbound one one. */
const INBOUND_DEPTH = 4;
/** Class 2 interrupt lines: 48 + SPE number (kernel/irq has 64 lines). */
export const SPU_IRQ_BASE = 48;
/** A context switch the driver reported (spu_switch_notify). */
export interface SpuSwitchRecord {
	readonly time: number;
	readonly spe: number;
	/** 'bind': the context was restored onto the SPE; 'unbind': saved from it. */
	readonly kind: 'bind' | 'unbind';
	readonly context: string;
}

/** What the driver told the model about a context (for the Devices view). */
interface ContextRecord {
	name: string;
	state: 'saved' | 'runnable';
	spe: number;
}

/** One SPE's state (plain data). */
interface SpeState {
	runcntl: number;
	status: number;
	npc: number;
	inbound: number[];
	outbound: number | null;
	signal1: number;
	signal2: number;
	/** Simulated time of the next instruction, when running and not waiting for a channel. */
	nextAt: number | null;
	intStat: number[];
	intMask: number[];
	channel: number;
	executed: number;
}

/** The placement of one SPE's regions. */
export interface SpePlacement {
	readonly ls: { readonly base: number; readonly size: number };
	readonly ps: { readonly base: number; readonly size: number };
}

function freshSpe(): SpeState {
	return { runcntl: 0, status: 0, npc: 0, inbound: [], outbound: null, signal1: 0, signal2: 0, nextAt: null, intStat: [0, 0, 0], intMask: [0, 0, 0], channel: 0, executed: 0 };
}

/** The SPEs of a Cell machine. */
export class CellSpus implements DeviceModel {
	readonly name = 'cbe-spus';
	private host: DeviceHost | undefined;
	private spes: SpeState[];
	private contexts = new Map<number, ContextRecord>();
	/** Every bind and unbind the driver reported, oldest first. */
	switchLog: SpuSwitchRecord[] = [];

	constructor(readonly placements: readonly SpePlacement[]) {
		this.spes = placements.map(() => freshSpe());
	}

	/** The model for a scenario's machine section: one SPE per `machine.spes`, at the placed regions. */
	static fromConfig(config: DeviceConfig): CellSpus {
		const count = config.spes?.count ?? 0;
		const placements: SpePlacement[] = [];
		for (let i = 0; i < count; i++) {
			const ls = config.regions.find(r => r.name === `spe${i}-ls`);
			const ps = config.regions.find(r => r.name === `spe${i}-ps`);
			if (ls === undefined || ps === undefined) break;
			placements.push({ ls: { base: ls.base, size: ls.size }, ps: { base: ps.base, size: ps.size } });
		}
		return new CellSpus(placements);
	}

	/** The number of SPEs. */
	get count(): number {
		return this.spes.length;
	}

	regions(): readonly RegionSpec[] {
		const regions: RegionSpec[] = [];
		this.placements.forEach((p, i) => {
			regions.push({ base: p.ls.base, size: p.ls.size, kind: 'spu-ls', name: `spe${i}-ls`, owner: `spu${i}` });
			regions.push({
				base: p.ps.base, size: p.ps.size, kind: 'spu-ps', name: `spe${i}-ps`, owner: `spu${i}`,
				device: { read: (offset, size) => this.psRead(i, offset, size), write: (offset, size, value) => this.psWrite(i, offset, size, value) },
			});
		});
		return regions;
	}

	attach(host: DeviceHost): void {
		this.host = host;
	}

	private now(): number {
		return this.host?.now() ?? 0;
	}

	// ---- Local store --------------------------------------------------------------------------------

	/** LS word at `address` (wrapped to the LS size, aligned down to 4). */
	lsRead32(spe: number, address: number): number {
		const p = this.placements[spe];
		const offset = (address & (p.ls.size - 1)) & ~3;
		const bytes = this.host?.machine.phys.read(p.ls.base + offset, 4);
		if (bytes === null || bytes === undefined) return 0;
		return (bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24) >>> 0;
	}

	lsWrite32(spe: number, address: number, value: number): void {
		const p = this.placements[spe];
		const offset = (address & (p.ls.size - 1)) & ~3;
		const v = value >>> 0;
		this.host?.machine.phys.write(p.ls.base + offset, new Uint8Array([v & 0xff, v >>> 8 & 0xff, v >>> 16 & 0xff, v >>> 24 & 0xff]));
	}

	// ---- Problem-state registers ------------------------------------------------------------------------

	private psRead(spe: number, offset: number, _size: number): Value {
		const s = this.spes[spe];
		switch (offset) {
			case SpuProblem.PU_MB_R: {
				// Reading the outbound mailbox empties it (a read of an empty one returns stale data: 0 here).
				const value = s.outbound ?? 0;
				if (s.outbound !== null) {
					s.outbound = null;
					this.channelFreed(spe);
				}
				return value;
			}
			case SpuProblem.MB_STAT_R:
				return (s.outbound === null ? 0 : 1) | (INBOUND_DEPTH - s.inbound.length) << 8;
			case SpuProblem.SPU_RUNCNTL_RW:
				return s.runcntl;
			case SpuProblem.SPU_STATUS_R:
				return s.status;
			case SpuProblem.SPU_SPE_R:
				return 0;
			case SpuProblem.SPU_NPC_RW:
				return s.npc;
			case SpuProblem.SIGNAL_NOTIFY1:
				return s.signal1;
			case SpuProblem.SIGNAL_NOTIFY2:
				return s.signal2;
			default:
				return 0;
		}
	}

	private psWrite(spe: number, offset: number, _size: number, value: Value): void {
		const s = this.spes[spe];
		const v = Number(BigInt.asUintN(32, BigInt(value)));
		switch (offset) {
			case SpuProblem.SPU_MB_W:
				// A full inbound mailbox overwrites its last entry, as the hardware does.
				if (s.inbound.length >= INBOUND_DEPTH) s.inbound[INBOUND_DEPTH - 1] = v;
				else s.inbound.push(v);
				this.channelFreed(spe);
				break;
			case SpuProblem.SPU_RUNCNTL_RW:
				this.runControl(spe, v & 3);
				break;
			case SpuProblem.SPU_NPC_RW:
				// The next program counter can be set only while the SPU is stopped.
				if ((s.status & SpuStatus.RUNNING) === 0) s.npc = v & (this.placements[spe].ls.size - 1) & ~3;
				break;
			case SpuProblem.SIGNAL_NOTIFY1:
				s.signal1 = v;
				this.channelFreed(spe);
				break;
			case SpuProblem.SIGNAL_NOTIFY2:
				s.signal2 = v;
				break;
			default:
				break;
		}
	}

	private runControl(spe: number, runcntl: number): void {
		const s = this.spes[spe];
		s.runcntl = runcntl;
		if ((runcntl & 1) !== 0) {
			if ((s.status & SpuStatus.RUNNING) === 0) {
				s.status = SpuStatus.RUNNING;
				s.nextAt = this.now() + SPU_CYCLE;
			}
		} else if ((s.status & SpuStatus.RUNNING) !== 0) {
			// Stopped by the PPE: RUNNING clears, no stop bit, no interrupt.
			s.status &= ~(SpuStatus.RUNNING | SpuStatus.WAITING_FOR_CHANNEL);
			s.nextAt = null;
		}
	}

	/** A channel the SPU may be waiting on changed: let it retry. */
	private channelFreed(spe: number): void {
		const s = this.spes[spe];
		if ((s.status & SpuStatus.WAITING_FOR_CHANNEL) !== 0 && (s.status & SpuStatus.RUNNING) !== 0 && s.nextAt === null) {
			s.nextAt = this.now() + SPU_CYCLE;
		}
	}

	// ---- Execution ------------------------------------------------------------------------------------

	nextEvent(): number | undefined {
		let next: number | undefined;
		for (const s of this.spes) if (s.nextAt !== null && (next === undefined || s.nextAt < next)) next = s.nextAt;
		return next;
	}

	tick(now: number): void {
		this.spes.forEach((s, spe) => {
			while (s.nextAt !== null && s.nextAt <= now) this.step(spe, s);
		});
	}

	private stop(spe: number, s: SpeState, status: number, cause: number): void {
		s.status = status;
		s.nextAt = null;
		s.intStat[2] |= cause;
		if ((s.intMask[2] & cause) !== 0) this.host?.raiseIrq(SPU_IRQ_BASE + spe);
	}

	/** Executes the instruction at npc, at time s.nextAt. */
	private step(spe: number, s: SpeState): void {
		const size = this.placements[spe].ls.size;
		const at = s.nextAt!;
		const pc = s.npc;
		const word = this.lsRead32(spe, pc);
		const op = word >>> 24;
		const operand = word & 0xffffff;
		const second = spuTwoWords(op) ? this.lsRead32(spe, pc + 4) : 0;
		let npc = (pc + (spuTwoWords(op) ? 8 : 4)) & (size - 1);
		let cost = 1;
		const waitForChannel = (): void => {
			// Stalled on a channel: no progress until a register write frees it.
			s.status |= SpuStatus.WAITING_FOR_CHANNEL;
			s.nextAt = null;
		};
		switch (op) {
			case SpuOp.STOP:
				s.npc = npc;
				s.executed++;
				this.stop(spe, s, SpuStatus.STOPPED_BY_STOP | (operand & 0x3fff) << 16, SpuClass2.STOP);
				return;
			case SpuOp.HALT:
				s.npc = npc;
				s.executed++;
				this.stop(spe, s, SpuStatus.STOPPED_BY_HALT, SpuClass2.HALT);
				return;
			case SpuOp.NOP:
				break;
			case SpuOp.WAIT:
				cost = Math.max(1, operand);
				break;
			case SpuOp.INC:
				this.lsWrite32(spe, operand, this.lsRead32(spe, operand) + 1);
				break;
			case SpuOp.LDI:
				this.lsWrite32(spe, operand, second);
				break;
			case SpuOp.BR:
				npc = operand & (size - 1) & ~3;
				break;
			case SpuOp.DJNZ: {
				const value = (this.lsRead32(spe, operand) - 1) >>> 0;
				this.lsWrite32(spe, operand, value);
				if (value !== 0) npc = second & (size - 1) & ~3;
				break;
			}
			case SpuOp.RDMB:
				if (s.inbound.length === 0) return waitForChannel();
				this.lsWrite32(spe, operand, s.inbound.shift()!);
				break;
			case SpuOp.WRMB:
				if (s.outbound !== null) return waitForChannel();
				s.outbound = this.lsRead32(spe, operand);
				s.intStat[2] |= SpuClass2.MAILBOX;
				if ((s.intMask[2] & SpuClass2.MAILBOX) !== 0) this.host?.raiseIrq(SPU_IRQ_BASE + spe);
				break;
			case SpuOp.RDSIG:
				if (s.signal1 === 0) return waitForChannel();
				this.lsWrite32(spe, operand, s.signal1);
				s.signal1 = 0;
				break;
			default:
				s.npc = pc;
				this.stop(spe, s, SpuStatus.INVALID_INSTR, SpuClass2.HALT);
				return;
		}
		s.status &= ~SpuStatus.WAITING_FOR_CHANNEL;
		s.npc = npc;
		s.executed++;
		s.nextAt = at + cost * SPU_CYCLE;
	}

	// ---- Builtins ------------------------------------------------------------------------------------

	builtins(): BuiltinTable {
		const table = new Map<string, Builtin>();
		const speArg = (v: Value): number => Number(v);
		const valid = (spe: number): boolean => Number.isInteger(spe) && spe >= 0 && spe < this.spes.length;
		const classArg = (v: Value): number => Number(v) & 3;
		table.set('__spu_firmware_count', () => this.spes.length);
		table.set('__spu_firmware_local_store', (_ctx, args) => valid(speArg(args[0])) ? this.placements[speArg(args[0])].ls.base : 0);
		table.set('__spu_firmware_problem', (_ctx, args) => valid(speArg(args[0])) ? this.placements[speArg(args[0])].ps.base : 0);
		table.set('__spu_firmware_irq', (_ctx, args) => {
			const spe = speArg(args[0]);
			// Only class 2 (stop, halt, mailbox) is wired; classes 0 and 1 (errors, MFC faults) are not modelled.
			return valid(spe) && classArg(args[1]) === 2 ? SPU_IRQ_BASE + spe : 0;
		});
		table.set('__spu_priv1_int_stat_get', (_ctx, args) => {
			const spe = speArg(args[0]);
			return valid(spe) ? this.spes[spe].intStat[classArg(args[1])] : 0;
		});
		table.set('__spu_priv1_int_stat_clear', (_ctx, args) => {
			const spe = speArg(args[0]);
			if (valid(spe)) this.spes[spe].intStat[classArg(args[1])] &= ~Number(args[2]);
			return undefined;
		});
		table.set('__spu_priv1_int_mask_get', (_ctx, args) => {
			const spe = speArg(args[0]);
			return valid(spe) ? this.spes[spe].intMask[classArg(args[1])] : 0;
		});
		table.set('__spu_priv1_int_mask_set', (_ctx, args) => {
			const spe = speArg(args[0]);
			if (valid(spe)) this.spes[spe].intMask[classArg(args[1])] = Number(args[2]) & 0xff;
			return undefined;
		});
		table.set('__spu_priv2_read', (_ctx, args) => {
			const spe = speArg(args[0]);
			return valid(spe) ? this.priv2Read(spe, Number(args[1])) : 0;
		});
		table.set('__spu_priv2_write', (_ctx, args) => {
			const spe = speArg(args[0]);
			if (valid(spe)) this.priv2Write(spe, Number(args[1]), Number(BigInt.asUintN(32, BigInt(args[2]))));
			return undefined;
		});
		table.set('__spu_switch_notify', (ctx, args) => {
			// (int spe, int ctx_id, const char *name, int bind)
			const spe = speArg(args[0]);
			const id = Number(args[1]);
			const text = readCString(ctx.mem, toAddress(args[2]), 64);
			const name = text === undefined ? `ctx${id}` : latin1Text(text);
			const bind = Number(args[3]);
			if (bind < 0) {
				this.contexts.delete(id);
				return undefined;
			}
			this.contexts.set(id, { name, state: bind === 1 ? 'runnable' : 'saved', spe: bind === 1 ? spe : -1 });
			if (bind === 0 || bind === 1) {
				if (spe >= 0) this.switchLog.push({ time: this.now(), spe, kind: bind === 1 ? 'bind' : 'unbind', context: name });
			}
			return undefined;
		});
		return table;
	}

	private priv2Read(spe: number, reg: number): number {
		const s = this.spes[spe];
		switch (reg) {
			case SpuPriv2.CHNLCNTPTR:
				return s.channel;
			case SpuPriv2.CHNLCNT:
				switch (s.channel) {
					case SpuChannel.RdInMbox: return s.inbound.length;
					case SpuChannel.WrOutMbox: return s.outbound === null ? 1 : 0;
					case SpuChannel.RdSigNotify1: return s.signal1 === 0 ? 0 : 1;
					case SpuChannel.RdSigNotify2: return s.signal2 === 0 ? 0 : 1;
					default: return 0;
				}
			case SpuPriv2.CHNLDATA:
				switch (s.channel) {
					case SpuChannel.RdInMbox: return s.inbound.shift() ?? 0;
					case SpuChannel.WrOutMbox: return s.outbound ?? 0;
					case SpuChannel.RdSigNotify1: return s.signal1;
					case SpuChannel.RdSigNotify2: return s.signal2;
					default: return 0;
				}
			default:
				return 0;
		}
	}

	private priv2Write(spe: number, reg: number, value: number): void {
		const s = this.spes[spe];
		switch (reg) {
			case SpuPriv2.CHNLCNTPTR:
				s.channel = value & 0x1f;
				break;
			case SpuPriv2.CHNLCNT:
				// Setting a count to "empty" clears the channel (the save sequence purges it this way).
				if (s.channel === SpuChannel.RdInMbox && value === 0) s.inbound = [];
				if (s.channel === SpuChannel.WrOutMbox && value === 1) s.outbound = null;
				if (s.channel === SpuChannel.RdSigNotify1 && value === 0) s.signal1 = 0;
				if (s.channel === SpuChannel.RdSigNotify2 && value === 0) s.signal2 = 0;
				break;
			case SpuPriv2.CHNLDATA:
				if (s.channel === SpuChannel.RdInMbox && s.inbound.length < INBOUND_DEPTH) s.inbound.push(value);
				if (s.channel === SpuChannel.WrOutMbox) s.outbound = value;
				if (s.channel === SpuChannel.RdSigNotify1) s.signal1 = value;
				if (s.channel === SpuChannel.RdSigNotify2) s.signal2 = value;
				break;
			case SpuPriv2.STATUS_RESTORE:
				// Only a stopped SPU's status can be restored (the restore code ends in its stop).
				if ((s.status & SpuStatus.RUNNING) === 0) s.status = value & ~SpuStatus.RUNNING;
				break;
			default:
				break;
		}
	}

	// ---- Snapshots and views -----------------------------------------------------------------------------

	snapshot(): unknown {
		return {
			spes: this.spes.map(s => ({ ...s, inbound: [...s.inbound], intStat: [...s.intStat], intMask: [...s.intMask] })),
			contexts: [...this.contexts].map(([id, c]) => [id, { ...c }]),
			switchLog: [...this.switchLog],
		};
	}

	restore(state: unknown): void {
		const saved = state as { spes: SpeState[]; contexts: [number, ContextRecord][]; switchLog: SpuSwitchRecord[] };
		this.spes = saved.spes.map(s => ({ ...s, inbound: [...s.inbound], intStat: [...s.intStat], intMask: [...s.intMask] }));
		this.contexts = new Map(saved.contexts.map(([id, c]) => [id, { ...c }]));
		this.switchLog = [...saved.switchLog];
	}

	/** One SPE's registers, for tests and views. */
	registers(spe: number): Readonly<Pick<SpeState, 'runcntl' | 'status' | 'npc' | 'signal1' | 'signal2' | 'executed'> & { inbound: readonly number[]; outbound: number | null }> {
		const s = this.spes[spe];
		return { runcntl: s.runcntl, status: s.status, npc: s.npc, signal1: s.signal1, signal2: s.signal2, executed: s.executed, inbound: [...s.inbound], outbound: s.outbound };
	}

	/** The context bound to `spe` as the driver last reported, or undefined. */
	boundContext(spe: number): string | undefined {
		for (const c of this.contexts.values()) if (c.state === 'runnable' && c.spe === spe) return c.name;
		return undefined;
	}

	describe(): DeviceView {
		const hex = (n: number): string => `0x${n.toString(16)}`;
		const statusText = (status: number): string => {
			const parts: string[] = [];
			if ((status & SpuStatus.RUNNING) !== 0) parts.push('running');
			if ((status & SpuStatus.STOPPED_BY_STOP) !== 0) parts.push(`stopped by stop 0x${(status >>> 16 & 0x3fff).toString(16)}`);
			if ((status & SpuStatus.STOPPED_BY_HALT) !== 0) parts.push('halted');
			if ((status & SpuStatus.WAITING_FOR_CHANNEL) !== 0) parts.push('waiting for a channel');
			if ((status & SpuStatus.INVALID_INSTR) !== 0) parts.push('invalid instruction');
			return parts.length === 0 ? 'stopped' : parts.join(', ');
		};
		const children: DeviceView[] = this.spes.map((s, i) => {
			const p = this.placements[i];
			const bound = this.boundContext(i);
			return {
				label: `SPE ${i}`,
				description: bound === undefined ? 'idle' : `runs ${bound}`,
				fields: {
					'local store': `${hex(p.ls.base)}-${hex(p.ls.base + p.ls.size)}`,
					'problem state': `${hex(p.ps.base)}-${hex(p.ps.base + p.ps.size)}`,
					status: statusText(s.status),
					npc: hex(s.npc),
					'next instruction': disassemble(this.lsRead32(i, s.npc), this.lsRead32(i, s.npc + 4)),
					'inbound mailbox': s.inbound.length,
					'outbound mailbox': s.outbound === null ? 'empty' : hex(s.outbound),
					'signal 1': hex(s.signal1),
					'instructions executed': s.executed,
					'bound context': bound ?? 'none',
				},
			};
		});
		const contexts: DeviceView[] = [...this.contexts.values()].map(c => ({
			label: c.name,
			description: c.state === 'runnable' ? `RUNNABLE on SPE ${c.spe}` : 'SAVED (in its context save area)',
		}));
		return {
			label: 'Cell SPEs',
			description: `${this.spes.length} SPE${this.spes.length === 1 ? '' : 's'}, ${this.switchLog.length} context switch${this.switchLog.length === 1 ? '' : 'es'}`,
			children: [...children, { label: 'SPU contexts', description: `${contexts.length}`, children: contexts }],
		};
	}
}

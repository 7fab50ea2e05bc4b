// The SPE device model (src/kernel/devices/spu/model.ts, isa.ts) on its own: program execution in
// simulated time, the problem-state registers (mailboxes, run control, status, npc, signals), the
// class 2 interrupt, the priv2 channel access the context switch uses, snapshots and the view.

import * as assert from 'node:assert/strict';
import type { BuiltinContext, Value } from '../../../../src/interp/contracts';
import type { DeviceHost } from '../../../../src/kernel/devices/device';
import { SPU_CYCLE, SpuOp, spuWord, disassemble } from '../../../../src/kernel/devices/spu/isa';
import { CellSpus, SpuChannel, SpuClass2, SpuPriv2, SpuProblem, SpuStatus, SPU_IRQ_BASE } from '../../../../src/kernel/devices/spu/model';
import { spufsDriver } from '../../../../src/kernel/devices/spu/driver';
import { findShippedDriver } from '../../../../src/kernel/devices/registry';
import type { Machine } from '../../../../src/kernel/hw/machine';
import { PhysicalMemory } from '../../../../src/kernel/hw/physMem';
import { placements } from './spuMachine';

interface Rig {
	readonly model: CellSpus;
	readonly phys: PhysicalMemory;
	readonly irqs: number[];
	time: number;
	/** Advances time to `t`, ticking the model at every event on the way. */
	advance(t: number): void;
	ps(spe: number, offset: number, value?: number): number;
	call(name: string, ...args: Value[]): number;
}

function rig(spes = 2): Rig {
	const model = new CellSpus(placements(spes));
	const phys = new PhysicalMemory();
	for (const region of model.regions()) phys.addRegion(region);
	const irqs: number[] = [];
	const r: Rig = {
		model,
		phys,
		irqs,
		time: 0,
		advance(t: number) {
			for (;;) {
				const next = model.nextEvent();
				if (next === undefined || next > t) break;
				r.time = next;
				model.tick(next);
			}
			r.time = t;
		},
		ps(spe, offset, value) {
			const region = phys.region(`spe${spe}-ps`)!;
			if (value !== undefined) {
				region.device!.write(offset, 4, value);
				return 0;
			}
			return Number(region.device!.read(offset, 4));
		},
		call(name, ...args) {
			const builtin = model.builtins!().get(name)!;
			const ctx = { mem: undefined, argTypes: [], threadId: 0 } as unknown as BuiltinContext;
			return Number(builtin(ctx, args) ?? 0);
		},
	};
	const host: DeviceHost = { machine: { phys } as unknown as Machine, raiseIrq: line => irqs.push(line), now: () => r.time, dma: undefined as never };
	model.attach(host);
	return r;
}

/** Writes instruction words at LS address 0 of `spe`. */
function load(r: Rig, spe: number, words: readonly number[], at = 0): void {
	words.forEach((w, i) => r.model.lsWrite32(spe, at + 4 * i, w));
}

describe('the SPE device model (src/kernel/devices/spu)', () => {
	it('runs a local-store program one instruction per SPU cycle and stops with the stop code in the status (spu_run\'s return value)', () => {
		const r = rig();
		// LDI 0x1000, 3; loop: INC 0x1004; DJNZ 0x1000, loop; STOP 0x42
		load(r, 0, [spuWord(SpuOp.LDI, 0x1000), 3, spuWord(SpuOp.INC, 0x1004), spuWord(SpuOp.DJNZ, 0x1000), 0x8, spuWord(SpuOp.STOP, 0x42)]);
		r.call('__spu_priv1_int_mask_set', 0, 2, SpuClass2.STOP);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), SpuStatus.RUNNING);
		// 1 LDI + 3 x (INC + DJNZ) + STOP = 8 instructions: nothing happens before the 8th cycle.
		r.advance(7 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R) & SpuStatus.RUNNING, SpuStatus.RUNNING);
		assert.deepEqual(r.irqs, []);
		r.advance(8 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), (0x42 << 16) | SpuStatus.STOPPED_BY_STOP);
		assert.equal(r.ps(0, SpuProblem.SPU_NPC_RW), 0x18);
		assert.equal(r.model.lsRead32(0, 0x1004), 3);
		assert.deepEqual(r.irqs, [SPU_IRQ_BASE]);
		assert.equal(r.call('__spu_priv1_int_stat_get', 0, 2), SpuClass2.STOP);
		assert.equal(r.model.nextEvent(), undefined);
		// SPE 1 did nothing.
		assert.equal(r.model.registers(1).executed, 0);
	});

	it('raises the class 2 line only for causes the mask enables, and a PPE stop (runcntl 0) raises nothing', () => {
		const r = rig();
		load(r, 0, [spuWord(SpuOp.WAIT, 100), spuWord(SpuOp.HALT)]);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.advance(10 * SPU_CYCLE);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 0);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), 0, "stopped: no status bit");
		assert.equal(r.model.nextEvent(), undefined);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.advance(1000 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), SpuStatus.STOPPED_BY_HALT);
		assert.deepEqual(r.irqs, [], 'halt is masked');
		assert.equal(r.call('__spu_priv1_int_stat_get', 0, 2), SpuClass2.HALT);
		r.call('__spu_priv1_int_stat_clear', 0, 2, SpuClass2.HALT);
		assert.equal(r.call('__spu_priv1_int_stat_get', 0, 2), 0);
	});

	it('an unknown opcode stops the SPU with SPU_STATUS_INVALID_INSTR at that instruction', () => {
		const r = rig();
		load(r, 0, [spuWord(SpuOp.NOP), 0xff000000]);
		r.call('__spu_priv1_int_mask_set', 0, 2, SpuClass2.HALT);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.advance(5 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), SpuStatus.INVALID_INSTR);
		assert.equal(r.ps(0, SpuProblem.SPU_NPC_RW), 4);
		assert.deepEqual(r.irqs, [SPU_IRQ_BASE]);
	});

	it('mailboxes: RDMB waits for the channel (WAITING_FOR_CHANNEL) until the PPE writes spu_mb_W; WRMB fills pu_mb_R; mb_stat_R counts both', () => {
		const r = rig();
		load(r, 0, [spuWord(SpuOp.RDMB, 0x1000), spuWord(SpuOp.WRMB, 0x1000), spuWord(SpuOp.WRMB, 0x1000), spuWord(SpuOp.STOP, 1)]);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.advance(100 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), SpuStatus.RUNNING | SpuStatus.WAITING_FOR_CHANNEL);
		assert.equal(r.model.nextEvent(), undefined, 'a stalled SPU has nothing to do');
		assert.equal(r.ps(0, SpuProblem.MB_STAT_R), 4 << 8);
		r.ps(0, SpuProblem.SPU_MB_W, 0xabc);
		assert.equal(r.ps(0, SpuProblem.MB_STAT_R), 3 << 8);
		r.advance(200 * SPU_CYCLE);
		// The first WRMB filled the outbound mailbox; the second waits for the PPE to read it.
		assert.equal(r.ps(0, SpuProblem.MB_STAT_R), 1 | 4 << 8);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), SpuStatus.RUNNING | SpuStatus.WAITING_FOR_CHANNEL);
		assert.equal(r.ps(0, SpuProblem.PU_MB_R), 0xabc);
		r.advance(300 * SPU_CYCLE);
		assert.equal(r.ps(0, SpuProblem.PU_MB_R), 0xabc);
		assert.equal(r.ps(0, SpuProblem.SPU_STATUS_R), (1 << 16) | SpuStatus.STOPPED_BY_STOP);
	});

	it('priv2 channel access moves mailbox and signal state out of and into an SPE (what spu_save / spu_restore do)', () => {
		const r = rig();
		r.ps(0, SpuProblem.SPU_MB_W, 1);
		r.ps(0, SpuProblem.SPU_MB_W, 2);
		r.ps(0, SpuProblem.SIGNAL_NOTIFY1, 0x77);
		r.call('__spu_priv2_write', 0, SpuPriv2.CHNLCNTPTR, SpuChannel.RdInMbox);
		assert.equal(r.call('__spu_priv2_read', 0, SpuPriv2.CHNLCNT), 2);
		const saved = [r.call('__spu_priv2_read', 0, SpuPriv2.CHNLDATA), r.call('__spu_priv2_read', 0, SpuPriv2.CHNLDATA)];
		assert.deepEqual(saved, [1, 2]);
		assert.equal(r.call('__spu_priv2_read', 0, SpuPriv2.CHNLCNT), 0);
		r.call('__spu_priv2_write', 0, SpuPriv2.CHNLCNTPTR, SpuChannel.RdSigNotify1);
		assert.equal(r.call('__spu_priv2_read', 0, SpuPriv2.CHNLDATA), 0x77);
		r.call('__spu_priv2_write', 0, SpuPriv2.CHNLCNT, 0);
		assert.equal(r.model.registers(0).signal1, 0);
		// Restore into SPE 1: entries and a stopped status with its stop code.
		r.call('__spu_priv2_write', 1, SpuPriv2.CHNLCNTPTR, SpuChannel.RdInMbox);
		for (const v of saved) r.call('__spu_priv2_write', 1, SpuPriv2.CHNLDATA, v);
		r.call('__spu_priv2_write', 1, SpuPriv2.STATUS_RESTORE, (5 << 16) | SpuStatus.STOPPED_BY_STOP);
		assert.deepEqual(r.model.registers(1).inbound, [1, 2]);
		assert.equal(r.ps(1, SpuProblem.SPU_STATUS_R), (5 << 16) | SpuStatus.STOPPED_BY_STOP);
		// A running SPU's status cannot be overwritten, nor its npc.
		r.ps(1, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.call('__spu_priv2_write', 1, SpuPriv2.STATUS_RESTORE, SpuStatus.STOPPED_BY_HALT);
		r.ps(1, SpuProblem.SPU_NPC_RW, 0x100);
		assert.equal(r.ps(1, SpuProblem.SPU_STATUS_R), SpuStatus.RUNNING);
		assert.equal(r.ps(1, SpuProblem.SPU_NPC_RW), 0);
	});

	it('a snapshot restores registers, timing and the switch log exactly (execution replays identically)', () => {
		const r = rig();
		load(r, 0, [spuWord(SpuOp.INC, 0x1000), spuWord(SpuOp.WAIT, 5), spuWord(SpuOp.BR, 0)]);
		r.ps(0, SpuProblem.SPU_RUNCNTL_RW, 1);
		r.advance(20 * SPU_CYCLE);
		const snap = r.model.snapshot();
		const phys = r.phys.snapshot();
		const at = r.time;
		r.advance(200 * SPU_CYCLE);
		const first = { regs: r.model.registers(0), count: r.model.lsRead32(0, 0x1000) };
		r.model.restore(snap);
		r.phys.restore(phys);
		r.time = at;
		r.advance(200 * SPU_CYCLE);
		assert.deepEqual({ regs: r.model.registers(0), count: r.model.lsRead32(0, 0x1000) }, first);
		assert.ok(first.count > 20);
	});

	it('describes SPEs and contexts for the Devices panel from what spu_switch_notify reported', () => {
		const r = rig();
		const name = new TextEncoder().encode('/spu/ctxA\0');
		const mem = { read: (addr: number, len: number) => name.slice(addr - 0x1000, addr - 0x1000 + len), ld8u: (addr: number) => name[addr - 0x1000] ?? 0, fault: null };
		const notify = r.model.builtins!().get('__spu_switch_notify')!;
		const ctx = { mem, argTypes: [], threadId: 0 } as unknown as BuiltinContext;
		notify(ctx, [-1, 1, 0x1000, 2]);
		assert.equal(r.model.boundContext(0), undefined);
		notify(ctx, [0, 1, 0x1000, 1]);
		assert.equal(r.model.boundContext(0), '/spu/ctxA');
		const view = r.model.describe();
		assert.equal(view.children![0].fields!['bound context'], '/spu/ctxA');
		assert.equal(view.children![2].children![0].description, 'RUNNABLE on SPE 0');
		notify(ctx, [0, 1, 0x1000, 0]);
		assert.equal(r.model.boundContext(0), undefined);
		assert.deepEqual(r.model.switchLog.map(s => `${s.kind} ${s.context}`), ['bind /spu/ctxA', 'unbind /spu/ctxA']);
		assert.equal(disassemble(spuWord(SpuOp.DJNZ, 0x1000), 8), 'DJNZ 0x1000, 0x8');
	});

	it('ships as the `spufs` driver, with one model for the scenario\'s machine.spes regions', () => {
		assert.equal(findShippedDriver('spufs'), spufsDriver);
		const regions = placements(2).flatMap((p, i) => [
			{ name: `spe${i}-ls`, kind: 'spu-ls' as const, base: p.ls.base, size: p.ls.size, owner: `spu${i}` },
			{ name: `spe${i}-ps`, kind: 'spu-ps' as const, base: p.ps.base, size: p.ps.size, owner: `spu${i}` },
		]);
		const [model] = spufsDriver.createDevices({ ramBytes: 64 << 20, cpus: 2, spes: { count: 2, localStoreSize: 256 << 10, problemStateSize: 128 << 10 }, mmio: [], regions, coherentDma: true, config: {} }) as CellSpus[];
		assert.equal(model.count, 2);
		assert.deepEqual(model.regions().map(r => [r.name, r.kind, r.base]), regions.map(r => [r.name, r.kind, r.base]));
		assert.equal(model.regions().find(r => r.kind === 'spu-ls')!.device, undefined, 'the local store is memory, not registers');
	});
});

// PCI devices with one memory BAR each, as a device model (layer: kernel, device model).
//
// One model serves every MMIO window of a scenario's machine section whose name starts with `bar`
// (`bar0`, `bar1`...): each is the register BAR of a simple PCI function. Its registers (32-bit,
// little-endian, offsets in the BAR):
// - 0x00 ID (read-only): 0x1af40000 | the BAR's index (a vendor:device pair, as config space has);
// - 0x04 SCRATCH (read/write): holds what was last written;
// - 0x08 COUNTER (read-only, side effect): counts its own reads, as status registers that clear or
//   advance on read do (so every read that reaches the device shows);
// - 0x0c OWNER (read/write): the driver that claimed the BAR writes its tag here;
// - other offsets read 0 and ignore writes.
// Builtins play the PCI core's enumeration (config space reads of the BARs): `__bar_count()`,
// `__bar_start(i)`, `__bar_size(i)`, `__bar_name(i, buf, len)`.
//
// Invariants: never throws for guest behaviour; state is plain data (registers and access counts).

import type { Builtin, BuiltinTable, Value } from '../../../interp/contracts';
import { toAddress } from '../../../interp/libc/memoryAccess';
import type { RegionSpec } from '../../hw/physMem';
import type { DeviceConfig, DeviceHost, DeviceModel, DeviceView } from '../device';

/** Register offsets of a BAR. */
export const BarRegister = { ID: 0x00, SCRATCH: 0x04, COUNTER: 0x08, OWNER: 0x0c } as const;

/** The ID register's value for BAR `index`. */
export function barId(index: number): number {
	return (0x1af40000 | index) >>> 0;
}

/** Where a BAR sits. */
export interface BarPlacement {
	readonly name: string;
	readonly base: number;
	readonly size: number;
}

interface BarState {
	scratch: number;
	counter: number;
	owner: number;
	reads: number;
	writes: number;
}

function freshBar(): BarState {
	return { scratch: 0, counter: 0, owner: 0, reads: 0, writes: 0 };
}

/** The BARs of a machine (see the file header). */
export class PciBars implements DeviceModel {
	readonly name = 'pci-bars';
	private bars: BarState[];

	constructor(readonly placements: readonly BarPlacement[]) {
		this.bars = placements.map(() => freshBar());
	}

	/** One BAR per `machine.mmio` window named `bar*`, at its placed address. */
	static fromConfig(config: DeviceConfig): PciBars {
		const placements = config.regions
			.filter(r => r.kind === 'mmio' && r.name.startsWith('bar'))
			.map(r => ({ name: r.name, base: r.base, size: r.size }));
		return new PciBars(placements);
	}

	regions(): readonly RegionSpec[] {
		return this.placements.map((p, i) => ({
			base: p.base, size: p.size, kind: 'mmio' as const, name: p.name, owner: p.name,
			device: { read: (offset: number, size: number) => this.read(i, offset, size), write: (offset: number, size: number, value: Value) => this.write(i, offset, size, value) },
		}));
	}

	attach(_host: DeviceHost): void {
		// Register accesses arrive through the regions; nothing needs the host.
	}

	/** Reads and writes that reached BAR `index`. */
	accesses(index: number): { readonly reads: number; readonly writes: number } {
		const bar = this.bars[index];
		return { reads: bar.reads, writes: bar.writes };
	}

	/** The OWNER register of BAR `index`. */
	owner(index: number): number {
		return this.bars[index].owner;
	}

	/** An access of `size` bytes at `offset`: each 32-bit register it touches is accessed once (little-endian bytes). */
	private read(index: number, offset: number, size: number): Value {
		const bar = this.bars[index];
		bar.reads++;
		let value = 0n;
		for (let reg = offset & ~3; reg < offset + size; reg += 4) {
			const word = BigInt(this.readRegister(bar, index, reg));
			for (let byte = 0; byte < 4; byte++) {
				const at = reg + byte;
				if (at >= offset && at < offset + size) value |= ((word >> BigInt(8 * byte)) & 0xffn) << BigInt(8 * (at - offset));
			}
		}
		return size === 8 ? value : Number(value);
	}

	private readRegister(bar: BarState, index: number, reg: number): number {
		switch (reg) {
			case BarRegister.ID:
				return barId(index);
			case BarRegister.SCRATCH:
				return bar.scratch;
			case BarRegister.COUNTER:
				bar.counter = (bar.counter + 1) >>> 0;
				return bar.counter;
			case BarRegister.OWNER:
				return bar.owner;
			default:
				return 0;
		}
	}

	/** A write: only whole, aligned 32-bit writes of SCRATCH and OWNER change anything (others are ignored, as a device drops them). */
	private write(index: number, offset: number, size: number, value: Value): void {
		const bar = this.bars[index];
		bar.writes++;
		if (size !== 4 || (offset & 3) !== 0) return;
		const v = Number(BigInt.asUintN(32, BigInt(value))) >>> 0;
		if (offset === BarRegister.SCRATCH) bar.scratch = v;
		else if (offset === BarRegister.OWNER) bar.owner = v;
	}

	builtins(): BuiltinTable {
		const table = new Map<string, Builtin>();
		const valid = (v: Value): number => {
			const i = Number(v);
			return Number.isInteger(i) && i >= 0 && i < this.placements.length ? i : -1;
		};
		table.set('__bar_count', () => this.placements.length);
		table.set('__bar_start', (_ctx, args) => {
			const i = valid(args[0]);
			return i < 0 ? 0 : this.placements[i].base;
		});
		table.set('__bar_size', (_ctx, args) => {
			const i = valid(args[0]);
			return i < 0 ? 0 : this.placements[i].size;
		});
		// Copies the BAR's name (NUL-terminated, truncated to len - 1): its length, or -1.
		table.set('__bar_name', (ctx, args) => {
			const i = valid(args[0]);
			const len = Number(args[2]);
			if (i < 0 || !(len > 0)) return -1;
			const name = this.placements[i].name.slice(0, len - 1);
			const bytes = new Uint8Array(name.length + 1);
			for (let k = 0; k < name.length; k++) bytes[k] = name.charCodeAt(k) & 0xff;
			ctx.mem.write(toAddress(args[1]), bytes);
			return ctx.mem.fault === null ? name.length : -1;
		});
		return table;
	}

	snapshot(): unknown {
		return this.bars.map(b => ({ ...b }));
	}

	restore(state: unknown): void {
		this.bars = (state as BarState[]).map(b => ({ ...b }));
	}

	describe(): DeviceView {
		return {
			label: 'PCI BARs',
			children: this.placements.map((p, i) => ({
				label: p.name,
				description: `[mem 0x${p.base.toString(16)}-0x${(p.base + p.size - 1).toString(16)}]`,
				fields: { id: `0x${barId(i).toString(16)}`, scratch: this.bars[i].scratch, owner: `0x${this.bars[i].owner.toString(16)}`, reads: this.bars[i].reads, writes: this.bars[i].writes },
			})),
		};
	}
}

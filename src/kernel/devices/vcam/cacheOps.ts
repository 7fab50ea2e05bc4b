// The CPU's cache maintenance instructions as builtins (layer: kernel, device model).
//
// `__kc_dcache_clean_poc(phys, size)` and `__kc_dcache_inval_poc(phys, size)` are what arm64's
// `dc cvac`/`dc ivac` loops do over a physical range: write back the dirty lines (they stay), drop
// the lines (dirty data is lost). The machine's cache model (src/kernel/hw/cache.ts) does the
// work; this model records every operation for views and tests. It adds no region: it stands for
// the CPU's own instructions, offered to the dma-buf module (drivers/dma-buf/dma-noncoherent.c)
// until the kernel's builtins have them.

import type { Builtin, BuiltinTable, Value } from '../../../interp/contracts';
import type { RegionSpec } from '../../hw/physMem';
import type { DeviceHost, DeviceModel, DeviceView } from '../device';

/** One maintenance operation. */
export interface MaintenanceRecord {
	readonly time: number;
	readonly op: 'clean' | 'invalidate';
	readonly base: number;
	readonly size: number;
	/** Lines written back (clean) or dropped (invalidate). */
	readonly lines: number;
}

/** See the file header. */
export class CpuCacheMaintenance implements DeviceModel {
	readonly name = 'cpu-cache';
	private host: DeviceHost | undefined;
	private log: MaintenanceRecord[] = [];

	regions(): readonly RegionSpec[] {
		return [];
	}

	attach(host: DeviceHost): void {
		this.host = host;
	}

	/** Every operation so far, oldest first. */
	get maintenance(): readonly MaintenanceRecord[] {
		return this.log;
	}

	builtins(): BuiltinTable {
		const table = new Map<string, Builtin>();
		const maintain = (op: 'clean' | 'invalidate'): Builtin => (_ctx, args: readonly Value[]) => {
			const base = Number(args[0]);
			const size = Number(args[1]);
			const cache = this.host?.machine.cache;
			if (cache === undefined || !(size > 0) || !Number.isSafeInteger(base)) return undefined;
			const lines = op === 'clean' ? cache.clean(base, size) : cache.invalidate(base, size);
			this.log.push({ time: this.host?.now() ?? 0, op, base, size, lines });
			return undefined;
		};
		table.set('__kc_dcache_clean_poc', maintain('clean'));
		table.set('__kc_dcache_inval_poc', maintain('invalidate'));
		return table;
	}

	snapshot(): unknown {
		return [...this.log];
	}

	restore(state: unknown): void {
		this.log = [...(state as MaintenanceRecord[])];
	}

	describe(): DeviceView {
		return {
			label: 'CPU cache maintenance',
			description: `${this.log.length} operations`,
			children: this.log.slice(-32).map(m => ({ label: `${m.op} 0x${m.base.toString(16)}+0x${m.size.toString(16)}`, description: `${m.lines} lines` })),
		};
	}
}

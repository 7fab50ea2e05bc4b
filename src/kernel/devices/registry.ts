// The drivers that ship with Faultline, by the name scenario files use (layer: kernel).
//
// Each entry is the `ShippedDriver` a device folder exports from its `driver.ts` (KC units under
// kc/kernel, device models in TypeScript). `faultline run` loads the drivers a scenario names as
// modules, in the scenario's order, after the ones they depend on.

import type { ShippedDriver } from './device';
import { barClaimDriver } from './bar/driver';
import { devmemDriver } from './devmem/driver';
import { nopageMmioDriver } from './nopage/driver';
import { spufsDriver } from './spu/driver';
import { dmaBufDriver, dmaBufVcamDriver } from './vcam/driver';

/** Every shipped driver (add a line when a driver folder exports one). */
export const SHIPPED_DRIVERS: readonly ShippedDriver[] = [
	spufsDriver,
	devmemDriver,
	barClaimDriver,
	dmaBufDriver,
	dmaBufVcamDriver,
	nopageMmioDriver,
];

/** The shipped driver called `name`. */
export function findShippedDriver(name: string): ShippedDriver | undefined {
	return SHIPPED_DRIVERS.find(driver => driver.name === name);
}

/**
 * The signatures of the simulator-control functions inline harness steps call (`{ "call": X }` runs
 * `sim_X(args...)` in a harness kernel thread). The kernel defines `sim_signal` and `sim_log`; the
 * drivers define the others, with exactly these prototypes. Argument order is the schema's
 * (src/sim/scenario/schema.ts `harnessCall`): integers as `int`, strings as `const char *`.
 */
export const HARNESS_CALL_PROTOTYPES: Readonly<Record<string, { readonly params: readonly { readonly name: string; readonly type: 'int' | 'string' }[] }>> = {
	spu_context_switch: { params: [{ name: 'spe', type: 'int' }, { name: 'to', type: 'string' }] },
	bo_evict: { params: [{ name: 'bo', type: 'int' }] },
	bo_move: { params: [{ name: 'bo', type: 'int' }, { name: 'to', type: 'string' }] },
	device_write_frame: { params: [{ name: 'buffer', type: 'int' }, { name: 'value', type: 'int' }] },
	destroy_dev: { params: [{ name: 'device', type: 'string' }] },
	request_region: { params: [{ name: 'region', type: 'string' }] },
	signal: { params: [{ name: 'task', type: 'int' }, { name: 'signal', type: 'int' }] },
	log: { params: [{ name: 'text', type: 'string' }] },
};

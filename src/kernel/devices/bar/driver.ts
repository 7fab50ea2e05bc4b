// The `bar-claim` driver as it ships (layer: kernel, device model): the simulated PCI functions'
// memory BARs (every `machine.mmio` window named `bar*`, model.ts), the bus scan that puts them in
// iomem_resource, and a driver that claims one with request_mem_region (at load with the `claim`
// parameter, or later through the harness call `request_region`), which on 6.8 revokes /dev/mem
// mappings of it (kernel-semantics.md 6, section 8 scenario 11).

import type { ShippedDriver } from '../device';
import { PciBars } from './model';

/** The bar-claim module's translation units, kernel-tree paths. */
export const BAR_CLAIM_UNITS: readonly string[] = [
	'drivers/misc/bar_claim/bar_bus.c',
	'drivers/misc/bar_claim/bar_claim.c',
];

/** `bar-claim` in scenario files. */
export const barClaimDriver: ShippedDriver = {
	name: 'bar-claim',
	description: 'PCI functions with one register BAR each (machine.mmio windows named bar*), inserted into iomem_resource; claims a BAR with request_mem_region (parameter `claim`, or the harness call request_region), revoking /dev/mem mappings of it on 6.8.',
	units: BAR_CLAIM_UNITS,
	createDevices: config => [PciBars.fromConfig(config)],
};

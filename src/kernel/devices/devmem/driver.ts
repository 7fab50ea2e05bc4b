// The `devmem` driver as it ships (layer: kernel): /dev/mem (drivers/char/mem.c, char major 1
// minor 1) with the era's policy: none on 2.6.18; CONFIG_STRICT_DEVMEM's devmem_is_allowed,
// ->access = generic_access_phys from 2.6.27; on 6.8 O_DSYNC mappings are UC-, read() of low-1 MiB
// RAM shows zeros, and every open maps through the iomem address space so that a driver's claim
// revokes the mappings (kernel-semantics.md 6). It drives no device of its own: what it maps is
// RAM and whatever the other drivers' models put in the physical map.

import type { ShippedDriver } from '../device';

/** The devmem module's translation units, kernel-tree paths. */
export const DEVMEM_UNITS: readonly string[] = ['drivers/char/mem.c'];

/** `devmem` in scenario files. */
export const devmemDriver: ShippedDriver = {
	name: 'devmem',
	description: '/dev/mem: mmap_mem, read/write, valid_mmap_phys_addr_range, STRICT_DEVMEM and IO_STRICT_DEVMEM (kernel config), generic_access_phys, revocation when a driver claims a region.',
	units: DEVMEM_UNITS,
	createDevices: () => [],
};

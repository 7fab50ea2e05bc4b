// The `nopage-mmio` driver as it ships (layer: kernel): /dev/mmio0 maps a register window (a BAR of
// bar-claim's PCI model, whose driver it loads first) by ->nopage returning pfn_to_page() of the
// MMIO PFN (the 2004 question of seed 003), ->nopfn, ->fault + vm_insert_pfn/vmf_insert_pfn, or
// remap_pfn_range at mmap time, chosen by the `mode` parameter (kernel-semantics.md section 8
// scenario 12). The driver has no device model of its own.

import type { ShippedDriver } from '../device';

/** The nopage-mmio module's translation units, kernel-tree paths. */
export const NOPAGE_MMIO_UNITS: readonly string[] = ['drivers/misc/nopage_mmio/nopage_mmio.c'];

/** `nopage-mmio` in scenario files. */
export const nopageMmioDriver: ShippedDriver = {
	name: 'nopage-mmio',
	description: '/dev/mmio0 maps the register page at parameter `phys` by `mode`: nopage (pfn_to_page of an MMIO PFN, 2.6.18-2.6.25), nopfn (2.6.19-2.6.26), fault (vm_insert_pfn / vmf_insert_pfn, 2.6.27+) or remap (remap_pfn_range at mmap time).',
	units: NOPAGE_MMIO_UNITS,
	depends: ['bar-claim'],
	createDevices: () => [],
};

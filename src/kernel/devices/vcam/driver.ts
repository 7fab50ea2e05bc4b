// The dma-buf drivers as they ship (layer: kernel, device model):
// - `dma-buf`: the core (drivers/dma-buf: fences, reservation objects, dma-buf files), a module here
//   (built in on Linux); exporters and importers (vcam, drm-ttm) depend on it;
// - `dma-buf-vcam`: the vcam capture/display engine (model.ts) and its driver
//   (drivers/media/vcam), which exports its frame buffers as dma-bufs with the cache maintenance of
//   a non-coherent device (kernel-semantics.md 5, section 8 scenario 8).

import type { ShippedDriver } from '../device';
import { CpuCacheMaintenance } from './cacheOps';
import { Vcam } from './model';

/** The dma-buf core's translation units, kernel-tree paths. */
export const DMA_BUF_UNITS: readonly string[] = [
	'drivers/dma-buf/dma-fence.c',
	'drivers/dma-buf/dma-resv.c',
	'drivers/dma-buf/dma-buf.c',
	'drivers/dma-buf/dma-noncoherent.c',
];

/** `dma-buf` in scenario files. */
export const dmaBufDriver: ShippedDriver = {
	name: 'dma-buf',
	description: 'The dma-buf core: dma_fence, dma_resv (ww_mutex, wait-die), dma-buf files with mmap and DMA_BUF_IOCTL_SYNC (6.8) or the 2012 RFC PREPARE/FINISH_ACCESS ioctls (2.6 profiles).',
	units: DMA_BUF_UNITS,
	// The CPU's cache maintenance instructions, until the kernel has them (cacheOps.ts).
	createDevices: () => [new CpuCacheMaintenance()],
};

/** The vcam module's translation units. */
export const VCAM_UNITS: readonly string[] = ['drivers/media/vcam/vcam.c'];

/** `dma-buf-vcam` in scenario files. */
export const dmaBufVcamDriver: ShippedDriver = {
	name: 'dma-buf-vcam',
	description: 'A capture/display engine that does not snoop the CPU caches (/dev/vcam0, machine.mmio window vcam0 or 0xfd000000): frame buffers exported as dma-bufs, begin/end_cpu_access doing dma_sync_sgtable_for_cpu/_for_device, capture jobs completing with a fence.',
	units: VCAM_UNITS,
	depends: ['dma-buf'],
	createDevices: config => [Vcam.fromConfig(config)],
};

// The spufs driver as it ships (layer: kernel, device model): the KC units of the spufs module
// (kc/kernel/arch/powerpc/platforms/cell/: spu_base.c and spufs/*.c, loaded as one module named
// `spufs`) and the SPE device model for a scenario's machine (`machine.spes`). The kernel half of
// the system calls (spu_syscalls.c, sys_spu_create and sys_spu_run) is built into the kernel.

import type { ShippedDriver } from '../device';
import { CellSpus } from './model';

/** The spufs module's translation units, kernel-tree paths. */
export const SPUFS_UNITS: readonly string[] = [
	'arch/powerpc/platforms/cell/spu_base.c',
	'arch/powerpc/platforms/cell/spufs/inode.c',
	'arch/powerpc/platforms/cell/spufs/file.c',
	'arch/powerpc/platforms/cell/spufs/context.c',
	'arch/powerpc/platforms/cell/spufs/sched.c',
	'arch/powerpc/platforms/cell/spufs/switch.c',
	'arch/powerpc/platforms/cell/spufs/hw_ops.c',
	'arch/powerpc/platforms/cell/spufs/backing_ops.c',
	'arch/powerpc/platforms/cell/spufs/run.c',
	'arch/powerpc/platforms/cell/spufs/syscalls.c',
];

/** `spufs` in scenario files. */
export const spufsDriver: ShippedDriver = {
	name: 'spufs',
	description: 'Cell SPU file system: spu_create/spu_run, mmap-able mem (local store), cntl and psmap (problem state), the SPU scheduler (spusched) that saves and restores contexts; the SPEs of machine.spes.',
	units: SPUFS_UNITS,
	profiles: ['linux-6.8', 'linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27'],
	createDevices: config => [CellSpus.fromConfig(config)],
};

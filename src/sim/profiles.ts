// Kernel profiles: the eras a machine can run (layer: sim). A profile selects, through
// `LINUX_VERSION_CODE` and `CONFIG_*` macros, which paths of the one KC kernel source tree are
// compiled, the way out-of-tree drivers select code for the kernel they build against.

/** A kernel era the simulator can run. */
export interface KernelProfile {
	readonly name: string;
	readonly os: 'linux' | 'freebsd';
	/** Macros defined when compiling kernel and driver sources for this profile. */
	readonly defines: Readonly<Record<string, string>>;
	readonly description: string;
}

function linux(major: number, minor: number, patch: number, description: string): KernelProfile {
	return {
		name: `linux-${major}.${minor}${patch > 0 || major === 2 ? `.${patch}` : ''}`,
		os: 'linux',
		defines: { LINUX_VERSION_CODE: String((major << 16) + (minor << 8) + patch), CONFIG_MMU: '1' },
		description,
	};
}

/** What the FreeBSD profiles compile the shared process core as. */
const freebsdCore = { LINUX_VERSION_CODE: String((6 << 16) + (8 << 8)), CONFIG_MMU: '1' };

/** Every profile, by name. The default (`linux-6.8`) comes first. */
export const profiles: readonly KernelProfile[] = [
	linux(6, 8, 0, 'modern: ->fault with vmf_insert_pfn_prot, VM_FAULT_RETRY, ->access, STRICT_DEVMEM'),
	linux(2, 6, 18, '->nopage and do_no_page with the truncate_count retry; no ->access'),
	linux(2, 6, 21, '->nopfn, NOPFN_REFAULT and vm_insert_pfn; spufs maps PFNs under the context lock'),
	linux(2, 6, 27, '->fault and VM_FAULT_NOPAGE, VM_MIXEDMAP, ->access and generic_access_phys, zap_vma_ptes'),
	// The FreeBSD profiles share the machine's process core (compiled as the 6.8 core) and replace
	// the device-memory VM with FreeBSD's (kc/kernel/freebsd: cdevsw, cdevpriv, the device pager).
	{ name: 'freebsd-7', os: 'freebsd', defines: { ...freebsdCore, __FreeBSD__: '7', __FreeBSD_version: '703000' }, description: 'device pager with d_mmap; a destroyed device panics on fault' },
	{ name: 'freebsd-9', os: 'freebsd', defines: { ...freebsdCore, __FreeBSD__: '9', __FreeBSD_version: '903000' }, description: 'device pager with d_mmap_single; a destroyed device fails the fault' },
];

export const defaultProfile = profiles[0];

export function findProfile(name: string): KernelProfile | undefined {
	return profiles.find(p => p.name === name);
}

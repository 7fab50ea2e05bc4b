// The default machine of `faultline exec` and `faultline run` (layer: sim): 2 CPUs, RAM, the KC
// kernel of a profile booted once per host process and restored from a snapshot for every run
// (booting compiles ~20 kernel units and runs start_kernel: about a second; restoring is
// copy-on-write and costs nothing measurable).

import * as path from 'node:path';
import { formatDiagnostic } from '../lang/source';
import { bootKernel, restoreKernel, snapshotKernel, type BootedKernel, type KernelSnapshot } from '../kernel/boot';
import type { KernelEvents } from '../kernel/builtins';
import { hostSources } from './hostSources';
import type { KernelProfile } from './profiles';

/** What a default machine is made of. */
export interface MachineConfig {
	readonly profile: KernelProfile;
	/** The shipped KC root (holding `kernel/`, `include/`, `lib/`). */
	readonly kcRoot: string;
	/** Default 2. */
	readonly cpus?: number;
	/** Default 128 MiB. */
	readonly ramBytes?: number;
	/** Trace events of the kernel (only for a machine booted for this one run: events are bound at boot). */
	readonly events?: KernelEvents;
}

export const DEFAULT_CPUS = 2;
export const DEFAULT_RAM = 128 << 20;

interface CachedMachine {
	readonly booted: BootedKernel;
	readonly snapshot: KernelSnapshot;
}

/**
 * Booted machines by configuration, least recently used first. Bounded: a booted kernel holds its
 * compiled functions and RAM, and a test run visits many profile/config combinations.
 */
const cache = new Map<string, CachedMachine>();
const CACHED_MACHINES = 4;

/**
 * The kernel tree's sources: units named as Kbuild names them, `<linux/x.h>` in kernel/include.
 * Headers of the tree are named relative to it too (`include/linux/bug.h`), never by where the
 * tree is installed: `__FILE__` in a header lands in the kernel image, whose layout (and every
 * address after it) must not depend on the installation path.
 */
export function kernelSources(kcRoot: string): ReturnType<typeof hostSources> {
	const root = path.join(kcRoot, 'kernel');
	const absoluteRoot = path.resolve(root);
	const host = hostSources([path.join(root, 'include')]);
	return {
		read: file => host.read(path.isAbsolute(file) ? file : path.join(root, file)),
		resolveInclude: (name, fromFile, quoted) => {
			const found = host.resolveInclude(name, path.isAbsolute(fromFile) ? fromFile : path.join(root, fromFile), quoted);
			if (found === undefined || !found.startsWith(absoluteRoot + path.sep)) return found;
			return path.relative(absoluteRoot, found).split(path.sep).join('/');
		},
	};
}

/**
 * A booted kernel in its just-booted state: from the cache (restored from its snapshot) unless
 * `config.events` asks for a machine of its own. Throws with the compiler's diagnostics when the
 * kernel sources do not build or boot (a broken installation, not a user error).
 */
export function bootedMachine(config: MachineConfig): BootedKernel {
	const cpus = config.cpus ?? DEFAULT_CPUS;
	const ramBytes = config.ramBytes ?? DEFAULT_RAM;
	const key = `${config.kcRoot}|${config.profile.name}|${cpus}|${ramBytes}`;
	const cached = config.events === undefined ? cache.get(key) : undefined;
	if (cached !== undefined) {
		cache.delete(key);
		cache.set(key, cached);
		restoreKernel(cached.booted, cached.snapshot);
		return cached.booted;
	}
	const booted = bootKernel({
		ramBytes,
		cpus,
		profile: config.profile,
		sources: kernelSources(config.kcRoot),
		...(config.events === undefined ? {} : { events: config.events }),
	});
	if (!booted.booted) {
		const errors = booted.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic).join('\n');
		throw new Error(`the ${config.profile.name} kernel does not boot:\n${errors}`);
	}
	if (config.events === undefined) {
		cache.set(key, { booted, snapshot: snapshotKernel(booted) });
		while (cache.size > CACHED_MACHINES) cache.delete(cache.keys().next().value!);
	}
	return booted;
}

// Booting the KC kernel on the simulated hardware (src/kernel/boot.ts): page tables built in RAM,
// the image loaded through the MMU, start_kernel (memblock, mem_map, buddy) on CPU 0, the free page
// count seen from another CPU's kernel thread, determinism, and an oops when boot faults.

import * as assert from 'node:assert/strict';
import { memorySources } from '../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../src/lang/source';
import { sizeOf } from '../../../src/lang/types';
import { KernelLayout } from '../../../src/interp/contracts';
import { run } from '../../../src/interp/cpu';
import { bootKernel, KERNEL_UNITS, kernelThread, type BootedKernel } from '../../../src/kernel/boot';
import { RecordingKernelEvents } from '../../../src/kernel/builtins';
import { findProfile, type KernelProfile } from '../../../src/sim/profiles';
import { isModuleSource, kernelFiles } from './mm/kernelHarness';

const RAM = 16 << 20;
const CPUS = 2;
const PAGE = 4096;
const MIB2 = 2 << 20;

/** The kernel tree (the harness's test drivers, named test/*.c, are not kernel units). */
const files: Record<string, string> = Object.fromEntries(Object.entries(kernelFiles()).filter(([name]) => !name.startsWith('test/')));

function profile(name: string): KernelProfile {
	const p = findProfile(name);
	assert.ok(p !== undefined);
	return p;
}

/** The page allocator's events of each boot, by kernel. */
const bootEvents = new Map<BootedKernel, RecordingKernelEvents>();

function boot(name: string, overrides: Record<string, string> = {}): BootedKernel {
	const events = new RecordingKernelEvents();
	const k = bootKernel({ ramBytes: RAM, cpus: CPUS, profile: profile(name), sources: memorySources({ ...files, ...overrides }, ['include']), events });
	bootEvents.set(k, events);
	return k;
}

/** Pages the kernel allocated during boot and still holds (slabs, the zero page, the VFS caches). */
function pagesHeldAfterBoot(k: BootedKernel): number {
	// mem_init frees all of RAM to the buddy allocator before anything allocates: count from the
	// first allocation on.
	const events = bootEvents.get(k)!.events;
	const first = events.findIndex(e => e.kind === 'pageAlloc');
	let held = 0;
	for (const e of events.slice(first)) {
		if (e.kind === 'pageAlloc') held += 1 << e.order;
		else if (e.kind === 'pageFree') held -= 1 << e.order;
	}
	return held;
}

/** Calls `name()` on CPU `cpu`'s kernel thread and returns its (int-sized) result. */
function call(k: BootedKernel, cpu: number, name: string): number {
	const stop = run(kernelThread(k, cpu, name), 10_000_000);
	assert.equal(stop.kind, 'exited', JSON.stringify(stop));
	return stop.kind === 'exited' ? stop.code : -1;
}

/** Distinct 2 MiB regions (one page table each) and pages of [start, start + length) ranges. */
function tablePages(ranges: readonly { start: number; length: number }[]): { pages: number; pts: number } {
	const regions = new Set<number>();
	let pages = 0;
	for (const r of ranges) {
		for (let va = Math.floor(r.start / PAGE) * PAGE; va < r.start + r.length; va += PAGE) {
			pages++;
			regions.add(Math.floor(va / MIB2));
		}
	}
	return { pages, pts: regions.size };
}

/** The frames the boot must have taken, computed from the layout (not from what boot.ts reports). */
function expectedBootFrames(k: BootedKernel): number {
	const image = tablePages(k.kernel!.image.segments.map(s => ({ start: s.address, length: s.length })));
	const stacks = tablePages(Array.from({ length: CPUS }, (_, cpu) => ({ start: KernelLayout.stackBase + (cpu + 1) * KernelLayout.stackStride - KernelLayout.stackSize, length: KernelLayout.stackSize })));
	// PML4; direct map: PDPT + one PD per GiB (2 MiB leaves); image at 0xffffffff8x000000: PDPT,
	// PD, PTs; stacks at 0xffffe8...: PDPT, PD, PTs; the vmalloc area's PDPT (wired at boot).
	const directPds = Math.ceil(RAM / (1 << 30));
	return 1 + 1 + directPds + 2 + image.pts + image.pages + 2 + stacks.pts + stacks.pages + 1;
}

function memMapPages(k: BootedKernel): number {
	const memMap = k.kernel!.globals.get('mem_map');
	assert.ok(memMap !== undefined && memMap.type.kind === 'pointer');
	return Math.ceil(((RAM / PAGE) * sizeOf(memMap.type.to)) / PAGE);
}

describe('kernel boot on the simulated machine', function () {
	this.timeout(120000);

	it('compiles every unit of kc/kernel but the drivers (modules, loaded per scenario)', () => {
		const units = Object.keys(files).filter(f => f.endsWith('.c') && !isModuleSource(f)).sort();
		assert.deepEqual([...KERNEL_UNITS].sort(), units);
	});

	for (const name of ['linux-6.8', 'linux-2.6.18']) {
		describe(name, () => {
			let k: BootedKernel;
			before(() => {
				k = boot(name);
			});

			it('runs start_kernel to completion with no errors', () => {
				assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
				assert.equal(k.booted, true, k.log.text());
				assert.deepEqual(k.stop, { kind: 'exited', code: 0 });
				assert.equal(k.machine.cpus[0].mmu.cr3, k.pgdPhys);
				assert.equal(k.machine.cpus[1].mmu.cr3, k.pgdPhys);
				assert.match(k.log.text(), /^Memory: \d+K\/16384K available\n$/);
			});

			it('frees every RAM page but page 0, the boot frames and mem_map; the rest is what boot allocated since', () => {
				const bootFrames = expectedBootFrames(k);
				assert.equal(k.reserved.end - k.reserved.start, bootFrames * PAGE);
				const expected = RAM / PAGE - 1 - bootFrames - memMapPages(k);
				// mem_init reports the pages it freed, before the slab caches, the zero page and the VFS take theirs.
				assert.match(k.log.text(), new RegExp(`^Memory: ${expected * 4}K/16384K`));
				const held = pagesHeldAfterBoot(k);
				assert.ok(held > 0 && held < 64, `boot holds ${held} pages`);
				assert.equal(call(k, 1, 'nr_free_pages'), expected - held);
			});

			it('kernel globals read through the MMU match physical memory at the translated address', () => {
				const bus = k.machine.cpus[1].bus;
				bus.mode = 'kernel';
				for (const global of ['max_mapnr', 'totalram_pages_count']) {
					const va = k.kernel!.globals.get(global)!.address;
					const walk = k.machine.cpus[1].mmu.probe(va);
					assert.ok(walk.physicalAddress !== null, global);
					// The image lies in the boot frames.
					assert.ok(walk.physicalAddress >= k.reserved.start && walk.physicalAddress < k.reserved.end);
					const bytes = k.machine.phys.read(walk.physicalAddress, 8)!;
					const physical = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
					assert.equal(BigInt(bus.ld64u(va)), physical, global);
					// And the same bytes through the direct map.
					assert.equal(BigInt(bus.ld64u(KernelLayout.directMapBase + walk.physicalAddress)), physical);
				}
				assert.equal(Number(bus.ld64u(k.kernel!.globals.get('max_mapnr')!.address)), RAM / PAGE);
				// .rodata is read-only, .data writable; the direct map uses 2 MiB pages.
				const rodata = k.machine.cpus[1].mmu.probe(KernelLayout.rodataBase);
				assert.equal(rodata.writable, false);
				assert.equal(k.machine.cpus[1].mmu.probe(KernelLayout.dataBase).writable, true);
				assert.equal(k.machine.cpus[1].mmu.probe(KernelLayout.directMapBase + 0x345678).pageSize, MIB2);
				assert.equal(k.machine.cpus[1].mmu.probe(KernelLayout.directMapBase + 0x345678).physicalAddress, 0x345678);
			});

			it('booting twice gives byte-identical physical memory', () => {
				const again = boot(name);
				const a = k.machine.phys.read(0, RAM)!;
				const b = again.machine.phys.read(0, RAM)!;
				assert.equal(Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)), 0);
			});
		});
	}

	it('a NULL dereference in start_kernel is an oops, not a host exception', () => {
		const main = files['init/main.c'].replace('kmem_cache_init();', 'kmem_cache_init();\n\t*(volatile int *)0 = 1;');
		assert.notEqual(main, files['init/main.c']);
		const k = boot('linux-6.8', { 'init/main.c': main });
		assert.equal(k.booted, false);
		assert.equal(k.stop?.kind, 'fault');
		const oops = k.diagnostics.filter(d => d.severity === 'error');
		assert.equal(oops.length, 1);
		assert.match(oops[0].message, /kernel NULL pointer dereference, address: 0000000000000000/);
		assert.equal(oops[0].range.file, 'init/main.c');
		assert.match(k.log.text(), /Call Trace:\n start_kernel \(init\/main\.c:\d+\)\n$/);
	});
});

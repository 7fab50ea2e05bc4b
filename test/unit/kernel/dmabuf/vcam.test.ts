// dma-buf with a non-coherent exporter: the dma-buf core (kc/kernel/drivers/dma-buf), the vcam
// engine (src/kernel/devices/vcam) and its driver (kc/kernel/drivers/media/vcam) on a booted
// machine, by era (kernel-semantics.md 5, section 8 scenario 8; seed 004).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CpuCacheMaintenance } from '../../../../src/kernel/devices/vcam/cacheOps';
import { dmaBufDriver, dmaBufVcamDriver } from '../../../../src/kernel/devices/vcam/driver';
import { driverMachine, kcRoot } from '../devmem/driverMachine';
import { scenariosDir } from '../devmem/scenarioRun';

const PROGRAM = path.join(scenariosDir, 'dmabuf-vcam', 'dmabuf_vcam.c');

function vcamRun(profile: string, mode: 'sync' | 'rfc'): { out: string; cache: CpuCacheMaintenance; log: string } {
	const m = driverMachine(profile, { drivers: [{ driver: dmaBufDriver }, { driver: dmaBufVcamDriver }] });
	const task = m.spawn(PROGRAM, ['dmabuf_vcam', mode, 'ioctl']);
	m.runToCompletion();
	return { out: m.output(task.pid), cache: m.devices.find(d => d instanceof CpuCacheMaintenance) as CpuCacheMaintenance, log: m.log() };
}

describe('dma-buf with a non-coherent exporter (vcam)', function () {
	this.timeout(300_000);

	it('§5.2 §8.8 6.8: stale lines without SYNC, fresh after SYNC_START|READ, the device sees CPU writes only after SYNC_END|WRITE', () => {
		const { out, log } = vcamRun('linux-6.8', 'sync');
		assert.match(out, /^cpu reads before the capture: 00$/m, log);
		assert.match(out, /^cpu reads without sync: 00$/m);
		assert.match(out, /^cpu reads after SYNC_START\|READ: ab ab$/m);
		assert.match(out, /^device reads before SYNC_END\|WRITE: ab \(sum 1400832\)$/m);
		assert.match(out, /^device reads after SYNC_END\|WRITE: 5a \(sum 737280\)$/m);
	});

	it('§5.2 SYNC with neither READ nor WRITE gives -EINVAL, flags 8 gives -EINVAL, an unknown ioctl -ENOTTY; oversize mmap and an exporter without mmap give -EINVAL', () => {
		const { out } = vcamRun('linux-6.8', 'sync');
		assert.match(out, /^sync START alone: EINVAL$/m);
		assert.match(out, /^sync END alone: EINVAL$/m);
		assert.match(out, /^sync flags 8: EINVAL$/m);
		assert.match(out, /^unknown ioctl: ENOTTY$/m);
		assert.match(out, /^mmap of 3 pages of a 2-page buffer: EINVAL$/m);
		assert.match(out, /^mmap at page 2 of a 2-page buffer: EINVAL$/m);
		assert.match(out, /^mmap of an exporter without mmap: EINVAL$/m);
	});

	it('§5.2 the direction lets the exporter skip work: START|WRITE invalidates nothing, END|READ writes nothing back; READ invalidates, END|WRITE cleans', () => {
		const { cache } = vcamRun('linux-6.8', 'sync');
		const ops = cache.maintenance.map(m => `${m.op}:${m.lines}`);
		// Create (dma_map_sgtable: clean 2 pages), capture (for_device FROM_DEVICE: clean), START|READ
		// (invalidate: the two lines the CPU read), END|READ (clean: nothing dirty), START|WRITE (no
		// invalidate: TO_DEVICE), END|WRITE (clean: every line of the two pages).
		const invalidates = cache.maintenance.filter(m => m.op === 'invalidate');
		assert.ok(invalidates.some(m => m.lines >= 1), ops.join(' '));
		const lastClean = cache.maintenance.filter(m => m.op === 'clean' && m.lines > 0);
		assert.equal(lastClean.reduce((n, m) => n + m.lines, 0), 2 * 4096 / 64, `every line of the memset written back once: ${ops.join(' ')}`);
		const beforeWrite = ops.indexOf('clean:64');
		assert.ok(beforeWrite > 0, ops.join(' '));
	});

	it('§5.1 2.6.18 RFC: PREPARE_ACCESS invalidates and FINISH_ACCESS cleans (no direction), unknown ioctls are -EINVAL, SYNC is PREPARE by its number, an exporter without mmap gives -ENODEV', () => {
		const { out, log } = vcamRun('linux-2.6.18', 'rfc');
		assert.match(out, /^cpu reads without sync: 00$/m, log);
		assert.match(out, /^cpu reads after PREPARE_ACCESS: ab ab$/m);
		assert.match(out, /^device reads before FINISH_ACCESS: ab \(sum 1400832\)$/m);
		assert.match(out, /^device reads after FINISH_ACCESS: 5a \(sum 737280\)$/m);
		assert.match(out, /^unknown ioctl: EINVAL$/m);
		assert.match(out, /^DMA_BUF_IOCTL_SYNC on the RFC: ok$/m);
		assert.match(out, /^mmap of 3 pages of a 2-page buffer: EINVAL$/m);
		assert.match(out, /^mmap of an exporter without mmap: ENODEV$/m);
	});

	it('the scenario programs carry the driver\'s user API header unchanged', () => {
		const driver = fs.readFileSync(path.join(kcRoot, 'kernel', 'drivers', 'media', 'vcam', 'vcam_uapi.h'), 'utf8');
		const scenario = fs.readFileSync(path.join(scenariosDir, 'dmabuf-vcam', 'vcam_uapi.h'), 'utf8');
		assert.equal(scenario, driver);
	});
});

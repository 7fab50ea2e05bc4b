// /dev/mem (kc/kernel/drivers/char/mem.c), the resource tree (kc/kernel/kernel/resource.c) and
// devmem_is_allowed (kc/kernel/arch/x86/mm/init.c) on a booted machine, with the bar-claim driver's
// PCI BAR: the policy by era and configuration, O_SYNC cache attributes, revocation
// (kernel-semantics.md 6, section 8 scenario 11). The scenarios' own expectations are checked by
// runScenario; the tests add what the output cannot show (PTE cache bits, who owns the BAR).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { barClaimDriver } from '../../../../src/kernel/devices/bar/driver';
import { PciBars } from '../../../../src/kernel/devices/bar/model';
import { devmemDriver } from '../../../../src/kernel/devices/devmem/driver';
import { driverMachine } from './driverMachine';
import { runExample, scenariosDir } from './scenarioRun';

const BAR0 = { name: 'bar0', base: 0xfe000000, size: 0x1000 };
const STRICT = { CONFIG_STRICT_DEVMEM: true, CONFIG_IO_STRICT_DEVMEM: true };
const POLICY = path.join(scenariosDir, 'devmem-policy', 'devmem_policy.c');
const PCD = 0x10n;
const PWT = 0x8n;

function policyRun(profile: string, config: Record<string, boolean>): string {
	const m = driverMachine(profile, { drivers: [{ driver: devmemDriver }, { driver: barClaimDriver }], config, mmio: [BAR0] });
	const task = m.spawn(POLICY, ['devmem_policy', BAR0.base.toString(16)]);
	m.runToCompletion();
	return m.output(task.pid);
}

/** The cache bits of the last PTE the trace shows being set to the BAR's frame (the program's O_SYNC mapping). */
function lastBarPteBits(events: readonly Record<string, unknown>[]): bigint {
	const set = events.filter(e => e.kind === 'pte-set' && ((BigInt(e.value as string) >> 12n) & 0xffffffffffn) === BigInt(BAR0.base / 4096));
	assert.ok(set.length >= 2, 'pte-set events of the BAR mappings');
	return BigInt(set[set.length - 1].value as string) & (PCD | PWT);
}

describe('/dev/mem', function () {
	this.timeout(300_000);

	it('§6 6.8 STRICT_DEVMEM: low 1 MiB maps, RAM at 16 MiB is -EPERM for mmap and read, read of low RAM shows zeros, an idle BAR maps', () => {
		const out = policyRun('linux-6.8', STRICT);
		assert.match(out, /^mmap 0xf0000: ok$/m);
		assert.match(out, /^mmap 0x1000000: Operation not permitted$/m);
		assert.match(out, /^read 0x1000000: Operation not permitted$/m);
		assert.match(out, /^read 0x400 after writing a0..a7 through the mapping: 8 bytes: 00 00 00 00 00 00 00 00$/m);
		assert.match(out, /^mmap bar 0xfe000000: ok, id 0x1af40000$/m);
	});

	it('§6 6.8 without STRICT_DEVMEM: no policy, RAM at 16 MiB maps and reads', () => {
		const out = policyRun('linux-6.8', {});
		assert.match(out, /^mmap 0x1000000: ok$/m);
		assert.match(out, /^read 0x1000000: 8 bytes$/m);
		assert.match(out, /^read 0x400 after writing a0..a7 through the mapping: 8 bytes: a0 a1 a2 a3 a4 a5 a6 a7$/m);
	});

	it('§6 2.6.18 has no policy even with CONFIG_STRICT_DEVMEM set: RAM at 16 MiB maps and reads, read() shows what the mapping wrote', () => {
		const out = policyRun('linux-2.6.18', STRICT);
		assert.match(out, /^mmap 0xf0000: ok$/m);
		assert.match(out, /^mmap 0x1000000: ok$/m);
		assert.match(out, /^read 0x1000000: 8 bytes$/m);
		assert.match(out, /^read 0x400 after writing a0..a7 through the mapping: 8 bytes: a0 a1 a2 a3 a4 a5 a6 a7$/m);
		assert.match(out, /^mmap bar 0xfe000000: ok, id 0x1af40000$/m);
	});

	it('§6 the scenario devmem-policy: an O_SYNC mapping is UC- on 6.8 (PCD alone) and UC on 2.6.18 (PCD|PWT)', () => {
		const modern = runExample('devmem-policy', 'devmem-policy.json', 'linux-6.8');
		const old = runExample('devmem-policy', 'devmem-policy.json', 'linux-2.6.18');
		runExample('devmem-policy', 'devmem-policy.json', 'linux-2.6.27');
		assert.equal(lastBarPteBits(modern.events), PCD);
		assert.equal(lastBarPteBits(old.events), PCD | PWT);
	});

	it('§6 §8.11 6.8 + IO_STRICT_DEVMEM: a driver\'s claim revokes the /dev/mem PTE (SIGBUS, PEEK EIO); 2.6.18 and 2.6.27 revoke nothing', () => {
		for (const profile of ['linux-6.8', 'linux-2.6.18', 'linux-2.6.27']) {
			const run = runExample('devmem-revoke', 'devmem-revoke.json', profile);
			// Zaps of the BAR's PTEs by the claiming harness task (revoke_iomem), not by munmap or exit.
			const revoked = run.events.filter(e => e.kind === 'pte-zap' && e.task === 'claimer' && ((BigInt(e.old as string) >> 12n) & 0xffffffffffn) === BigInt(BAR0.base / 4096));
			assert.equal(revoked.length, profile === 'linux-6.8' ? 2 : 0, `${profile}: the parent's and the child's BAR PTEs zapped by the claim\n${JSON.stringify(revoked)}`);
		}
		runExample('devmem-revoke', 'devmem-revoke-relaxed.json', 'linux-6.8');
	});

	it('§6 request_mem_region nests a busy resource in the BAR; a second claim is -EBUSY; the device sees the owner tag', () => {
		const m = driverMachine('linux-6.8', { drivers: [{ driver: devmemDriver }, { driver: barClaimDriver, params: { claim: 'bar0' } }], config: STRICT, mmio: [BAR0] });
		const bars = m.devices.find(d => d instanceof PciBars) as PciBars;
		assert.equal(bars.owner(0), 0xc1a10000);
		assert.match(m.log(), /pci 0000:00:03\.0: BAR 0 \[mem 0xfe000000-0xfe000fff\] \(bar0\)/);
		assert.match(m.log(), /bar_claim 0000:00:03\.0: claimed bar0 \[mem 0xfe000000-0xfe000fff\], id 1af40000/);
	});
});


// From scenario text to a resolved Scenario (layer: sim): defaults, sizes and the physical layout
// of device regions, markers, schedules (in agreement with the scheduler's parsePolicyConfig),
// harness tasks, expectations, the checks the schema cannot make, profile resolution, file
// references and `// @point:` markers over in-memory files, and path arithmetic.

import * as assert from 'node:assert/strict';
import { parsePolicyConfig } from '../../../../src/kernel/sched/policy';
import { formatDiagnostic } from '../../../../src/lang/source';
import { findProfile } from '../../../../src/sim/profiles';
import { findPoints, parseMarkerText } from '../../../../src/sim/scenario/markers';
import { durationInNanoseconds, parseScenario, sizeInBytes } from '../../../../src/sim/scenario/parse';
import { baseName, folderOf, resolvePath } from '../../../../src/sim/scenario/paths';
import { checkReferences, type ScenarioFiles } from '../../../../src/sim/scenario/references';
import { driversFor, expectationsFor, kernelDefines, resolveProfile, toPolicyConfig } from '../../../../src/sim/scenario/resolve';
import type { Scenario } from '../../../../src/sim/scenario/types';

const process1 = '"processes": [{ "name": "p1", "program": "programs/p1.kc" }]';

/** Parses `{ "name": "t", <processes>, ...extra }` and returns the scenario (failing on errors). */
function scenario(extra: string, file = '/work/s/t.json'): Scenario {
	const result = parseScenario(`{ "name": "t", ${process1}${extra === '' ? '' : `, ${extra}`} }`, file);
	assert.ok(result.scenario !== undefined, result.diagnostics.map(formatDiagnostic).join('\n'));
	return result.scenario;
}

/** The messages of the diagnostics for `{ "name": "t", <processes>, ...extra }`. */
function messages(extra: string): string[] {
	return parseScenario(`{ "name": "t", ${process1}, ${extra} }`, 't.json').diagnostics.map(d => `${d.severity}: ${d.message}`);
}

describe('sim/scenario: parseScenario', () => {
	it('converts sizes and durations', () => {
		assert.deepEqual(['4K', '256K', '64M', '1G', '0x40000', 8192].map(sizeInBytes), [4096, 262144, 67108864, 1073741824, 262144, 8192]);
		assert.deepEqual(['7ns', '3us', '20ms', '2s', 15].map(durationInNanoseconds), [7, 3000, 20_000_000, 2_000_000_000, 15]);
		assert.equal(scenario('"machine": { "ram": "0x200000" }').machine.ramBytes, 2 ** 21);
		assert.equal(scenario('"limits": { "maxTime": "20ms" }').limits.maxTimeNs, 20_000_000);
	});

	it('places device regions in the PCI hole, naturally aligned, after those with a base', () => {
		const s = scenario(`"machine": { "ram": "4G", "gpu": { "vram": "256M", "gtt": "64M", "gttBase": "0xc0000000" },
			"spes": { "count": 2, "localStore": "256K", "base": "0xf0000000" }, "mmio": [{ "name": "bar0", "size": "12K" }] }`);
		const layout = s.machine.regions.map(r => `${r.name} ${r.kind} ${r.base.toString(16)}+${r.size.toString(16)} ${r.owner}`);
		assert.deepEqual(layout, [
			'gpu0-gtt gtt-aperture c0000000+4000000 gpu0',
			'spe0-ps spu-ps c4000000+20000 spu0',
			'spe1-ps spu-ps c4020000+20000 spu1',
			'bar0 mmio c4040000+3000 bar0',
			'gpu0-vram vram d0000000+10000000 gpu0',
			'spe0-ls spu-ls f0000000+40000 spu0',
			'spe1-ls spu-ls f0040000+40000 spu1',
		]);
		// 4 GiB of RAM: 3 GiB below the hole, 1 GiB above 4 GiB; coherent DMA by default.
		assert.equal(s.machine.ramBytes, 2 ** 32);
		assert.deepEqual(s.machine.nonCoherent, []);
		assert.deepEqual(s.machine.gpu, { name: 'gpu0', vramSize: 2 ** 28, gttSize: 2 ** 26, range: s.machine.gpu?.range });
	});

	it('makes all of RAM non-coherent when DMA does not snoop, besides the listed ranges', () => {
		const s = scenario('"machine": { "ram": "4G", "coherentDma": false, "nonCoherent": [{ "base": 4026531840, "size": "1M" }] }');
		assert.deepEqual(s.machine.nonCoherent, [
			{ base: 0xf0000000, size: 2 ** 20 }, { base: 0, size: 0xc0000000 }, { base: 2 ** 32, size: 2 ** 30 },
		]);
	});

	it('reports regions that overlap, do not fit, or are misaligned, at the value that says so', () => {
		assert.deepEqual(messages('"machine": { "mmio": [{ "name": "a", "size": "1M", "base": "0xe0000000" }, { "name": "b", "size": "4K", "base": "0xe00ff000" }] }'), [
			'error: machine.mmio[1].base: b at 0xe00ff000-0xe0100000 overlaps a (0xe0000000-0xe0100000)',
		]);
		assert.deepEqual(messages('"machine": { "mmio": [{ "name": "a", "size": "4K", "base": "0xe0000800" }] }'), [
			'error: machine.mmio[0].base: must be page-aligned (a multiple of 0x1000), got 0xe0000800',
		]);
		assert.deepEqual(messages('"machine": { "gpu": { "vram": "768M" }, "mmio": [{ "name": "a", "size": "512M" }] }'), [
			'error: machine.mmio[0].size: a (512 MiB) does not fit in the PCI hole (0xc0000000-0x100000000) beside the other devices; make it smaller or give it a base address',
		]);
		assert.deepEqual(messages('"machine": { "mmio": [{ "name": "gpu0-vram", "size": "4K" }], "gpu": { "vram": "4M" } }'), [
			'error: machine.mmio[0].name: the name "gpu0-vram" is taken by a device region',
		]);
		assert.deepEqual(messages('"machine": { "mmio": [{ "name": "a", "size": "4K" }, { "name": "a", "size": "4K" }] }'), [
			'error: machine.mmio[1].name: duplicate MMIO window "a" (first at machine.mmio[0].name)',
		]);
		assert.deepEqual(messages('"machine": { "gpu": { "vram": "4M", "gttBase": "0xe0000000" } }'), ['error: machine.gpu.gttBase: gttBase needs gtt (the aperture\'s size)']);
	});

	it('takes the profile from kernel.profile, else the first of kernel.profiles, else linux-6.8', () => {
		assert.equal(scenario('').kernel.profile, 'linux-6.8');
		assert.deepEqual(scenario('').kernel.profiles, ['linux-6.8']);
		const listed = scenario('"kernel": { "profiles": ["linux-2.6.21", "linux-6.8"] }').kernel;
		assert.equal(listed.profile, 'linux-2.6.21');
		assert.equal(listed.profilesListed, true);
		assert.deepEqual(messages('"kernel": { "profile": "linux-2.6.18", "profiles": ["linux-2.6.21"] }'), [
			'error: kernel.profile: "linux-2.6.18" is not among kernel.profiles (linux-2.6.21)',
		]);
	});

	it('loads driver variants on disjoint profiles, and names own drivers after their file', () => {
		const s = scenario(`"kernel": { "profiles": ["linux-2.6.18", "linux-6.8"] }, "machine": { "gpu": { "vram": "16M" } }, "drivers": [
			{ "name": "drm-ttm", "params": { "design": "2006" }, "profiles": ["linux-2.6.18"] }, { "name": "drm-ttm", "profiles": ["linux-6.8"] },
			{ "source": ["drv/my_drv.kc", "drv/helpers.kc"], "params": { "n": 3, "on": true } }]`);
		assert.deepEqual(s.drivers.map(d => [d.kind, d.name, d.profiles]), [['shipped', 'drm-ttm', ['linux-2.6.18']], ['shipped', 'drm-ttm', ['linux-6.8']], ['source', 'my_drv', undefined]]);
		const own = s.drivers[2];
		assert.ok(own.kind === 'source');
		assert.deepEqual(own.sources.map(f => f.path), ['/work/s/drv/my_drv.kc', '/work/s/drv/helpers.kc']);
		assert.deepEqual(own.params, { n: 3, on: true });
		assert.deepEqual(driversFor(s, 'linux-6.8').map(d => d.profiles), [['linux-6.8'], undefined]);
		assert.deepEqual(messages('"machine": { "gpu": { "vram": "16M" } }, "drivers": ["drm-ttm", { "name": "drm-ttm" }]'), [
			'error: drivers[1]: driver "drm-ttm" is already loaded on linux-6.8 by drivers[0]; give the variants disjoint "profiles"',
		]);
		assert.deepEqual(messages('"drivers": [{ "source": "my.drv.kc" }]'), ['error: drivers[0].source: cannot make a module name of "my.drv"; give the driver a "name"']);
		assert.deepEqual(messages('"kernel": { "profile": "freebsd-9" }, "drivers": ["devmem"]'), [
			'error: drivers[0]: devmem runs only on Linux profiles, but would load on freebsd-9; restrict it with "profiles"',
		]);
	});

	it('fills process defaults and resolves programs against the scenario folder', () => {
		const s = scenario('', 'C:\\work\\s\\t.json');
		assert.deepEqual(
			{ ...s.processes[0], range: undefined, program: { ...s.processes[0].program, range: undefined } },
			{ name: 'p1', program: { written: 'programs/p1.kc', path: 'C:\\work\\s\\programs\\p1.kc', where: 'processes[0].program', range: undefined }, comm: 'p1', argv: ['p1'], env: [], stdin: '', description: '', range: undefined },
		);
		const long = parseScenario('{ "name": "t", "processes": [{ "name": "a_very_long_process_name", "program": "../x.kc", "pid": 7 }] }', 'dir/t.json').scenario;
		assert.equal(long?.processes[0].comm, 'a_very_long_pro');
		assert.equal(long?.processes[0].program.path, 'x.kc');
		assert.equal(long?.processes[0].pid, 7);
		assert.deepEqual(messages('"harness": [{ "name": "p1", "run": [{ "call": "log", "text": "" }] }]'), ['error: harness[0].name: duplicate task name "p1" (first at processes[0].name)']);
	});

	it('parses markers in every form', () => {
		assert.deepEqual(parseMarkerText('drm_vm.c:120'), { file: 'drm_vm.c', line: 120 });
		assert.deepEqual(parseMarkerText('drm_vm.c:120#3'), { file: 'drm_vm.c', line: 120, hit: 3 });
		assert.deepEqual(parseMarkerText('spu_fault()'), { fn: 'spu_fault' });
		assert.deepEqual(parseMarkerText('peek.kc:after-gup'), { file: 'peek.kc', point: 'after-gup' });
		assert.deepEqual(parseMarkerText('C:\\src\\peek.kc:after_gup#2'), { file: 'C:\\src\\peek.kc', point: 'after_gup', hit: 2 });
		assert.equal(typeof parseMarkerText('peek.kc'), 'string');
		assert.equal(typeof parseMarkerText('peek.kc:12x'), 'string');
		const s = scenario(`"schedule": [{ "task": "p1", "until": { "stmt": "a.kc:go#2" } }, { "task": "p1", "until": { "stmt": { "file": "b.kc", "line": 4 }, "count": 9 } },
			{ "task": "p1", "until": { "stmt": { "fn": "f", "hit": 3 } } }]`);
		assert.ok(s.schedule.kind === 'explicit');
		assert.deepEqual(s.schedule.steps.map(step => ({ ...step.until, stmt: { ...step.until?.stmt, range: undefined } })), [
			{ stmt: { file: 'a.kc', point: 'go', hit: 2, where: 'schedule[0].until.stmt', range: undefined } },
			{ stmt: { file: 'b.kc', line: 4, hit: 1, where: 'schedule[1].until.stmt', range: undefined }, count: 9 },
			{ stmt: { fn: 'f', hit: 3, where: 'schedule[2].until.stmt', range: undefined } },
		]);
	});

	it('reads schedules in the scheduler\'s format and gives it back to the scheduler', () => {
		assert.deepEqual(scenario('').schedule, { kind: 'round-robin', quantum: 20 });
		assert.deepEqual(scenario('"schedule": "random"').schedule, { kind: 'random', seed: 0, minQuantum: 1, maxQuantum: 20 });
		assert.deepEqual(scenario('"schedule": { "kind": "random", "minQuantum": 30 }').schedule, { kind: 'random', seed: 0, minQuantum: 30, maxQuantum: 30 });
		assert.deepEqual(scenario('"schedule": { "kind": "round-robin", "quantum": 5 }').schedule, { kind: 'round-robin', quantum: 5 });
		const explicit = scenario('"schedule": { "kind": "explicit", "steps": ["p1", { "task": "p1.2", "until": { "stmt": "x.kc:p", "count": 3 }, "cpu": 1 }], "then": { "kind": "random", "seed": 9 } }').schedule;
		assert.ok(explicit.kind === 'explicit');
		assert.deepEqual(explicit.then, { kind: 'random', seed: 9, minQuantum: 1, maxQuantum: 20 });
		const config = toPolicyConfig(explicit, marker => ({ file: marker.file, line: marker.point === 'p' ? 42 : marker.line, hit: marker.hit }));
		assert.deepEqual(config, { kind: 'explicit', steps: [{ task: 'p1' }, { task: 'p1.2', until: { stmt: { file: 'x.kc', line: 42, hit: 1 }, count: 3 }, cpu: 1 }], then: explicit.then });
		// The scheduler reads the converted configuration back unchanged.
		assert.deepEqual(parsePolicyConfig(JSON.parse(JSON.stringify(config)) as unknown), { config, errors: [] });
		assert.deepEqual(toPolicyConfig(scenario('').schedule, () => ({})), { kind: 'round-robin', quantum: 20 });
	});

	it('warns about schedule tasks that are neither processes, their threads nor harness tasks', () => {
		const result = parseScenario(`{ "name": "t", ${process1}, "harness": [{ "name": "h", "run": [{ "call": "log", "text": "" }] }], "schedule": ["p1", "p1.3", "h", "kswapd0", "p2"] }`, 't.json');
		assert.ok(result.scenario !== undefined);
		assert.deepEqual(result.diagnostics.map(d => `${d.range.col} ${d.severity}: ${d.message}`), [
			'180 warning: schedule[3]: "kswapd0" is not a process or harness task of this scenario, so it must be a kernel thread',
			'191 warning: schedule[4]: "p2" is not a process or harness task of this scenario, so it must be a kernel thread; did you mean "p1"?',
		]);
		assert.deepEqual(messages('"machine": { "cpus": 1 }, "schedule": [{ "task": "p1", "cpu": 1 }]'), ['error: schedule[0].cpu: the machine has 1 CPU (0-0)']);
	});

	it('builds harness triggers and calls', () => {
		const s = scenario(`"machine": { "spes": { "count": 1 }, "mmio": [{ "name": "bar0", "size": "4K" }] }, "harness": [
			{ "name": "a", "program": "h/a.kc" },
			{ "name": "b", "at": "x.kc:pt", "program": "h/b.kc", "argv": ["b", "1"] },
			{ "name": "c", "at": { "stmt": "f()", "task": "p1" }, "run": [{ "call": "spu_context_switch", "spe": 0, "to": "/spu/ctxB" }] },
			{ "name": "d", "at": { "step": 0 }, "run": [{ "call": "request_region", "region": "bar0" }, { "call": "signal", "task": "p1", "signal": "SIGBUS" }] },
			{ "name": "e", "at": { "event": "fault", "process": "p1", "range": { "start": 4096, "end": "0x2000" } }, "run": [{ "call": "bo_move", "bo": 2, "to": "vram" }] }]`);
		const h = s.harness;
		assert.deepEqual(h.map(t => t.at.kind), ['boot', 'statement', 'statement', 'step', 'event']);
		assert.deepEqual(h[0].body.kind === 'program' && [h[0].body.program.path, h[0].body.argv], ['/work/s/h/a.kc', ['a']]);
		assert.deepEqual(h[1].body.kind === 'program' && h[1].body.argv, ['b', '1']);
		assert.deepEqual(h[2].at.kind === 'statement' && [h[2].at.stmt.fn, h[2].at.task], ['f', 'p1']);
		assert.deepEqual(h[3].body.kind === 'inline' && h[3].body.calls.map(c => [c.call, c.args]), [['request_region', { region: 'bar0' }], ['signal', { task: 'p1', signal: 'SIGBUS' }]]);
		assert.deepEqual(h[4].at.kind === 'event' && [h[4].at.event, h[4].at.process, h[4].at.addressRange, h[4].at.nth], ['fault', 'p1', { start: 4096, end: 8192 }, 1]);
		assert.deepEqual(messages('"harness": [{ "name": "h", "run": [{ "call": "request_region", "region": "bar1" }] }]'), ['error: harness[0].run[0].region: no MMIO window named "bar1" in machine.mmio']);
		assert.deepEqual(messages('"harness": [{ "name": "h", "run": [{ "call": "spu_context_switch", "spe": 0 }] }]'), ['error: harness[0].run[0].spe: the machine has no SPEs (add machine.spes)']);
		assert.deepEqual(messages('"harness": [{ "name": "h", "at": { "event": "fault", "process": "p9", "range": { "start": 8192, "end": 4096 } }, "run": [{ "call": "log", "text": "" }] }]'), [
			'error: harness[0].at.process: no process named "p9"; did you mean "p1"?',
			'error: harness[0].at.range.end: must be above start (0x2000), got 0x1000',
		]);
		assert.deepEqual(messages('"harness": [{ "name": "h", "argv": ["x"], "run": [{ "call": "log", "text": "" }] }]'), ['error: harness[0].argv: needs \'program\' as well']);
	});

	it('builds expectations, with counts, text matchers and profile restrictions', () => {
		const s = scenario(`"kernel": { "profiles": ["linux-2.6.18", "linux-6.8"] }, "expect": [
			{ "process": "p1", "exit": 3, "stdout": "a\\n", "stderr": { "regex": "^x", "flags": "m" } },
			{ "process": "p1", "signal": "SIGSEGV", "stdout": { "contains": "b" }, "profiles": ["linux-2.6.18"] },
			{ "event": "bug", "match": "BUG_ON(!pte_none" },
			{ "event": "pte-set", "count": ">= 2", "backing": "vram", "process": "p1" },
			{ "event": "deadlock", "count": 0 },
			{ "event": "signal", "signal": "SIGBUS", "count": "!=1", "profiles": ["linux-6.8"] },
			{ "invariant": "refcounts", "holds": false, "profiles": ["linux-2.6.18"] }]`);
		const brief = s.expect.map(e => {
			const { range: _range, description: _description, ...rest } = e;
			return rest;
		});
		assert.deepEqual(brief, [
			{ kind: 'outcome', process: 'p1', exit: 3, stdout: { kind: 'exact', text: 'a\n' }, stderr: { kind: 'regex', regex: '^x', flags: 'm' } },
			{ kind: 'outcome', process: 'p1', signal: 'SIGSEGV', stdout: { kind: 'contains', text: 'b' }, profiles: ['linux-2.6.18'] },
			{ kind: 'event', event: 'bug', match: 'BUG_ON(!pte_none', count: { op: '>=', value: 1 } },
			{ kind: 'event', event: 'pte-set', process: 'p1', backing: 'vram', count: { op: '>=', value: 2 } },
			{ kind: 'event', event: 'deadlock', count: { op: '==', value: 0 } },
			{ kind: 'event', event: 'signal', signal: 'SIGBUS', count: { op: '!=', value: 1 }, profiles: ['linux-6.8'] },
			{ kind: 'invariant', invariant: 'refcounts', holds: false, profiles: ['linux-2.6.18'] },
		]);
		assert.deepEqual(expectationsFor(s, 'linux-6.8').map(e => s.expect.indexOf(e)), [0, 2, 3, 4, 5]);
		assert.deepEqual(expectationsFor(s, 'linux-2.6.18').map(e => s.expect.indexOf(e)), [0, 1, 2, 3, 4, 6]);
		assert.deepEqual(messages('"expect": [{ "event": "bug", "signal": "SIGBUS", "backing": "ram" }]'), [
			'error: expect[0].signal: only "signal" events have a signal; this expectation is for "bug" events',
			'error: expect[0].backing: only "fault", "pte-set" and "pte-zap" events have a backing; this expectation is for "bug" events',
		]);
		assert.deepEqual(messages('"expect": [{ "event": "bug", "regex": "[" }]').map(m => m.replace(/: [^:]*$/, '')), ['error: expect[0].regex: invalid regular expression: /[/']);
	});

	it('resolves the profile, with --profile overrides, and the macros for compiling', () => {
		const s = scenario('"kernel": { "profiles": ["linux-2.6.18", "linux-6.8"], "config": { "CONFIG_STRICT_DEVMEM": true, "CONFIG_MMU": false, "CONFIG_HZ": 100, "CONFIG_LOCALVERSION": "-x" } }');
		assert.equal(resolveProfile(s).profile?.name, 'linux-2.6.18');
		assert.deepEqual(resolveProfile(s, 'linux-6.8').diagnostics, []);
		const other = resolveProfile(s, 'linux-2.6.27');
		assert.equal(other.profile?.name, 'linux-2.6.27');
		assert.deepEqual(other.diagnostics.map(d => `${d.severity}: ${d.message}`), ['warning: scenario "t" is meant for linux-2.6.18, linux-6.8, not linux-2.6.27']);
		const unknown = resolveProfile(s, 'linux-9');
		assert.equal(unknown.profile, undefined);
		assert.match(unknown.diagnostics[0].message, /^unknown profile "linux-9" \(known: linux-6\.8, /);
		const profile = findProfile('linux-2.6.18');
		assert.ok(profile !== undefined);
		assert.deepEqual(kernelDefines(profile, s.kernel.config), {
			LINUX_VERSION_CODE: String((2 << 16) + (6 << 8) + 18), CONFIG_STRICT_DEVMEM: '1', CONFIG_HZ: '100', CONFIG_LOCALVERSION: '"-x"',
		});
	});
});

describe('sim/scenario: file references and points', () => {
	/** In-memory files; `shipped` lists the shipped tree. */
	function files(map: Record<string, string>, shipped: readonly string[] = []): ScenarioFiles {
		return {
			read: path => map[path],
			shipped: suffix => shipped.filter(p => p === suffix || p.endsWith(`/${suffix}`)),
		};
	}

	it('finds // @point: comments and the line each stands for', () => {
		const text = 'int main(void)\n{\n\t// @point: start\n\n\t/* note */\n\tx = 1;\n\ty = 2; // @point: trailing\n#if 1\n\t/* @point: block */\n#endif\n\tz = 3;\n\t// @point: end\n}\n// @point: nothing-after\n';
		assert.deepEqual(findPoints(text), [
			{ name: 'start', commentLine: 3, line: 6 },
			{ name: 'trailing', commentLine: 7, line: 7 },
			{ name: 'block', commentLine: 9, line: 11 },
			{ name: 'end', commentLine: 12, line: 13 },
			{ name: 'nothing-after', commentLine: 14 },
		]);
	});

	it('checks programs exist and markers find their file, line and point', () => {
		const s = scenario(`"drivers": [{ "source": "drv.kc" }], "harness": [{ "name": "h", "program": "h.kc", "at": "drv.kc:hook" }],
			"schedule": [{ "task": "p1", "until": { "stmt": "p1.kc:go" } }, { "task": "p1", "until": { "stmt": "memory.c:3" } }, { "task": "p1", "until": { "stmt": "f()" } },
			{ "task": "p1", "until": { "stmt": "notes.kc:late" } }, { "task": "p1", "until": { "stmt": "memory.c:fault-start" } }]`);
		const good = files({
			'/work/s/programs/p1.kc': 'int main(void)\n{\n\t// @point: go\n\treturn 0;\n}\n',
			'/work/s/drv.kc': '// @point: hook\nint x;\n',
			'/work/s/h.kc': 'int main(void) { return 0; }\n',
			'/work/s/notes.kc': 'int a;\n// @point: late\nint b;\n',
			'/kc/kernel/mm/memory.c': 'a\nb\nc\n// @point: fault-start\nd\n',
		}, ['/kc/kernel/mm/memory.c']);
		assert.deepEqual(checkReferences(s, good), []);
		const bad = files({
			'/work/s/programs/p1.kc': '// @point: go\n// @point: go\nint x;\n',
			'/work/s/drv.kc': 'int x;\n',
			'/kc/kernel/mm/memory.c': 'a\nb\n',
		}, ['/kc/kernel/mm/memory.c']);
		assert.deepEqual(checkReferences(s, bad).map(d => `${d.range.line}:${d.range.col}: ${d.message}`), [
			'1:153: harness[0].program: no such file "h.kc"',
			'2:52: schedule[0].until.stmt: point "go" is defined 2 times (/work/s/programs/p1.kc:1, /work/s/programs/p1.kc:2)',
			'2:103: schedule[1].until.stmt: line 3 is past the end of memory.c (2 lines)',
			'3:39: schedule[3].until.stmt: no file "notes.kc" among the scenario\'s programs and drivers, next to the scenario, or in the shipped kernel sources',
			'3:95: schedule[4].until.stmt: no "// @point: fault-start" comment in memory.c',
			'1:167: harness[0].at: no "// @point: hook" comment in drv.kc',
		]);
	});
});

describe('sim/scenario: paths', () => {
	it('resolves references against the scenario folder, POSIX and Windows', () => {
		assert.equal(folderOf('/a/b/s.json'), '/a/b');
		assert.equal(folderOf('/s.json'), '/');
		assert.equal(folderOf('s.json'), '.');
		assert.equal(folderOf('C:\\s.json'), 'C:\\');
		assert.equal(baseName('a/b\\c.kc'), 'c.kc');
		assert.equal(resolvePath('/a/b', 'programs/../x/./y.kc'), '/a/b/x/y.kc');
		assert.equal(resolvePath('/a/b', '../../../y.kc'), '/y.kc');
		assert.equal(resolvePath('/a/b', '/abs/y.kc'), '/abs/y.kc');
		assert.equal(resolvePath('.', 'y.kc'), 'y.kc');
		assert.equal(resolvePath('.', '../y.kc'), '../y.kc');
		assert.equal(resolvePath('C:\\w\\s', 'p\\q.kc'), 'C:\\w\\s\\p\\q.kc');
		assert.equal(resolvePath('C:\\w\\s', 'D:/x.kc'), 'D:\\x.kc');
		assert.equal(resolvePath('rel/dir', '../x.kc'), 'rel/x.kc');
	});
});

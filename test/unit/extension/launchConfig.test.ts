// Unit tests of what F5 launches (src/extension/launchConfig.ts, vscode-free): a KC program or a
// scenario from the open file, the completion of partial launch.json entries, and clear errors.

import assert from 'node:assert/strict';
import { configurationForFile, isResolveError, resolveConfiguration } from '../../../src/extension/launchConfig';

const scenarioText = '{ "$schema": "../../../schema/scenario.schema.json", "machine": {}, "processes": [] }';

describe('extension launch configurations', () => {
	it('F5 on a .kc or .c file launches it as a program, stopping on entry', () => {
		const config = configurationForFile('/w/hello.kc', 'int main(void) { return 0; }');
		assert.deepEqual(config, { type: 'faultline', request: 'launch', name: 'Faultline: hello.kc', program: '/w/hello.kc', stopOnEntry: true });
		assert.equal(configurationForFile('/w/x.c', '')?.program, '/w/x.c');
	});

	it('F5 on a scenario launches the scenario; other JSON and other files give nothing', () => {
		assert.equal(configurationForFile('/w/s.json', scenarioText)?.scenario, '/w/s.json');
		assert.equal(configurationForFile('/w/package.json', '{ "name": "x" }'), undefined);
		assert.equal(configurationForFile('/w/readme.md', '# x'), undefined);
	});

	it('an empty configuration (no launch.json) takes the active file, or explains what to open', () => {
		const resolved = resolveConfiguration({}, { fileName: '/w/a.kc', text: '' });
		assert.ok(!isResolveError(resolved));
		assert.equal(resolved.program, '/w/a.kc');
		const none = resolveConfiguration({});
		assert.ok(isResolveError(none));
		assert.match(none.error, /open a KC program/);
	});

	it('a launch.json entry without program or scenario keeps its own settings and takes the file', () => {
		const resolved = resolveConfiguration({ type: 'faultline', request: 'launch', name: 'mine', profile: 'linux-2.6.18', seed: 3 }, { fileName: '/w/s.json', text: scenarioText });
		assert.ok(!isResolveError(resolved));
		assert.equal(resolved.scenario, '/w/s.json');
		assert.equal(resolved.profile, 'linux-2.6.18');
		assert.equal(resolved.seed, 3);
		assert.equal(resolved.name, 'mine');
	});

	it('program and scenario together are refused; a complete entry passes through', () => {
		assert.ok(isResolveError(resolveConfiguration({ type: 'faultline', request: 'launch', name: 'x', program: 'a.kc', scenario: 's.json' })));
		const resolved = resolveConfiguration({ type: 'faultline', request: 'launch', name: 'x', program: 'a.kc', stopOnEntry: false });
		assert.ok(!isResolveError(resolved));
		assert.equal(resolved.stopOnEntry, false);
	});
});

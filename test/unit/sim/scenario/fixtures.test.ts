// Scenario fixtures (layer: sim): test/fixtures/scenarios/valid/*.json load with every file
// reference checked and no diagnostic; schema-only/*.json (the twelve shapes of kernel-semantics
// section 8, whose KC programs do not exist yet) parse and check without error; each
// broken/*.json gives, as its first diagnostic, exactly the line of its `.expected` companion.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../../../src/lang/source';
import { loadScenario } from '../../../../src/sim/scenario/load';
import { parseScenario } from '../../../../src/sim/scenario/parse';
import { statementMarkers } from '../../../../src/sim/scenario/references';

const root = path.resolve(__dirname, '../../../fixtures/scenarios');

function jsonFiles(folder: string): string[] {
	return fs.readdirSync(path.join(root, folder)).filter(f => f.endsWith('.json')).sort().map(f => path.join(root, folder, f));
}

function show(diagnostics: readonly Diagnostic[]): string {
	return diagnostics.map(formatDiagnostic).join('\n');
}

describe('sim/scenario: fixtures', () => {
	describe('valid (files checked)', () => {
		const files = jsonFiles('valid');
		it('has the minimal and the full scenario', () => {
			assert.deepEqual(files.map(f => path.basename(f)), ['full.json', 'minimal.json']);
		});
		for (const file of files) {
			it(`${path.basename(file)} loads without diagnostics`, () => {
				const result = loadScenario(file);
				assert.equal(show(result.diagnostics), '');
				assert.ok(result.scenario !== undefined);
				assert.equal(result.profile?.name, result.scenario.kernel.profile);
			});
		}
	});

	describe('schema-only (the twelve reference scenarios; programs not checked)', () => {
		const files = jsonFiles('schema-only');
		it('has one fixture per scenario of kernel-semantics section 8', () => {
			assert.deepEqual(files.map(f => path.basename(f).slice(0, 3)), Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}-`));
		});
		for (const file of files) {
			it(`${path.basename(file)} parses and checks without diagnostics`, () => {
				const result = parseScenario(fs.readFileSync(file, 'utf8'), file);
				assert.equal(show(result.diagnostics), '');
				const scenario = result.scenario;
				assert.ok(scenario !== undefined);
				assert.ok(scenario.description.startsWith(`Reference section 8, scenario ${Number(path.basename(file).slice(0, 2))}:`));
				assert.ok(scenario.expect.length > 0, 'every reference scenario states its outcome');
			});
		}
		it('load with checkFiles off accepts them too, and with it on reports the missing programs', () => {
			const file = files[0];
			assert.equal(show(loadScenario(file, { checkFiles: false }).diagnostics), '');
			const checked = loadScenario(file);
			assert.equal(checked.scenario, undefined);
			assert.match(checked.diagnostics[0].message, /^processes\[0\]\.program: no such file "programs\/spu_target\.kc"$/);
		});
		it('state era-specific outcomes (scenario 1: ctxB on 2.6.18, EIO on 2.6.21, ctxA from 2.6.27)', () => {
			const file = files[0];
			const scenario = parseScenario(fs.readFileSync(file, 'utf8'), file).scenario;
			const stdout = (profile: string) => scenario?.expect.filter(e => e.kind === 'outcome' && e.stdout !== undefined && (e.profiles ?? []).includes(profile));
			assert.match(JSON.stringify(stdout('linux-2.6.18')), /0xbbbbbbbb/);
			assert.match(JSON.stringify(stdout('linux-2.6.21')), /Input\/output error/);
			assert.match(JSON.stringify(stdout('linux-6.8')), /0xaaaaaaaa/);
			assert.equal(scenario?.harness[0].at.kind, 'statement');
			assert.deepEqual(statementMarkers(scenario as NonNullable<typeof scenario>).map(m => m.point), ['touched', 'waiting', 'after-gup']);
		});
	});

	describe('broken (first diagnostic as expected)', () => {
		const files = jsonFiles('broken');
		it('has at least 15 broken fixtures, each with its .expected', () => {
			assert.ok(files.length >= 15, `only ${files.length}`);
			for (const file of files) {
				assert.ok(fs.existsSync(file.replace(/\.json$/, '.expected')), `${path.basename(file)} has no .expected`);
			}
		});
		for (const file of files) {
			it(path.basename(file, '.json'), () => {
				const expected = fs.readFileSync(file.replace(/\.json$/, '.expected'), 'utf8').trimEnd();
				const result = loadScenario(file);
				assert.equal(result.scenario, undefined);
				const first = result.diagnostics[0];
				assert.ok(first !== undefined, 'no diagnostic');
				assert.equal(`${first.range.line}:${first.range.col}: ${first.severity}: ${first.message}`, expected);
				assert.equal(first.range.file, file);
			});
		}
	});
});

// CodeSpace: function lookup by address and by name across programs, overlap checks, exec-style
// replacement; and the linker's layouts (kernel, modules) and imports.

import * as assert from 'node:assert/strict';
import { FlatLayout, KernelLayout } from '../../../src/interp/contracts';
import { CodeSpace } from '../../../src/interp/codeSpace';
import { linkProgram, moduleLayout } from '../../../src/interp/linker';
import { formatDiagnostic } from '../../../src/lang/source';
import type { Program } from '../../../src/interp/program';
import { compileAll } from './harness';

function program(source: string, layout = FlatLayout as { textBase: number; dataBase: number }, name = 'p', imports: Program[] = []): Program {
	const r = linkProgram(compileAll({ [`${name}.c`]: source }), new Map(), layout, { name, imports });
	if (!r.program) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
	return r.program;
}

describe('CodeSpace', () => {
	const user = program('int helper(void) { return 1; }\nint main(void) { return helper(); }', FlatLayout, 'user');
	const other = program('int main(void) { return 2; }', FlatLayout, 'other');
	const kernel = program('int helper(void) { return 3; }\nint kmain(void) { return 4; }', KernelLayout, 'kernel');

	it('finds functions by address in every program, and nothing between them', () => {
		const space = new CodeSpace([user, kernel]);
		assert.equal(space.functionAt(user.functionByName('main')!.address)?.program, user);
		assert.equal(space.functionAt(kernel.functionByName('kmain')!.address)?.name, 'kmain');
		assert.equal(space.functionAt(kernel.textBase + 8), undefined);
		assert.equal(space.functionAt(kernel.textEnd), undefined);
		assert.equal(space.functionAt(0x7000), undefined);
		assert.equal(space.programAt(kernel.textBase), kernel);
		assert.equal(space.hasKernel, true);
		assert.equal(CodeSpace.of(user).hasKernel, false);
		assert.deepEqual(space.programsAt('kernel'), [kernel]);
	});

	it('looks names up in the preferred program first, then in order', () => {
		const space = new CodeSpace([user, kernel]);
		assert.equal(space.functionByName('helper')?.program, user);
		assert.equal(space.functionByName('helper', kernel)?.program, kernel);
		assert.equal(space.functionByName('kmain', user)?.program, kernel);
		assert.equal(space.functionByName('nothing'), undefined);
	});

	it('refuses programs whose text overlaps, and replaces a program as exec does', () => {
		assert.throws(() => new CodeSpace([user, other]), RangeError);
		assert.throws(() => new CodeSpace([]), RangeError);
		const space = new CodeSpace([user, kernel]);
		const execd = space.replacing(user, other);
		assert.deepEqual(execd.programs, [other, kernel]);
		assert.equal(execd.functionAt(other.textBase + 16 * other.functionByName('main')!.index)?.program, other);
	});

	it('module layouts sit in the module area; imports must share the privilege', () => {
		assert.equal(moduleLayout(2).textBase, KernelLayout.modulesBase + 2 * KernelLayout.moduleSpan);
		assert.throws(() => moduleLayout(-1), RangeError);
		assert.throws(() => moduleLayout(1000), RangeError);
		assert.throws(() => program('int x;', FlatLayout, 'u2', [kernel]), RangeError);
		const module = program('int helper(void);\nint mod(void) { return helper() + 10; }', moduleLayout(0), 'mod', [kernel]);
		// The module's call goes directly to the kernel's function.
		assert.equal(module.functionByName('helper'), undefined);
		assert.equal(module.privilege, 'kernel');
		const r = linkProgram(compileAll({ 'm.c': 'int missing(void);\nint f(void) { return missing(); }' }), new Map(), moduleLayout(1), { imports: [kernel] });
		assert.deepEqual(r.diagnostics.map(formatDiagnostic), ["m.c:2:22: error: undefined reference to 'missing'"]);
	});
});

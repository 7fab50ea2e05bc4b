// Tests of the language server on kernel units (layer: test): the kernel include path and the
// profile's defines, kernel API documentation from the shipped headers, go to definition into the
// shipped kernel sources, and that the server's analysis is exactly the interpreter's front end
// (same diagnostics as compileUnit) with the same profiles as the simulator.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { compileUnit } from '../../../src/lang/frontEnd';
import { memorySources } from '../../../src/lang/preprocessor';
import { analyze } from '../../../src/languageServer/analysis';
import { complete } from '../../../src/languageServer/completion';
import { renderMarkdown } from '../../../src/languageServer/describe';
import { documentDiagnostics } from '../../../src/languageServer/diagnostics';
import { FileStore, unitConfig } from '../../../src/languageServer/files';
import { describeTarget, targetAt, targetLocations } from '../../../src/languageServer/lookup';
import { editorProfiles } from '../../../src/languageServer/profiles';
import { signatureHelp } from '../../../src/languageServer/signatureHelp';
import { profiles } from '../../../src/sim/profiles';
import { at, kcRoot, kernelDir, newProject, openUnit, userDir } from './helpers';

const driver = `#include <linux/mm.h>

static vm_fault_t my_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	if (vma->vm_flags & VM_PFNMAP)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vma, vmf->address, 42);
}
`;
const driverFile = path.join(kernelDir, 'drv.c');

describe('languageServer: kernel units', () => {
	it('compile kernel and driver files with the kernel include path and the default profile', () => {
		const project = newProject();
		const unit = openUnit(project, driverFile, driver);
		assert.equal(unit.config.kind, 'kernel');
		assert.equal(unit.config.defines.LINUX_VERSION_CODE, String((6 << 16) + (8 << 8)));
		assert.deepEqual(documentDiagnostics(project, unit), []);
		assert.equal(unitConfig(path.join(userDir, 'x.c'), { kcRoot, kernelDirs: [] }, editorProfiles[0]).kind, 'user');
		assert.equal(unitConfig(path.join(userDir, 'x.c'), { kcRoot, kernelDirs: [userDir] }, editorProfiles[0]).kind, 'kernel');
		assert.deepEqual(unitConfig(path.join(kcRoot, 'lib', 'stdio.c'), { kcRoot, kernelDirs: [] }, editorProfiles[0]).defines, { __FAULTLINE_LIBC__: '1' });
	});

	it('follow the profile: vm_fault_t does not exist on 2.6.18', () => {
		const project = newProject('linux-2.6.18');
		const unit = openUnit(project, driverFile, driver);
		const messages = documentDiagnostics(project, unit).map(d => d.message);
		assert.ok(messages.includes("unknown type name 'vm_fault_t'"), messages.join('\n'));
		project.configure({ profile: 'linux-6.8' });
		assert.deepEqual(documentDiagnostics(project, project.unit(driverFile)!), []);
	});

	it('document the kernel API from the headers\' comments', () => {
		const project = newProject();
		const unit = openUnit(project, driverFile, driver);
		const hover = (needle: string, offset: number) => {
			const { line, col } = at(driver, needle, offset);
			return renderMarkdown(describeTarget(project, unit, targetAt(project, unit, line, col)!)!);
		};
		const insert = hover('vmf_insert_pfn', 1);
		assert.match(insert, /^```c\nvm_fault_t vmf_insert_pfn\(struct vm_area_struct \*vma, unsigned long addr, unsigned long pfn\)\n```/);
		assert.match(insert, /VM_FAULT_NOPAGE/);
		assert.match(insert, /defined in kc\/kernel\/mm\/memory\.c:\d+/);
		assert.match(hover('VM_PFNMAP', 1), /#define VM_PFNMAP 0x00000400UL[\s\S]*raw PFNs, no struct page behind them/);
		assert.match(hover('vm_flags', 1), /unsigned long vm_flags[\s\S]*in `struct vm_area_struct`/);
		assert.match(hover('vm_fault_t', 1), /typedef unsigned int vm_fault_t/);
	});

	it('go to definition into the shipped kernel sources and headers', () => {
		const project = newProject();
		const unit = openUnit(project, driverFile, driver);
		const where = (needle: string, offset: number) => {
			const { line, col } = at(driver, needle, offset);
			return targetLocations(project, unit, targetAt(project, unit, line, col)!).map(r => `${path.relative(kcRoot, r.file)}:${r.line}`);
		};
		const memory = fs.readFileSync(path.join(kcRoot, 'kernel', 'mm', 'memory.c'), 'utf8');
		assert.deepEqual(where('vmf_insert_pfn', 1), [`kernel/mm/memory.c:${at(memory, 'vm_fault_t vmf_insert_pfn(').line}`]);
		const mmTypes = fs.readFileSync(path.join(kcRoot, 'kernel', 'include', 'linux', 'mm_types.h'), 'utf8');
		assert.deepEqual(where('vma->vm_flags', 6), [`kernel/include/linux/mm_types.h:${at(mmTypes, 'unsigned long vm_flags;').line}`]);
		assert.deepEqual(where('<linux/mm.h>', 1), ['kernel/include/linux/mm.h:1']);
	});

	it('complete struct members and show signatures of the kernel API', () => {
		const project = newProject();
		const unit = openUnit(project, driverFile, driver);
		const member = at(driver, 'vmf->address', 5);
		const labels = complete(project, unit, member.line, member.col).items.map(i => i.label);
		assert.ok(labels.includes('vma') && labels.includes('address') && labels.includes('pgoff'), labels.join(' '));
		const call = at(driver, 'vma, vmf->address', 5);
		const help = signatureHelp(project, unit, call.line, call.col);
		assert.equal(help?.signatures[0].label, 'vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)');
		assert.equal(help?.activeParameter, 1);
	});

	it('use the simulator\'s profiles', () => {
		assert.deepEqual(editorProfiles.map(p => [p.name, p.defines]), profiles.map(p => [p.name, p.defines]));
	});
});

describe('languageServer: analysis is the interpreter\'s front end', () => {
	const files = new FileStore();

	it('gives compileUnit\'s diagnostics on shipped sources', () => {
		for (const relative of ['kernel/mm/memory.c', 'kernel/fs/namespace.c', 'lib/stdio.c', 'examples/hello.kc']) {
			const file = path.join(kcRoot, relative);
			const config = unitConfig(file, { kcRoot, kernelDirs: [] }, editorProfiles[0]);
			const sources = files.sources(config);
			const mine = analyze(file, sources, config.defines);
			const theirs = compileUnit(file, sources, { defines: { ...config.defines } });
			assert.deepEqual(mine.diagnostics, theirs.diagnostics, relative);
			assert.ok(mine.includedFiles.length > 0 || relative.endsWith('.kc'));
		}
	});

	it('gives compileUnit\'s diagnostics on broken programs', () => {
		const pieces = ['int', 'x', '=', ';', '{', '}', '(', ')', 'struct s', '*', 'return', '#define M(a) a', 'M(', '"', '1.5e', 'typedef int t;', 't y;', 'goto l;', 'l:', '\n', ' '];
		fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), parts => {
			const text = `int f(int a) {\n${parts.join(' ')}\n}\n${parts.join('')}`;
			const sources = memorySources({ 'm.c': text });
			assert.deepEqual(analyze('m.c', sources, {}).diagnostics, compileUnit('m.c', sources).diagnostics);
		}), { numRuns: 60 });
	});
});

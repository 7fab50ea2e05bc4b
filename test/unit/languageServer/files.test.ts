// Tests of the language server's file access (layer: test): open documents over the disk, the
// re-validated disk cache, include search per unit kind, URIs, the KC root and the entry's options.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStore, fileToUri, findKcRoot, uriToFile } from '../../../src/languageServer/files';
import { parseServerArguments } from '../../../src/languageServer/main';
import { kcRoot, repoRoot } from './helpers';

describe('languageServer: files', () => {
	let dir: string;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-ls-'));
		fs.mkdirSync(path.join(dir, 'sys'));
		fs.writeFileSync(path.join(dir, 'sys', 'a.h'), 'int a;\n');
		fs.writeFileSync(path.join(dir, 'local.h'), 'int local;\n');
		fs.writeFileSync(path.join(dir, 'main.c'), '#include "local.h"\n');
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('reads open documents before the disk, and sees disk edits in a new pass', () => {
		const store = new FileStore();
		const file = path.join(dir, 'local.h');
		assert.equal(store.read(file), 'int local;\n');
		store.setDocument(file, 'int edited;\n');
		assert.equal(store.read(file), 'int edited;\n');
		store.setDocument(file, undefined);
		fs.writeFileSync(file, 'int changed_on_disk_longer;\n');
		assert.equal(store.read(file), 'int local;\n', 'cached within a pass');
		store.beginPass();
		assert.equal(store.read(file), 'int changed_on_disk_longer;\n');
		assert.equal(store.read(path.join(dir, 'missing.h')), undefined);
		assert.equal(store.read('untitled:Untitled-1'), undefined);
		store.setDocument('untitled:Untitled-1', 'int u;');
		assert.equal(store.read('untitled:Untitled-1'), 'int u;');
	});

	it('searches quoted includes next to the includer, angle includes in the system folders only', () => {
		const sources = new FileStore().sources({ kind: 'user', systemDirs: [path.join(dir, 'sys')], defines: {} });
		const main = path.join(dir, 'main.c');
		assert.equal(sources.resolveInclude('local.h', main, true), path.join(dir, 'local.h'));
		assert.equal(sources.resolveInclude('local.h', main, false), undefined);
		assert.equal(sources.resolveInclude('a.h', main, true), path.join(dir, 'sys', 'a.h'));
		assert.equal(sources.resolveInclude('a.h', 'untitled:x', true), path.join(dir, 'sys', 'a.h'));
	});

	it('maps URIs to paths and back, and finds the KC root', () => {
		const file = path.join(dir, 'with space#1.c');
		assert.equal(uriToFile(fileToUri(file)), file);
		assert.equal(uriToFile('untitled:Untitled-1'), 'untitled:Untitled-1');
		assert.equal(fileToUri('untitled:Untitled-1'), 'untitled:Untitled-1');
		assert.equal(findKcRoot(path.join(repoRoot, 'src', 'languageServer')), kcRoot);
		assert.equal(findKcRoot(path.join(repoRoot, 'dist')), kcRoot);
		assert.equal(findKcRoot(dir), undefined);
	});

	it('reads the entry point\'s options', () => {
		assert.deepEqual(parseServerArguments(['--stdio', '--kc-root', '/x/kc', '--profile=linux-2.6.18', '--clientProcessId=7']), { kcRoot: '/x/kc', profile: 'linux-2.6.18' });
		assert.deepEqual(parseServerArguments(['--stdio']), {});
	});
});

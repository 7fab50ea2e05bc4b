// LSP tier: the built KC language server over stdio with a real client (vscode-jsonrpc through
// vscode-languageserver-protocol's node connection). Lifecycle, diagnostics with incremental sync
// and debouncing, and every feature on the shipped kernel source kc/kernel/mm/memory.c.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeConfigurationNotification, type MarkupContent } from 'vscode-languageserver-protocol';
import { kcRoot, LspClient, positionOf, repoRoot, uriOf } from './client';

const memoryFile = path.join(kcRoot, 'kernel', 'mm', 'memory.c');
const memoryText = fs.readFileSync(memoryFile, 'utf8');
const memoryUri = uriOf(memoryFile);

interface Status {
	readonly kcRoot: string;
	readonly profile: string;
	readonly analyses: number;
	readonly openDocuments: number;
}

function markdown(value: unknown): string {
	return (value as MarkupContent).value;
}

describe('lsp: lifecycle', function () {
	this.timeout(30000);

	it('initializes with its capabilities and exits 0 after shutdown', async () => {
		const client = await LspClient.start();
		const status = await client.request<Status>('faultline/status');
		assert.equal(status.kcRoot, kcRoot);
		assert.equal(status.profile, 'linux-6.8');
		assert.equal(await client.stop(), 0);
	});

	it('runs as `faultline lsp --stdio` too', async () => {
		const client = await LspClient.start({ command: [path.join(repoRoot, 'bin', 'faultline'), 'lsp', '--stdio'] });
		const uri = uriOf(path.join(repoRoot, 'test', 'lsp', 'virtual', 'cli.c'));
		await client.open(uri, 'int main(void) { return missing; }\n');
		const published = await client.waitForDiagnostics(uri);
		assert.equal(published.diagnostics[0]?.message, "'missing' undeclared (first use in this function)");
		assert.equal(await client.stop(), 0);
	});

	it('takes the kernel profile from initializationOptions', async () => {
		const client = await LspClient.start({ initializationOptions: { profile: 'linux-2.6.18' } });
		assert.equal((await client.request<Status>('faultline/status')).profile, 'linux-2.6.18');
		const uri = uriOf(path.join(kcRoot, 'kernel', 'drivers', 'virtual-lsp', 'era.c'));
		await client.open(uri, '#include <linux/mm.h>\nvm_fault_t f(void);\n');
		const published = await client.waitForDiagnostics(uri);
		assert.ok(published.diagnostics.length > 0);
		assert.deepEqual(new Set(published.diagnostics.map(d => d.message)), new Set(["unknown type name 'vm_fault_t'"]));
		// Switching the profile in the settings checks open documents again.
		await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { faultline: { kernelProfile: 'linux-6.8' } } });
		const count = (client.diagnostics.get(uri) ?? []).length;
		const modern = await client.waitForDiagnostics(uri, p => (client.diagnostics.get(uri) ?? []).indexOf(p) >= count);
		assert.deepEqual(modern.diagnostics, []);
		assert.equal((await client.request<Status>('faultline/status')).profile, 'linux-6.8');
		assert.deepEqual(client.errors(), []);
		await client.stop();
	});

	it('serves untitled documents as user programs', async () => {
		const client = await LspClient.start();
		const uri = 'untitled:Untitled-1';
		const text = '#include <stdio.h>\nint main(void) { printf("hi\\n"); return nope; }\n';
		await client.open(uri, text);
		const published = await client.waitForDiagnostics(uri);
		assert.deepEqual(published.diagnostics.map(d => d.message), ["'nope' undeclared (first use in this function)"]);
		const [printf] = await client.definition(uri, positionOf(text, 'printf', 1));
		assert.equal(printf.uri, uriOf(path.join(kcRoot, 'lib', 'stdio.c')));
		assert.deepEqual(client.errors(), []);
		await client.stop();
	});
});

describe('lsp: diagnostics', function () {
	this.timeout(60000);
	let client: LspClient;

	before(async () => {
		client = await LspClient.start();
	});
	after(async () => {
		assert.deepEqual(client.errors(), []);
		await client.stop();
	});

	it('publishes exact ranges, follows incremental edits, and clears on close', async () => {
		const uri = uriOf(path.join(repoRoot, 'test', 'lsp', 'virtual', 'edit.c'));
		const text = '#include <stdio.h>\nint main(void)\n{\n\tint count = 0;\n\treturn count;\n}\n';
		await client.open(uri, text, 1);
		assert.deepEqual((await client.waitForDiagnostics(uri, p => p.version === 1)).diagnostics, []);
		// Delete the `u` of the use only: `return cont;` is now undeclared, at line 5 columns 9..13.
		await client.change(uri, 2, [{ range: { start: { line: 4, character: 10 }, end: { line: 4, character: 11 } }, text: '' }]);
		const broken = await client.waitForDiagnostics(uri, p => p.version === 2);
		assert.equal(broken.diagnostics.length, 1);
		assert.equal(broken.diagnostics[0].message, "'cont' undeclared (first use in this function)");
		assert.deepEqual(broken.diagnostics[0].range, { start: { line: 4, character: 8 }, end: { line: 4, character: 12 } });
		await client.change(uri, 3, [{ range: { start: { line: 4, character: 10 }, end: { line: 4, character: 10 } }, text: 'u' }]);
		assert.deepEqual((await client.waitForDiagnostics(uri, p => p.version === 3)).diagnostics, []);
		await client.close(uri);
		await client.waitForDiagnostics(uri, p => p.version === undefined && p.diagnostics.length === 0);
	});

	it('re-checks an open document when a header it includes changes in the editor', async () => {
		const dir = path.join(repoRoot, 'test', 'lsp', 'virtual');
		const headerUri = uriOf(path.join(dir, 'shared.h'));
		const mainUri = uriOf(path.join(dir, 'user.c'));
		await client.open(headerUri, 'int shared_value(void);\n', 1);
		await client.open(mainUri, '#include "shared.h"\nint main(void) { return shared_value(); }\n', 1);
		assert.deepEqual((await client.waitForDiagnostics(mainUri, p => p.version === 1)).diagnostics, []);
		const before = (client.diagnostics.get(mainUri) ?? []).length;
		await client.change(headerUri, 2, [{ text: 'int shared_value(void) = ;\n' }]);
		const after = await client.waitForDiagnostics(mainUri, p => (client.diagnostics.get(mainUri) ?? []).indexOf(p) >= before);
		assert.equal(after.diagnostics.length, 1);
		assert.match(after.diagnostics[0].message as string, /^In included file .*shared\.h:1:\d+: /);
		assert.equal(after.diagnostics[0].range.start.line, 0);
	});

	it('debounces a burst of edits on a large file into few analyses', async () => {
		const uri = uriOf(path.join(kcRoot, 'kernel', 'mm', 'virtual-burst.c'));
		await client.open(uri, memoryText, 1);
		await client.waitForDiagnostics(uri, p => p.version === 1);
		const start = await client.request<Status>('faultline/status');
		// Type "xyz;" at the end of the file one character at a time, then delete it again.
		const lines = memoryText.split('\n');
		const end = { line: lines.length - 1, character: 0 };
		let version = 1;
		const typed = 'int burst_value = 40 + 2;';
		for (let i = 0; i < typed.length; i++) {
			await client.change(uri, ++version, [{ range: { start: { line: end.line, character: i }, end: { line: end.line, character: i } }, text: typed[i] }]);
		}
		const last = version;
		const published = await client.waitForDiagnostics(uri, p => p.version === last);
		assert.deepEqual(published.diagnostics, []);
		const status = await client.request<Status>('faultline/status');
		assert.ok(status.analyses - start.analyses <= 3, `${status.analyses - start.analyses} analyses for ${typed.length} edits`);
		// The incremental edits built the right text: hovering the new global shows its type.
		const hover = await client.hover(uri, { line: end.line, character: 6 });
		assert.match(markdown(hover?.contents), /int burst_value/);
		await client.close(uri);
	});
});

describe('lsp: features on kc/kernel/mm/memory.c', function () {
	this.timeout(60000);
	let client: LspClient;

	before(async () => {
		client = await LspClient.start();
		await client.open(memoryUri, memoryText);
		assert.deepEqual((await client.waitForDiagnostics(memoryUri)).diagnostics, []);
	});
	after(async () => {
		assert.deepEqual(client.errors(), []);
		await client.stop();
	});

	it('hovers kernel API with its documentation and members with offsets', async () => {
		const call = await client.hover(memoryUri, positionOf(memoryText, 'return vmf_insert_pfn_prot(', 8));
		assert.match(markdown(call?.contents), /vm_fault_t vmf_insert_pfn_prot\(struct vm_area_struct \*vma, unsigned long addr, unsigned long pfn, pgprot_t pgprot\)/);
		const member = await client.hover(memoryUri, positionOf(memoryText, 'vma->vm_page_prot', 6));
		assert.match(markdown(member?.contents), /pgprot_t vm_page_prot|vm_page_prot[\s\S]*offset \d+ \(0x[0-9a-f]+\), size 8 in `struct vm_area_struct`/);
		assert.ok(member?.range !== undefined && member.range.start.line === positionOf(memoryText, 'vma->vm_page_prot').line);
	});

	it('completes members, names in scope and headers', async () => {
		const arrow = positionOf(memoryText, 'vma->vm_page_prot', 5);
		const members = (await client.completion(memoryUri, arrow, '>')).map(i => i.label);
		for (const name of ['vm_start', 'vm_end', 'vm_flags', 'vm_page_prot', 'vm_ops', 'vm_mm']) assert.ok(members.includes(name), name);
		const names = (await client.completion(memoryUri, positionOf(memoryText, 'return vmf_insert_pfn_prot(', 7))).map(i => i.label);
		for (const name of ['vma', 'addr', 'pfn', 'vmf_insert_pfn_prot', 'remap_pfn_range', 'VM_PFNMAP', 'PAGE_SHIFT', 'spin_lock']) assert.ok(names.includes(name), name);
		const notIncluded = (await client.completion(memoryUri, positionOf(memoryText, 'vma->vm_page_prot', 5), '.'));
		assert.ok(notIncluded.length > 0);
		const headers = (await client.completion(memoryUri, positionOf(memoryText, '#include <linux/', 16), '/')).map(i => i.label);
		assert.ok(headers.includes('mm.h') && headers.includes('mm_types.h'), headers.join(' '));
		const item = (await client.completion(memoryUri, positionOf(memoryText, 'return vmf_insert_pfn_prot(', 7))).find(i => i.label === 'remap_pfn_range')!;
		const resolved = await client.resolve(item);
		assert.match(JSON.stringify(resolved.documentation), /Drivers: map device memory/);
	});

	it('goes to definitions in the kernel tree', async () => {
		const [macro] = await client.definition(memoryUri, positionOf(memoryText, '(VM_PFNMAP | VM_MIXEDMAP)', 2));
		assert.equal(macro.uri, uriOf(path.join(kcRoot, 'kernel', 'include', 'linux', 'mm.h')));
		const [local] = await client.definition(memoryUri, positionOf(memoryText, 'return vmf_insert_pfn_prot(', 8));
		assert.equal(local.uri, memoryUri);
		assert.equal(local.range.start.line, positionOf(memoryText, 'vm_fault_t vmf_insert_pfn_prot(').line);
		const [structTag] = await client.definition(memoryUri, positionOf(memoryText, 'struct vm_area_struct *vma', 8, 2));
		assert.equal(structTag.uri, uriOf(path.join(kcRoot, 'kernel', 'include', 'linux', 'mm_types.h')));
	});

	it('outlines the file and helps with signatures', async () => {
		const symbols = await client.symbols(memoryUri);
		const names = symbols.map(s => s.name);
		for (const name of ['vmf_insert_pfn', 'remap_pfn_range', 'handle_mm_fault', 'mem_map']) assert.ok(names.includes(name), name);
		const help = await client.signatureHelp(memoryUri, positionOf(memoryText, 'return vmf_insert_pfn_prot(vma, ', 32));
		assert.equal(help?.activeParameter, 1);
		assert.match(help?.signatures[0].label ?? '', /^vm_fault_t vmf_insert_pfn_prot\(/);
	});
});

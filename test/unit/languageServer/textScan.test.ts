// Tests of the language server's text scans (layer: test): completion contexts, call contexts and
// postfix chains on incomplete code, words and include lines; doc comments; the definition scan.

import * as assert from 'node:assert/strict';
import { DocComments } from '../../../src/languageServer/docComments';
import { scanDefinitions } from '../../../src/languageServer/definitionIndex';
import { callContext, completionContext, includeOnLine, lexText, lineStarts, wordAt } from '../../../src/languageServer/textScan';
import { at } from './helpers';

function contextAt(text: string, needle: string, offset: number) {
	const { line, col } = at(text, needle, offset);
	return completionContext(text, lineStarts(text), lexText(text, 'm.c'), line, col);
}

describe('languageServer: text scans', () => {
	it('finds the word under the cursor, touching either end', () => {
		const text = 'int alpha_1 = beta;\n';
		const starts = lineStarts(text);
		assert.equal(wordAt(text, starts, 'm.c', 1, 5)?.word, 'alpha_1');
		assert.equal(wordAt(text, starts, 'm.c', 1, 12)?.word, 'alpha_1');
		assert.deepEqual(wordAt(text, starts, 'm.c', 1, 16)?.range, { file: 'm.c', line: 1, col: 15, endLine: 1, endCol: 19 });
		assert.equal(wordAt(text, starts, 'm.c', 1, 13), undefined);
		assert.equal(wordAt('x = 42;', lineStarts('x = 42;'), 'm.c', 1, 6), undefined);
	});

	it('reads #include lines with the name range', () => {
		const text = '#include <linux/mm.h>\n  #  include "local.h"\nint x;\n';
		const starts = lineStarts(text);
		assert.deepEqual(includeOnLine(text, starts, 'm.c', 1), { name: 'linux/mm.h', quoted: false, nameRange: { file: 'm.c', line: 1, col: 11, endLine: 1, endCol: 21 } });
		assert.equal(includeOnLine(text, starts, 'm.c', 2)?.name, 'local.h');
		assert.equal(includeOnLine(text, starts, 'm.c', 2)?.quoted, true);
		assert.equal(includeOnLine(text, starts, 'm.c', 3), undefined);
	});

	it('classifies completion contexts on incomplete code', () => {
		const text = 'int f(struct s *p) {\n\tp->mm->\n\tfoo(a[1].b.\n\tstruct \n\tx = pre\n\t"str.\n#ifdef CON\n#inc\n#include <linux/m\n';
		const member = contextAt(text, 'p->mm->', 7);
		assert.equal(member.kind, 'member');
		assert.ok(member.kind === 'member' && member.arrow && member.base.map(t => t.text).join('') === 'p->mm');
		const dotted = contextAt(text, 'a[1].b.', 7);
		assert.ok(dotted.kind === 'member' && !dotted.arrow && dotted.base.map(t => t.text).join('') === 'a[1].b');
		assert.deepEqual(contextAt(text, 'struct \n', 7), { kind: 'tag', keyword: 'struct', prefix: '' });
		assert.deepEqual(contextAt(text, 'x = pre', 7), { kind: 'identifier', prefix: 'pre' });
		assert.deepEqual(contextAt(text, '"str.', 5), { kind: 'none' });
		const comments = 'int x; /* see p-> */ int y; // also q.\nint z = a /* c */ + b';
		assert.deepEqual(contextAt(comments, 'p->', 3), { kind: 'none' });
		assert.deepEqual(contextAt(comments, 'q.', 2), { kind: 'none' });
		assert.deepEqual(contextAt(comments, '+ b', 3), { kind: 'identifier', prefix: 'b' });
		assert.deepEqual(contextAt(text, '#ifdef CON', 10), { kind: 'macro', prefix: 'CON' });
		assert.deepEqual(contextAt(text, '#inc', 4), { kind: 'directive', prefix: 'inc' });
		assert.deepEqual(contextAt(text, '<linux/m', 8), { kind: 'include', quoted: false, partial: 'linux/m' });
	});

	it('keeps the prefix typed after the member operator', () => {
		const text = 'void g(void) { q->vm_st }\n';
		const context = contextAt(text, 'vm_st', 5);
		assert.ok(context.kind === 'member' && context.prefix === 'vm_st' && context.base.length === 1 && context.base[0].text === 'q');
	});

	it('finds the call and argument index around the cursor', () => {
		const text = 'void g(void) {\n\tx = f(a, (b + c), h(1, 2), \n}\n';
		const lexed = lexText(text, 'm.c');
		const inOuter = at(text, 'h(1, 2), ', 9);
		const call = callContext(lexed, inOuter.line, inOuter.col);
		assert.deepEqual([call?.callee.map(t => t.text), call?.activeParameter], [['f'], 3]);
		const inInner = at(text, '1, 2', 3);
		const inner = callContext(lexed, inInner.line, inInner.col);
		assert.deepEqual([inner?.callee.map(t => t.text), inner?.activeParameter], [['h'], 1]);
		const inParens = at(text, 'b + c', 2);
		assert.deepEqual(callContext(lexed, inParens.line, inParens.col)?.callee.map(t => t.text), ['f']);
		const outside = at(text, 'x =', 1);
		assert.equal(callContext(lexed, outside.line, outside.col), undefined);
		const method = 'void g(void) { vma->vm_ops->fault(vmf, \n';
		const position = at(method, 'vmf, ', 5);
		const pointer = callContext(lexText(method, 'm.c'), position.line, position.col);
		assert.deepEqual([pointer?.callee.map(t => t.text).join(''), pointer?.activeParameter], ['vma->vm_ops->fault', 1]);
		const ifCall = 'void g(void) { if (x';
		assert.equal(callContext(lexText(ifCall, 'm.c'), 1, ifCall.length + 1), undefined);
	});
});

describe('languageServer: doc comments', () => {
	const header = [
		'/* Section header, then a blank line. */',
		'',
		'#define A 1',
		'/* Group comment for B and C. */',
		'#define B 2',
		'#if X',
		'int c(void);',
		'#endif',
		'#define D 4 /* trailing for D */',
		'/**',
		' * e - does e',
		' * @x: the x',
		' */',
		'int e(int x);',
		'int f(void)',
		'{',
		'\treturn 0;',
		'}',
		'int g(void);',
		'struct s {',
		'\t/* about m1 */',
		'\tint m1;',
		'\tint m2;',
		'\tint m3; // trailing m3',
		'};',
		'// line one',
		'// line two',
		'int h;',
	].join('\n');
	const docs = new DocComments(() => header);
	const line = (needle: string) => at(header, needle).line;

	it('takes the block above, also across a group of declarations', () => {
		assert.equal(docs.forDeclaration('h.h', line('#define A')), undefined);
		assert.equal(docs.forDeclaration('h.h', line('#define B')), 'Group comment for B and C.');
		assert.equal(docs.forDeclaration('h.h', line('int c(void)')), 'Group comment for B and C.');
		assert.equal(docs.forDeclaration('h.h', line('int e(int x)')), 'e - does e\n@x: the x');
		assert.equal(docs.forDeclaration('h.h', line('int h;')), 'line one\nline two');
	});

	it('uses a comment after the code on the same line', () => {
		assert.equal(docs.forDeclaration('h.h', line('#define D')), 'trailing for D');
		assert.equal(docs.forDeclaration('h.h', line('int m3;'), line('int m3;'), false), 'trailing m3');
	});

	it('stops at a function body and, for members, at the line above', () => {
		assert.equal(docs.forDeclaration('h.h', line('int g(void)')), undefined);
		assert.equal(docs.forDeclaration('h.h', line('int m1;'), line('int m1;'), false), 'about m1');
		assert.equal(docs.forDeclaration('h.h', line('int m2;'), line('int m2;'), false), undefined);
	});
});

describe('languageServer: definition scan', () => {
	it('finds function definitions, not prototypes, macros, calls or initializers', () => {
		const text = [
			'#define fake(x) { x }',
			'int proto(int a);',
			'static const struct ops table = { .open = proto };',
			'struct s { int (*fp)(void); };',
			'static int __attribute__((unused)) defined_one(int a)',
			'{',
			'\tif (a) { return proto(a); }',
			'\treturn 0;',
			'}',
			'void second(void) __acquires(x) { }',
		].join('\n');
		const defs = scanDefinitions(text, 'x.c');
		assert.deepEqual([...defs.keys()].sort(), ['defined_one', 'second']);
		assert.deepEqual(defs.get('defined_one')?.[0], { file: 'x.c', line: 5, col: 36, endLine: 5, endCol: 47 });
	});
});

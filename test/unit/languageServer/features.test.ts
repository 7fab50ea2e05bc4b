// Tests of the language server's features on a user program (layer: test): hover, go to
// definition, completion, signature help, document symbols and diagnostics, computed in process
// from the Project (the LSP tier drives the same over stdio).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { type CompletionItem, SymbolKind } from 'vscode-languageserver';
import { complete, resolveCompletion } from '../../../src/languageServer/completion';
import { renderMarkdown } from '../../../src/languageServer/describe';
import { documentDiagnostics } from '../../../src/languageServer/diagnostics';
import { documentSymbols } from '../../../src/languageServer/documentSymbols';
import { describeTarget, targetAt, targetLocations } from '../../../src/languageServer/lookup';
import type { Project, Unit } from '../../../src/languageServer/project';
import { signatureHelp } from '../../../src/languageServer/signatureHelp';
import { at, kcRoot, newProject, openUnit, userDir } from './helpers';

const program = `#include <stdio.h>
#include "local.h"

/* A pair of numbers. */
struct pair {
	int first;          /* the first */
	long second;
	union {
		char tag;
		short code;
	};
	unsigned flag : 3;
};

typedef struct pair pair_t;
enum color { RED, GREEN = 5, BLUE };
#define SQUARE(x) ((x) * (x))
#define LIMIT 10

static int counter;

/* Adds the two halves. */
static long sum(const pair_t *p, int scale)
{
	long total = p->first + p->second;
	for (int i = 0; i < scale; i++) {
		total += SQUARE(i);
	}
	if (total > LIMIT)
		goto out;
	counter++;
out:
	return total;
}

int main(void)
{
	pair_t value = { .first = 1, .second = 2 };
	struct pair *pp = &value;
	enum color c = GREEN;
	printf("%ld %d\\n", sum(pp, 3), c);
	return local_helper(pp->code) + pp->flag;
}
`;

const file = path.join(userDir, 'prog.c');
const header = path.join(userDir, 'local.h');

function setup(text = program): { project: Project; unit: Unit } {
	const project = newProject();
	project.setDocument(header, '/* Helps locally. */\nint local_helper(int x);\n', 1);
	return { project, unit: openUnit(project, file, text) };
}

function hover(project: Project, unit: Unit, needle: string, offset = 0, occurrence = 0): string {
	const { line, col } = at(unit.text, needle, offset, occurrence);
	const target = targetAt(project, unit, line, col);
	const description = target === undefined ? undefined : describeTarget(project, unit, target);
	return description === undefined ? '' : renderMarkdown(description);
}

function definition(project: Project, unit: Unit, needle: string, offset = 0, occurrence = 0): string[] {
	const { line, col } = at(unit.text, needle, offset, occurrence);
	const target = targetAt(project, unit, line, col);
	return target === undefined ? [] : targetLocations(project, unit, target).map(r => `${path.relative(path.dirname(kcRoot), r.file)}:${r.line}:${r.col}`);
}

function labels(items: readonly CompletionItem[]): string[] {
	return items.map(i => i.label);
}

describe('languageServer: hover on a user program', () => {
	const { project, unit } = setup();

	it('compiles without diagnostics', () => {
		assert.deepEqual(unit.analysis.diagnostics, []);
		assert.equal(unit.config.kind, 'user');
	});

	it('shows locals, parameters and globals with their types and sizes', () => {
		assert.match(hover(project, unit, 'return total', 8), /long total[\s\S]*\(local\)[\s\S]*size 8, align 8/);
		assert.match(hover(project, unit, 'int scale', 5), /int scale[\s\S]*\(parameter\)/);
		assert.match(hover(project, unit, 'counter++', 1), /static int counter[\s\S]*\(global\)/);
	});

	it('shows struct members with LP64 offsets, through anonymous unions and bit-fields', () => {
		assert.match(hover(project, unit, 'p->second', 4), /long second[\s\S]*offset 8 \(0x8\), size 8 in `struct pair`/);
		assert.match(hover(project, unit, 'pp->code', 5), /short code[\s\S]*offset 16 \(0x10\), size 2/);
		assert.match(hover(project, unit, 'pp->flag', 5), /unsigned int flag : 3[\s\S]*bits 16\.\.18 of the 4-byte unit at offset 16/);
		assert.match(hover(project, unit, '.first', 2), /int first[\s\S]*offset 0[\s\S]*the first/);
	});

	it('shows a struct layout with its doc comment', () => {
		const text = hover(project, unit, 'struct pair *pp', 8);
		assert.match(text, /struct pair \{/);
		assert.match(text, /short code;\s+\/\* 16 \*\//);
		assert.match(text, /size 24, align 8/);
		assert.match(text, /A pair of numbers\./);
	});

	it('shows macro definitions and their expansion at the invocation', () => {
		assert.match(hover(project, unit, 'SQUARE(i)', 1), /#define SQUARE\(x\) \(\(x\) \* \(x\)\)[\s\S]*expands here to:\n\(\(i\) \* \(i\)\)/);
		assert.match(hover(project, unit, 'LIMIT)', 1), /#define LIMIT 10[\s\S]*expands here to:\n10/);
	});

	it('shows enum constants, enums and typedefs', () => {
		assert.match(hover(project, unit, 'GREEN;', 1), /GREEN = 5/);
		assert.match(hover(project, unit, 'enum color c', 7), /RED = 0,\n\tGREEN = 5,\n\tBLUE = 6,/);
		assert.match(hover(project, unit, 'pair_t value', 1), /typedef struct pair pair_t[\s\S]*size 24/);
	});

	it('shows functions as written, with their doc comment and where they are defined', () => {
		const own = hover(project, unit, 'sum(pp', 1);
		assert.match(own, /static long sum\(const pair_t \*p, int scale\)/);
		assert.match(own, /resolved: `static long sum\(const struct pair \*p, int scale\)`/);
		assert.match(own, /Adds the two halves\./);
		const libc = hover(project, unit, 'printf', 1);
		assert.match(libc, /int printf\(const char \*restrict __format, \.\.\.\)/);
		assert.match(libc, /defined in kc\/lib\/stdio\.c:\d+/);
		assert.match(libc, /declared in kc\/include\/stdio\.h/);
		assert.match(hover(project, unit, 'local_helper(pp', 1), /int local_helper\(int x\)[\s\S]*Helps locally\./);
	});

	it('shows nothing for words in comments and strings', () => {
		assert.equal(hover(project, unit, 'A pair of numbers', 2), '');
		assert.equal(hover(project, unit, '%ld', 1), '');
		assert.equal(hover(project, unit, 'the first', 5), '');
	});

	it('shows expression types and include targets', () => {
		assert.match(hover(project, unit, '&value', 0), /struct pair \*[\s\S]*\(expression type\)/);
		assert.match(hover(project, unit, 'stdio.h', 1), /kc\/include\/stdio\.h/);
		assert.match(hover(project, unit, 'local.h', 1), /virtual\/local\.h/);
	});
});

describe('languageServer: go to definition', () => {
	const { project, unit } = setup();
	const line = (needle: string) => at(program, needle).line;

	it('finds locals, globals, functions, labels and members', () => {
		assert.deepEqual(definition(project, unit, 'return total', 8), [`test/unit/languageServer/virtual/prog.c:${line('long total')}:7`]);
		assert.deepEqual(definition(project, unit, 'counter++', 1), [`test/unit/languageServer/virtual/prog.c:${line('static int counter')}:12`]);
		assert.deepEqual(definition(project, unit, 'sum(pp', 1), [`test/unit/languageServer/virtual/prog.c:${line('static long sum')}:13`]);
		assert.deepEqual(definition(project, unit, 'goto out', 6), [`test/unit/languageServer/virtual/prog.c:${line('out:')}:1`]);
		assert.deepEqual(definition(project, unit, 'p->second', 4), [`test/unit/languageServer/virtual/prog.c:${line('long second')}:7`]);
		assert.deepEqual(definition(project, unit, 'pp->code', 5), [`test/unit/languageServer/virtual/prog.c:${line('short code')}:9`]);
	});

	it('finds struct tags, typedefs, enumerators and macros', () => {
		assert.deepEqual(definition(project, unit, 'struct pair *pp', 8), [`test/unit/languageServer/virtual/prog.c:${line('struct pair {')}:8`]);
		assert.deepEqual(definition(project, unit, 'pair_t value', 1), [`test/unit/languageServer/virtual/prog.c:${line('typedef struct')}:21`]);
		assert.deepEqual(definition(project, unit, 'GREEN;', 1), [`test/unit/languageServer/virtual/prog.c:${line('enum color {')}:19`]);
		assert.deepEqual(definition(project, unit, 'LIMIT)', 1), [`test/unit/languageServer/virtual/prog.c:${line('#define LIMIT')}:9`]);
	});

	it('goes into the C library sources and to included files', () => {
		const [printf] = definition(project, unit, 'printf', 1);
		assert.match(printf, /^kc\/lib\/stdio\.c:\d+:\d+$/);
		assert.deepEqual(definition(project, unit, 'stdio.h', 1), ['kc/include/stdio.h:1:1']);
		assert.deepEqual(definition(project, unit, 'local.h', 1), ['test/unit/languageServer/virtual/local.h:1:1']);
	});
});

describe('languageServer: completion', () => {
	it('lists members after -> and ., with offsets, even where the line does not parse', () => {
		const text = program.replace('long total = p->first + p->second;', 'long total = p->');
		const { project, unit } = setup(text);
		const position = at(text, 'p->', 3);
		const items = complete(project, unit, position.line, position.col).items;
		assert.deepEqual(labels(items), ['first', 'second', 'tag', 'code', 'flag']);
		assert.equal(items[1].detail, 'long second');
		assert.equal(items[3].labelDetails?.description, '+16');
		const resolved = resolveCompletion(project, items[0], file);
		assert.match(JSON.stringify(resolved.documentation), /the first/);
	});

	it('lists members of a chain typed from the names in scope', () => {
		const text = program.replace('return local_helper(pp->code) + pp->flag;', 'return (&value)->first + pp[0].');
		const { project, unit } = setup(text);
		const position = at(text, 'pp[0].', 6);
		assert.deepEqual(labels(complete(project, unit, position.line, position.col).items), ['first', 'second', 'tag', 'code', 'flag']);
		// Inside an unfinished macro invocation the tree has no expression there: the names in scope type it.
		const inMacro = program.replace('return local_helper(pp->code) + pp->flag;', 'return SQUARE(pp->');
		const broken = setup(inMacro);
		assert.ok(broken.unit.analysis.diagnostics.some(d => /unterminated/.test(d.message)));
		const afterArrow = at(inMacro, 'SQUARE(pp->', 11);
		assert.deepEqual(labels(complete(broken.project, broken.unit, afterArrow.line, afterArrow.col).items), ['first', 'second', 'tag', 'code', 'flag']);
	});

	it('lists the names in scope at the cursor, nearest first', () => {
		const { project, unit } = setup();
		const position = at(program, 'counter++');
		const items = complete(project, unit, position.line, position.col).items;
		const names = labels(items);
		for (const name of ['total', 'p', 'scale', 'counter', 'sum', 'main', 'printf', 'pair_t', 'GREEN', 'SQUARE', 'LIMIT', 'return', 'local_helper']) {
			assert.ok(names.includes(name), `${name} is offered`);
		}
		// `i` is scoped to the for loop that ended; main's locals are not visible in sum.
		for (const name of ['i', 'value', 'pp', 'c']) assert.ok(!names.includes(name), `${name} is not offered`);
		const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
		assert.deepEqual(labels(sorted.slice(0, 3)).sort(), ['p', 'scale', 'total']);
		const printf = items.find(i => i.label === 'printf')!;
		assert.match(JSON.stringify(resolveCompletion(project, printf, file).documentation), /stdio/);
	});

	it('lists header names inside #include and tags after struct', () => {
		const text = '#include <sys/\n#include "loc\nstruct \n';
		const project = newProject();
		project.setDocument(header, 'int local_helper(int x);\n', 1);
		const unit = openUnit(project, file, text);
		const sys = at(text, '<sys/', 5);
		const headers = labels(complete(project, unit, sys.line, sys.col).items);
		assert.ok(headers.includes('mman.h') && headers.includes('types.h'), headers.join(' '));
		const quoted = at(text, '"loc', 4);
		assert.ok(labels(complete(project, unit, quoted.line, quoted.col).items).includes('stdio.h'));
		const top = at(text, '<', 1);
		assert.ok(labels(complete(project, unit, top.line, top.col).items).includes('sys/'));
		const withStruct = setup();
		const tag = at(program, 'struct pair *pp', 7);
		assert.ok(labels(complete(withStruct.project, withStruct.unit, tag.line, tag.col).items).includes('pair'));
	});
});

describe('languageServer: signature help and symbols', () => {
	it('shows the parameters of the call around the cursor', () => {
		const text = program.replace('printf("%ld %d\\n", sum(pp, 3), c);', 'sum(pp, ');
		const { project, unit } = setup(text);
		const position = at(text, 'sum(pp, ', 8);
		const help = signatureHelp(project, unit, position.line, position.col);
		assert.equal(help?.signatures[0].label, 'static long sum(const pair_t *p, int scale)');
		assert.equal(help?.activeParameter, 1);
		const [start, end] = help?.signatures[0].parameters?.[1].label as [number, number];
		assert.equal(help?.signatures[0].label.slice(start, end), 'int scale');
		const macro = at(program, 'SQUARE(i', 7);
		assert.equal(signatureHelp(project, unit, macro.line, macro.col)?.signatures[0].label, 'SQUARE(x)');
	});

	it('outlines functions, types, globals and macros', () => {
		const { unit } = setup();
		const symbols = documentSymbols(unit);
		assert.deepEqual(symbols.map(s => [s.name, s.kind]), [
			['struct pair', SymbolKind.Struct],
			['pair_t', SymbolKind.TypeParameter],
			['enum color', SymbolKind.Enum],
			['SQUARE', SymbolKind.Function],
			['LIMIT', SymbolKind.Constant],
			['counter', SymbolKind.Variable],
			['sum', SymbolKind.Function],
			['main', SymbolKind.Function],
		]);
		assert.deepEqual(symbols[0].children?.map(c => c.name), ['first', 'second', 'union <anonymous>', 'flag']);
		assert.deepEqual(symbols[0].children?.[2].children?.map(c => c.name), ['tag', 'code']);
		assert.deepEqual(symbols[2].children?.map(c => c.name), ['RED', 'GREEN', 'BLUE']);
	});
});

describe('languageServer: diagnostics', () => {
	it('reports the document\'s own errors with exact ranges', () => {
		const text = 'int main(void)\n{\n\treturn undefined_name + 1;\n}\n';
		const project = newProject();
		const unit = openUnit(project, file, text);
		const diagnostics = documentDiagnostics(project, unit);
		assert.equal(diagnostics.length, 1);
		assert.equal(diagnostics[0].message, "'undefined_name' undeclared (first use in this function)");
		assert.deepEqual(diagnostics[0].range, { start: { line: 2, character: 8 }, end: { line: 2, character: 22 } });
	});

	it('reports a missing header at its name, and a broken header once at its #include', () => {
		const text = '#include <no/such.h>\n#include "broken.h"\nint x = 1;\n';
		const project = newProject();
		project.setDocument(path.join(userDir, 'broken.h'), '#include "inner.h"\nint ok;\n', 1);
		project.setDocument(path.join(userDir, 'inner.h'), 'int bad = ;\nint worse = ;\n', 1);
		const unit = openUnit(project, file, text);
		const diagnostics = documentDiagnostics(project, unit);
		assert.equal(diagnostics.length, 2);
		assert.equal(diagnostics[0].message, "'no/such.h' file not found");
		assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 9 }, end: { line: 0, character: 20 } });
		assert.match(diagnostics[1].message as string, /^In included file .*inner\.h:1:\d+: expected expression \(and 1 more error\)$/);
		assert.deepEqual(diagnostics[1].range, { start: { line: 1, character: 10 }, end: { line: 1, character: 18 } });
		assert.equal(diagnostics[1].relatedInformation?.length, 2);
	});
});

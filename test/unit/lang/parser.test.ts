// Unit tests for the KC parser (layer: lang): tree shapes (declarator derivation order, precedence,
// casts vs parentheses, typedef shadowing, initializers, statements, GNU forms), exact ranges,
// diagnostics with line:col, recovery, nesting limits, and property tests that no input throws.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type {
	CompoundStmt,
	Declaration,
	DeclSpecs,
	Declarator,
	Expr,
	ExprStmt,
	FunctionDef,
	Initializer,
	Stmt,
	TranslationUnit,
	TypeName,
} from '../../../src/lang/ast';
import { lex } from '../../../src/lang/lexer';
import { parse, type ParseResult } from '../../../src/lang/parser';
import { memorySources, preprocess } from '../../../src/lang/preprocessor';
import { formatDiagnostic, type SourceRange } from '../../../src/lang/source';
import { TokenKind, type Token } from '../../../src/lang/tokens';

// ---- Helpers -------------------------------------------------------------------------------------

function parseText(text: string): ParseResult {
	return parse(lex(text, 't.c').tokens, 't.c');
}

/** Parses `text` and asserts there are no diagnostics at all. */
function parseClean(text: string): TranslationUnit {
	const result = parseText(text);
	assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], `unexpected diagnostics for: ${text}`);
	return result.tree;
}

/** Diagnostics as `line:col: severity: message`. */
function diagnosticsOf(text: string): string[] {
	return parseText(text).diagnostics.map(d => `${d.range.line}:${d.range.col}: ${d.severity}: ${d.message}`);
}

/** A compact prefix notation for expressions. */
function sexp(e: Expr | TypeName | Initializer): string {
	switch (e.kind) {
		case 'IntLiteral':
			return e.value.toString();
		case 'FloatLiteral':
			return `${e.value}${e.suffix}`;
		case 'CharLiteral':
			return `'${e.value}'`;
		case 'StringLiteral':
			return JSON.stringify(Buffer.from(e.bytes).toString('latin1'));
		case 'Ident':
			return e.name;
		case 'Unary':
			return `(${e.op} ${sexp(e.operand)})`;
		case 'Binary':
			return `(${e.op} ${sexp(e.left)} ${sexp(e.right)})`;
		case 'Assign':
			return `(${e.op} ${sexp(e.target)} ${sexp(e.value)})`;
		case 'Conditional':
			return `(? ${sexp(e.cond)} ${e.then === e.cond ? '<cond>' : sexp(e.then)} ${sexp(e.otherwise)})`;
		case 'Call':
			return `(call ${[e.callee, ...e.args].map(sexp).join(' ')})`;
		case 'Index':
			return `([] ${sexp(e.base)} ${sexp(e.index)})`;
		case 'Member':
			return `(${e.arrow ? '->' : '.'} ${sexp(e.base)} ${e.name})`;
		case 'Cast':
			return `(cast <${sexp(e.typeName)}> ${sexp(e.operand)})`;
		case 'ImplicitCast':
			return `(implicit ${sexp(e.operand)})`;
		case 'SizeofExpr':
			return `(sizeof ${sexp(e.operand)})`;
		case 'SizeofType':
			return `(sizeof <${sexp(e.typeName)}>)`;
		case 'AlignofType':
			return `(alignof <${sexp(e.typeName)}>)`;
		case 'Offsetof':
			return `(offsetof <${sexp(e.typeName)}> ${e.path.map(p => (p.kind === 'field' ? p.name : `[${sexp(p.index)}]`)).join(' ')})`;
		case 'VaArg':
			return `(va_arg ${sexp(e.ap)} <${sexp(e.typeName)}>)`;
		case 'CompoundLiteral':
			return `(literal <${sexp(e.typeName)}> ${sexp(e.init)})`;
		case 'StmtExpr':
			return `({ ${e.body.items.length} items })`;
		case 'BuiltinCall':
			return `(${e.name} ${e.args.map(a => (a.kind === 'TypeName' ? `<${sexp(a)}>` : sexp(a))).join(' ')})`;
		case 'ErrorExpr':
			return '<error>';
		case 'TypeName':
			return typeText(e.specs, e.declarator);
		case 'InitList':
			return `{${e.items.map(i => i.designators.map(d => (d.kind === 'field' ? `.${d.name}` : `[${sexp(d.index)}${d.last ? ` ... ${sexp(d.last)}` : ''}]`)).join('') + (i.designators.length > 0 ? '=' : '') + sexp(i.init)).join(', ')}}`;
	}
}

function specsText(specs: DeclSpecs): string {
	const words: string[] = [];
	if (specs.qualifiers.const) words.push('const');
	if (specs.qualifiers.volatile) words.push('volatile');
	for (const s of specs.typeSpecs) {
		switch (s.kind) {
			case 'Keyword':
				words.push(s.word);
				break;
			case 'TypedefName':
				words.push(s.name);
				break;
			case 'StructSpec':
				words.push(`${s.isUnion ? 'union' : 'struct'} ${s.tag ?? '<anon>'}${s.members ? `{${s.members.length}}` : ''}`);
				break;
			case 'EnumSpec':
				words.push(`enum ${s.tag ?? '<anon>'}`);
				break;
			case 'Typeof':
				words.push(`typeof(${sexp(s.arg)})`);
				break;
		}
	}
	return words.join(' ');
}

/** English for a declarator, innermost derivation last: "array 3 of pointer to int". */
function typeText(specs: DeclSpecs, declarator: Declarator): string {
	let text = specsText(specs);
	for (const d of declarator.derived) {
		switch (d.kind) {
			case 'Pointer': {
				const q = `${d.qualifiers.const ? 'const ' : ''}${d.qualifiers.volatile ? 'volatile ' : ''}${d.qualifiers.restrict ? 'restrict ' : ''}`;
				text = `${q}pointer to ${text}`;
				break;
			}
			case 'Array':
				text = `array ${d.size ? `${sexp(d.size)} ` : ''}of ${text}`;
				break;
			case 'Function': {
				const params = d.params.map(p => typeText(p.specs, p.declarator) + (p.declarator.name ? ` ${p.declarator.name}` : ''));
				if (d.variadic) params.push('...');
				const list = d.unprototyped ? '' : params.length === 0 ? 'void' : params.join(', ');
				text = `function(${list}) returning ${text}`;
				break;
			}
		}
	}
	return text;
}

/** `name: type` for every declarator of every declaration in the unit. */
function declared(text: string): string[] {
	const out: string[] = [];
	for (const d of parseClean(text).decls) {
		if (d.kind === 'Declaration') for (const id of d.declarators) out.push(`${id.declarator.name}: ${typeText(d.specs, id.declarator)}`);
		else if (d.kind === 'FunctionDef') out.push(`${d.declarator.name}: ${typeText(d.specs, d.declarator)}`);
	}
	return out;
}

/** The statements of the body of the last function in `text`. */
function bodyOf(text: string): (Stmt | Declaration)[] {
	const decls = parseClean(text).decls;
	const fn = decls[decls.length - 1];
	assert.equal(fn.kind, 'FunctionDef');
	return [...(fn as FunctionDef).body.items];
}

/** Parses `expression;` inside a function (after `prelude` at file scope) and returns it in prefix form. */
function exprOf(expression: string, prelude = ''): string {
	const items = bodyOf(`${prelude}\nvoid test_function(void) { ${expression}; }`);
	assert.equal(items.length, 1);
	assert.equal(items[0].kind, 'ExprStmt', `not an expression statement: ${expression}`);
	return sexp((items[0] as ExprStmt).expr);
}

/** The source text a range covers. */
function textAt(source: string, range: SourceRange): string {
	const lines = source.split('\n');
	const offset = (line: number, col: number): number => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
	return source.slice(offset(range.line, range.col), offset(range.endLine, range.endCol));
}

/** Every object in the tree that has a range, with its parent's range. */
function* nodesWithRanges(node: unknown, parent?: SourceRange, seen = new Set<unknown>()): Generator<{ range: SourceRange; parent?: SourceRange; node: Record<string, unknown> }> {
	if (node === null || typeof node !== 'object' || seen.has(node) || node instanceof Uint8Array) return;
	seen.add(node);
	if (Array.isArray(node)) {
		for (const child of node) yield* nodesWithRanges(child, parent, seen);
		return;
	}
	const record = node as Record<string, unknown>;
	const range = record.range as SourceRange | undefined;
	if (range !== undefined) yield { range, parent, node: record };
	for (const [key, value] of Object.entries(record)) {
		if (key === 'range' || key === 'nameRange') continue;
		yield* nodesWithRanges(value, range ?? parent, seen);
	}
}

function before(a: { line: number; col: number }, b: { line: number; col: number }): boolean {
	return a.line < b.line || (a.line === b.line && a.col <= b.col);
}

/** Ranges are well formed, and every non-empty range lies inside its parent's (same file). */
function checkRanges(tree: TranslationUnit): void {
	for (const { range, parent, node } of nodesWithRanges(tree)) {
		assert.ok(range.line >= 1 && range.col >= 1, `bad start in ${node.kind as string}`);
		assert.ok(before(range, { line: range.endLine, col: range.endCol }), `range ends before it starts in ${node.kind as string}`);
		const empty = range.line === range.endLine && range.col === range.endCol;
		if (parent === undefined || empty || parent.file !== range.file) continue;
		assert.ok(before(parent, range) && before({ line: range.endLine, col: range.endCol }, { line: parent.endLine, col: parent.endCol }),
			`${node.kind as string} ${JSON.stringify(range)} is outside its parent ${JSON.stringify(parent)}`);
	}
}

function onlyDecl(text: string): Declaration {
	const decls = parseClean(text).decls;
	const d = decls[decls.length - 1];
	assert.equal(d.kind, 'Declaration');
	return d as Declaration;
}

// ---- Tests ---------------------------------------------------------------------------------------

describe('parser', () => {
	describe('declarators', () => {
		const cases: [string, string[]][] = [
			['int *a[3];', ['a: array 3 of pointer to int']],
			['int (*a)[3];', ['a: pointer to array 3 of int']],
			['int a[2][3];', ['a: array 2 of array 3 of int']],
			['int (*fp)(int);', ['fp: pointer to function(int) returning int']],
			['void (*signal(int, void (*)(int)))(int);',
				['signal: function(int, pointer to function(int) returning void) returning pointer to function(int) returning void']],
			['void (*ops[4])(void);', ['ops: array 4 of pointer to function(void) returning void']],
			['char *(*(*x)[5])(int);', ['x: pointer to array 5 of pointer to function(int) returning pointer to char']],
			['int (*(*f)(int))(long);', ['f: pointer to function(int) returning pointer to function(long) returning int']],
			['int ((x));', ['x: int']],
			['int f(), g(void), *h(int a, ...);',
				['f: function() returning int', 'g: function(void) returning int', 'h: function(int a, ...) returning pointer to int']],
			['const int * const volatile p;', ['p: const volatile pointer to const int']],
			['char *restrict q;', ['q: restrict pointer to char']],
			['unsigned long long int a; long unsigned b; signed char c; long double d; _Bool e;',
				['a: unsigned long long int', 'b: long unsigned', 'c: signed char', 'd: long double', 'e: _Bool']],
			['__signed__ char a; __const int b; int *__restrict c; volatile int *__volatile__ d;',
				['a: signed char', 'b: const int', 'c: restrict pointer to int', 'd: volatile pointer to volatile int']],
			['int f(int a[static 10], char *restrict p, int (*)(int), int []);',
				['f: function(array 10 of int a, restrict pointer to char p, pointer to function(int) returning int, array of int) returning int']],
			['void f(int n, int a[n][*]);', ['f: function(int n, array n of array of int a) returning void']],
			['struct s { int a; } x, *y;', ['x: struct s{1}', 'y: pointer to struct s{1}']],
			['typeof(int *) p; __typeof__(p) q;', ['p: typeof(pointer to int)', 'q: typeof(p)']],
			['extern int x asm("real_x"), y __asm__("real_y");', ['x: int', 'y: int']],
			['int (__attribute__((unused)) *p);', ['p: pointer to int']],
		];
		for (const [source, expected] of cases) {
			it(source, () => assert.deepEqual(declared(source), expected));
		}

		it('marks () as unprototyped and (void) as an empty prototype', () => {
			const d = onlyDecl('int f(), g(void);');
			const [f, g] = d.declarators.map(id => id.declarator.derived[0]);
			assert.ok(f.kind === 'Function' && f.unprototyped && f.params.length === 0);
			assert.ok(g.kind === 'Function' && !g.unprototyped && g.params.length === 0 && !g.variadic);
		});

		it('keeps a void pointer parameter (not the (void) form)', () => {
			assert.deepEqual(declared('int f(void *);'), ['f: function(pointer to void) returning int']);
		});

		it('records storage class and function specifiers', () => {
			const decls = parseClean('static inline int f(int a) { return a; } _Noreturn void die(void); extern const int k; __inline__ int g(void);').decls;
			const specs = decls.map(d => (d.kind === 'StaticAssert' ? undefined : d.specs));
			assert.equal(decls[0].kind, 'FunctionDef');
			assert.equal(specs[0]?.storage, 'static');
			assert.equal(specs[0]?.inline, true);
			assert.equal(specs[1]?.noreturn, true);
			assert.equal(specs[2]?.storage, 'extern');
			assert.equal(specs[2]?.qualifiers.const, true);
			assert.equal(specs[3]?.inline, true);
		});

		it('records attributes on declarations, declarators, structs and parameters', () => {
			const tree = parseClean([
				'struct __attribute__((packed)) s { char c; int i __attribute__((aligned(8))); } __attribute__((__aligned__(4)));',
				'__attribute__((unused)) static int x __attribute__((section(".data"), aligned(16)));',
				'void f(int a __attribute__((unused)), ...) __attribute__((format(printf, 1, 2), noreturn));',
				'_Alignas(16) char buf[64]; _Alignas(long) char b2;',
			].join('\n'));
			const [s, x, f, buf, b2] = tree.decls as Declaration[];
			const spec = s.specs.typeSpecs[0];
			assert.ok(spec.kind === 'StructSpec');
			assert.deepEqual(spec.attributes.map(a => a.name), ['packed', 'aligned']);
			assert.equal(sexp(spec.attributes[1].args[0]), '4');
			const member = spec.members?.[1].declarators[0].declarator;
			assert.deepEqual(member?.attributes.map(a => `${a.name}(${a.args.map(sexp).join(',')})`), ['aligned(8)']);
			assert.deepEqual(x.specs.attributes.map(a => a.name), ['unused']);
			assert.deepEqual(x.declarators[0].declarator.attributes.map(a => `${a.name}(${a.args.map(sexp).join(',')})`), ['section(".data")', 'aligned(16)']);
			const fd = f.declarators[0].declarator;
			assert.deepEqual(fd.attributes.map(a => `${a.name}(${a.args.map(sexp).join(',')})`), ['format(printf,1,2)', 'noreturn()']);
			const fn = fd.derived[0];
			assert.ok(fn.kind === 'Function' && fn.variadic);
			assert.deepEqual(fn.params[0].declarator.attributes.map(a => a.name), ['unused']);
			assert.deepEqual(buf.specs.attributes.map(a => `${a.name}(${a.args.map(sexp).join(',')})`), ['aligned(16)']);
			assert.deepEqual(b2.specs.attributes.map(a => `${a.name}(${a.args.map(sexp).join(',')})`), ['aligned((alignof <long>))']);
		});

		it('parses struct and union definitions with bit-fields, anonymous members and flexible arrays', () => {
			const d = onlyDecl([
				'struct packet {',
				'  unsigned int type : 4, : 0, flags : 3;',
				'  union { int a; float b; };',
				'  struct { int x, y; } pos;',
				'  __extension__ unsigned long long big;',
				'  ;',
				'  char data[];',
				'};',
			].join('\n'));
			const spec = d.specs.typeSpecs[0];
			assert.ok(spec.kind === 'StructSpec' && spec.tag === 'packet' && !spec.isUnion);
			const members = spec.members ?? [];
			assert.equal(members.length, 5);
			assert.deepEqual(members[0].declarators.map(m => `${m.declarator.name ?? '<unnamed>'}:${m.bitWidth ? sexp(m.bitWidth) : '-'}`),
				['type:4', '<unnamed>:0', 'flags:3']);
			assert.deepEqual(members[1].declarators, []);
			const anonymous = members[1].specs.typeSpecs[0];
			assert.ok(anonymous.kind === 'StructSpec' && anonymous.isUnion && anonymous.tag === undefined && anonymous.members?.length === 2);
			assert.equal(typeText(members[4].specs, members[4].declarators[0].declarator), 'array of char');
		});

		it('parses struct references and forward declarations', () => {
			const tree = parseClean('struct node; struct node *head; union u;');
			const spec = (tree.decls[0] as Declaration).specs.typeSpecs[0];
			assert.ok(spec.kind === 'StructSpec' && spec.members === undefined && spec.tag === 'node');
			assert.deepEqual((tree.decls[0] as Declaration).declarators, []);
		});

		it('parses enums with values and trailing commas', () => {
			const d = onlyDecl('enum color { RED, GREEN = 5, BLUE = GREEN + 1, };');
			const spec = d.specs.typeSpecs[0];
			assert.ok(spec.kind === 'EnumSpec' && spec.tag === 'color');
			assert.deepEqual(spec.enumerators?.map(e => `${e.name}=${e.value ? sexp(e.value) : ''}`), ['RED=', 'GREEN=5', 'BLUE=(+ GREEN 1)']);
		});

		it('parses a function definition with its parameters in the body scope', () => {
			const tree = parseClean('typedef int T;\nint f(int T, char **argv) { return T * 2; }');
			const f = tree.decls[1] as FunctionDef;
			assert.equal(f.kind, 'FunctionDef');
			assert.equal(typeText(f.specs, f.declarator), 'function(int T, pointer to pointer to char argv) returning int');
			const ret = f.body.items[0];
			assert.ok(ret.kind === 'Return' && ret.value !== undefined);
			assert.equal(sexp(ret.value), '(* T 2)');
		});

		it('parses _Static_assert at file scope and drops it inside blocks and structs', () => {
			const tree = parseClean('_Static_assert(sizeof(int) == 4, "int" " size");\nstatic_assert(1);\nstruct s { int a; _Static_assert(1, "x"); };\nvoid f(void) { _Static_assert(2 > 1, "ok"); }');
			const [a, b, s, f] = tree.decls;
			assert.ok(a.kind === 'StaticAssert' && a.message !== undefined);
			assert.equal(sexp(a.cond), '(== (sizeof <int>) 4)');
			assert.equal(Buffer.from(a.message.bytes).toString(), 'int size');
			assert.ok(b.kind === 'StaticAssert' && b.message === undefined);
			assert.ok(s.kind === 'Declaration');
			const spec = s.specs.typeSpecs[0];
			assert.ok(spec.kind === 'StructSpec' && spec.members?.length === 1);
			assert.ok(f.kind === 'FunctionDef' && f.body.items.length === 0);
		});

		it('skips __extension__ and asm at file scope', () => {
			const tree = parseClean('__extension__ typedef unsigned long long u64;\nasm(".globl x");\nu64 v;');
			assert.deepEqual(tree.decls.map(d => d.kind), ['Declaration', 'Declaration']);
			assert.equal(typeText((tree.decls[1] as Declaration).specs, (tree.decls[1] as Declaration).declarators[0].declarator), 'u64');
		});
	});

	describe('typedef names', () => {
		it('predeclares __builtin_va_list', () => {
			assert.deepEqual(declared('__builtin_va_list ap; typedef __builtin_va_list va_list; va_list b;'),
				['ap: __builtin_va_list', 'va_list: __builtin_va_list', 'b: va_list']);
		});

		it('reads T * x as a declaration when T is a typedef and as a product otherwise', () => {
			const items = bodyOf('typedef int T; int y;\nvoid f(void) { T * x; y * x; }');
			assert.equal(items[0].kind, 'Declaration');
			assert.equal(items[1].kind, 'ExprStmt');
		});

		it('lets a variable in an inner scope shadow a typedef until the scope ends', () => {
			const items = bodyOf('typedef int T; int x, y;\nvoid f(void) { { int T; T * x; } T * y; }');
			const inner = items[0] as CompoundStmt;
			assert.equal(inner.items[1].kind, 'ExprStmt');
			assert.equal(sexp((inner.items[1] as ExprStmt).expr), '(* T x)');
			assert.equal(items[1].kind, 'Declaration');
		});

		it('lets parameters and enumerators shadow typedefs', () => {
			assert.equal(bodyOf('typedef int T; int x;\nvoid f(int T) { T * x; }')[0].kind, 'ExprStmt');
			assert.equal(bodyOf('typedef int T; int x;\nvoid f(void) { enum { T = 2 }; T * x; }')[1].kind, 'ExprStmt');
			// The prototype scope ends with the parameter list.
			assert.equal(onlyDecl('typedef int T; void g(int T); T * z;').declarators[0].declarator.name, 'z');
		});

		it('shadows within the for header only for the loop', () => {
			const items = bodyOf('typedef int T; int x;\nvoid f(void) { for (int T = 0; T < 3; T++) T * x; T * y; }');
			const loop = items[0];
			assert.ok(loop.kind === 'For' && loop.init?.kind === 'Declaration');
			assert.equal(loop.body.kind, 'ExprStmt');
			assert.equal(items[1].kind, 'Declaration');
		});

		it('accepts a typedef name redeclared as a variable after a type specifier', () => {
			const items = bodyOf('typedef int T; void f(void) { long T = 1; T = T + 1; }');
			assert.equal(items[0].kind, 'Declaration');
			assert.equal(sexp((items[1] as ExprStmt).expr), '(= T (+ T 1))');
		});

		it('handles self-referential struct typedefs', () => {
			assert.deepEqual(declared('typedef struct node node; struct node { node *next; }; node *head;'),
				['node: struct node', 'head: pointer to node']);
		});

		it('treats a typedef name followed by a colon as a label', () => {
			const items = bodyOf('typedef int T;\nvoid f(void) { T: goto T; }');
			assert.equal(items[0].kind, 'Labeled');
		});
	});

	describe('expressions', () => {
		const prelude = 'typedef int T; typedef struct point { int x, y; } point; int a, b, c, d, e, f, g, h, i, j, k, x, y, *p, **pp; int fn(int, ...);';
		const cases: [string, string][] = [
			['a + b * c', '(+ a (* b c))'],
			['a - b - c', '(- (- a b) c)'],
			['a = b = c', '(= a (= b c))'],
			['a += b, c', '(, (+= a b) c)'],
			['a || b && c | d ^ e & f == g < h << i + j * k',
				'(|| a (&& b (| c (^ d (& e (== f (< g (<< h (+ i (* j k))))))))))'],
			['a * b + c << d < e == f & g ^ h | i && j || k',
				'(|| (&& (| (^ (& (== (< (<< (+ (* a b) c) d) e) f) g) h) i) j) k)'],
			['a <<= b >>= 1', '(<<= a (>>= b 1))'],
			['a != b >= c', '(!= a (>= b c))'],
			['-a++', '(- (post++ a))'],
			['*p++', '(* (post++ p))'],
			['++*p', '(pre++ (* p))'],
			['!*p', '(! (* p))'],
			['~-+a', '(~ (- (+ a)))'],
			['&a', '(& a)'],
			['&pp[1]->x', '(& (-> ([] pp 1) x))'],
			['p->x.y[2]', '([] (. (-> p x) y) 2)'],
			['fn(a, b)(c)', '(call (call fn a b) c)'],
			['fn()', '(call fn)'],
			['fn((a, b), c)', '(call fn (, a b) c)'],
			['a ? b : c ? d : e', '(? a b (? c d e))'],
			['a ? b, c : d', '(? a (, b c) d)'],
			['x = a < b ? a : b', '(= x (? (< a b) a b))'],
			['a ?: b', '(? a <cond> b)'],
			['(a + b) * c', '(* (+ a b) c)'],
			['(T)*p', '(cast <T> (* p))'],
			['(x)*p', '(* x p)'],
			['(x)(1)', '(call x 1)'],
			['(T)(1)', '(cast <T> 1)'],
			['(T)-1', '(cast <T> (- 1))'],
			['(unsigned long)(char *)p + 1', '(+ (cast <unsigned long> (cast <pointer to char> p)) 1)'],
			['(void (*)(int))p', '(cast <pointer to function(int) returning void> p)'],
			['(const struct point *)p', '(cast <pointer to const struct point> p)'],
			['sizeof(int) * 2', '(* (sizeof <int>) 2)'],
			['sizeof x + 1', '(+ (sizeof x) 1)'],
			['sizeof(x)', '(sizeof x)'],
			['sizeof(T)', '(sizeof <T>)'],
			['sizeof(int[3])', '(sizeof <array 3 of int>)'],
			['sizeof *p', '(sizeof (* p))'],
			['sizeof (point){1, 2}', '(sizeof (literal <point> {1, 2}))'],
			['sizeof(T) - sizeof(x)', '(- (sizeof <T>) (sizeof x))'],
			['_Alignof(long) + __alignof__(x)', '(+ (alignof <long>) (__alignof__ x))'],
			['(point){ .x = 1, .y = 2 }.x', '(. (literal <point> {.x=1, .y=2}) x)'],
			['(int[]){1, 2, 3}[1]', '([] (literal <array of int> {1, 2, 3}) 1)'],
			['"ab" "cd"', '"abcd"'],
			['"a\\n" "\\x41"', '"a\\nA"'],
			['\'a\' + \'\\xff\'', '(+ \'97\' \'-1\')'],
			['1.5f + 2.0 + .5e1', '(+ (+ 1.5f 2) 5)'],
			['0x1fUL + 0777 + 10u', '(+ (+ 31 511) 10)'],
			['({ int t = 1; t + 1; })', '({ 2 items })'],
			['x = ({ a; })', '(= x ({ 1 items }))'],
			['__extension__ ({ 1; })', '({ 1 items })'],
			['__builtin_expect(!!(x), 1)', '(__builtin_expect (! (! x)) 1)'],
			['__builtin_unreachable()', '(__builtin_unreachable )'],
			['__builtin_types_compatible_p(int, T)', '(__builtin_types_compatible_p <int> <T>)'],
			['__builtin_offsetof(struct point, y)', '(offsetof <struct point> y)'],
			['__builtin_offsetof(point, x.y[2].z)', '(offsetof <point> x y [2] z)'],
			['__builtin_va_arg(p, int *)', '(va_arg p <pointer to int>)'],
			['__builtin_choose_expr(1, a, b)', '(__builtin_choose_expr 1 a b)'],
			['a++ + ++b', '(+ (post++ a) (pre++ b))'],
			['a---b', '(- (post-- a) b)'],
			['x = y == 0', '(= x (== y 0))'],
			['p = &*p', '(= p (& (* p)))'],
		];
		for (const [source, expected] of cases) {
			it(source, () => assert.equal(exprOf(source, prelude), expected));
		}

		it('makes the omitted middle of ?: the same node as the condition', () => {
			const items = bodyOf('int a, b; void f(void) { a ?: b; }');
			const e = (items[0] as ExprStmt).expr;
			assert.ok(e.kind === 'Conditional');
			assert.equal(e.then, e.cond);
		});

		it('decodes literals into values and flags', () => {
			const items = bodyOf('void f(void) { 10u; 0x1fUL; 42LL; 1.5f; L\'x\'; L"ab" "c"; u8"é"; }');
			const exprs = items.map(s => (s as ExprStmt).expr);
			const [u, ul, ll, fl, wc, ws, u8] = exprs;
			assert.ok(u.kind === 'IntLiteral' && u.value === 10n && u.unsignedSuffix && u.longSuffix === 0 && u.decimal);
			assert.ok(ul.kind === 'IntLiteral' && ul.value === 31n && ul.unsignedSuffix && ul.longSuffix === 1 && !ul.decimal && ul.text === '0x1fUL');
			assert.ok(ll.kind === 'IntLiteral' && ll.longSuffix === 2 && !ll.unsignedSuffix);
			assert.ok(fl.kind === 'FloatLiteral' && fl.value === 1.5 && fl.suffix === 'f');
			assert.ok(wc.kind === 'CharLiteral' && wc.wide && wc.value === 120);
			// A narrow literal joined to a wide one is widened: 3 four-byte units.
			assert.ok(ws.kind === 'StringLiteral' && ws.wide && ws.bytes.length === 12 && ws.bytes[8] === 99);
			assert.ok(u8.kind === 'StringLiteral' && !u8.wide && u8.bytes.length === 2);
		});

		it('parses a statement expression with declarations and a typedef-scoped body', () => {
			const items = bodyOf('typedef int T; int x; void f(void) { x = ({ T y = 2; int T = 3; T * y; }); }');
			const e = (items[0] as ExprStmt).expr;
			assert.ok(e.kind === 'Assign' && e.value.kind === 'StmtExpr');
			assert.deepEqual(e.value.body.items.map(s => s.kind), ['Declaration', 'Declaration', 'ExprStmt']);
		});

		it('parses calls to any __builtin_ as BuiltinCall and leaves other uses as identifiers', () => {
			const items = bodyOf('void f(void) { __builtin_va_start(ap, fmt); __builtin_va_end(ap); __builtin_va_copy(a, b); __builtin_clz(x); __builtin_trap(); g = __builtin_memcpy; }');
			assert.deepEqual(items.map(s => sexp((s as ExprStmt).expr)), [
				'(__builtin_va_start ap fmt)', '(__builtin_va_end ap)', '(__builtin_va_copy a b)', '(__builtin_clz x)', '(__builtin_trap )', '(= g __builtin_memcpy)',
			]);
		});
	});

	describe('initializers', () => {
		function initOf(text: string): string {
			const d = onlyDecl(text);
			const init = d.declarators[0].init;
			assert.ok(init !== undefined);
			return sexp(init);
		}
		const cases: [string, string][] = [
			['int a[] = { 1, 2, 3, };', '{1, 2, 3}'],
			['int m[2][2] = { {1, 2}, {3, 4} };', '{{1, 2}, {3, 4}}'],
			['struct s { int a, b[3]; } x = { .a = 1, .b = { 2, 3 }, };', '{.a=1, .b={2, 3}}'],
			['int a[10] = { [1 ... 3] = 5, [5] = 6, 7 };', '{[1 ... 3]=5, [5]=6, 7}'],
			['struct t { struct { int b[3]; } a; } x = { .a.b[2] = 1 };', '{.a.b[2]=1}'],
			['char s[] = "hi";', '"hi"'],
			['char s[4] = { "hi" };', '{"hi"}'],
			['struct s { int a; } x = { a: 1 };', '{.a=1}'],
			['struct s { int a; } x = {};', '{}'],
			['int a[3] = { [0] 1 };', '{[0]=1}'],
		];
		for (const [source, expected] of cases) {
			it(source, () => assert.equal(initOf(source), expected));
		}

		it('parses an ops table of function pointers with designated initializers', () => {
			const d = onlyDecl([
				'struct file_operations { int (*open)(void *); long (*ioctl)(void *, unsigned int, unsigned long); void *owner; };',
				'static int my_open(void *f); static long my_ioctl(void *f, unsigned int cmd, unsigned long arg);',
				'static const struct file_operations fops = {',
				'\t.owner = (void *)0,',
				'\t.open = my_open,',
				'\t.ioctl = &my_ioctl,',
				'};',
			].join('\n'));
			assert.equal(d.specs.storage, 'static');
			assert.equal(sexp(d.declarators[0].init as Initializer), '{.owner=(cast <pointer to void> 0), .open=my_open, .ioctl=(& my_ioctl)}');
		});
	});

	describe('statements', () => {
		function kinds(s: Stmt | Declaration): unknown {
			switch (s.kind) {
				case 'Compound':
					return s.items.map(kinds);
				case 'If':
					return { if: sexp(s.cond), then: kinds(s.then), ...(s.otherwise ? { else: kinds(s.otherwise) } : {}) };
				case 'While':
					return { while: sexp(s.cond), body: kinds(s.body) };
				case 'DoWhile':
					return { do: kinds(s.body), while: sexp(s.cond) };
				case 'For':
					return {
						for: [s.init === undefined ? '' : s.init.kind === 'Declaration' ? 'decl' : sexp(s.init), s.cond ? sexp(s.cond) : '', s.step ? sexp(s.step) : ''],
						body: kinds(s.body),
					};
				case 'Switch':
					return { switch: sexp(s.cond), body: kinds(s.body) };
				case 'Case':
					return { case: sexp(s.value) + (s.last ? ` ... ${sexp(s.last)}` : ''), body: kinds(s.body) };
				case 'Default':
					return { default: kinds(s.body) };
				case 'Labeled':
					return { label: s.label, body: kinds(s.body) };
				case 'Goto':
					return `goto ${s.label}`;
				case 'Return':
					return s.value ? `return ${sexp(s.value)}` : 'return';
				case 'ExprStmt':
					return sexp(s.expr);
				case 'Declaration':
					return `decl ${s.declarators.map(d => d.declarator.name).join(',')}`;
				default:
					return s.kind;
			}
		}
		function stmts(body: string): unknown {
			return bodyOf(`int a, b, c, x, y; void f(void) { ${body} }`).map(kinds);
		}

		it('parses if / else if / else chains and binds a dangling else to the nearest if', () => {
			assert.deepEqual(stmts('if (a) x; else if (b) y; else { c; }'), [
				{ if: 'a', then: 'x', else: { if: 'b', then: 'y', else: ['c'] } },
			]);
			assert.deepEqual(stmts('if (a) if (b) x; else y;'), [{ if: 'a', then: { if: 'b', then: 'x', else: 'y' } }]);
		});

		it('parses loops, including declarations in for', () => {
			assert.deepEqual(stmts('while (a) a--; do { b++; } while (b < 3); for (;;) break; for (int i = 0, j; i < 3; i++) continue; for (a = 0; a; ) ;'), [
				{ while: 'a', body: '(post-- a)' },
				{ do: ['(post++ b)'], while: '(< b 3)' },
				{ for: ['', '', ''], body: 'Break' },
				{ for: ['decl', '(< i 3)', '(post++ i)'], body: 'Continue' },
				{ for: ['(= a 0)', 'a', ''], body: 'Empty' },
			]);
		});

		it('parses switch with case ranges, fall-through chains and default', () => {
			assert.deepEqual(stmts('switch (a) { case 1 ... 5: x; case 6: case 7: y; break; default: ; }'), [
				{
					switch: 'a',
					body: [
						{ case: '1 ... 5', body: 'x' },
						{ case: '6', body: { case: '7', body: 'y' } },
						'Break',
						{ default: 'Empty' },
					],
				},
			]);
		});

		it('parses labels, goto error unwinding and labels at the end of a block', () => {
			assert.deepEqual(stmts('if (a) goto out; x = 1; out: y = 2; fail: __attribute__((unused)) ; { end: }'), [
				{ if: 'a', then: 'goto out' },
				'(= x 1)',
				{ label: 'out', body: '(= y 2)' },
				{ label: 'fail', body: 'Empty' },
				[{ label: 'end', body: 'Empty' }],
			]);
		});

		it('parses return, empty statements, asm statements and statement attributes', () => {
			assert.deepEqual(stmts('return; return a + 1; ; asm volatile("nop" : : "r"(a) : "memory"); __asm__ __volatile__("" ::: "memory"); __attribute__((fallthrough));'), [
				'return', 'return (+ a 1)', 'Empty', 'Empty', 'Empty', 'Empty',
			]);
		});

		it('skips __label__ declarations and __extension__ prefixes', () => {
			assert.deepEqual(stmts('__label__ l1, l2; __extension__ long long v = 1; __extension__ (a);'), ['decl v', 'a']);
		});

		it('parses declarations mixed with statements', () => {
			assert.deepEqual(stmts('a = 1; int z = a; static const char *names[] = { "x", "y" }; z++;'), ['(= a 1)', 'decl z', 'decl names', '(post++ z)']);
		});
	});

	describe('ranges', () => {
		const source = [
			'typedef struct s { int a; } s_t;',
			'static int f(int x, s_t *p)',
			'{',
			'\tint y = (x + 1) * 2;',
			'\tif (y > 3)',
			'\t\treturn p->a;',
			'\telse',
			'\t\ty--;',
			'\treturn y;',
			'}',
		].join('\n');

		it('gives every node the span of its first and last tokens', () => {
			const tree = parseClean(source);
			checkRanges(tree);
			const f = tree.decls[1] as FunctionDef;
			assert.equal(textAt(source, f.range), source.slice(source.indexOf('static')));
			assert.equal(textAt(source, f.specs.range), 'static int');
			assert.equal(textAt(source, f.declarator.range), 'f(int x, s_t *p)');
			assert.equal(textAt(source, f.declarator.nameRange as SourceRange), 'f');
			const fn = f.declarator.derived[0];
			assert.ok(fn.kind === 'Function');
			assert.equal(textAt(source, fn.range), '(int x, s_t *p)');
			assert.deepEqual(fn.params.map(p => textAt(source, p.range)), ['int x', 's_t *p']);
			assert.equal(textAt(source, fn.params[1].declarator.derived[0].range), '*');
			const [decl, ifStmt, ret] = f.body.items;
			assert.equal(textAt(source, decl.range), 'int y = (x + 1) * 2;');
			assert.ok(decl.kind === 'Declaration');
			assert.equal(textAt(source, decl.declarators[0].range), 'y = (x + 1) * 2');
			const init = decl.declarators[0].init as Expr;
			assert.equal(textAt(source, init.range), '(x + 1) * 2');
			assert.ok(init.kind === 'Binary');
			assert.equal(textAt(source, init.left.range), 'x + 1');
			assert.equal(textAt(source, ifStmt.range), 'if (y > 3)\n\t\treturn p->a;\n\telse\n\t\ty--;');
			assert.ok(ifStmt.kind === 'If' && ifStmt.otherwise !== undefined);
			assert.equal(textAt(source, ifStmt.then.range), 'return p->a;');
			assert.equal(textAt(source, ifStmt.otherwise.range), 'y--;');
			assert.ok(ifStmt.then.kind === 'Return' && ifStmt.then.value?.kind === 'Member');
			assert.equal(textAt(source, ifStmt.then.value.range), 'p->a');
			assert.equal(textAt(source, ifStmt.then.value.nameRange), 'a');
			assert.equal(textAt(source, ret.range), 'return y;');
			assert.equal(textAt(source, f.body.range), source.slice(source.indexOf('{\n')));
		});

		it('spans struct specifiers, type names and labeled statements exactly', () => {
			const text = 'struct q { int a : 3; } v;\nvoid g(void) { lbl: case 1: v.a = sizeof(struct q *); }';
			const tree = parseText(text).tree; // `case` outside switch is the checker's business
			checkRanges(tree);
			const spec = (tree.decls[0] as Declaration).specs.typeSpecs[0];
			assert.equal(textAt(text, spec.range), 'struct q { int a : 3; }');
			const g = tree.decls[1] as FunctionDef;
			const labeled = g.body.items[0];
			assert.equal(textAt(text, labeled.range), 'lbl: case 1: v.a = sizeof(struct q *);');
			assert.ok(labeled.kind === 'Labeled' && labeled.body.kind === 'Case');
			assert.equal(textAt(text, labeled.body.range), 'case 1: v.a = sizeof(struct q *);');
			const stmt = labeled.body.body;
			assert.ok(stmt.kind === 'ExprStmt' && stmt.expr.kind === 'Assign' && stmt.expr.value.kind === 'SizeofType');
			assert.equal(textAt(text, stmt.expr.value.range), 'sizeof(struct q *)');
			assert.equal(textAt(text, stmt.expr.value.typeName.range), 'struct q *');
		});

		it('points tokens from macro expansions at the invocation', () => {
			const result = preprocess('main.c', memorySources({ 'main.c': '#define INC(v) ((v) + 1)\nint z = INC(2);\n' }));
			const { tree, diagnostics } = parse(result.tokens, 'main.c');
			assert.deepEqual(diagnostics, []);
			const init = (tree.decls[0] as Declaration).declarators[0].init as Expr;
			assert.deepEqual([init.range.line, init.range.col, init.range.endLine, init.range.endCol], [2, 9, 2, 15]);
		});
	});

	describe('diagnostics', () => {
		const cases: [string, string[]][] = [
			['int f(void) {\n\tint x = 1\n\treturn x;\n}', ['2:11: error: expected \';\' at end of declaration']],
			['void f(void) {\n\tg(1)\n}', ['2:6: error: expected \';\' after expression']],
			['void f(void) { g(1, 2; h(); }', ['1:22: error: expected \')\'']],
			['void f(void) { int x = (1 + ; }', ['1:29: error: expected expression']],
			['foo x;\nint y;', ['1:1: error: unknown type name \'foo\'']],
			['int f(int a, bar b);', ['1:14: error: unknown type name \'bar\'']],
			['void f(void) { foo *p; foo q; }', ['1:24: error: unknown type name \'foo\'']],
			['int 5;', ['1:5: error: expected identifier or \'(\'']],
			['}\nint x;', ['1:1: error: expected identifier or \'(\'']],
			['typedef int T;\nint f(void) { return T + 1; }', ['2:22: error: unexpected type name \'T\': expected expression']],
			['int x = 08;', ['1:9: error: invalid digit "8" in octal constant']],
			['int f(void) { if (a b) c; return 0; }', ['1:21: error: expected \')\'']],
			['int f(void) { return 0;', ['1:24: error: expected \'}\'']],
			['void f(void) { out: int x; }', ['1:21: error: a label can only be part of a statement and a declaration is not a statement']],
			['struct s { int a; int b };', ['1:24: warning: no semicolon at end of struct or union']],
			['int;', ['1:1: warning: declaration does not declare anything']],
			['static x = 1;', ['1:8: error: type specifier missing, defaults to \'int\'']],
			['void f(void) { do x++; (y); }', ['1:24: error: expected \'while\' in do/while loop']],
			['void f(void) { for (int i = 0; i < 3 i++) ; }', ['1:38: error: expected \';\' in \'for\' statement specifier']],
			['int a[3] = { 1, 2 3 };', ['1:19: error: expected \'}\'']],
			['void f(void) { x = a ? b; }', ['1:25: error: expected \':\'']],
			['void f(void) { goto; }', ['1:20: error: expected identifier']],
			['void f(void) { x.; }', ['1:18: error: expected identifier']],
			['int g(void) { int f(void) { return 1; } return 0; }', ['1:19: error: function definition is not allowed here']],
			['void f(void) { x = _Generic(1, int: 2); }', ['1:20: error: \'_Generic\' is not supported in KC']],
			['static extern int x;', ['1:8: error: multiple storage classes in declaration specifiers']],
			['int f(static int x);', ['1:7: error: invalid storage class specifier in function declarator']],
			['int x = (int) ;', ['1:15: error: expected expression']],
			['char *s = L"a" u"b";', ['1:11: error: unsupported non-standard concatenation of string literals']],
			['struct { int a; } x = { .a b };', ['1:28: error: expected \'=\'']],
			['int f(void) { return x +; }', ['1:25: error: expected expression']],
		];
		for (const [source, expected] of cases) {
			it(JSON.stringify(source), () => assert.deepEqual(diagnosticsOf(source), expected));
		}

		it('adds a note pointing at the unmatched opener', () => {
			const [d] = parseText('void f(void) {\n\tg(1, 2;\n}').diagnostics;
			assert.equal(d.message, 'expected \')\'');
			assert.deepEqual(d.related?.map(r => `${r.range.line}:${r.range.col}: ${r.message}`), ['2:3: to match this \'(\'']);
		});

		it('reports one error per broken statement and keeps parsing the rest', () => {
			const text = [
				'int f(void) {',
				'\tint a = 1 2 3;',
				'\ta = ) + 4;',
				'\ta = 5;',
				'}',
				'int g(void) { return 7; }',
			].join('\n');
			const result = parseText(text);
			assert.deepEqual(result.diagnostics.map(d => `${d.range.line}:${d.range.col}: ${d.message}`), [
				'2:11: expected \';\' at end of declaration',
				'3:6: expected expression',
			]);
			const [f, g] = result.tree.decls;
			assert.ok(f.kind === 'FunctionDef' && g.kind === 'FunctionDef');
			assert.deepEqual(f.body.items.map(s => (s.kind === 'ExprStmt' ? sexp(s.expr) : s.kind)), ['Declaration', '(= a <error>)', '(= a 5)']);
			assert.equal(g.declarator.name, 'g');
			checkRanges(result.tree);
		});

		it('continues after a missing semicolon at the end of a line as if it were there', () => {
			const result = parseText('void f(void) {\n\tx = 1\n\ty = 2;\n}');
			assert.equal(result.diagnostics.length, 1);
			const f = result.tree.decls[0] as FunctionDef;
			assert.deepEqual(f.body.items.map(s => sexp((s as ExprStmt).expr)), ['(= x 1)', '(= y 2)']);
		});

		it('recovers at file scope after a broken declaration', () => {
			const result = parseText('int x = ;\nstruct s { int a; ) ; };\nint ok(void) { return 1; }');
			assert.ok(result.diagnostics.length >= 1 && result.diagnostics.length <= 3, result.diagnostics.map(formatDiagnostic).join('\n'));
			const last = result.tree.decls[result.tree.decls.length - 1];
			assert.ok(last.kind === 'FunctionDef' && last.declarator.name === 'ok');
		});

		it('names the macro a diagnostic comes from', () => {
			const result = preprocess('main.c', memorySources({ 'main.c': '#define BAD (1 +)\nint z = BAD;\n' }));
			const { diagnostics } = parse(result.tokens, 'main.c');
			assert.equal(diagnostics.length, 1);
			assert.equal(diagnostics[0].message, 'expected expression');
			assert.deepEqual(diagnostics[0].related?.map(r => r.message), ['in expansion of macro \'BAD\'']);
		});
	});

	describe('robustness', () => {
		it('accepts 256 nested parentheses (clang\'s limit) and 200 nested blocks and declarators', () => {
			parseClean(`int x = ${'('.repeat(256)}1${')'.repeat(256)};`);
			parseClean(`void f(int x) { { { if (x) { x = ${'('.repeat(256)}1${')'.repeat(256)}; } } } }`);
			parseClean(`void f(void) ${'{'.repeat(200)}${'}'.repeat(200)}`);
			parseClean(`int ${'('.repeat(200)}*p${')'.repeat(200)};`);
		});

		it('reports absurd nesting instead of overflowing the stack, then goes on', () => {
			const deep = [
				`int a = ${'('.repeat(5000)}1${')'.repeat(5000)};`,
				`int b = ${'-'.repeat(5000)}1;`,
				`int c = ${'(int)'.repeat(5000)}1;`,
				`int d = ${'x ? y : '.repeat(5000)}1;`,
				`void e(void) { ${'{'.repeat(5000)}${'}'.repeat(5000)} }`,
				`void g(void) { ${'if (x) '.repeat(5000)}; }`,
				`int ${'*'.repeat(5000)}h${'[1]'.repeat(5000)};`,
				`int i = ${'{'.repeat(5000)}1${'}'.repeat(5000)};`,
				`int j = ${'({'.repeat(5000)}1;${'})'.repeat(5000)};`,
				`${'struct s { '.repeat(5000)}`,
			];
			for (const text of deep) {
				const result = parseText(`${text}\nint survivor;`);
				const messages = result.diagnostics.map(d => d.message);
				assert.ok(!messages.some(m => m.startsWith('internal')), messages.join('; '));
				const last = result.tree.decls[result.tree.decls.length - 1];
				if (!text.startsWith('int *') && !text.startsWith('struct')) {
					assert.ok(messages.includes('expression, statement or declarator nested too deeply'), text.slice(0, 20));
					assert.ok(last.kind === 'Declaration' && last.declarators[0]?.declarator.name === 'survivor', text.slice(0, 20));
				}
			}
		});

		it('handles long else-if chains, case chains and string concatenations without recursion', () => {
			const chain = `void f(int x) { ${'if (x == 1) x = 2; else '.repeat(5000)}; switch (x) { ${'case 1: '.repeat(5000)} break; } }`;
			const tree = parseClean(chain);
			const f = tree.decls[0] as FunctionDef;
			let depth = 0;
			for (let s: Stmt | undefined = f.body.items[0] as Stmt; s?.kind === 'If'; s = s.otherwise) depth++;
			assert.equal(depth, 5000);
			parseClean(`char *s = ${'"ab" '.repeat(5000)};`);
		});

		it('accepts a token array without EOF and an empty one', () => {
			assert.deepEqual(parse([], 'e.c').tree.decls, []);
			const tokens = lex('int x;', 'n.c').tokens.filter(t => t.kind !== TokenKind.EOF);
			const result = parse(tokens, 'n.c');
			assert.deepEqual(result.diagnostics, []);
			assert.equal(result.tree.decls.length, 1);
		});

		const vocabulary = [
			'int', 'char', 'long', 'unsigned', 'const', 'static', 'typedef', 'struct', 'union', 'enum', 'void', 'T', 'x', 'y', 'f',
			'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'break', 'return', 'goto', 'sizeof', 'typeof',
			'__attribute__', '__builtin_offsetof', '__builtin_va_arg', '__builtin_expect', 'asm', '_Static_assert', '__extension__',
			'(', ')', '[', ']', '{', '}', ';', ',', ':', '?', '...', '.', '->', '*', '&', '+', '-', '!', '~', '=', '+=', '<<', '&&', '++',
			'0', '1', '0x1f', '1.5', '08', '\'a\'', '"s"', 'L"w"',
		];
		/** Tokens for `texts` laid out on one line, separated by single spaces. */
		function tokensFrom(texts: readonly string[]): Token[] {
			let col = 1;
			const tokens: Token[] = texts.map(text => {
				const kind = /^[A-Za-z_]/.test(text) && !text.startsWith('L"') ? TokenKind.Identifier
					: /^[0-9.]/.test(text) && text !== '...' && text !== '.' ? TokenKind.Number
						: text.startsWith('\'') ? TokenKind.CharLiteral
							: text.includes('"') ? TokenKind.StringLiteral : TokenKind.Punctuator;
				const range = { file: 's.c', line: 1, col, endLine: 1, endCol: col + text.length };
				col += text.length + 1;
				return { kind, text, spaceBefore: true, range };
			});
			tokens.push({ kind: TokenKind.EOF, text: '', spaceBefore: false, range: { file: 's.c', line: 1, col, endLine: 1, endCol: col } });
			return tokens;
		}
		function checkResult(result: ParseResult): void {
			assert.equal(result.tree.kind, 'TranslationUnit');
			const internal = result.diagnostics.filter(d => d.message.startsWith('internal'));
			assert.deepEqual(internal, []);
			checkRanges(result.tree);
		}

		it('never throws on random token soups (property)', () => {
			fc.assert(fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 120 }), texts => {
				checkResult(parse(tokensFrom(texts), 's.c'));
			}), { numRuns: Number(process.env.PARSER_FUZZ_RUNS ?? 1500) });
		});

		it('never throws on random text (property)', () => {
			fc.assert(fc.property(fc.string({ maxLength: 200 }), text => {
				checkResult(parse(lex(text, 's.c').tokens, 's.c'));
			}), { numRuns: Number(process.env.PARSER_FUZZ_RUNS ?? 500) });
		});

		const program = [
			'typedef unsigned long size_t; typedef struct node { struct node *next; int v; } node_t;',
			'static int (*handlers[2])(int) = { 0 };',
			'enum { A = 1, B, };',
			'static int sum(node_t *n, int (*fn)(int), ...) {',
			'\tint s = 0; __label__ done;',
			'\tfor (node_t *p = n; p; p = p->next) { if (!fn) goto done; s += fn(p->v) ?: 1; }',
			'\tswitch (s) { case 0 ... 3: s = (int)sizeof(node_t); break; default: s = ({ int t = s; t * 2; }); }',
			'done:',
			'\treturn s > 0 ? s : -s;',
			'}',
			'struct point { int x, y; } pts[] = { [0] = { .x = 1 }, [1 ... 2] = { 2, 3 } };',
			'int main(void) { char buf[8] = "abc"; return sum((node_t *)0, handlers[0]) + __builtin_offsetof(struct point, y) + buf[0]; }',
		].join('\n');

		it('parses the mutation seed program cleanly', () => {
			checkRanges(parseClean(program));
		});

		it('never throws on mutated valid programs (property)', () => {
			const base = lex(program, 'm.c').tokens.filter(t => t.kind !== TokenKind.EOF).map(t => t.text);
			const mutation = fc.oneof(
				fc.record({ op: fc.constant('delete' as const), at: fc.nat(), text: fc.constant('') }),
				fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), text: fc.constant('') }),
				fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...vocabulary) }),
				fc.record({ op: fc.constant('swap' as const), at: fc.nat(), text: fc.constant('') }),
			);
			fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), mutations => {
				const texts = base.slice();
				for (const m of mutations) {
					const at = m.at % (texts.length + 1);
					if (m.op === 'delete') texts.splice(at, 1);
					else if (m.op === 'duplicate') texts.splice(at, 0, texts[Math.min(at, texts.length - 1)] ?? ';');
					else if (m.op === 'insert') texts.splice(at, 0, m.text);
					else if (at + 1 < texts.length) [texts[at], texts[at + 1]] = [texts[at + 1], texts[at]];
				}
				checkResult(parse(tokensFrom(texts), 'm.c'));
				// Mutated text through the real lexer too (spacing-sensitive tokens such as `1 ...`).
				checkResult(parse(lex(texts.join(' '), 'm.c').tokens, 'm.c'));
			}), { numRuns: Number(process.env.PARSER_FUZZ_RUNS ?? 600) });
		});
	});

	describe('kernel-style source through the preprocessor', () => {
		const files: Record<string, string> = {
			'include/linux/stddef.h': [
				'#ifndef _LINUX_STDDEF_H',
				'#define _LINUX_STDDEF_H',
				'#define NULL ((void *)0)',
				'#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)',
				'typedef unsigned long size_t;',
				'#endif',
			].join('\n'),
			'include/linux/types.h': [
				'#pragma once',
				'#include <linux/stddef.h>',
				'typedef unsigned char u8; typedef unsigned int u32; typedef unsigned long long u64;',
				'typedef _Bool bool;',
				'#define true 1',
				'#define false 0',
				'#define __packed __attribute__((packed))',
				'#define likely(x) __builtin_expect(!!(x), 1)',
				'#define unlikely(x) __builtin_expect(!!(x), 0)',
				'#define fallthrough __attribute__((__fallthrough__))',
				'#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))',
			].join('\n'),
			'include/linux/list.h': [
				'#pragma once',
				'#include <linux/types.h>',
				'struct list_head { struct list_head *next, *prev; };',
				'#define LIST_HEAD_INIT(name) { &(name), &(name) }',
				'#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)',
				'#define container_of(ptr, type, member) ({ \\',
				'\tconst typeof(((type *)0)->member) *__mptr = (ptr); \\',
				'\t(type *)((char *)__mptr - offsetof(type, member)); })',
				'#define list_entry(ptr, type, member) container_of(ptr, type, member)',
				'#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)',
				'#define list_next_entry(pos, member) list_entry((pos)->member.next, typeof(*(pos)), member)',
				'#define list_for_each_entry(pos, head, member) \\',
				'\tfor (pos = list_first_entry(head, typeof(*pos), member); \\',
				'\t     &pos->member != (head); \\',
				'\t     pos = list_next_entry(pos, member))',
				'static inline void list_add(struct list_head *new, struct list_head *head)',
				'{',
				'\tnew->next = head->next; new->prev = head;',
				'\thead->next->prev = new; head->next = new;',
				'}',
			].join('\n'),
			'include/linux/fs.h': [
				'#pragma once',
				'#include <linux/types.h>',
				'struct inode; struct file;',
				'typedef long loff_t;',
				'struct file_operations {',
				'\tint (*open)(struct inode *, struct file *);',
				'\tlong (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);',
				'\tloff_t (*llseek)(struct file *, loff_t, int);',
				'\tint (*release)(struct inode *, struct file *);',
				'};',
				'extern void *kzalloc(size_t size, unsigned int flags) __attribute__((__malloc__));',
				'extern void kfree(const void *);',
				'extern int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));',
				'#define GFP_KERNEL 0x10u',
				'#define EINVAL 22',
				'#define ENOMEM 12',
			].join('\n'),
			'drivers/demo.c': [
				'#include <linux/list.h>',
				'#include <linux/fs.h>',
				'',
				'struct demo_buf {',
				'\tstruct list_head node;',
				'\tu32 id;',
				'\tu8 flags : 3, dirty : 1;',
				'\tunion { u64 pfn; void *vaddr; };',
				'\tu8 data[];',
				'} __packed;',
				'',
				'static LIST_HEAD(demo_list);',
				'static const char *const demo_names[] = { [0] = "vram", [1] = "gtt", [2 ... 3] = "sys", };',
				'',
				'static int demo_open(struct inode *inode, struct file *file)',
				'{',
				'\tstruct demo_buf *a, *b, *pos;',
				'\tint ret = -ENOMEM;',
				'',
				'\tBUILD_BUG_ON(sizeof(struct demo_buf) < 8);',
				'\ta = kzalloc(sizeof(*a), GFP_KERNEL);',
				'\tif (unlikely(!a))',
				'\t\tgoto err;',
				'\tb = kzalloc(sizeof(*b) + 16, GFP_KERNEL);',
				'\tif (!b)',
				'\t\tgoto err_free_a;',
				'\tlist_add(&a->node, &demo_list);',
				'\tlist_add(&b->node, &demo_list);',
				'\tlist_for_each_entry(pos, &demo_list, node) {',
				'\t\tswitch (pos->id) {',
				'\t\tcase 0 ... 1:',
				'\t\t\tpos->dirty = 1;',
				'\t\t\tfallthrough;',
				'\t\tcase 2:',
				'\t\t\tprintk("%s %u\\n", demo_names[pos->id & 3], pos->id);',
				'\t\t\tbreak;',
				'\t\tdefault:',
				'\t\t\tret = -EINVAL;',
				'\t\t}',
				'\t}',
				'\treturn 0;',
				'',
				'err_free_a:',
				'\tkfree(a);',
				'err:',
				'\treturn ret;',
				'}',
				'',
				'static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)',
				'{',
				'\tstruct demo_buf *buf = container_of((struct list_head *)arg, struct demo_buf, node);',
				'\treturn likely(cmd == 1) ? (long)buf->id : -EINVAL;',
				'}',
				'',
				'static const struct file_operations demo_fops = {',
				'\t.open = demo_open,',
				'\t.unlocked_ioctl = demo_ioctl,',
				'\t.llseek = NULL,',
				'};',
			].join('\n'),
		};

		it('parses an ops table, list_for_each_entry and goto unwinding without diagnostics', () => {
			const pre = preprocess('drivers/demo.c', memorySources(files));
			assert.deepEqual(pre.diagnostics.map(formatDiagnostic), []);
			const { tree, diagnostics } = parse(pre.tokens, 'drivers/demo.c');
			assert.deepEqual(diagnostics.map(formatDiagnostic), []);
			checkRanges(tree);
			const defs = tree.decls.filter((d): d is FunctionDef => d.kind === 'FunctionDef').map(d => d.declarator.name);
			assert.deepEqual(defs, ['list_add', 'demo_open', 'demo_ioctl']);
			const open = tree.decls.find((d): d is FunctionDef => d.kind === 'FunctionDef' && d.declarator.name === 'demo_open') as FunctionDef;
			const labels = open.body.items.filter(s => s.kind === 'Labeled').map(s => (s.kind === 'Labeled' ? s.label : ''));
			assert.deepEqual(labels, ['err_free_a', 'err']);
			const loop = open.body.items.find(s => s.kind === 'For');
			assert.ok(loop?.kind === 'For' && loop.init !== undefined && loop.init.kind === 'Assign' && loop.init.value.kind === 'StmtExpr');
			// The loop's statements all map back to the macro invocation's line in the driver.
			assert.equal(loop.range.file, 'drivers/demo.c');
			assert.equal(loop.range.line, 29);
			const fops = tree.decls[tree.decls.length - 1] as Declaration;
			assert.equal(sexp(fops.declarators[0].init as Initializer),
				'{.open=demo_open, .unlocked_ioctl=demo_ioctl, .llseek=(cast <pointer to void> 0)}');
		});
	});
});

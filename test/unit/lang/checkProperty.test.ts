// Property tests for the KC checker (layer: lang): random token-level mutations of valid programs
// never make the front end throw or hit an internal checker error, and whenever a mutant compiles
// without errors, every expression in its tree is typed.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile, everyExpr } from './checkSupport';

const programs = [
	`struct node { int value; struct node *next; unsigned flags : 3; };
	static int count(const struct node *n) { int c = 0; while (n) { c += n->value > 0 ? 1 : 0; n = n->next; } return c; }
	int main(void) { struct node a = { 1, 0, 2 }, b = { .value = -2, .next = &a }; return count(&b) + (int)sizeof(struct node); }`,
	`typedef unsigned long size_t; enum mode { READ = 1, WRITE = 2, BOTH = READ | WRITE };
	union word { unsigned char b[4]; unsigned int w; };
	int table[] = { [BOTH] = 3, [READ] = 1 }; const char *names[] = { "r", "w", "rw" };
	unsigned sum(union word u) { unsigned s = 0; for (size_t i = 0; i < sizeof u.b; i++) s += u.b[i] << (i * 8); return s ^ u.w; }
	int main(int argc, char **argv) { union word u = { .w = 0x01020304 }; switch (argc) { case 1: return (int)sum(u); case 2 ... 4: return table[READ]; default: return names[0][0]; } }`,
	`typedef __builtin_va_list va_list;
	int total(int n, ...) { va_list ap; __builtin_va_start(ap, n); int t = 0; while (n-- > 0) t += __builtin_va_arg(ap, int); __builtin_va_end(ap); return t; }
	#define MAX(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
	int main(void) { int x = MAX(3, 4L); double d = 1.5 * x; long *p = &(long){ 5 }; goto done; done: return total(3, 1, 2, (int)d) + (int)*p + __builtin_popcount(7u); }`,
	`struct list_head { struct list_head *next, *prev; };
	#define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
	struct item { long key; struct list_head link; };
	static struct item items[4]; static struct list_head head = { &head, &head };
	long find(long key) { for (struct list_head *l = head.next; l != &head; l = l->next) { struct item *it = container_of(l, struct item, link); if (it->key == key) return it - items; } return -1; }
	int main(void) { items[0].key = 7; return (int)find(7) + (char)300 + (-1 < 1u); }`,
];

/** Splits C source into rough tokens (good enough to mutate programs at token boundaries). */
function tokens(source: string): string[] {
	return source.match(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[A-Za-z_]\w*|\d[\w.]*|\.\.\.|->|\+\+|--|<<=|>>=|<<|>>|[<>!=+\-*/%&|^]=|&&|\|\||\S/g) ?? [];
}

const pool = ['int', 'struct', 'union', '*', '&', '(', ')', '{', '}', '[', ']', ';', ',', '=', '+', '-', '?', ':', '0', '1', 'x', 'void', 'const', 'sizeof', '"s"', "'c'", 'return', 'case', 'break', 'goto', 'typedef', 'static', 'extern', '...', '->', '.', '__builtin_va_arg', '__typeof__', 'enum', 'long', 'char', 'unsigned', '1.5', '-1', '0x7fffffff'];

const mutation = fc.oneof(
	fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...pool) }),
	fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), token: fc.constantFrom(...pool) }),
	fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
	fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(source: string, mutations: readonly Mutation[]): string {
	const list = tokens(source);
	for (const m of mutations) {
		if (list.length === 0) {
			break;
		}
		const at = m.at % list.length;
		switch (m.kind) {
			case 'delete':
				list.splice(at, 1);
				break;
			case 'insert':
				list.splice(at, 0, m.token);
				break;
			case 'replace':
				list[at] = m.token;
				break;
			case 'swap': {
				const other = m.with % list.length;
				[list[at], list[other]] = [list[other], list[at]];
				break;
			}
			case 'duplicate':
				list.splice(at, 0, ...list.slice(at, at + m.length));
				break;
		}
	}
	// Keep preprocessor directives on their own lines.
	return list.join(' ').replace(/ # ?define/g, '\n#define').replace(/(#define[^\n]*?\)\))/g, '$1\n');
}

describe('checker: robustness', () => {
	it('compiles the unmutated programs without errors', () => {
		for (const program of programs) {
			const errors = compile(program).diagnostics.filter(d => d.severity === 'error');
			assert.deepEqual(errors.map(d => d.message), []);
		}
	});

	it('never throws or fails internally on mutated programs, and types every expression it accepts', () => {
		fc.assert(
			fc.property(fc.constantFrom(...programs), fc.array(mutation, { minLength: 1, maxLength: 6 }), (program, mutations) => {
				const source = mutate(program, mutations);
				const result = compile(source);
				const internal = result.diagnostics.filter(d => d.message.startsWith('internal'));
				assert.deepEqual(internal.map(d => d.message), [], source);
				if (result.unit) {
					everyExpr(result.unit.tree, e => assert.ok(e.type, `untyped ${e.kind} in:\n${source}`));
				}
			}),
			{ numRuns: Number(process.env.KC_FUZZ_RUNS ?? 400) },
		);
	});

	it('survives deep nesting without exhausting the stack', () => {
		const depth = 5000;
		const sources = [
			`int x = ${'('.repeat(depth)}1${')'.repeat(depth)};`,
			`int x = ${'-'.repeat(depth)}1;`,
			`int ${'*'.repeat(depth)}p;`,
			`void f(void) { ${'{'.repeat(depth)}${'}'.repeat(depth)} }`,
			`int x = 1${' + 1'.repeat(depth)};`,
			`struct s0 { ${Array.from({ length: 300 }, (_, i) => `struct s${i + 1} { `).join('')}int x; ${'} a; '.repeat(300)}};`,
		];
		for (const source of sources) {
			const result = compile(source);
			const internal = result.diagnostics.filter(d => d.message.startsWith('internal'));
			assert.deepEqual(internal.map(d => d.message), []);
		}
	});

	it('bounds type nesting built through typedef chains, separately from expression nesting', () => {
		const chain = Array.from({ length: 1500 }, (_, i) => `typedef T${i} *T${i + 1};`).join('\n');
		const result = compile(`typedef int T0;\n${chain}\nT1500 p;`);
		assert.ok(result.diagnostics.some(d => d.message === 'type nested too deeply'));
		assert.ok(!result.diagnostics.some(d => d.message.startsWith('internal')));
		const deepCast = compile(`int x = ${'('.repeat(300)}(long)1${')'.repeat(300)};`);
		assert.deepEqual(deepCast.diagnostics.map(d => d.message), []);
	});

	it('checks long left-deep chains (which the parser does not limit) without a depth error', () => {
		const terms = 20000;
		const result = compile(`int x = 1${' + 1'.repeat(terms)}; struct n { struct n *next; } *p; void f(void) { p = p${'->next'.repeat(3000)}; }`);
		assert.deepEqual(result.diagnostics.map(d => d.message), []);
		const x = result.unit?.globals.find(g => g.name === 'x');
		assert.ok(x?.init?.kind === 'expr' && x.init.expr.constValue === BigInt(terms + 1));
	});
});

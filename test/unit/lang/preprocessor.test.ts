// Unit tests for the KC preprocessor (layer: lang). Expected outputs of the macro examples come from
// the C11 standard (6.10.3.5) or were checked against `gcc -E -P` (gcc 12), compared token by token.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { memorySources, preprocess, type PreprocessOptions, type PreprocessResult } from '../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../src/lang/source';
import { TokenKind, type Token } from '../../../src/lang/tokens';

function run(files: Record<string, string> | string, options?: PreprocessOptions): PreprocessResult {
	return preprocess('main.c', memorySources(typeof files === 'string' ? { 'main.c': files } : files), options);
}

/** The output tokens' spellings separated by single spaces (EOF left out). */
function spelled(tokens: readonly Token[]): string {
	return tokens.filter(t => t.kind !== TokenKind.EOF).map(t => t.text).join(' ');
}

function out(files: Record<string, string> | string, options?: PreprocessOptions): string {
	const result = run(files, options);
	assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], 'unexpected diagnostics');
	return spelled(result.tokens);
}

function messages(result: PreprocessResult): string[] {
	return result.diagnostics.map(formatDiagnostic);
}

describe('preprocessor', () => {
	describe('macros', () => {
		it('expands object-like and function-like macros, including multi-line invocations', () => {
			assert.equal(out('#define N 10\n#define SQ(x) ((x) * (x))\nint a[N] = { SQ(N), SQ(\n  1 +\n  2) };\n'),
				'int a [ 10 ] = { ( ( 10 ) * ( 10 ) ) , ( ( 1 + 2 ) * ( 1 + 2 ) ) } ;');
		});

		it('leaves a function-like macro name alone without parentheses', () => {
			assert.equal(out('#define f(x) x\nint (*p)(int) = f; f (1) f\n(2)'), 'int ( * p ) ( int ) = f ; 1 2');
		});

		it('gives expanded tokens the invocation range (name through the closing parenthesis) and the outermost macro name', () => {
			const { tokens } = run('#define INNER 1 + 2\n#define OUTER(x) (INNER * x)\nint y =\n  OUTER(3);\n');
			const expanded = tokens.filter(t => t.macro !== undefined);
			assert.equal(spelled(expanded), '( 1 + 2 * 3 )');
			for (const t of expanded) {
				assert.equal(t.macro, 'OUTER');
				assert.deepEqual(t.range, { file: 'main.c', line: 4, col: 3, endLine: 4, endCol: 11 });
			}
			const semicolon = tokens[tokens.length - 2];
			assert.equal(semicolon.text, ';');
			assert.equal(semicolon.macro, undefined);
			assert.deepEqual(semicolon.range, { file: 'main.c', line: 4, col: 11, endLine: 4, endCol: 12 });
			const indirect = run('#define F G\n#define G(x) [x]\nF(1) G(\n2\n)').tokens;
			assert.deepEqual(indirect.slice(0, -1).map(t => `${t.text}:${t.macro}@${t.range.line}:${t.range.col}-${t.range.endLine}:${t.range.endCol}`), [
				'[:F@3:1-3:5', '1:F@3:1-3:5', ']:F@3:1-3:5', '[:G@3:6-5:2', '2:G@3:6-5:2', ']:G@3:6-5:2',
			]);
			// Output tokens carry no internal fields.
			assert.deepEqual(Object.keys(expanded[0]).sort(), ['kind', 'macro', 'range', 'spaceBefore', 'text']);
		});

		it('preserves whitespace information', () => {
			const { tokens } = run('#define E(x) x+ x\na E(b)c');
			assert.deepEqual(tokens.map(t => [t.text, t.spaceBefore]), [
				['a', true], ['b', true], ['+', false], ['b', true], ['c', false], ['', false],
			]);
		});

		it('reproduces C11 6.10.3.5 EXAMPLE 3', () => {
			const text = [
				'#define x 3', '#define f(a) f(x * (a))', '#undef x', '#define x 2', '#define g f', '#define z z[0]',
				'#define h g(~', '#define m(a) a(w)', '#define w 0,1', '#define t(a) a', '#define p() int', '#define q(x) x',
				'#define r(x,y) x ## y', '#define str(x) # x',
				'f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);', 'g(x+(3,4)-w) | h 5) & m', '(f)^m(m);',
				'p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };', 'char c[2][6] = { str(hello), str() };',
			].join('\n');
			assert.equal(out(text), [
				'f ( 2 * ( y + 1 ) ) + f ( 2 * ( f ( 2 * ( z [ 0 ] ) ) ) ) % f ( 2 * ( 0 ) ) + t ( 1 ) ;',
				'f ( 2 * ( 2 + ( 3 , 4 ) - 0 , 1 ) ) | f ( 2 * ( ~ 5 ) ) & f ( 2 * ( 0 , 1 ) ) ^ m ( 0 , 1 ) ;',
				'int i [ ] = { 1 , 23 , 4 , 5 , } ;',
				'char c [ 2 ] [ 6 ] = { "hello" , "" } ;',
			].join(' '));
		});

		it('reproduces C11 6.10.3.5 EXAMPLE 4 (# and ##)', () => {
			const text = [
				'#define str(s) # s', '#define xstr(s) str(s)',
				'#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\', ' x ## s, x ## t)',
				'#define INCFILE(n) vers ## n', '#define glue(a, b) a ## b', '#define xglue(a, b) glue(a, b)',
				'#define HIGHLOW "hello"', '#define LOW LOW ", world"',
				'debug(1, 2);',
				'fputs(str(strncmp("abc\\0d", "abc", \'\\4\') // this goes away', ' == 0) str(: @\\n), s);',
				'xstr(INCFILE(2).h)', 'glue(HIGH, LOW);', 'xglue(HIGH, LOW)',
			].join('\n');
			assert.equal(out(text), [
				'printf ( "x" "1" "= %d, x" "2" "= %s" , x1 , x2 ) ;',
				'fputs ( "strncmp(\\"abc\\\\0d\\", \\"abc\\", \'\\\\4\') == 0" ": @\\n" , s ) ;',
				'"vers2.h"', '"hello" ;', '"hello" ", world"',
			].join(' '));
		});

		it('reproduces C11 6.10.3.5 EXAMPLE 5 (placemarkers)', () => {
			assert.equal(out('#define t(x,y,z) x ## y ## z\nint j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),\n t(10,,), t(,11,), t(,,12), t(,,) };'),
				'int j [ ] = { 123 , 45 , 67 , 89 , 10 , 11 , 12 , } ;');
		});

		it('reproduces C11 6.10.3.5 EXAMPLE 7 (variadic macros)', () => {
			const text = [
				'#define debug(...) fprintf(stderr, __VA_ARGS__)', '#define showlist(...) puts(#__VA_ARGS__)',
				'#define report(test, ...) ((test)?puts(#test):\\', ' printf(__VA_ARGS__))',
				'debug("Flag");', 'debug("X = %d\\n", x);', 'showlist(The first, second, and third items.);',
				'report(x>y, "x is %d but y is %d", x, y);',
			].join('\n');
			assert.equal(out(text), [
				'fprintf ( stderr , "Flag" ) ;', 'fprintf ( stderr , "X = %d\\n" , x ) ;',
				'puts ( "The first, second, and third items." ) ;',
				'( ( x > y ) ? puts ( "x>y" ) : printf ( "x is %d but y is %d" , x , y ) ) ;',
			].join(' '));
		});

		it('reproduces the hash_hash example of C11 6.10.3.3', () => {
			assert.equal(out('#define hash_hash # ## #\n#define mkstr(a) # a\n#define in_between(a) mkstr(a)\n#define join(c, d) in_between(c hash_hash d)\nchar p[] = join(x, y);'),
				'char p [ ] = "x ## y" ;');
		});

		it('does not loop on self-referential macros (painted blue)', () => {
			assert.equal(out('#define foo foo\nfoo'), 'foo');
			assert.equal(out('#define a b\n#define b a\na b'), 'a b');
			assert.equal(out('#define foo (4 + foo)\nfoo'), '( 4 + foo )');
			assert.equal(out('#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)'), '2 * 9 * g');
			assert.equal(out('#define ff(x) x ff\nff(1)(2)(3)'), '1 ff ( 2 ) ( 3 )');
			assert.equal(out('#define AA BB\n#define BB(x) x AA\nAA(1)(2)'), '1 BB ( 2 )');
			// A painted name stays unexpandable when passed on as an argument.
			assert.equal(out('#define foo foo\n#define id(x) x\nid(foo)'), 'foo');
		});

		it('expands arguments fully before substitution, but not next to # and ##', () => {
			assert.equal(out('#define ONE 1\n#define s(x) #x\n#define xs(x) s(x)\n#define cat(a, b) a ## b\n#define xcat(a, b) cat(a, b)\ns(ONE) xs(ONE) cat(ONE, 2) xcat(ONE, 2)'),
				'"ONE" "1" ONE2 12');
			assert.equal(out('#define NIL(x) x\n#define G_0(arg) NIL(G_1)(arg)\n#define G_1(arg) NIL(arg)\nG_0(42)'), '42');
		});

		it('rescans with the rest of the input', () => {
			assert.equal(out('#define lparen (\n#define h1(x) x\nh1 lparen 1 )'), 'h1 ( 1 )');
			assert.equal(out('#define xx(a) a\nxx(xx)(5)'), 'xx ( 5 )');
			assert.equal(out('#define F G\n#define G(x) [x]\nF(1) F (2) F\n(3)'), '[ 1 ] [ 2 ] [ 3 ]');
		});

		it('stringifies with the spacing rules of # (C11 6.10.3.2)', () => {
			assert.equal(out('#define s(x) #x\ns( a  +   b ) s("\\n" \'\\\'\' "a\\\\b") s(  ) s(a\nb) s(/* c */ x /* d */ y)'),
				'"a + b" "\\"\\\\n\\" \'\\\\\'\' \\"a\\\\\\\\b\\"" "" "a b" "x y"');
		});

		it('pastes into any single token and reports invalid pastes', () => {
			assert.equal(out('#define cat(a, b) a ## b\ncat(+, +) cat(-, =) cat(<<, =) cat(x, 1) cat(1, e) cat(L, \'a\') cat(., 5)'),
				'++ -= <<= x1 1e L\'a\' .5');
			const result = run('#define cat(a, b) a ## b\ncat(., .) cat(/, /)');
			assert.equal(spelled(result.tokens), '. . / /');
			assert.deepEqual(messages(result), [
				'main.c:2:1: error: pasting "." and "." does not give a valid preprocessing token',
				'main.c:2:11: error: pasting "/" and "/" does not give a valid preprocessing token',
			]);
		});

		it('supports GNU named variadics and comma swallowing like gcc', () => {
			const text = [
				'#define eprintf(format, args...) fprintf (stderr, format , ## args)',
				'#define e2(fmt, ...) printf(fmt, ## __VA_ARGS__)', '#define e3(...) x , ## __VA_ARGS__',
				'eprintf("x") eprintf("y", 1, 2) eprintf("z",)', 'e2("a") e2("b", x) e2("c",) e3() e3(1)',
			].join('\n');
			assert.equal(out(text), [
				'fprintf ( stderr , "x" ) fprintf ( stderr , "y" , 1 , 2 ) fprintf ( stderr , "z" , )',
				'printf ( "a" ) printf ( "b" , x ) printf ( "c" , ) x x , 1',
			].join(' '));
		});

		it('supports __VA_OPT__', () => {
			const text = [
				'#define F(...) f(0 __VA_OPT__(,) __VA_ARGS__)', '#define G(X, ...) f(0, X __VA_OPT__(,) __VA_ARGS__)',
				'#define SDEF(sname, ...) S sname __VA_OPT__(= { __VA_ARGS__ })', '#define EMP',
				'#define H2(X, Y, ...) __VA_OPT__(X ## Y,) __VA_ARGS__', '#define H3(X, ...) #__VA_OPT__(X##X X##X)',
				'F(a,b) F() F(EMP) G(a, b, c) G(a, ) G(a) SDEF(foo); SDEF(bar, 1, 2); H2(a, b, c, d) H3(, 0)',
			].join('\n');
			assert.equal(out(text), [
				'f ( 0 , a , b ) f ( 0 ) f ( 0 ) f ( 0 , a , b , c ) f ( 0 , a ) f ( 0 , a )',
				'S foo ; S bar = { 1 , 2 } ; ab , c , d ""',
			].join(' '));
		});

		it('reports wrong argument counts and unterminated invocations', () => {
			const result = run('#define f(a, b) a b\n#define g() x\nf(1) f(1,2,3) g(1) g()\nf(1,\n');
			assert.equal(spelled(result.tokens), 'f f g x f');
			assert.deepEqual(messages(result), [
				'main.c:3:1: error: macro "f" requires 2 arguments, but only 1 given',
				'main.c:3:6: error: macro "f" passed 3 arguments, but takes just 2',
				'main.c:3:15: error: macro "g" passed 1 arguments, but takes just 0',
				'main.c:4:1: error: unterminated argument list invoking macro "f"',
			]);
		});

		it('handles #undef, redefinition warnings and bad definitions', () => {
			const result = run([
				'#define X 1', '#define X 1', '#define X  2', 'X', '#undef X', 'X', '#define 3 x', '#define',
				'#define f(a, a) a', '#define g(a', '#define h(a) #b', '#define k ## x', '#define defined', '#undef X Y',
			].join('\n'));
			assert.equal(spelled(result.tokens), '2 X');
			assert.deepEqual(messages(result), [
				'main.c:3:9: warning: "X" redefined\nmain.c:1:9: note: this is the location of the previous definition',
				'main.c:7:9: error: macro names must be identifiers',
				'main.c:8:1: error: no macro name given in #define directive',
				'main.c:9:14: error: duplicate macro parameter "a"',
				'main.c:10:1: error: missing \')\' in macro parameter list',
				'main.c:11:14: error: \'#\' is not followed by a macro parameter',
				'main.c:12:1: error: \'##\' cannot appear at either end of a macro expansion',
				'main.c:13:9: error: "defined" cannot be used as a macro name',
				'main.c:14:10: warning: extra tokens at end of #undef directive',
			]);
		});

		it('records definitions for hover', () => {
			const { macros } = run('#define ADD(a, b) ((a) + (b))\n#define V(fmt, args...) p(fmt, ##args)\n#define W(...) __VA_ARGS__\n#define GONE\n#undef GONE');
			assert.deepEqual(macros.get('ADD'), {
				name: 'ADD', params: ['a', 'b'], variadic: false, body: '((a) + (b))',
				range: { file: 'main.c', line: 1, col: 9, endLine: 1, endCol: 12 },
			});
			assert.deepEqual(macros.get('V')?.params, ['fmt', 'args...']);
			assert.deepEqual(macros.get('W')?.params, ['...']);
			assert.equal(macros.get('W')?.variadic, true);
			assert.equal(macros.has('GONE'), false);
			assert.equal(macros.get('__x86_64__')?.range.file, '<built-in>');
			assert.equal(macros.get('__x86_64__')?.body, '1');
		});
	});

	describe('builtin and predefined macros', () => {
		it('defines the x86-64 Linux gcc-like target macros', () => {
			const names = [
				'__STDC__', '__STDC_VERSION__', '__STDC_HOSTED__', '__x86_64__', '__x86_64', '__linux__', '__linux', '__unix__',
				'__LP64__', '_LP64', '__CHAR_BIT__', '__SIZEOF_INT__', '__SIZEOF_LONG__', '__SIZEOF_POINTER__', '__SIZEOF_LONG_LONG__',
				'__SIZEOF_SHORT__', '__SIZEOF_FLOAT__', '__SIZEOF_DOUBLE__', '__INT_MAX__', '__LONG_MAX__', '__SCHAR_MAX__',
				'__SHRT_MAX__', '__LONG_LONG_MAX__', '__SIZE_MAX__', '__GNUC__', '__GNUC_MINOR__', '__FAULTLINE__', '__KC__',
			];
			assert.equal(out(names.join('\n')), [
				'1 201112L 1 1 1 1 1 1 1 1 8 4 8 8 8 2 4 8 0x7fffffff 0x7fffffffffffffffL 0x7f 0x7fff',
				'0x7fffffffffffffffLL 0xffffffffffffffffUL 4 2 1 1',
			].join(' '));
			assert.equal(out('#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && __ORDER_BIG_ENDIAN__ == 4321\nle\n#endif'), 'le');
		});

		it('expands __FILE__, __LINE__, __COUNTER__, __DATE__ and __TIME__', () => {
			const files = { 'main.c': '#define HERE __LINE__\nint a = __LINE__;\n\nint b = HERE;\n#include "inc/h.h"\n__COUNTER__ __COUNTER__ __DATE__ __TIME__', 'inc/h.h': '__FILE__ __LINE__ __INCLUDE_LEVEL__ __BASE_FILE__\n' };
			assert.equal(out(files), 'int a = 2 ; int b = 4 ; "inc/h.h" 1 1 "main.c" 0 1 "Jan  1 2000" "00:00:00"');
		});

		it('uses the line of the invocation for __LINE__ in a multi-line call', () => {
			assert.equal(out('#define L(x) __LINE__ x\nL(\n\n a)'), '2 a');
		});

		it('applies -D and -U style options', () => {
			assert.equal(out('A B F(3) __KC__ E', { defines: { A: '1', B: 'A + 1', 'F(x)': '((x) * 2)', E: '' }, undefines: ['__KC__'] }),
				'1 1 + 1 ( ( 3 ) * 2 ) __KC__');
			assert.equal(run('X', { defines: { X: '7' } }).macros.get('X')?.range.file, '<command-line>');
		});

		it('answers __has_include, __has_attribute and __has_builtin', () => {
			const files = { 'main.c': '#if __has_include("a.h") && !__has_include(<missing.h>) && __has_include(<sys/b.h>)\nyes\n#endif\n#if __has_attribute(noreturn) || __has_builtin(__builtin_expect)\nno\n#endif\n#ifdef __has_include\ndefined\n#endif', 'a.h': '', 'include/sys/b.h': '' };
			assert.equal(out(files), 'yes defined');
		});
	});

	describe('#include', () => {
		it('includes quoted and angle headers, with the included file\'s ranges', () => {
			const files = {
				'src/main.c': '#include "local.h"\n#include <sys/types.h>\nint z;',
				'src/local.h': 'int x;',
				'include/sys/types.h': 'typedef long ssize_t;',
			};
			const result = preprocess('src/main.c', memorySources(files));
			assert.deepEqual(result.diagnostics, []);
			assert.equal(spelled(result.tokens), 'int x ; typedef long ssize_t ; int z ;');
			assert.deepEqual(result.includedFiles, ['src/local.h', 'include/sys/types.h']);
			assert.deepEqual(result.tokens[1].range, { file: 'src/local.h', line: 1, col: 5, endLine: 1, endCol: 6 });
			assert.deepEqual(result.tokens.at(-1)!.range.file, 'src/main.c');
		});

		it('reports a missing file at the header name (as gcc does) and continues', () => {
			const result = run('int a;\n  #include "foo.h"\n#include <bar.h>\nint b;');
			assert.equal(spelled(result.tokens), 'int a ; int b ;');
			assert.deepEqual(result.diagnostics.map(d => [d.message, d.range]), [
				['\'foo.h\' file not found', { file: 'main.c', line: 2, col: 12, endLine: 2, endCol: 19 }],
				['\'bar.h\' file not found', { file: 'main.c', line: 3, col: 10, endLine: 3, endCol: 17 }],
			]);
		});

		it('honours include guards and #pragma once', () => {
			const files = {
				'main.c': '#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"\n#include "n.h"\n#include "n.h"\nG O N',
				'g.h': '#ifndef G_H\n#define G_H\nint g;\n#define G 1\n#endif /* G_H */\n',
				'o.h': '#pragma once\nint o;\n#define O 2\n',
				'n.h': 'int n;\n#define N 3\n',
			};
			assert.equal(out(files), 'int g ; int o ; int n ; int n ; 1 2 3');
		});

		it('includes a file named by a macro', () => {
			const files = { 'main.c': '#define HDR "a.h"\n#define SYS <sys/b.h>\n#define str(x) #x\n#define xstr(x) str(x)\n#include HDR\n#include SYS\n#include xstr(a.h)', 'a.h': 'a', 'include/sys/b.h': 'b' };
			assert.equal(out(files), 'a b a');
		});

		it('stops runaway recursive inclusion with a diagnostic', () => {
			const result = run({ 'main.c': '#include "self.h"\nend', 'self.h': 'x\n#include "self.h"\n' }, { maxIncludeDepth: 10 });
			assert.equal(spelled(result.tokens), 'x x x x x x x x x end');
			assert.deepEqual(messages(result), ['self.h:2:1: error: #include nested depth 10 exceeds maximum of 10']);
		});

		it('reports a bad #include form', () => {
			assert.deepEqual(messages(run('#include foo\n#include\n')), [
				'main.c:1:1: error: #include expects "FILENAME" or <FILENAME>',
				'main.c:2:1: error: #include expects "FILENAME" or <FILENAME>',
			]);
		});
	});

	describe('conditionals', () => {
		it('selects groups with #if, #ifdef, #ifndef, #elif and #else', () => {
			const text = [
				'#define A', '#ifdef A', 'a1', '#else', 'a2', '#endif', '#ifndef A', 'b1', '#elif 1', 'b2', '#else', 'b3', '#endif',
				'#if 0', 'c1', '#elif 0', 'c2', '#else', 'c3', '#endif', '#if 1', '#if 0', 'd1', '#else', 'd2', '#endif', '#endif',
				'#if 0', '#if 1', 'e1', '#else', 'e2', '#endif', '#elif 1', 'e3', '#endif',
			].join('\n');
			assert.equal(out(text), 'a1 b2 c3 d2 e3');
		});

		it('evaluates #if expressions in intmax_t and uintmax_t', () => {
			const truths: Record<string, boolean> = {
				'-1 < 0u': false, '-1 < 0': true, '(0u - 1) == 0xffffffffffffffff': true, '0x7fffffffffffffff + 1 < 0': true,
				'(1 ? -1 : 0u) > 0': true, '\'a\' == 97 && \'\\377\' < 0 && L\'\\xff\' == 255': true,
				'UNDEFINED_THING == 0 && !UNDEFINED_THING': true, '0 && (1/0)': false, '1 || (1/0)': true,
				'(2 || 1/0) + (0 ? 1/0 : 3) == 4': true,
				'-1 >> 63 == -1 && 1 << 63 < 0 && (1u << 63) > 0 && 10 % 3 == 1 && -7 / 2 == -3 && -7 % 2 == -1': true,
				'~0 == -1 && ~0u == 0xffffffffffffffff && (3 ^ 5) == 6 && (3 | 4) == 7 && (6 & 3) == 2': true,
				'1, 0': false, '0x10 == 16 && 010 == 8 && 0b11 == 3 && 10UL == 10 && 1LL': true,
				'(-9223372036854775807 - 1) / -1 < 0': true, '18446744073709551615 == -1': true,
				'1 << 64 == 0 && 1 >> -1 == 2 && (2 >> 0xffffffffffffffff) == 0': true, '(1 ? 2 : 3 ? 4 : 5) == 2 && (0 ? 2 : 0 ? 4 : 5) == 5': true,
				'((((((1))))))': true, '- - 1 == 1 && +1 == 1 && !0 == 1': true,
			};
			for (const [expression, expected] of Object.entries(truths)) {
				assert.equal(out(`#if ${expression}\nyes\n#else\nno\n#endif`), expected ? 'yes' : 'no', expression);
			}
		});

		it('evaluates defined in both forms, even from a macro', () => {
			assert.equal(out('#define X\n#define D defined(X)\n#if defined X && defined(X) && !defined Y && D\nok\n#endif'), 'ok');
		});

		it('compares kernel versions', () => {
			const text = (version: string): string => [
				'#define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + (c))', `#define LINUX_VERSION_CODE ${version}`,
				'#if LINUX_VERSION_CODE >= KERNEL_VERSION(2,6,21)', 'vm_insert_pfn', '#else', 'remap_pfn_range', '#endif',
			].join('\n');
			assert.equal(out(text('KERNEL_VERSION(2,6,18)')), 'remap_pfn_range');
			assert.equal(out(text('KERNEL_VERSION(2,6,21)')), 'vm_insert_pfn');
			assert.equal(out(text('132635')), 'vm_insert_pfn');
		});

		it('reports bad expressions at the directive', () => {
			const result = run('#if\n#endif\n#if 1 +\n#endif\n#if (1\n#endif\n#if 1 2\n#endif\n#if 1.5\n#endif\n#if 1/0\n#endif\n#if "s"\n#endif\n#if F(1)\n#endif\n#if 09\n#endif\n#if x = 1\n#endif\n#elif 1');
			assert.deepEqual(messages(result), [
				'main.c:1:1: error: #if with no expression',
				'main.c:3:1: error: operator \'+\' has no right operand',
				'main.c:5:1: error: missing \')\' in expression',
				'main.c:7:1: error: missing binary operator before token "2"',
				'main.c:9:1: error: floating constant in preprocessor expression',
				'main.c:11:1: error: division by zero in #if',
				'main.c:13:1: error: token ""s"" is not valid in preprocessor expressions',
				'main.c:15:1: error: function-like macro "F" is not defined',
				'main.c:17:1: error: invalid digit "9" in octal constant',
				'main.c:19:1: error: missing binary operator before token "="',
				'main.c:21:1: error: #elif without #if',
			]);
		});

		it('reports unterminated conditionals and stray #else/#endif', () => {
			const result = run({ 'main.c': '#include "h.h"\n#endif\n#else\n#if 1\n#else\n#else\n#endif\n#ifdef X\n', 'h.h': '#if 1\n' });
			assert.deepEqual(messages(result), [
				'h.h:1:1: error: unterminated #if',
				'main.c:2:1: error: #endif without #if',
				'main.c:3:1: error: #else without #if',
				'main.c:6:1: error: #else after #else',
				'main.c:8:1: error: unterminated #ifdef',
			]);
		});

		it('ignores the contents of skipped groups', () => {
			const result = run('#if 0\ndon\'t "worry @ `\n#bogus directive\n#if garbage (((\n#error no\n#endif\n#else\nok\n#endif');
			assert.deepEqual(messages(result), []);
			assert.equal(spelled(result.tokens), 'ok');
		});
	});

	describe('other directives', () => {
		it('reports #error and #warning at the directive name, as gcc does', () => {
			const result = run({ 'main.c': 'int a;\n#include "h.h"\n', 'h.h': '\n  #error unsupported "arch" here\n#warning careful now\n' });
			assert.deepEqual(messages(result), [
				'h.h:2:4: error: #error unsupported "arch" here',
				'h.h:3:2: warning: #warning careful now',
			]);
			assert.deepEqual(result.diagnostics[0].range, { file: 'h.h', line: 2, col: 4, endLine: 2, endCol: 33 });
		});

		it('applies #line to later lines and __FILE__', () => {
			const { tokens } = run('a\n#line 100 "gen.c"\nb __LINE__ __FILE__\n#line 7\nc');
			assert.deepEqual(tokens.map(t => `${t.text}@${t.range.file}:${t.range.line}`), [
				'a@main.c:1', 'b@gen.c:100', '100@gen.c:100', '"gen.c"@gen.c:100', 'c@gen.c:7', '@main.c:5',
			]);
		});

		it('ignores #pragma, #ident and null directives, and rejects unknown ones', () => {
			const result = run('#pragma pack(1)\n#\n# /* comment */\n#ident "x"\n#frobnicate\nok _Pragma("GCC diagnostic push") done');
			assert.equal(spelled(result.tokens), 'ok done');
			assert.deepEqual(messages(result), ['main.c:5:1: error: invalid preprocessing directive #frobnicate']);
		});

		it('processes directives inside macro arguments', () => {
			assert.equal(out('#define f(x) [x]\nf(1\n#ifdef NOPE\n+ 2\n#else\n+ 3\n#endif\n)'), '[ 1 + 3 ]');
		});

		it('diagnoses stray characters and unterminated literals in active code only', () => {
			const result = run('a @ b\n#if 0\n@ \'\n#endif\nc = \'x;');
			assert.equal(spelled(result.tokens), 'a b c = \'x;');
			assert.deepEqual(messages(result), [
				'main.c:1:3: error: stray \'@\' in program',
				'main.c:5:5: error: missing terminating \' character',
			]);
		});

		it('reports a missing main file', () => {
			const result = preprocess('nope.c', memorySources({}));
			assert.deepEqual(messages(result), ['nope.c:1:1: error: \'nope.c\' file not found']);
			assert.equal(result.tokens.length, 1);
			assert.equal(result.tokens[0].kind, TokenKind.EOF);
		});
	});

	describe('kernel idioms', () => {
		const kernel = [
			'#define offsetof(TYPE, MEMBER) ((size_t)&((TYPE *)0)->MEMBER)',
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
			'#define min(x, y) ({ \\',
			'\ttypeof(x) _min1 = (x); \\',
			'\ttypeof(y) _min2 = (y); \\',
			'\t(void) (&_min1 == &_min2); \\',
			'\t_min1 < _min2 ? _min1 : _min2; })',
			'#define max(x, y) ({ typeof(x) _max1 = (x); typeof(y) _max2 = (y); (void) (&_max1 == &_max2); _max1 > _max2 ? _max1 : _max2; })',
		].join('\n');

		it('expands offsetof and container_of', () => {
			assert.equal(out(`${kernel}\np = container_of(node, struct vm_area_struct, vm_rb);`),
				'p = ( { const typeof ( ( ( struct vm_area_struct * ) 0 ) -> vm_rb ) * __mptr = ( node ) ; ( struct vm_area_struct * ) ( ( char * ) __mptr - ( ( size_t ) & ( ( struct vm_area_struct * ) 0 ) -> vm_rb ) ) ; } ) ;');
		});

		it('expands list_for_each_entry as gcc does', () => {
			const { tokens, diagnostics } = run(`${kernel}\nlist_for_each_entry(vma, &mm->mmap_list, list) {\n\tcount++;\n}`);
			assert.deepEqual(diagnostics, []);
			assert.equal(spelled(tokens),
				'for ( vma = ( { const typeof ( ( ( typeof ( * vma ) * ) 0 ) -> list ) * __mptr = ( ( & mm -> mmap_list ) -> next ) ; ( typeof ( * vma ) * ) ( ( char * ) __mptr - ( ( size_t ) & ( ( typeof ( * vma ) * ) 0 ) -> list ) ) ; } ) ; & vma -> list != ( & mm -> mmap_list ) ; vma = ( { const typeof ( ( ( typeof ( * ( vma ) ) * ) 0 ) -> list ) * __mptr = ( ( vma ) -> list . next ) ; ( typeof ( * ( vma ) ) * ) ( ( char * ) __mptr - ( ( size_t ) & ( ( typeof ( * ( vma ) ) * ) 0 ) -> list ) ) ; } ) ) { count ++ ; }');
			const body = tokens.find(t => t.text === 'count')!;
			assert.equal(body.macro, undefined);
			assert.equal(body.range.line, 19);
			assert.ok(tokens.filter(t => t.text === '__mptr').every(t => t.macro === 'list_for_each_entry' && t.range.line === 18));
		});

		it('expands nested min and max with typeof and statement expressions', () => {
			assert.equal(out(`${kernel}\nn = max(min(a, b), c);`),
				'n = ( { typeof ( ( { typeof ( a ) _min1 = ( a ) ; typeof ( b ) _min2 = ( b ) ; ( void ) ( & _min1 == & _min2 ) ; _min1 < _min2 ? _min1 : _min2 ; } ) ) _max1 = ( ( { typeof ( a ) _min1 = ( a ) ; typeof ( b ) _min2 = ( b ) ; ( void ) ( & _min1 == & _min2 ) ; _min1 < _min2 ? _min1 : _min2 ; } ) ) ; typeof ( c ) _max2 = ( c ) ; ( void ) ( & _max1 == & _max2 ) ; _max1 > _max2 ? _max1 : _max2 ; } ) ;');
		});
	});

	describe('robustness', () => {
		it('ends exponential expansion with a diagnostic', () => {
			const lines = ['#define m0 x x'];
			for (let i = 1; i <= 40; i++) lines.push(`#define m${i} m${i - 1} m${i - 1}`);
			lines.push('m40 after');
			const result = run(lines.join('\n'), { workLimit: 100_000 });
			assert.equal(result.tokens.at(-1)!.kind, TokenKind.EOF);
			assert.ok(result.tokens.length < 200_000);
			assert.deepEqual(result.diagnostics.map(d => d.message), ['preprocessing exceeds the limit of 100000 tokens; macro expansion and #include stopped here']);
		});

		it('survives deeply nested invocations and expressions', () => {
			const nested = '#define f(x) x\n' + 'f('.repeat(5000) + '1' + ')'.repeat(5000);
			const result = run(nested);
			assert.equal(result.tokens.at(-1)!.kind, TokenKind.EOF);
			assert.ok(result.diagnostics.some(d => d.message.includes('nested more than')));
			const parens = run('#if ' + '('.repeat(100_000) + '1' + ')'.repeat(100_000) + '\n#endif');
			assert.deepEqual(parens.diagnostics.map(d => d.message), ['#if expression nested too deeply']);
			const ternaries = run('#if ' + '1 ? 1 : '.repeat(100_000) + '0\n#endif');
			assert.deepEqual(ternaries.diagnostics.map(d => d.message), ['#if expression nested too deeply']);
			const negations = run('#if ' + '- '.repeat(100_000) + '1\n#endif');
			assert.deepEqual(negations.diagnostics.map(d => d.message), ['#if expression nested too deeply']);
			const long = run('#define f(x) x\nf(' + '1 ,'.repeat(200_000) + ')');
			assert.deepEqual(long.diagnostics.map(d => d.message), ['macro "f" passed 200001 arguments, but takes just 1']);
			const longArg = run('#define cat(a, b) a ## b\ncat(x, ' + '1 '.repeat(200_000) + ')');
			assert.equal(longArg.tokens.length, 200_001);
		});

		it('never throws on random text', () => {
			fc.assert(fc.property(fc.string({ maxLength: 300 }), text => {
				const result = run(text);
				assert.equal(result.tokens.at(-1)!.kind, TokenKind.EOF);
				assert.ok(!result.diagnostics.some(d => d.message.startsWith('internal')), JSON.stringify(text));
			}), { numRuns: 300 });
		});

		it('never throws on mutated C snippets', () => {
			const snippet = [
				'#include "h.h"', '#define F(a, ...) f(a, ## __VA_ARGS__) #a', '#define G(x) x ## _t F(x, 1)',
				'#if defined(F) && (1 << 3) > 2', 'G(u32) v = F(1);', '#elif X', 'bad', '#else', 'x', '#endif',
				'#define S(x) #x', 'char *s = S(a "b" \'c\');', '#line 10 "z.c"', 'int n = __LINE__;',
			].join('\n');
			const pieces = ['#', '##', '(', ')', ',', '\n', '\\\n', '"', '\'', '#if 1\n', '#endif\n', '#else\n', 'F', 'G(', '__VA_ARGS__', '...', '#define', '#include "h.h"\n', 'defined', '/*'];
			fc.assert(fc.property(
				fc.array(fc.tuple(fc.nat(snippet.length), fc.nat(3), fc.constantFrom(...pieces)), { maxLength: 6 }),
				edits => {
					let text = snippet;
					for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
					const result = run({ 'main.c': text, 'h.h': '#pragma once\n#define H 1\n' }, { workLimit: 1_000_000 });
					assert.equal(result.tokens.at(-1)!.kind, TokenKind.EOF);
					assert.ok(!result.diagnostics.some(d => d.message.startsWith('internal')), JSON.stringify(text));
				}), { numRuns: 400 });
		});
	});
});

// Unit tests for the KC lexer (layer: lang): token kinds, spellings, exact ranges, splicing,
// diagnostics and a property test that no input makes it throw.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FLAG_HEADER_NAME, FLAG_LINE_START, lex, lexWithFlags } from '../../../src/lang/lexer';
import { TokenKind, type Token } from '../../../src/lang/tokens';

function spellings(text: string): string[] {
	return lex(text, 't.c').tokens.filter(t => t.kind !== TokenKind.EOF).map(t => t.text);
}

function where(t: Token): string {
	return `${t.range.line}:${t.range.col}-${t.range.endLine}:${t.range.endCol}`;
}

describe('lexer', () => {
	it('cuts identifiers, numbers, literals and punctuators', () => {
		const { tokens, diagnostics } = lex('x = 0x1fUL + 1.5e-3f - .5 * 1e+10 / 0777;', 't.c');
		assert.deepEqual(diagnostics, []);
		assert.deepEqual(tokens.map(t => [t.kind, t.text]), [
			[TokenKind.Identifier, 'x'], [TokenKind.Punctuator, '='], [TokenKind.Number, '0x1fUL'],
			[TokenKind.Punctuator, '+'], [TokenKind.Number, '1.5e-3f'], [TokenKind.Punctuator, '-'],
			[TokenKind.Number, '.5'], [TokenKind.Punctuator, '*'], [TokenKind.Number, '1e+10'],
			[TokenKind.Punctuator, '/'], [TokenKind.Number, '0777'], [TokenKind.Punctuator, ';'],
			[TokenKind.EOF, ''],
		]);
	});

	it('accepts $ in identifiers and keeps literal prefixes and quotes', () => {
		const { tokens } = lex('$a a$b L\'x\' u"s" U\'y\' u8"z" Lx "a\\"b" \'\\\'\'', 't.c');
		assert.deepEqual(tokens.slice(0, -1).map(t => [t.kind, t.text]), [
			[TokenKind.Identifier, '$a'], [TokenKind.Identifier, 'a$b'], [TokenKind.CharLiteral, 'L\'x\''],
			[TokenKind.StringLiteral, 'u"s"'], [TokenKind.CharLiteral, 'U\'y\''], [TokenKind.StringLiteral, 'u8"z"'],
			[TokenKind.Identifier, 'Lx'], [TokenKind.StringLiteral, '"a\\"b"'], [TokenKind.CharLiteral, '\'\\\'\''],
		]);
	});

	it('takes the longest punctuator', () => {
		assert.deepEqual(spellings('a...b<<=c>>=d->e++--f##g#h..i'), [
			'a', '...', 'b', '<<=', 'c', '>>=', 'd', '->', 'e', '++', '--', 'f', '##', 'g', '#', 'h', '.', '.', 'i',
		]);
		assert.deepEqual(spellings('&& || <= >= == != *= /= %= += -= &= ^= |= ? : ; , ~ !'),
			['&&', '||', '<=', '>=', '==', '!=', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '?', ':', ';', ',', '~', '!']);
	});

	it('reads digraphs as their ordinary spellings', () => {
		assert.deepEqual(spellings('<: :> <% %> %: %:%:'), ['[', ']', '{', '}', '#', '##']);
	});

	it('gives exact 1-based ranges', () => {
		const { tokens } = lex('int  main\n\t(void)', 't.c');
		assert.deepEqual(tokens.map(where), ['1:1-1:4', '1:6-1:10', '2:2-2:3', '2:3-2:7', '2:7-2:8', '2:8-2:8']);
		assert.equal(tokens[0].range.file, 't.c');
	});

	it('records whitespace before tokens', () => {
		const { tokens } = lex('a b/**/c\nd(e', 't.c');
		assert.deepEqual(tokens.slice(0, -1).map(t => t.spaceBefore), [false, true, true, true, false, false]);
	});

	it('skips comments, including ones that span lines', () => {
		const { tokens } = lex('a // one\nb /* two\nthree */ c', 't.c');
		assert.deepEqual(tokens.slice(0, -1).map(t => `${t.text}@${where(t)}`), ['a@1:1-1:2', 'b@2:1-2:2', 'c@3:10-3:11']);
	});

	it('splices backslash-newline but keeps physical positions', () => {
		const { tokens } = lex('ab\\\ncd + "x\\\ny"\n// c\\\nstill comment\nz', 't.c');
		assert.deepEqual(tokens.map(t => `${t.text}@${where(t)}`), [
			'abcd@1:1-2:3', '+@2:4-2:5', '"xy"@2:6-3:3', 'z@6:1-6:2', '@6:2-6:2',
		]);
	});

	it('splices inside punctuators and accepts CRLF line ends', () => {
		assert.deepEqual(spellings('a -\\\n> b'), ['a', '->', 'b']);
		const { tokens } = lex('a\r\nb\r\n', 't.c');
		assert.deepEqual(tokens.map(where), ['1:1-1:2', '2:1-2:2', '3:1-3:1']);
	});

	it('reports an unterminated comment and still ends with EOF', () => {
		const { tokens, diagnostics } = lex('a /* no end\n more', 't.c');
		assert.deepEqual(diagnostics.map(d => `${d.message}@${d.range.line}:${d.range.col}`), ['unterminated comment@1:3']);
		assert.deepEqual(tokens.map(t => t.kind), [TokenKind.Identifier, TokenKind.EOF]);
	});

	it('reports unterminated literals and recovers on the next line', () => {
		const { tokens, diagnostics } = lex('x = "abc\ny = \'q\nz', 't.c');
		assert.deepEqual(diagnostics.map(d => `${d.message}@${d.range.line}:${d.range.col}`),
			['missing terminating " character@1:5', 'missing terminating \' character@2:5']);
		assert.deepEqual(tokens.map(t => t.text), ['x', '=', '"abc', 'y', '=', '\'q', 'z', '']);
	});

	it('reports stray characters', () => {
		const { tokens, diagnostics } = lex('a @ b ` \\', 't.c');
		assert.deepEqual(diagnostics.map(d => d.message), ['stray \'@\' in program', 'stray \'`\' in program', 'stray \'\\\' in program']);
		assert.equal(tokens.at(-1)!.kind, TokenKind.EOF);
	});

	it('flags line starts and header names after #include', () => {
		const { tokens, flags } = lexWithFlags('#include <linux/mm.h>\n  # include_next <a b.h>\nx < y > z', 't.c');
		assert.deepEqual(tokens.map(t => t.text), ['#', 'include', '<linux/mm.h>', '#', 'include_next', '<a b.h>', 'x', '<', 'y', '>', 'z', '']);
		assert.deepEqual(Array.from(flags).map(f => f & FLAG_LINE_START), [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
		assert.deepEqual(Array.from(flags).map(f => (f & FLAG_HEADER_NAME) ? 1 : 0), [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
		assert.equal(tokens[2].kind, TokenKind.StringLiteral);
	});

	it('treats a spliced line as one logical line for line-start flags', () => {
		const { tokens, flags } = lexWithFlags('#define X \\\n  1\nY', 't.c');
		assert.deepEqual(tokens.map((t, i) => `${t.text}:${flags[i] & FLAG_LINE_START}`), ['#:1', 'define:0', 'X:0', '1:0', 'Y:1', ':0']);
	});

	it('never throws and always ends with EOF (random text)', () => {
		fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), text => {
			const { tokens } = lex(text, 'r.c');
			assert.equal(tokens.at(-1)!.kind, TokenKind.EOF);
			assert.ok(tokens.slice(0, -1).every(t => t.kind !== TokenKind.EOF && t.text.length > 0));
		}), { numRuns: 500 });
	});

	it('never throws on mutated C snippets', () => {
		const snippet = '#define F(x) ((x) * 2)\nint main(void) {\n\tchar *s = "a\\tb\\\\";\n\tint c = \'\\n\';\n\t/* c */ return F(0x1f) + s[0]; // end\n}\n';
		const pieces = ['"', '\'', '\\', '\\\n', '/*', '*/', '//', '\n', '#', '%:', '<:', '.', 'e+', '\u00e9', '\ud83d', '\r'];
		fc.assert(fc.property(
			fc.array(fc.tuple(fc.nat(snippet.length), fc.nat(4), fc.constantFrom(...pieces)), { maxLength: 8 }),
			edits => {
				let text = snippet;
				for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
				const { tokens } = lex(text, 'm.c');
				assert.equal(tokens.at(-1)!.kind, TokenKind.EOF);
				for (const t of tokens) {
					assert.ok(t.range.line >= 1 && t.range.col >= 1);
					assert.ok(t.range.endLine > t.range.line || (t.range.endLine === t.range.line && t.range.endCol >= t.range.col));
				}
			}), { numRuns: 500 });
	});
});

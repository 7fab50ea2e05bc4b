// Tokens produced by the preprocessor and consumed by the parser (layer: lang).

import type { SourceRange } from './source';

export const enum TokenKind {
	/** Identifiers and keywords alike: the parser decides which words are keywords. */
	Identifier,
	/** A preprocessing number (`0x1F`, `10UL`, `1.5e3f`); the parser interprets it. */
	Number,
	/** A character constant with its prefix and quotes, as written: `'a'`, `'\n'`, `L'x'`. */
	CharLiteral,
	/** A string literal with its prefix and quotes, as written: `"a\tb"`. Adjacent ones are not yet joined. */
	StringLiteral,
	/** Operators and punctuation: `+`, `->`, `<<=`, `...`, `{`, `#` (only inside directives), ... */
	Punctuator,
	/** End of the token stream. Always the last token; its range is the end of the main file. */
	EOF,
}

export interface Token {
	readonly kind: TokenKind;
	/** The token's spelling after macro expansion (for literals, exactly as written, quotes included). */
	readonly text: string;
	/**
	 * Where the token appears. For tokens that come out of a macro expansion this is the range of the
	 * macro invocation in the file being compiled, so diagnostics point at code the user wrote.
	 */
	readonly range: SourceRange;
	/** True if whitespace preceded this token (needed for `#` stringification and pretty printing). */
	readonly spaceBefore: boolean;
	/** Name of the outermost macro this token was expanded from, if any (for "in expansion of" notes). */
	readonly macro?: string;
}

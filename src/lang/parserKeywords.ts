// Keyword tables of the KC parser (layer: lang).
//
// Tokens do not distinguish keywords from identifiers; the parser looks every identifier up here.
// GNU alternate spellings (`__const__`, `__inline`, `__typeof__`, `__asm__`, `_Alignof`...) map to
// one canonical word, so the parser only ever tests canonical words.

/** Canonical keyword for each spelling the parser treats as reserved. */
export const KEYWORDS: ReadonlyMap<string, string> = new Map<string, string>([
	['auto', 'auto'],
	['break', 'break'],
	['case', 'case'],
	['char', 'char'],
	['const', 'const'],
	['__const', 'const'],
	['__const__', 'const'],
	['continue', 'continue'],
	['default', 'default'],
	['do', 'do'],
	['double', 'double'],
	['else', 'else'],
	['enum', 'enum'],
	['extern', 'extern'],
	['float', 'float'],
	['for', 'for'],
	['goto', 'goto'],
	['if', 'if'],
	['inline', 'inline'],
	['__inline', 'inline'],
	['__inline__', 'inline'],
	['int', 'int'],
	['long', 'long'],
	['register', 'register'],
	['restrict', 'restrict'],
	['__restrict', 'restrict'],
	['__restrict__', 'restrict'],
	['return', 'return'],
	['short', 'short'],
	['signed', 'signed'],
	['__signed', 'signed'],
	['__signed__', 'signed'],
	['sizeof', 'sizeof'],
	['static', 'static'],
	['struct', 'struct'],
	['switch', 'switch'],
	['typedef', 'typedef'],
	['union', 'union'],
	['unsigned', 'unsigned'],
	['void', 'void'],
	['volatile', 'volatile'],
	['__volatile', 'volatile'],
	['__volatile__', 'volatile'],
	['while', 'while'],
	['_Alignas', '_Alignas'],
	['_Alignof', 'alignof'],
	['__alignof', 'alignof'],
	['__alignof__', 'alignof'],
	['_Atomic', '_Atomic'],
	['_Bool', '_Bool'],
	['_Complex', '_Complex'],
	['__complex__', '_Complex'],
	['_Generic', '_Generic'],
	['_Imaginary', '_Imaginary'],
	['_Noreturn', '_Noreturn'],
	['_Static_assert', 'static_assert'],
	['static_assert', 'static_assert'],
	['_Thread_local', 'thread_local'],
	['__thread', 'thread_local'],
	['__attribute__', 'attribute'],
	['__attribute', 'attribute'],
	['asm', 'asm'],
	['__asm', 'asm'],
	['__asm__', 'asm'],
	['typeof', 'typeof'],
	['__typeof', 'typeof'],
	['__typeof__', 'typeof'],
	['__extension__', '__extension__'],
	['__label__', '__label__'],
	['__int128', '__int128'],
	['__auto_type', '__auto_type'],
	['__real__', '__real__'],
	['__imag__', '__imag__'],
]);

/** Canonical words that are type specifiers by themselves. */
export const BASIC_TYPE_WORDS: ReadonlySet<string> = new Set([
	'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
]);

export const QUALIFIER_WORDS: ReadonlySet<string> = new Set(['const', 'volatile', 'restrict']);

export const STORAGE_WORDS: ReadonlySet<string> = new Set(['typedef', 'extern', 'static', 'auto', 'register']);

/** GNU and C11 type words KC does not implement; the parser reports them and carries on. */
export const UNSUPPORTED_TYPE_WORDS: ReadonlySet<string> = new Set(['_Complex', '_Imaginary', '__int128', '__auto_type', '_Atomic']);

/** Canonical words that can begin a type name (casts, sizeof, compound literals, typeof). */
export const TYPE_NAME_START_WORDS: ReadonlySet<string> = new Set([
	...BASIC_TYPE_WORDS, ...QUALIFIER_WORDS, ...UNSUPPORTED_TYPE_WORDS, 'struct', 'union', 'enum', 'typeof',
]);

/** Canonical words that can begin a declaration (besides typedef names and `__attribute__`). */
export const DECLARATION_START_WORDS: ReadonlySet<string> = new Set([
	...TYPE_NAME_START_WORDS, ...STORAGE_WORDS, 'inline', '_Noreturn', 'static_assert', 'thread_local', '_Alignas', '__extension__',
]);

/** Precedence of the binary operators (higher binds tighter); `,` and assignments are handled apart. */
export const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
	['||', 1],
	['&&', 2],
	['|', 3],
	['^', 4],
	['&', 5],
	['==', 6],
	['!=', 6],
	['<', 7],
	['>', 7],
	['<=', 7],
	['>=', 7],
	['<<', 8],
	['>>', 8],
	['+', 9],
	['-', 9],
	['*', 10],
	['/', 10],
	['%', 10],
]);

export const ASSIGNMENT_OPERATORS: ReadonlySet<string> = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** `__packed__` -> `packed`: gcc accepts every attribute name with or without surrounding underscores. */
export function normalizeAttributeName(name: string): string {
	return name.length > 4 && name.startsWith('__') && name.endsWith('__') ? name.slice(2, -2) : name;
}

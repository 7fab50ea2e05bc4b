// The KC kernel's "debug info" for the inspector (layer: kernel): the C types the checker laid out
// for the linked kernel, found by tag, and the constants of its headers (macros and enumerators such
// as VM_PFNMAP, PG_buddy, LINUX_VERSION_CODE), evaluated by the KC front end itself.
//
// Types: a linked Program keeps the type of every global, every function and every parameter and
// local, and those reach every struct the kernel uses (`struct page` through `mem_map`,
// `struct task_struct` through `init_task`, ...). Each translation unit has its own StructType object
// for a tag; all of them have the same layout because they come from the same headers and defines.
// The first complete one found is used; globals are searched first.
//
// Constants: macros are not in a linked program (nor in DWARF without -g3), so `loadKernelConstants`
// compiles a probe unit that includes the kernel's headers with the profile's defines and, for every
// object-like macro, casts it to `unsigned long long` inside a function of its own; the checker folds
// the integer constant expressions (`constValue`). Macros that are not integer constants (pointers,
// statement expressions, type names) simply get no value. Enumerators come from the enum definitions
// of the same unit. Results are cached per SourceProvider and defines.

import type { Declaration, EnumSpecifier, Expr, FunctionDef, StructSpecifier, TranslationUnit } from '../../lang/ast';
import { compileUnit } from '../../lang/frontEnd';
import { preprocess } from '../../lang/preprocessor';
import type { Diagnostic, SourceProvider } from '../../lang/source';
import {
	charType, doubleType, floatType, intTypesByName, pointerTo, voidType,
	type CType, type IntName, type StructType,
} from '../../lang/types';
import type { Program } from '../../interp/program';

/** Thrown by the inspector for a type or name the kernel does not have, or memory it cannot read. */
export class InspectError extends Error {
	constructor(message: string, readonly address?: number) {
		super(message);
		this.name = 'InspectError';
	}
}

/** The struct and union types of a linked kernel program, by tag. */
export class KernelTypes {
	private structs: Map<string, StructType> | null = null;
	private unions: Map<string, StructType> | null = null;

	constructor(private readonly program: Program, private readonly fallback?: KernelConstants) {}

	/** `struct tag` as the kernel laid it out; undefined when no complete definition is reachable. */
	struct(tag: string): StructType | undefined {
		this.collectAll();
		return this.structs?.get(tag) ?? this.fallback?.structs.get(tag);
	}

	/** `union tag`. */
	union(tag: string): StructType | undefined {
		this.collectAll();
		return this.unions?.get(tag) ?? this.fallback?.unions.get(tag);
	}

	/** Every struct tag the kernel program's types reach. */
	structTags(): string[] {
		this.collectAll();
		return [...(this.structs ?? new Map<string, StructType>()).keys()].sort();
	}

	/**
	 * A type from its C spelling: `struct page`, `union u`, `struct page *`, `unsigned long`, `char *`,
	 * `void *`, `int`. Throws InspectError for an unknown tag or an unsupported spelling.
	 */
	parse(spelling: string): CType {
		let text = spelling.trim();
		let pointers = 0;
		while (text.endsWith('*')) {
			pointers++;
			text = text.slice(0, -1).trim();
		}
		let type = this.baseType(text.replace(/\s+/g, ' '));
		for (let i = 0; i < pointers; i++) type = pointerTo(type);
		return type;
	}

	private baseType(text: string): CType {
		const tagged = /^(struct|union) ([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
		if (tagged !== null) {
			const found = tagged[1] === 'struct' ? this.struct(tagged[2]) : this.union(tagged[2]);
			if (found === undefined) throw new InspectError(`the kernel has no complete ${text}`);
			return found;
		}
		if (text === 'void') return voidType;
		if (text === 'float') return floatType;
		if (text === 'double') return doubleType;
		if (text === 'char') return charType;
		const aliases: Record<string, IntName> = {
			'unsigned': 'unsigned int', 'signed': 'int', 'signed int': 'int', 'short int': 'short', 'long int': 'long',
			'unsigned long int': 'unsigned long', 'long long int': 'long long', 'unsigned long long int': 'unsigned long long',
			'bool': '_Bool',
		};
		const name = (aliases[text] ?? text) as IntName;
		const int = intTypesByName[name];
		if (int !== undefined) return int;
		throw new InspectError(`unsupported type spelling '${text}' (typedef names are not kept by the linker: spell the C type)`);
	}

	private collectAll(): void {
		if (this.structs !== null) return;
		const structs = new Map<string, StructType>();
		const unions = new Map<string, StructType>();
		const seen = new Set<CType>();
		const visit = (start: CType): void => collectTaggedTypes(start, structs, unions, seen);
		for (const symbol of this.program.globals.values()) visit(symbol.type);
		for (const fn of this.program.functions) {
			if (fn.type !== undefined) visit(fn.type);
			for (const local of fn.locals) visit(local.type);
		}
		this.structs = structs;
		this.unions = unions;
	}
}

// ---- Header constants ----------------------------------------------------------------------------

/** The constants of the kernel headers for one profile. */
export interface KernelConstants {
	/** LINUX_VERSION_CODE of the profile (undefined when the headers do not define it). */
	readonly version: number | undefined;
	/** Integer macros and enumerators by name, as unsigned 64-bit values (negative values wrap). */
	readonly values: ReadonlyMap<string, bigint>;
	/** Object-like macros, in definition order (value or not). */
	readonly macroNames: readonly string[];
	/** Named enums: tag -> enumerators in declaration order. */
	readonly enums: ReadonlyMap<string, readonly { readonly name: string; readonly value: bigint }[]>;
	/** Struct and union types defined by the headers (a fallback for tags the program does not reach). */
	readonly structs: ReadonlyMap<string, StructType>;
	readonly unions: ReadonlyMap<string, StructType>;
	/** Diagnostics of the probe unit other than the expected ones (for debugging a header that does not compile). */
	readonly diagnostics: readonly Diagnostic[];
}

/** The headers the probe includes by default. */
export const DEFAULT_PROBE_HEADERS: readonly string[] = [
	'linux/kernel.h', 'linux/mm.h', 'linux/sched.h', 'linux/mmzone.h', 'linux/page-flags.h', 'asm/pgtable.h', 'asm/processor.h', 'linux/version.h',
];

const PROBE_FILE = '__faultline_inspect_probe__.c';
const PROBE_PREFIX = '__faultline_probe_';

const cache = new WeakMap<SourceProvider, Map<string, KernelConstants>>();

/**
 * The integer constants of the kernel headers (read through `sources`, compiled with `defines`, the
 * profile's `LINUX_VERSION_CODE` and `CONFIG_*`). Never throws: a header that does not compile
 * leaves its constants out and its diagnostics in `diagnostics`.
 */
export function loadKernelConstants(sources: SourceProvider, defines: Readonly<Record<string, string>>, headers: readonly string[] = DEFAULT_PROBE_HEADERS): KernelConstants {
	const key = JSON.stringify([Object.entries(defines).sort(), headers]);
	let perSources = cache.get(sources);
	if (perSources === undefined) {
		perSources = new Map();
		cache.set(sources, perSources);
	}
	const cached = perSources.get(key);
	if (cached !== undefined) return cached;
	const result = computeConstants(sources, defines, headers);
	perSources.set(key, result);
	return result;
}

function probeProvider(sources: SourceProvider, text: () => string): SourceProvider {
	return {
		read: path => (path === PROBE_FILE ? text() : sources.read(path)),
		resolveInclude: (name, fromFile, quoted) => (name === PROBE_FILE ? PROBE_FILE : sources.resolveInclude(name, fromFile, quoted)),
	};
}

function computeConstants(sources: SourceProvider, defines: Readonly<Record<string, string>>, headers: readonly string[]): KernelConstants {
	const includes = headers.map(h => `#include <${h}>\n`).join('');
	// Pass 1: which object-like macros exist.
	const first = preprocess(PROBE_FILE, probeProvider(sources, () => includes), { defines: { ...defines } });
	const macroNames: string[] = [];
	for (const [name, macro] of first.macros) {
		if (macro.params !== undefined || macro.range.file === '<built-in>') continue;
		const body = macro.body.trim();
		// Bodies that cannot be an expression (empty, braces, statements) would only confuse the parser.
		if (body === '' || /[{};#]/.test(body) || name.startsWith(PROBE_PREFIX)) continue;
		macroNames.push(name);
	}
	// Pass 2: one probe function per macro.
	let text = includes;
	macroNames.forEach((name, i) => {
		text += `static void ${PROBE_PREFIX}${i}(void) { unsigned long long ${PROBE_PREFIX}v = (unsigned long long)(${name}); }\n`;
	});
	const compiled = compileUnit(PROBE_FILE, probeProvider(sources, () => text), { defines: { ...defines } });
	const values = new Map<string, bigint>();
	const enums = new Map<string, { name: string; value: bigint }[]>();
	const structs = new Map<string, StructType>();
	const unions = new Map<string, StructType>();
	const tree = compiled.tree;
	if (tree !== undefined) {
		collectDeclarations(tree, enums, structs, unions, values);
		for (const decl of tree.decls) {
			if (decl.kind !== 'FunctionDef') continue;
			const index = probeIndex(decl);
			if (index === undefined) continue;
			const value = probeValue(decl);
			if (value !== undefined) values.set(macroNames[index], BigInt.asUintN(64, value));
		}
	}
	const diagnostics = compiled.diagnostics.filter(d => d.range.file !== PROBE_FILE);
	const version = values.get('LINUX_VERSION_CODE');
	return { version: version === undefined ? undefined : Number(version), values, macroNames, enums, structs, unions, diagnostics };
}

function probeIndex(def: FunctionDef): number | undefined {
	const name = def.symbol?.name;
	if (name === undefined || !name.startsWith(PROBE_PREFIX)) return undefined;
	const n = Number(name.slice(PROBE_PREFIX.length));
	return Number.isInteger(n) ? n : undefined;
}

function probeValue(def: FunctionDef): bigint | undefined {
	const item = def.body.items[0];
	if (item === undefined || item.kind !== 'Declaration') return undefined;
	const init = (item as Declaration).vars?.[0]?.init;
	if (init === undefined || init.kind !== 'expr') return undefined;
	return constantOf(init.expr);
}

function constantOf(e: Expr): bigint | undefined {
	return e.type?.kind === 'int' ? e.constValue : undefined;
}

/** Enumerators of named enums and struct types defined at file scope (declaration specifiers). */
function collectDeclarations(
	tree: TranslationUnit,
	enums: Map<string, { name: string; value: bigint }[]>,
	structs: Map<string, StructType>,
	unions: Map<string, StructType>,
	values: Map<string, bigint>,
): void {
	const visitSpec = (spec: unknown, depth: number): void => {
		if (depth > 8 || spec === null || typeof spec !== 'object') return;
		const node = spec as { kind?: string };
		if (node.kind === 'EnumSpec') {
			const e = node as EnumSpecifier;
			if (e.enumerators === undefined) return;
			const list: { name: string; value: bigint }[] = [];
			let next = 0n;
			for (const en of e.enumerators) {
				let value = next;
				if (en.value !== undefined) {
					const v = constantOf(en.value);
					if (v === undefined) break;
					value = v;
				}
				list.push({ name: en.name, value });
				values.set(en.name, BigInt.asUintN(64, value));
				next = value + 1n;
			}
			if (e.tag !== undefined && !enums.has(e.tag)) enums.set(e.tag, list);
		} else if (node.kind === 'StructSpec') {
			const s = node as StructSpecifier;
			const type = s.type;
			if (type !== undefined && s.tag !== undefined && type.complete) {
				const into = type.isUnion ? unions : structs;
				if (!into.has(s.tag)) into.set(s.tag, type);
			}
			for (const member of s.members ?? []) for (const ts of member.specs.typeSpecs) visitSpec(ts, depth + 1);
		}
	};
	for (const decl of tree.decls) {
		if (decl.kind === 'StaticAssert') continue;
		for (const ts of decl.specs.typeSpecs) visitSpec(ts, 0);
	}
}

/**
 * Adds every complete struct and union reachable from `type` (through members, pointers, arrays and
 * function signatures) to `structs`/`unions` by tag; `seen` keeps a walk over many roots linear.
 */
export function collectTaggedTypes(type: CType, structs: Map<string, StructType>, unions: Map<string, StructType>, seen: Set<CType>): void {
	const stack: CType[] = [type];
	while (stack.length > 0) {
		const t = stack.pop()!;
		if (seen.has(t)) continue;
		seen.add(t);
		switch (t.kind) {
			case 'struct': {
				const into = t.isUnion ? unions : structs;
				if (t.tag !== undefined && t.complete && !into.has(t.tag)) into.set(t.tag, t);
				for (const f of t.fields) stack.push(f.type);
				break;
			}
			case 'pointer':
				stack.push(t.to);
				break;
			case 'array':
				stack.push(t.of);
				break;
			case 'function':
				stack.push(t.returns);
				for (const p of t.params) stack.push(p.type);
				break;
			default:
				break;
		}
	}
}

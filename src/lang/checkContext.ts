// State shared by the parts of the KC checker while it walks one translation unit (layer: lang):
// diagnostics, the scope chain, the function being checked, and side tables for facts that the AST
// has no field for (expressions already diagnosed, floating constants, null-based addresses).

import type {
	Attribute,
	CaseStmt,
	DefaultStmt,
	Expr,
	FuncSymbol,
	FunctionDef,
	GotoStmt,
	LabeledStmt,
	VarSymbol,
} from './ast';
import type { Diagnostic, SourceRange } from './source';
import { Scope } from './scope';
import type { CType, IntType } from './types';

/** Options of `check`. */
export interface CheckOptions {
	/** Report warnings (default true). Errors are always reported. */
	readonly warnings?: boolean;
}

let nextSymbolId = 1;

/** A fresh symbol id; ids are unique across every unit checked in this process. */
export function newSymbolId(): number {
	return nextSymbolId++;
}

/** The switch statement being checked: its promoted type and the labels found so far. */
export interface SwitchState {
	readonly type: IntType;
	readonly cases: CaseStmt[];
	defaultCase?: DefaultStmt;
	/** Single values already used, for duplicate detection. */
	readonly values: Map<bigint, CaseStmt>;
	/** GNU case ranges already used. */
	readonly ranges: { low: bigint; high: bigint; stmt: CaseStmt }[];
}

/** The function whose body is being checked. */
export interface FunctionState {
	readonly def: FunctionDef;
	readonly symbol: FuncSymbol;
	readonly returnType: CType;
	readonly variadic: boolean;
	readonly params: VarSymbol[];
	readonly locals: VarSymbol[];
	readonly labels: Map<string, LabeledStmt>;
	readonly gotos: GotoStmt[];
	/** Names already reported undeclared in this function (gcc reports each once). */
	readonly undeclared: Set<string>;
	/** `__func__` and friends, created on first use. */
	readonly functionNames: Map<string, VarSymbol>;
	loops: number;
	readonly switches: SwitchState[];
}

/** Everything the checker's passes share. One per `check` call. */
export class CheckContext {
	readonly diagnostics: Diagnostic[] = [];
	readonly fileScope = new Scope('file');
	scope: Scope = this.fileScope;
	readonly globals: VarSymbol[] = [];
	readonly functions: FuncSymbol[] = [];
	/**
	 * Every entity with linkage declared anywhere in the unit, by name, so block-scope `extern`
	 * declarations and later file-scope ones denote the same symbol.
	 */
	readonly externals = new Map<string, VarSymbol | FuncSymbol>();
	fn: FunctionState | undefined;
	/** Expressions whose errors were reported already: no further diagnostics about them. */
	readonly poisoned = new WeakSet<Expr>();
	/** Values of arithmetic constant expressions of floating type. */
	readonly floatConstants = new WeakMap<Expr, number>();
	/** Pointer expressions that are a null pointer plus a constant byte offset (`&((T *)0)->m`). */
	readonly nullOffsets = new WeakMap<Expr, bigint>();
	/** Depth inside `sizeof`, `typeof`, `__builtin_constant_p`...: operands are not evaluated. */
	unevaluated = 0;
	/** Recursion depth of expression and statement checking, bounded against stack exhaustion. */
	depth = 0;
	/** Recursion depth of type resolution (specifiers, declarators, struct bodies), bounded likewise. */
	typeDepth = 0;
	/** Counter for naming compound literal objects. */
	compoundLiterals = 0;
	private readonly warningsOn: boolean;

	constructor(options: CheckOptions = {}) {
		this.warningsOn = options.warnings !== false;
	}

	/** Reports an error (always kept). */
	error(range: SourceRange, message: string, related?: { message: string; range: SourceRange }[]): void {
		this.diagnostics.push(related ? { severity: 'error', message, range, related } : { severity: 'error', message, range });
	}

	/** Reports a warning (dropped when warnings are off). */
	warning(range: SourceRange, message: string, related?: { message: string; range: SourceRange }[]): void {
		if (this.warningsOn) {
			this.diagnostics.push(related ? { severity: 'warning', message, range, related } : { severity: 'warning', message, range });
		}
	}

	/** Marks an expression as erroneous (already reported) and returns it. */
	poison<T extends Expr>(e: T): T {
		this.poisoned.add(e);
		return e;
	}

	isPoisoned(e: Expr): boolean {
		return this.poisoned.has(e);
	}

	pushScope(kind: 'block' | 'prototype' | 'function'): Scope {
		this.scope = new Scope(kind, this.scope);
		return this.scope;
	}

	popScope(): void {
		if (this.scope.parent) {
			this.scope = this.scope.parent;
		}
	}

	get atFileScope(): boolean {
		return this.fn === undefined;
	}
}

/** Attribute names without the optional `__` wrapping: `__packed__` -> `packed`. */
export function attributeName(a: Attribute): string {
	const name = a.name;
	return name.length > 4 && name.startsWith('__') && name.endsWith('__') ? name.slice(2, -2) : name;
}

/** The first attribute called `name` (after normalization), if any. */
export function findAttribute(attributes: readonly Attribute[], name: string): Attribute | undefined {
	return attributes.find(a => attributeName(a) === name);
}

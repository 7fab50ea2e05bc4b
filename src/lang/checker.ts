// The KC semantic checker (layer: lang): resolves names and types in a parsed translation unit and
// annotates the tree in place as `ast.ts` describes ("checker:" fields, ImplicitCast nodes), so the
// interpreter's compiler sees every conversion, load and decay explicitly. C11 semantics on x86-64
// LP64, gcc-compatible where C leaves a choice; diagnostics read like gcc's.
//
// The work is split by concern: `checkDecl.ts` (types, declarations, layouts), `checkExpr.ts`
// (expressions and conversions), `checkInit.ts` (initializers), `checkStmt.ts` (statements and
// function bodies), with shared state in `checkContext.ts`. The checker never throws: an internal
// failure becomes an "internal checker error" diagnostic on the declaration being checked.

import type { CheckedUnit, TranslationUnit } from './ast';
import { CheckContext, type CheckOptions } from './checkContext';
import { checkDeclaration, checkStaticAssert, finishUnit } from './checkDecl';
import { checkFunctionDef } from './checkStmt';
import type { Diagnostic } from './source';
import { charType, pointerTo } from './types';

export type { CheckOptions } from './checkContext';

/**
 * Checks a translation unit. Always returns a unit (the linker must not use it when `diagnostics`
 * has errors); the tree passed in is annotated in place.
 */
export function check(tree: TranslationUnit, options?: CheckOptions): { unit: CheckedUnit; diagnostics: Diagnostic[] } {
	const ctx = new CheckContext(options);
	checkInContext(ctx, tree);
	return {
		unit: { file: tree.file, tree, globals: ctx.globals, functions: ctx.functions },
		diagnostics: ctx.diagnostics,
	};
}

function describe(error: unknown): string {
	if (error instanceof RangeError) {
		return `${error.message} (program too deeply nested)`;
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Checks `tree` in a context the caller made and keeps (the language server reads its file scope
 * afterwards). `check` is this plus the unit it returns.
 */
export function checkInContext(ctx: CheckContext, tree: TranslationUnit): void {
	// `va_list` is a `char *` walking 8-byte argument slots (the CPU implements va_start/va_arg on it).
	ctx.fileScope.ordinary.set('__builtin_va_list', { kind: 'typedef', name: '__builtin_va_list', type: pointerTo(charType), range: tree.range });
	for (const decl of tree.decls) {
		try {
			switch (decl.kind) {
				case 'Declaration':
					checkDeclaration(ctx, decl, 'file');
					break;
				case 'FunctionDef':
					checkFunctionDef(ctx, decl);
					break;
				case 'StaticAssert':
					checkStaticAssert(ctx, decl);
					break;
			}
		} catch (error) {
			ctx.error(decl.range, `internal checker error: ${describe(error)}`);
			ctx.fn = undefined;
			ctx.scope = ctx.fileScope;
			ctx.depth = 0;
			ctx.typeDepth = 0;
			ctx.unevaluated = 0;
		}
	}
	try {
		finishUnit(ctx);
	} catch (error) {
		ctx.error(tree.range, `internal checker error: ${describe(error)}`);
	}
}

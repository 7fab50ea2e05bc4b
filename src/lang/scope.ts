// Lexical scopes of the KC checker (layer: lang).
//
// C has four kinds of scope (file, function-prototype, block, and function scope for labels, which
// the checker keeps per function) and two name spaces per scope that matter here: ordinary
// identifiers (objects, functions, typedef names, enum constants) and tags (struct, union, enum).
// A Scope holds both; lookups walk outward through `parent`.

import type { Symbol } from './ast';
import type { CType, IntType, StructType } from './types';
import type { SourceRange } from './source';

/** What an ordinary identifier denotes in one scope. */
export type OrdinaryEntity =
	| { readonly kind: 'symbol'; readonly symbol: Symbol }
	| { readonly kind: 'typedef'; readonly name: string; readonly type: CType; readonly range: SourceRange };

/** What a tag denotes in one scope. Enums are `int`-based types; `defined` turns true with their list. */
export type TagEntity =
	| { readonly kind: 'struct'; readonly type: StructType; readonly range: SourceRange }
	| { readonly kind: 'enum'; type: IntType; defined: boolean; readonly range: SourceRange };

export type ScopeKind = 'file' | 'prototype' | 'function' | 'block';

/** One scope: ordinary identifiers and tags declared in it. */
export class Scope {
	readonly ordinary = new Map<string, OrdinaryEntity>();
	readonly tags = new Map<string, TagEntity>();

	constructor(
		readonly kind: ScopeKind,
		readonly parent?: Scope,
	) {}

	/** Finds an ordinary identifier in this scope or an enclosing one. */
	lookup(name: string): OrdinaryEntity | undefined {
		for (let s: Scope | undefined = this; s; s = s.parent) {
			const entity = s.ordinary.get(name);
			if (entity) {
				return entity;
			}
		}
		return undefined;
	}

	/** Finds a tag in this scope or an enclosing one. */
	lookupTag(name: string): TagEntity | undefined {
		for (let s: Scope | undefined = this; s; s = s.parent) {
			const entity = s.tags.get(name);
			if (entity) {
				return entity;
			}
		}
		return undefined;
	}
}

// The KC syntax tree, and the annotations the checker adds to it (layer: lang).
//
// The parser builds these nodes from tokens and fills only the syntactic fields. The checker then
// annotates the same objects in place (fields marked "checker:"), and inserts ImplicitCast nodes, so
// that a checked tree states every conversion, every load (LValueToRValue) and every decay. The
// interpreter's compiler consumes only checked trees of translation units without errors.
//
// Invariant: every node has a `range`. Parsing never throws; on a syntax error the parser records a
// diagnostic and produces an ErrorExpr / ErrorStmt placeholder so the tree stays complete.

import type { SourceRange } from './source';
import type { CType, Field, FunctionType, StructType } from './types';

// ---- Syntactic types ---------------------------------------------------------------------------

export interface TypeQualifiers {
	const?: boolean;
	volatile?: boolean;
	restrict?: boolean;
}

/** GNU attributes that change semantics: `packed`, `aligned(N)`, `noreturn`, `unused`, ... */
export interface Attribute {
	readonly name: string;
	readonly args: readonly Expr[];
	readonly range: SourceRange;
}

export type TypeSpecifier =
	| { readonly kind: 'Keyword'; readonly word: 'void' | 'char' | 'short' | 'int' | 'long' | 'float' | 'double' | 'signed' | 'unsigned' | '_Bool'; readonly range: SourceRange }
	| { readonly kind: 'TypedefName'; readonly name: string; readonly range: SourceRange }
	| StructSpecifier
	| EnumSpecifier
	| { readonly kind: 'Typeof'; readonly arg: Expr | TypeName; readonly range: SourceRange };

export interface StructSpecifier {
	readonly kind: 'StructSpec';
	readonly isUnion: boolean;
	readonly tag?: string;
	/** Undefined for a reference (`struct s`), an array (maybe empty) for a definition. */
	readonly members?: readonly StructMemberDecl[];
	readonly attributes: readonly Attribute[];
	readonly range: SourceRange;
	/** checker: the struct type this specifier declares or refers to. */
	type?: StructType;
}

export interface StructMemberDecl {
	readonly specs: DeclSpecs;
	/** Empty for an anonymous struct/union member (`struct { union { int a; }; }`). */
	readonly declarators: readonly { readonly declarator: Declarator; readonly bitWidth?: Expr }[];
	readonly range: SourceRange;
}

export interface EnumSpecifier {
	readonly kind: 'EnumSpec';
	readonly tag?: string;
	readonly enumerators?: readonly { readonly name: string; readonly value?: Expr; readonly range: SourceRange }[];
	readonly range: SourceRange;
}

export type StorageClass = 'typedef' | 'extern' | 'static' | 'auto' | 'register';

export interface DeclSpecs {
	readonly storage?: StorageClass;
	readonly inline?: boolean;
	readonly noreturn?: boolean;
	readonly qualifiers: TypeQualifiers;
	readonly typeSpecs: readonly TypeSpecifier[];
	readonly attributes: readonly Attribute[];
	readonly range: SourceRange;
}

/**
 * One step of a declarator. `Declarator.derived` lists them in the order they apply to the base
 * type: `int *a[3]` is [Pointer, Array 3] (array of 3 pointers to int); `int (*fp)(int)` is
 * [Function(int), Pointer] (pointer to function).
 */
export type DerivedDeclarator =
	| { readonly kind: 'Pointer'; readonly qualifiers: TypeQualifiers; readonly range: SourceRange }
	| { readonly kind: 'Array'; readonly size?: Expr; readonly qualifiers: TypeQualifiers; readonly range: SourceRange }
	| {
			readonly kind: 'Function';
			readonly params: readonly ParamDecl[];
			readonly variadic: boolean;
			/** `()` with nothing inside: an unprototyped declaration in C99. `(void)` gives no params and false. */
			readonly unprototyped: boolean;
			readonly range: SourceRange;
	  };

export interface Declarator {
	/** Absent for abstract declarators (type names, unnamed parameters). */
	readonly name?: string;
	readonly nameRange?: SourceRange;
	readonly derived: readonly DerivedDeclarator[];
	readonly attributes: readonly Attribute[];
	readonly range: SourceRange;
}

export interface ParamDecl {
	readonly specs: DeclSpecs;
	readonly declarator: Declarator;
	readonly range: SourceRange;
}

/** A type written in an expression: casts, sizeof, compound literals, va_arg, offsetof. */
export interface TypeName {
	readonly kind: 'TypeName';
	readonly specs: DeclSpecs;
	readonly declarator: Declarator;
	readonly range: SourceRange;
	/** checker: the resolved type. */
	type?: CType;
}

// ---- Expressions ---------------------------------------------------------------------------------

/** Fields every expression carries once checked. */
interface ExprBase {
	readonly range: SourceRange;
	/** checker: the expression's type (for lvalues, the object's type, before any conversion). */
	type?: CType;
	/** checker: true if the expression designates an object (can be assigned or have its address taken). */
	lvalue?: boolean;
	/** checker: value of an integer constant expression, when the expression is one. */
	constValue?: bigint;
}

export interface IntLiteral extends ExprBase {
	readonly kind: 'IntLiteral';
	readonly value: bigint;
	/** As written: `10u`, `0x1fUL`; suffix flags below. */
	readonly text: string;
	readonly unsignedSuffix: boolean;
	/** 0 none, 1 `L`, 2 `LL`. */
	readonly longSuffix: 0 | 1 | 2;
	readonly decimal: boolean;
}

export interface FloatLiteral extends ExprBase {
	readonly kind: 'FloatLiteral';
	readonly value: number;
	readonly text: string;
	readonly suffix: '' | 'f' | 'l';
}

export interface CharLiteral extends ExprBase {
	readonly kind: 'CharLiteral';
	/** The value as an `int` (plain char literals are sign-extended from char, as gcc does). */
	readonly value: number;
	readonly text: string;
	readonly wide: boolean;
}

export interface StringLiteral extends ExprBase {
	readonly kind: 'StringLiteral';
	/** Bytes after escape processing and concatenation of adjacent literals, without the final NUL. */
	readonly bytes: Uint8Array;
	readonly text: string;
	readonly wide: boolean;
}

export interface Ident extends ExprBase {
	readonly kind: 'Ident';
	readonly name: string;
	/** checker: what the name refers to. */
	symbol?: Symbol;
}

export type UnaryOp = '+' | '-' | '!' | '~' | '*' | '&' | 'pre++' | 'pre--' | 'post++' | 'post--';

export interface Unary extends ExprBase {
	readonly kind: 'Unary';
	readonly op: UnaryOp;
	operand: Expr;
}

export type BinaryOp =
	| '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '>' | '<=' | '>=' | '==' | '!=' | '&' | '^' | '|' | '&&' | '||' | ',';

export interface Binary extends ExprBase {
	readonly kind: 'Binary';
	readonly op: BinaryOp;
	left: Expr;
	right: Expr;
	/**
	 * checker: for `+`/`-` between a pointer and an integer, the pointed-to element size; for
	 * pointer - pointer, the element size to divide by. Operands are in their converted types:
	 * for arithmetic ops both sides already have the result's (common) type; for shifts each side is
	 * promoted separately; for comparisons both sides have the common type and the result is int.
	 */
	pointerScale?: number;
}

export type AssignOp = '=' | '*=' | '/=' | '%=' | '+=' | '-=' | '<<=' | '>>=' | '&=' | '^=' | '|=';

export interface Assign extends ExprBase {
	readonly kind: 'Assign';
	readonly op: AssignOp;
	target: Expr;
	value: Expr;
	/**
	 * checker: for compound assignment, the type the operation is computed in (the usual arithmetic
	 * conversion of the target's promoted type and the value's type); the target is read, converted
	 * to `opType`, combined with `value` (already converted to `opType`, or to an integer for pointer
	 * +=/-=, or promoted for shifts) and converted back to the target's type. For `=`, `value` is
	 * already converted to the target's type. `pointerScale` as on Binary for pointer +=/-=.
	 */
	opType?: CType;
	pointerScale?: number;
}

export interface Conditional extends ExprBase {
	readonly kind: 'Conditional';
	cond: Expr;
	then: Expr;
	otherwise: Expr;
}

export interface Call extends ExprBase {
	readonly kind: 'Call';
	callee: Expr;
	args: Expr[];
	/** checker: the called function's type (after decaying the callee to a pointer). */
	calleeType?: FunctionType;
}

export interface Index extends ExprBase {
	readonly kind: 'Index';
	/** checker: normalized so `base` is the pointer (after decay) and `index` the integer, even for `i[a]`. */
	base: Expr;
	index: Expr;
	/** checker: the element size. */
	scale?: number;
	/**
	 * checker: when `base` decayed from an array object of known length, that length, so the
	 * interpreter can report out-of-bounds indexing as undefined behaviour.
	 */
	boundsLength?: number;
}

export interface Member extends ExprBase {
	readonly kind: 'Member';
	base: Expr;
	readonly name: string;
	readonly arrow: boolean;
	readonly nameRange: SourceRange;
	/** checker: the resolved field and its byte offset from the start of the base struct (through anonymous members). */
	field?: Field;
	offset?: number;
}

export interface Cast extends ExprBase {
	readonly kind: 'Cast';
	readonly typeName: TypeName;
	operand: Expr;
	/** checker: how the value is converted. */
	castKind?: CastKind;
}

/**
 * Conversions made explicit by the checker (names follow clang's CastKind). The interpreter
 * implements each; `LValueToRValue` is where a load from memory or a variable read happens.
 */
export type CastKind =
	| 'LValueToRValue'
	| 'ArrayToPointerDecay'
	| 'FunctionToPointerDecay'
	| 'IntegralCast'
	| 'IntegralToBoolean'
	| 'IntegralToFloating'
	| 'FloatingToIntegral'
	| 'FloatingToBoolean'
	| 'FloatingCast'
	| 'PointerToIntegral'
	| 'IntegralToPointer'
	| 'PointerToBoolean'
	| 'BitCast'
	| 'NullToPointer'
	| 'ToVoid'
	| 'NoOp';

/** checker-only node: a conversion the C rules imply. `type` is the target type. */
export interface ImplicitCast extends ExprBase {
	readonly kind: 'ImplicitCast';
	readonly castKind: CastKind;
	operand: Expr;
}

export interface SizeofExpr extends ExprBase {
	readonly kind: 'SizeofExpr';
	/** Not evaluated (C semantics); checker sets constValue. */
	operand: Expr;
}

export interface SizeofType extends ExprBase {
	readonly kind: 'SizeofType' | 'AlignofType';
	readonly typeName: TypeName;
}

export interface OffsetofExpr extends ExprBase {
	readonly kind: 'Offsetof';
	readonly typeName: TypeName;
	/** `offsetof(struct s, a.b[2].c)`: a member path of names and indices. */
	readonly path: readonly ({ readonly kind: 'field'; readonly name: string } | { readonly kind: 'index'; readonly index: Expr })[];
}

export interface VaArgExpr extends ExprBase {
	readonly kind: 'VaArg';
	ap: Expr;
	readonly typeName: TypeName;
}

export interface CompoundLiteral extends ExprBase {
	readonly kind: 'CompoundLiteral';
	readonly typeName: TypeName;
	readonly init: InitList;
	/** checker: the anonymous object (a local in functions, a static object at file scope). */
	object?: VarSymbol;
	checkedInit?: CheckedInit;
}

/** GNU statement expression `({ ...; value; })`, used by kernel macros. Its value is the last expression statement's. */
export interface StmtExpr extends ExprBase {
	readonly kind: 'StmtExpr';
	readonly body: CompoundStmt;
}

/** `__builtin_types_compatible_p`, `__builtin_constant_p`, `__builtin_expect`, ...: a named builtin with mixed args. */
export interface BuiltinCall extends ExprBase {
	readonly kind: 'BuiltinCall';
	readonly name: string;
	args: (Expr | TypeName)[];
}

/** Placeholder for an expression that failed to parse or check. */
export interface ErrorExpr extends ExprBase {
	readonly kind: 'ErrorExpr';
}

export type Expr =
	| IntLiteral
	| FloatLiteral
	| CharLiteral
	| StringLiteral
	| Ident
	| Unary
	| Binary
	| Assign
	| Conditional
	| Call
	| Index
	| Member
	| Cast
	| ImplicitCast
	| SizeofExpr
	| SizeofType
	| OffsetofExpr
	| VaArgExpr
	| CompoundLiteral
	| StmtExpr
	| BuiltinCall
	| ErrorExpr;

// ---- Initializers --------------------------------------------------------------------------------

export type Designator =
	| { readonly kind: 'field'; readonly name: string; readonly range: SourceRange }
	| { readonly kind: 'index'; readonly index: Expr; readonly last?: Expr; readonly range: SourceRange };

export interface InitList {
	readonly kind: 'InitList';
	readonly items: readonly { readonly designators: readonly Designator[]; readonly init: Initializer; readonly range: SourceRange }[];
	readonly range: SourceRange;
}

export type Initializer = Expr | InitList;

/**
 * checker: an initializer flattened against the object's type. `expr`: one value converted to the
 * object's type (scalars, or a struct copied from an expression). `list`: the object is first
 * zero-filled, then each item is stored at its byte offset, in order (later items win, as with
 * overlapping designators); bit-field items carry the field.
 */
export type CheckedInit =
	| { readonly kind: 'expr'; readonly expr: Expr }
	| { readonly kind: 'list'; readonly size: number; readonly items: readonly CheckedInitItem[] };

export type CheckedInitItem =
	| { readonly offset: number; readonly type: CType; readonly expr: Expr; readonly bitField?: Field }
	| { readonly offset: number; readonly bytes: Uint8Array };

// ---- Statements ----------------------------------------------------------------------------------

interface StmtBase {
	readonly range: SourceRange;
}

export interface CompoundStmt extends StmtBase {
	readonly kind: 'Compound';
	readonly items: readonly (Stmt | Declaration)[];
}
export interface ExprStmt extends StmtBase {
	readonly kind: 'ExprStmt';
	expr: Expr;
}
export interface IfStmt extends StmtBase {
	readonly kind: 'If';
	cond: Expr;
	readonly then: Stmt;
	readonly otherwise?: Stmt;
}
export interface WhileStmt extends StmtBase {
	readonly kind: 'While';
	cond: Expr;
	readonly body: Stmt;
}
export interface DoWhileStmt extends StmtBase {
	readonly kind: 'DoWhile';
	readonly body: Stmt;
	cond: Expr;
}
export interface ForStmt extends StmtBase {
	readonly kind: 'For';
	readonly init?: Declaration | Expr;
	cond?: Expr;
	step?: Expr;
	readonly body: Stmt;
}
export interface SwitchStmt extends StmtBase {
	readonly kind: 'Switch';
	cond: Expr;
	readonly body: Stmt;
	/** checker: every case label in this switch (not nested switches) with its converted value, and the default. */
	cases?: CaseStmt[];
	defaultCase?: DefaultStmt;
}
export interface CaseStmt extends StmtBase {
	readonly kind: 'Case';
	readonly value: Expr;
	/** GNU case ranges `case 1 ... 5:`. */
	readonly last?: Expr;
	readonly body: Stmt;
	/** checker: the label's value(s), converted to the switch's promoted type. */
	low?: bigint;
	high?: bigint;
}
export interface DefaultStmt extends StmtBase {
	readonly kind: 'Default';
	readonly body: Stmt;
}
export interface LabeledStmt extends StmtBase {
	readonly kind: 'Labeled';
	readonly label: string;
	readonly body: Stmt;
}
export interface GotoStmt extends StmtBase {
	readonly kind: 'Goto';
	readonly label: string;
}
export interface BreakStmt extends StmtBase {
	readonly kind: 'Break';
}
export interface ContinueStmt extends StmtBase {
	readonly kind: 'Continue';
}
export interface ReturnStmt extends StmtBase {
	readonly kind: 'Return';
	/** checker: converted to the function's return type. */
	value?: Expr;
}
export interface EmptyStmt extends StmtBase {
	readonly kind: 'Empty';
}
export interface ErrorStmt extends StmtBase {
	readonly kind: 'ErrorStmt';
}

export type Stmt =
	| CompoundStmt
	| ExprStmt
	| IfStmt
	| WhileStmt
	| DoWhileStmt
	| ForStmt
	| SwitchStmt
	| CaseStmt
	| DefaultStmt
	| LabeledStmt
	| GotoStmt
	| BreakStmt
	| ContinueStmt
	| ReturnStmt
	| EmptyStmt
	| ErrorStmt;

// ---- Declarations --------------------------------------------------------------------------------

export interface InitDeclarator {
	readonly declarator: Declarator;
	readonly init?: Initializer;
	readonly range: SourceRange;
}

export interface Declaration {
	readonly kind: 'Declaration';
	readonly specs: DeclSpecs;
	readonly declarators: readonly InitDeclarator[];
	readonly range: SourceRange;
	/**
	 * checker: the variables this declaration defines, in order, with their checked initializers.
	 * For block-scope declarations the interpreter initializes them when control reaches the
	 * declaration. Typedefs, function declarations and externs are not listed.
	 */
	vars?: { readonly symbol: VarSymbol; readonly init?: CheckedInit }[];
}

export interface FunctionDef {
	readonly kind: 'FunctionDef';
	readonly specs: DeclSpecs;
	readonly declarator: Declarator;
	readonly body: CompoundStmt;
	readonly range: SourceRange;
	/** checker: the function's symbol, its parameters, and every local (all blocks, including static locals). */
	symbol?: FuncSymbol;
	params?: VarSymbol[];
	locals?: VarSymbol[];
}

export interface StaticAssert {
	readonly kind: 'StaticAssert';
	readonly cond: Expr;
	readonly message?: StringLiteral;
	readonly range: SourceRange;
}

export type ExternalDecl = Declaration | FunctionDef | StaticAssert;

export interface TranslationUnit {
	readonly kind: 'TranslationUnit';
	readonly file: string;
	readonly decls: readonly ExternalDecl[];
	readonly range: SourceRange;
}

// ---- Symbols (checker) ---------------------------------------------------------------------------

/** What an identifier refers to. Created by the checker; unique per declared entity. */
export type Symbol = VarSymbol | FuncSymbol | EnumConstSymbol;

export interface VarSymbol {
	readonly kind: 'var';
	readonly name: string;
	/** Unique within a program run (the checker numbers symbols from a shared counter). */
	readonly id: number;
	type: CType;
	/**
	 * `global`: file-scope object (external or internal linkage) or a block-scope `static`/`extern`;
	 * `local`: automatic variable; `param`: function parameter.
	 */
	readonly storage: 'global' | 'local' | 'param';
	readonly linkage: 'external' | 'internal' | 'none';
	/**
	 * Locals and params only: true if the variable must live in memory (its address is taken, or it is
	 * an array, struct or union). Otherwise the interpreter may keep it in a register.
	 */
	addressTaken: boolean;
	/** Globals: true if this translation unit defines it (not just `extern` declares it). */
	isDefinition: boolean;
	/** Globals: the checked initializer of the defining declaration, if any. */
	init?: CheckedInit;
	readonly range: SourceRange;
	/** Attributes that matter at run time: `aligned(N)`, `section`, ... */
	readonly attributes?: readonly Attribute[];
}

export interface FuncSymbol {
	readonly kind: 'func';
	readonly name: string;
	readonly id: number;
	type: FunctionType;
	readonly linkage: 'external' | 'internal';
	/** The definition, if this translation unit has one. */
	def?: FunctionDef;
	readonly range: SourceRange;
	readonly attributes?: readonly Attribute[];
}

export interface EnumConstSymbol {
	readonly kind: 'enumconst';
	readonly name: string;
	readonly id: number;
	readonly value: bigint;
	readonly type: CType;
	readonly range: SourceRange;
}

/** The checker's result for one translation unit: what the linker and interpreter need. */
export interface CheckedUnit {
	readonly file: string;
	readonly tree: TranslationUnit;
	/** Every file-scope object and every static local, defined or only declared. */
	readonly globals: readonly VarSymbol[];
	/** Every function declared or defined at file scope. */
	readonly functions: readonly FuncSymbol[];
	/** File-scope compound literals and string literals are objects too; the interpreter allocates them. */
}

// The KC linker and loader: resolves symbols across translation units (and against the programs a
// module imports), gives every function an address, lays out globals, static locals, string
// literals and file-scope compound literals, evaluates static initializers (address constants
// included), compiles every function, and produces the program with its image; `loadImage` writes
// an image into a memory (layer: interp).
//
// Memory layout (a LinkLayout; FlatLayout for `faultline exec`, KernelLayout for the kernel,
// `moduleLayout(n)` for kernel modules): function N at textBase + 16 * N (text holds no bytes);
// string literals in a read-only region [rodataBase, dataBase) like .rodata (writing one faults, as
// on Linux); globals and statics read-write from dataBase, zero unless initialized (.data and .bss
// together, up to dataLimit).
//
// Linking and loading are separate: `linkProgram` needs no memory and its result can be loaded into
// any number of memories (`loadImage`), one per address space; `link` does both, for callers that
// run one program on one memory.

import type { Diagnostic, SourceRange } from '../lang/source';
import type { CheckedInit, CheckedUnit, Expr, FuncSymbol, VarSymbol } from '../lang/ast';
import { alignOf, sizeOf, type CType, type Field } from '../lang/types';
import { FlatLayout, KernelLayout, type BuiltinTable, type Privilege } from './contracts';
import { compileFunction, finalizeFunction, type CompileEnv } from './compiler';
import { FunctionInfo, type ImageSegment, type MappableMemory, type Program, type ProgramImage, type StatementInfo } from './program';

/** The address-space layout the linker uses (FlatLayout and KernelLayout have this shape). */
export interface LinkLayout {
	readonly textBase: number;
	readonly dataBase: number;
	/** Start of the read-only string literals (default textBase + 1 MiB); they end at dataBase. */
	readonly rodataBase?: number;
	/** End (exclusive) of the data region (default dataBase + 256 MiB). */
	readonly dataLimit?: number;
}

export interface LinkOptions {
	/** Report `undefined reference to 'NAME'` unless a KC function of that name is defined (e.g. `main`). */
	readonly entry?: string;
	/** The program's name for views and messages (default `program`). */
	readonly name?: string;
	/** The privilege of the program's code (default: `kernel` when textBase is in the kernel half, else `user`). */
	readonly privilege?: Privilege;
	/**
	 * Programs of the same privilege whose external KC functions and globals this program may use
	 * (a kernel module imports the kernel): a name no unit defines resolves to them, in order, before
	 * the builtins. Calls to imported functions are direct calls into the other program.
	 */
	readonly imports?: readonly Program[];
}

export interface LinkResult {
	readonly program?: Program;
	/** The program's initial memory (also `program.image`); present when `program` is. */
	readonly image?: ProgramImage;
	readonly diagnostics: Diagnostic[];
}

/** Options of loadImage. */
export interface LoadOptions {
	/** Also map the `.text` segment (read-only, zero bytes) so the text range shows as mapped. Default false. */
	readonly mapText?: boolean;
}

const RODATA_OFFSET = 0x100000;
const DATA_SPAN = 0x10000000;
const PAGE = 4096;

/** The layout of kernel module slot `slot`: 16 MiB from KernelLayout.modulesBase + slot * moduleSpan. */
export function moduleLayout(slot: number): LinkLayout {
	const base = KernelLayout.modulesBase + slot * KernelLayout.moduleSpan;
	if (!Number.isInteger(slot) || slot < 0 || base + KernelLayout.moduleSpan > KernelLayout.modulesEnd) throw new RangeError(`moduleLayout: no module slot ${slot}`);
	return { textBase: base, rodataBase: base + 0x100000, dataBase: base + 0x400000, dataLimit: base + KernelLayout.moduleSpan };
}

/**
 * A byte image of a memory region being laid out. `size` covers every allocated object; `bytes`
 * grows only as far as initializers write (zero-initialized objects, like .bss, cost nothing).
 */
class SegmentBuilder {
	bytes = new Uint8Array(0);
	size = 0;
	constructor(readonly base: number, readonly limit: number) {}

	alloc(size: number, align: number): number | undefined {
		const offset = Math.ceil(this.size / align) * align;
		if (this.base + offset + size > this.limit) return undefined;
		this.size = offset + size;
		return this.base + offset;
	}

	/** Makes bytes [0, end) of the image writable. */
	reserve(end: number): void {
		if (end <= this.bytes.length) return;
		let len = Math.max(4096, this.bytes.length);
		while (len < end) len *= 2;
		const next = new Uint8Array(len);
		next.set(this.bytes);
		this.bytes = next;
	}

	/** Copies `bytes` to `address` (inside the image). */
	put(address: number, bytes: Uint8Array): void {
		const off = address - this.base;
		this.reserve(off + bytes.length);
		this.bytes.set(bytes, off);
	}

	/** A view for writing `len` bytes at `address`, and the offset to write at. */
	viewAt(address: number, len: number): { view: DataView; offset: number } {
		const off = address - this.base;
		this.reserve(off + len);
		return { view: new DataView(this.bytes.buffer), offset: off };
	}
}

/** A constant value while evaluating static initializers. */
type Const = { readonly kind: 'int'; readonly value: bigint } | { readonly kind: 'float'; readonly value: number } | { readonly kind: 'addr'; readonly value: number };

/**
 * Links checked translation units into a Program and its image, without touching any memory. Every
 * function that is called or whose address is taken must be defined by exactly one unit, be
 * exported by an imported program, or be in `builtins`.
 */
export function linkProgram(units: readonly CheckedUnit[], builtins: BuiltinTable, layout: LinkLayout = FlatLayout, options?: LinkOptions): LinkResult {
	return new Linker(units, builtins, layout, options).link(options);
}

/**
 * Links (see linkProgram) and loads the image into `memory`: the one-program, one-memory case of
 * `faultline exec` and the tests.
 */
export function link(units: readonly CheckedUnit[], builtins: BuiltinTable, memory: MappableMemory, layout: LinkLayout = FlatLayout, options?: LinkOptions): LinkResult {
	const result = linkProgram(units, builtins, layout, options);
	if (result.image !== undefined) loadImage(result.image, memory);
	return result;
}

/**
 * Writes a program image into `memory`: maps each segment (zero-filled, as `map` does) with its
 * protection and writes its non-zero pages. `.text` is mapped only with `options.mapText`. Leaves
 * `memory.fault` clear. Loading the same image into several memories gives independent copies.
 */
export function loadImage(image: ProgramImage, memory: MappableMemory, options?: LoadOptions): void {
	for (const segment of image.segments) {
		if (segment.name === '.text' && options?.mapText !== true) continue;
		const bytes = segment.bytes;
		const prot = { read: segment.prot.read, write: segment.prot.write };
		const needsWrite = bytes !== undefined && bytes.length > 0 && !prot.write;
		memory.map(segment.address, segment.length, needsWrite ? { read: true, write: true } : prot);
		if (bytes !== undefined) {
			// Freshly mapped pages read as zero: write only pages with non-zero bytes (.bss stays sparse).
			for (let off = 0; off < bytes.length; off += PAGE) {
				const end = Math.min(off + PAGE, bytes.length);
				let nonZero = false;
				for (let i = off; i < end && !nonZero; i++) nonZero = bytes[i] !== 0;
				if (nonZero) memory.write(segment.address + off, bytes.subarray(off, end));
			}
		}
		if (needsWrite && typeof memory.protect === 'function') memory.protect(segment.address, segment.length, prot);
	}
	memory.fault = null;
}

class Linker {
	private readonly diagnostics: Diagnostic[] = [];
	private readonly functions: FunctionInfo[] = [];
	private readonly externalFunctions = new Map<string, FunctionInfo>();
	private readonly internalFunctions = new Map<string, FunctionInfo>(); // `unit\0name`
	private readonly builtinFunctions = new Map<string, FunctionInfo>();
	private readonly reportedUndefined = new Set<string>();
	private readonly externalGlobals = new Map<string, { address: number; sym: VarSymbol }>();
	private readonly internalGlobals = new Map<string, number>(); // `unit\0name`
	private readonly symbolAddress = new Map<number, number>(); // VarSymbol id -> address
	private readonly statements: StatementInfo[] = [];
	private readonly data: SegmentBuilder;
	private readonly rodata: SegmentBuilder;
	private readonly privilege: Privilege;
	private readonly imports: readonly Program[];
	private readonly strings = new Map<string, number>(); // per unit: `unit\0bytes`
	private unitIndex = 0;
	private readonly globalsByName = new Map<string, { address: number; type: CType }>();
	private readonly fileLiterals = new Map<object, number>();

	constructor(
		private readonly units: readonly CheckedUnit[],
		private readonly builtins: BuiltinTable,
		private readonly layout: LinkLayout,
		options: LinkOptions | undefined,
	) {
		this.data = new SegmentBuilder(layout.dataBase, layout.dataLimit ?? layout.dataBase + DATA_SPAN);
		this.rodata = new SegmentBuilder(layout.rodataBase ?? layout.textBase + RODATA_OFFSET, layout.dataBase);
		this.privilege = options?.privilege ?? (layout.textBase >= KernelLayout.kernelHalf ? 'kernel' : 'user');
		this.imports = options?.imports ?? [];
		for (const p of this.imports) {
			// A direct call never switches privilege (see compiler.ts), so imports share this program's.
			if (p.privilege !== this.privilege) throw new RangeError(`link: a ${this.privilege} program cannot import the ${p.privilege} program '${p.name}'`);
		}
	}

	private error(message: string, range: SourceRange): void {
		this.diagnostics.push({ severity: 'error', message, range });
	}

	link(options: LinkOptions | undefined): LinkResult {
		this.defineFunctions();
		this.layOutGlobals();
		if (options?.entry !== undefined && !this.externalFunctions.has(options.entry)) {
			const file = this.units[0]?.file ?? '<none>';
			this.error(`undefined reference to '${options.entry}'`, { file, line: 1, col: 1, endLine: 1, endCol: 1 });
		}
		// Compile every function, then evaluate static initializers (both may intern strings).
		for (let u = 0; u < this.units.length; u++) {
			this.unitIndex = u;
			for (const f of this.units[u].functions) {
				if (f.def === undefined) continue;
				const info = this.definitionOf(f);
				if (info === undefined || info.source !== '') continue;
				try {
					compileFunction(f.def, info, this.env());
				} catch (error) {
					this.error(`internal compiler error in '${f.name}': ${error instanceof Error ? error.message : String(error)}`, f.def.range);
				}
			}
		}
		for (let u = 0; u < this.units.length; u++) {
			this.unitIndex = u;
			for (const g of this.units[u].globals) {
				if (!g.isDefinition) continue;
				const address = this.symbolAddress.get(g.id);
				if (address === undefined || g.init === undefined) continue;
				this.writeInit(address, g.type, g.init);
			}
		}
		if (this.diagnostics.some(d => d.severity === 'error')) return { diagnostics: this.diagnostics };
		const breakpoints = new Uint8Array(this.statements.length);
		for (const f of this.functions) {
			if (f.kind !== 'kc') continue;
			try {
				finalizeFunction(f, breakpoints);
			} catch (error) {
				const range = f.range ?? { file: this.units[0]?.file ?? '<none>', line: 1, col: 1, endLine: 1, endCol: 1 };
				this.error(`internal compiler error in '${f.name}': ${error instanceof Error ? error.message : String(error)}`, range);
			}
		}
		if (this.diagnostics.some(d => d.severity === 'error')) return { diagnostics: this.diagnostics };
		const program = this.program(breakpoints, options?.name ?? 'program');
		return { program, image: program.image, diagnostics: this.diagnostics };
	}

	// ---- Symbols -------------------------------------------------------------------------------------

	private defineFunctions(): void {
		for (let u = 0; u < this.units.length; u++) {
			for (const f of this.units[u].functions) {
				if (f.def === undefined) continue;
				if (f.linkage === 'internal') {
					const key = `${u}\0${f.name}`;
					if (this.internalFunctions.has(key)) continue;
					this.internalFunctions.set(key, this.newFunction(f.name, 'kc', f));
					continue;
				}
				const existing = this.externalFunctions.get(f.name);
				if (existing !== undefined) {
					// `inline` definitions from a shared header are one function (C99 inline semantics
					// would leave it undefined; being lenient here costs nothing).
					const inline = f.def.specs.inline === true;
					if (existing.range !== f.def.range && !inline) this.error(`multiple definition of '${f.name}'`, f.def.declarator.nameRange ?? f.def.range);
					continue;
				}
				this.externalFunctions.set(f.name, this.newFunction(f.name, 'kc', f));
			}
		}
	}

	private newFunction(name: string, kind: 'kc' | 'builtin', sym: FuncSymbol | undefined): FunctionInfo {
		const index = this.functions.length;
		const info = new FunctionInfo(index, name, this.layout.textBase + 16 * index, kind, sym?.type, sym?.def?.range ?? sym?.range, this.privilege);
		this.functions.push(info);
		return info;
	}

	private definitionOf(f: FuncSymbol): FunctionInfo | undefined {
		if (f.linkage === 'internal') return this.internalFunctions.get(`${this.unitIndex}\0${f.name}`);
		return this.externalFunctions.get(f.name);
	}

	private functionFor(sym: FuncSymbol, at: SourceRange): FunctionInfo | undefined {
		const defined = this.definitionOf(sym);
		if (defined !== undefined) return defined;
		if (sym.linkage === 'external' || sym.linkage === 'internal') {
			const ext = this.externalFunctions.get(sym.name);
			if (ext !== undefined && sym.linkage === 'external') return ext;
		}
		return this.importedFunction(sym.name) ?? this.builtinNamed(sym.name, at, sym);
	}

	/** An external KC function of an imported program. */
	private importedFunction(name: string): FunctionInfo | undefined {
		for (const p of this.imports) {
			const f = p.exportedFunction(name);
			if (f !== undefined) return f;
		}
		return undefined;
	}

	private builtinNamed(name: string, at: SourceRange, sym?: FuncSymbol): FunctionInfo | undefined {
		let info = this.builtinFunctions.get(name);
		if (info !== undefined) return info;
		const builtin = this.builtins.get(name);
		if (builtin === undefined) {
			if (!this.reportedUndefined.has(name)) {
				this.reportedUndefined.add(name);
				this.error(`undefined reference to '${name}'`, at);
			}
			return undefined;
		}
		info = this.newFunction(name, 'builtin', sym);
		info.builtin = builtin;
		this.builtinFunctions.set(name, info);
		return info;
	}

	private layOutGlobals(): void {
		for (let u = 0; u < this.units.length; u++) {
			const unit = this.units[u];
			for (const g of unit.globals) {
				if (!g.isDefinition) continue;
				const size = Math.max(sizeOf(g.type), 1);
				const align = Math.max(alignOf(g.type), alignAttribute(g));
				if (g.linkage === 'external') {
					const existing = this.externalGlobals.get(g.name);
					if (existing !== undefined) {
						if (existing.sym !== g && this.unitOfSymbol(existing.sym) !== u) {
							this.error(`multiple definition of '${g.name}'`, g.range);
						} else if (existing.sym !== g) {
							// The same object declared twice in one unit (tentative definitions): one object.
							this.symbolAddress.set(g.id, existing.address);
						}
						continue;
					}
					const address = this.allocData(size, align, g.range);
					this.externalGlobals.set(g.name, { address, sym: g });
					this.symbolAddress.set(g.id, address);
					this.globalsByName.set(g.name, { address, type: g.type });
				} else if (g.linkage === 'internal') {
					const key = `${u}\0${g.name}`;
					const existing = this.internalGlobals.get(key);
					if (existing !== undefined) {
						this.symbolAddress.set(g.id, existing);
						continue;
					}
					const address = this.allocData(size, align, g.range);
					this.internalGlobals.set(key, address);
					this.symbolAddress.set(g.id, address);
					this.globalsByName.set(`${unit.file}:${g.name}`, { address, type: g.type });
				} else {
					// Static locals: one object per symbol.
					this.symbolAddress.set(g.id, this.allocData(size, align, g.range));
				}
			}
		}
	}

	private unitOfSymbol(sym: VarSymbol): number {
		for (let u = 0; u < this.units.length; u++) if (this.units[u].globals.includes(sym)) return u;
		return -1;
	}

	private allocData(size: number, align: number, at: SourceRange): number {
		const address = this.data.alloc(size, align);
		if (address === undefined) {
			this.error('the program\'s static data does not fit in the data region', at);
			return 0;
		}
		return address;
	}

	private globalAddress(sym: VarSymbol, at: SourceRange): number {
		const direct = this.symbolAddress.get(sym.id);
		if (direct !== undefined) return direct;
		if (sym.linkage === 'internal') {
			const a = this.internalGlobals.get(`${this.unitIndex}\0${sym.name}`);
			if (a !== undefined) return a;
		} else {
			const g = this.externalGlobals.get(sym.name);
			if (g !== undefined) return g.address;
			// Globals of external linkage are keyed by their plain name (internal ones by `file:name`).
			for (const p of this.imports) {
				const imported = p.globals.get(sym.name);
				if (imported !== undefined) return imported.address;
			}
		}
		const key = `var\0${sym.name}`;
		if (!this.reportedUndefined.has(key)) {
			this.reportedUndefined.add(key);
			this.error(`undefined reference to '${sym.name}'`, at);
		}
		return 0;
	}

	private internString(bytes: Uint8Array, wide: boolean): number {
		const unit = wide ? 4 : 1;
		const key = `${this.unitIndex}\0${wide ? 'w' : 'n'}\0${Array.from(bytes).join(',')}`;
		const existing = this.strings.get(key);
		if (existing !== undefined) return existing;
		let address = this.rodata.alloc(bytes.length + unit, unit);
		let image = this.rodata;
		if (address === undefined) {
			address = this.data.alloc(bytes.length + unit, unit) ?? 0;
			image = this.data;
		}
		image.put(address, bytes);
		this.strings.set(key, address);
		return address;
	}

	private env(): CompileEnv {
		return {
			globalAddress: (sym, at) => this.globalAddress(sym, at),
			functionFor: (sym, at) => this.functionFor(sym, at),
			functionNamed: (name, at) => {
				const ext = this.externalFunctions.get(name);
				return ext ?? this.importedFunction(name) ?? this.builtinNamed(name, at);
			},
			internString: (bytes, wide) => this.internString(bytes, wide),
			addStatement: (range, fn) => {
				this.statements.push({ range, fn });
				return this.statements.length - 1;
			},
			error: (message, range) => this.error(message, range),
		};
	}

	// ---- Static initializers ---------------------------------------------------------------------------

	private writeInit(address: number, type: CType, init: CheckedInit): void {
		if (init.kind === 'expr') {
			this.writeExprInit(address, type, init.expr);
			return;
		}
		for (const item of init.items) {
			const at = address + item.offset;
			if ('bytes' in item) {
				this.imageFor(at)?.put(at, item.bytes);
				continue;
			}
			if (item.bitField !== undefined) {
				const c = this.evalConst(item.expr);
				if (c !== undefined) this.writeBitField(at, item.type, item.bitField, c);
				continue;
			}
			this.writeExprInit(at, item.type, item.expr);
		}
	}

	private writeExprInit(address: number, type: CType, e: Expr): void {
		if (type.kind === 'array' && e.kind === 'StringLiteral') {
			this.imageFor(address)?.put(address, e.bytes.subarray(0, sizeOf(type)));
			return;
		}
		if (type.kind === 'struct' || type.kind === 'array') {
			const inner = stripCasts(e);
			if (inner.kind === 'CompoundLiteral' && inner.checkedInit !== undefined) {
				this.writeInit(address, type, inner.checkedInit);
				return;
			}
			this.error('initializer element is not constant', e.range);
			return;
		}
		const c = this.evalConst(e);
		if (c === undefined) return;
		this.writeScalar(address, type, c);
	}

	private imageFor(address: number): SegmentBuilder | undefined {
		if (address >= this.data.base && address < this.data.base + this.data.size) return this.data;
		if (address >= this.rodata.base && address < this.rodata.base + this.rodata.size) return this.rodata;
		return undefined;
	}

	private writeScalar(address: number, type: CType, c: Const): void {
		const image = this.imageFor(address);
		if (image === undefined) return;
		const size = type.kind === 'pointer' ? 8 : sizeOf(type);
		const { view, offset: off } = image.viewAt(address, size);
		if (type.kind === 'float') {
			const v = c.kind === 'float' ? c.value : Number(c.value);
			if (type.size === 4) view.setFloat32(off, v, true);
			else view.setFloat64(off, v, true);
			return;
		}
		let bits: bigint;
		if (c.kind === 'float') bits = BigInt(Math.trunc(c.value));
		else if (c.kind === 'addr') bits = BigInt.asIntN(48, BigInt(c.value));
		else bits = c.value;
		if (type.kind === 'int' && type.name === '_Bool') bits = bits === 0n ? 0n : 1n;
		let u = BigInt.asUintN(size * 8, bits);
		for (let i = 0; i < size; i++) {
			view.setUint8(off + i, Number(u & 255n));
			u >>= 8n;
		}
	}

	private writeBitField(address: number, type: CType, field: Field, c: Const): void {
		const image = this.imageFor(address);
		if (image === undefined) return;
		const width = field.bitWidth ?? 0;
		const bit = field.bitOffset ?? 0;
		const nbytes = Math.max(sizeOf(type), Math.ceil((bit + width) / 8));
		const off = address - image.base;
		image.reserve(off + nbytes);
		let u = 0n;
		for (let i = nbytes - 1; i >= 0; i--) u = (u << 8n) | BigInt(image.bytes[off + i] ?? 0);
		const value = c.kind === 'int' ? c.value : c.kind === 'addr' ? BigInt(c.value) : BigInt(Math.trunc(c.value));
		const mask = ((1n << BigInt(width)) - 1n) << BigInt(bit);
		u = (u & ~mask) | ((value << BigInt(bit)) & mask);
		for (let i = 0; i < nbytes; i++) {
			image.bytes[off + i] = Number(u & 255n);
			u >>= 8n;
		}
	}

	/** Evaluates a static initializer expression: integers, floats and address constants. */
	private evalConst(e: Expr): Const | undefined {
		const type = e.type;
		if (e.constValue !== undefined && (type?.kind === 'int' || type?.kind === 'pointer')) {
			return type.kind === 'pointer' ? { kind: 'addr', value: Number(BigInt.asUintN(48, e.constValue)) } : { kind: 'int', value: e.constValue };
		}
		switch (e.kind) {
			case 'IntLiteral':
				return { kind: 'int', value: e.value };
			case 'CharLiteral':
				return { kind: 'int', value: BigInt(e.value) };
			case 'FloatLiteral':
				return { kind: 'float', value: type?.kind === 'float' && type.size === 4 ? Math.fround(e.value) : e.value };
			case 'StringLiteral':
				return { kind: 'addr', value: this.internString(e.bytes, e.wide) };
			case 'Ident': {
				const sym = e.symbol;
				if (sym?.kind === 'enumconst') return { kind: 'int', value: sym.value };
				if (sym?.kind === 'func' || (sym?.kind === 'var' && (sym.type.kind === 'array' || sym.type.kind === 'function'))) {
					const a = this.addressOf(e);
					return a === undefined ? undefined : { kind: 'addr', value: a };
				}
				break;
			}
			case 'ImplicitCast':
			case 'Cast':
				return this.evalCast(e.castKind, e.operand, type, e.range);
			case 'Unary': {
				if (e.op === '&') {
					const a = this.addressOf(e.operand);
					return a === undefined ? undefined : { kind: 'addr', value: a };
				}
				const v = this.evalConst(e.operand);
				if (v === undefined) return undefined;
				switch (e.op) {
					case '+':
						return v;
					case '-':
						return v.kind === 'float' ? { kind: 'float', value: -v.value } : v.kind === 'int' ? { kind: 'int', value: wrap(-v.value, type) } : undefined;
					case '~':
						return v.kind === 'int' ? { kind: 'int', value: wrap(~v.value, type) } : undefined;
					case '!':
						return { kind: 'int', value: isZero(v) ? 1n : 0n };
					default:
						break;
				}
				break;
			}
			case 'Binary':
				return this.evalBinary(e.op, e.left, e.right, type, e.pointerScale, e.range);
			case 'Conditional': {
				const c = this.evalConst(e.cond);
				if (c === undefined) return undefined;
				return this.evalConst(isZero(c) ? e.otherwise : e.then);
			}
			case 'CompoundLiteral':
			case 'Index':
			case 'Member': {
				if (type?.kind === 'array') {
					const a = this.addressOf(e);
					return a === undefined ? undefined : { kind: 'addr', value: a };
				}
				break;
			}
			default:
				break;
		}
		this.error('initializer element is not constant', e.range);
		return undefined;
	}

	private evalCast(kind: string | undefined, operand: Expr, to: CType | undefined, range: SourceRange): Const | undefined {
		if (kind === 'ArrayToPointerDecay' || kind === 'FunctionToPointerDecay') {
			const a = this.addressOf(operand);
			return a === undefined ? undefined : { kind: 'addr', value: a };
		}
		if (kind === 'NullToPointer') return { kind: 'addr', value: 0 };
		if (kind === 'LValueToRValue') {
			this.error('initializer element is not constant', range);
			return undefined;
		}
		const v = this.evalConst(operand);
		if (v === undefined || to === undefined) return v;
		return convertConst(v, to);
	}

	private evalBinary(op: string, left: Expr, right: Expr, type: CType | undefined, scale: number | undefined, range: SourceRange): Const | undefined {
		const a = this.evalConst(left);
		if (a === undefined) return undefined;
		if (op === '&&' && isZero(a)) return { kind: 'int', value: 0n };
		if (op === '||' && !isZero(a)) return { kind: 'int', value: 1n };
		const b = this.evalConst(right);
		if (b === undefined) return undefined;
		if (op === '&&' || op === '||') return { kind: 'int', value: isZero(b) ? 0n : 1n };
		if (op === ',') return b;
		if (a.kind === 'addr' || b.kind === 'addr') {
			const s = BigInt(scale ?? 1);
			if (op === '+' && a.kind === 'addr' && b.kind === 'int') return { kind: 'addr', value: Number(BigInt.asUintN(48, BigInt(a.value) + b.value * s)) };
			if (op === '+' && a.kind === 'int' && b.kind === 'addr') return { kind: 'addr', value: Number(BigInt.asUintN(48, BigInt(b.value) + a.value * s)) };
			if (op === '-' && a.kind === 'addr' && b.kind === 'int') return { kind: 'addr', value: Number(BigInt.asUintN(48, BigInt(a.value) - b.value * s)) };
			if (op === '-' && a.kind === 'addr' && b.kind === 'addr') return { kind: 'int', value: (BigInt(a.value) - BigInt(b.value)) / s };
			const x = a.kind === 'addr' ? BigInt(a.value) : a.kind === 'int' ? a.value : undefined;
			const y = b.kind === 'addr' ? BigInt(b.value) : b.kind === 'int' ? b.value : undefined;
			if (x !== undefined && y !== undefined) {
				const cmp = compareOp(op, x, y);
				if (cmp !== undefined) return { kind: 'int', value: cmp ? 1n : 0n };
			}
			this.error('initializer element is not constant', range);
			return undefined;
		}
		if (a.kind === 'float' || b.kind === 'float') {
			const x = a.kind === 'float' ? a.value : Number(a.value);
			const y = b.kind === 'float' ? b.value : Number(b.value);
			const cmp = compareOp(op, x, y);
			if (cmp !== undefined) return { kind: 'int', value: cmp ? 1n : 0n };
			let r: number;
			switch (op) {
				case '+':
					r = x + y;
					break;
				case '-':
					r = x - y;
					break;
				case '*':
					r = x * y;
					break;
				case '/':
					r = x / y;
					break;
				default:
					this.error('invalid operands in a constant expression', range);
					return undefined;
			}
			return { kind: 'float', value: type?.kind === 'float' && type.size === 4 ? Math.fround(r) : r };
		}
		const x = a.value;
		const y = b.value;
		const cmp = compareOp(op, x, y);
		if (cmp !== undefined) return { kind: 'int', value: cmp ? 1n : 0n };
		let r: bigint;
		switch (op) {
			case '+':
				r = x + y;
				break;
			case '-':
				r = x - y;
				break;
			case '*':
				r = x * y;
				break;
			case '/':
			case '%':
				if (y === 0n) {
					this.error('division by zero in a constant expression', range);
					return undefined;
				}
				r = op === '/' ? x / y : x % y;
				break;
			case '<<':
				r = x << y;
				break;
			case '>>':
				r = x >> y;
				break;
			case '&':
				r = x & y;
				break;
			case '|':
				r = x | y;
				break;
			case '^':
				r = x ^ y;
				break;
			default:
				this.error('invalid operands in a constant expression', range);
				return undefined;
		}
		return { kind: 'int', value: wrap(r, type) };
	}

	/** The address of a statically allocated object designated by `e`. */
	private addressOf(e: Expr): number | undefined {
		switch (e.kind) {
			case 'Ident': {
				const sym = e.symbol;
				if (sym?.kind === 'func') return this.functionFor(sym, e.range)?.address ?? 0;
				if (sym?.kind === 'var') {
					if (sym.storage !== 'global') break;
					return this.globalAddress(sym, e.range);
				}
				break;
			}
			case 'StringLiteral':
				return this.internString(e.bytes, e.wide);
			case 'Member': {
				const offset = e.offset ?? e.field?.offset ?? 0;
				if (e.arrow) {
					const p = this.evalConst(e.base);
					return p?.kind === 'addr' ? p.value + offset : undefined;
				}
				const base = this.addressOf(e.base);
				return base === undefined ? undefined : base + offset;
			}
			case 'Index': {
				const base = this.evalConst(e.base);
				const index = this.evalConst(e.index);
				if (base?.kind !== 'addr' || index?.kind !== 'int') break;
				return Number(BigInt.asUintN(48, BigInt(base.value) + index.value * BigInt(e.scale ?? 1)));
			}
			case 'Unary':
				if (e.op === '*') {
					const p = this.evalConst(e.operand);
					return p?.kind === 'addr' ? p.value : undefined;
				}
				break;
			case 'CompoundLiteral': {
				const existing = this.fileLiterals.get(e);
				if (existing !== undefined) return existing;
				const type = e.type ?? e.typeName.type;
				if (type === undefined) break;
				const address = this.allocData(Math.max(sizeOf(type), 1), alignOf(type), e.range);
				this.fileLiterals.set(e, address);
				if (e.object !== undefined) this.symbolAddress.set(e.object.id, address);
				if (e.checkedInit !== undefined) this.writeInit(address, type, e.checkedInit);
				return address;
			}
			case 'ImplicitCast':
			case 'Cast':
				if (e.castKind === 'NoOp' || e.castKind === 'LValueToRValue' || e.castKind === 'ArrayToPointerDecay' || e.castKind === 'FunctionToPointerDecay') return this.addressOf(e.operand);
				break;
			default:
				break;
		}
		this.error('initializer element is not constant', e.range);
		return undefined;
	}

	// ---- The program and its image ------------------------------------------------------------------

	private image(): ProgramImage {
		const segments: ImageSegment[] = [];
		const textLength = Math.max(PAGE, Math.ceil((16 * this.functions.length) / PAGE) * PAGE);
		segments.push({ name: '.text', address: this.layout.textBase, length: textLength, prot: { read: true, write: false, exec: true } });
		if (this.rodata.size > 0) {
			const bytes = this.rodata.bytes.slice(0, Math.min(this.rodata.size, this.rodata.bytes.length));
			segments.push({ name: '.rodata', address: this.rodata.base, length: Math.ceil(this.rodata.size / PAGE) * PAGE, bytes, prot: { read: true, write: false, exec: false } });
		}
		const dataBytes = this.data.bytes.slice(0, Math.min(this.data.size, this.data.bytes.length));
		segments.push({ name: '.data', address: this.data.base, length: Math.max(PAGE, Math.ceil(this.data.size / PAGE) * PAGE), bytes: dataBytes, prot: { read: true, write: true, exec: false } });
		return { segments };
	}

	private program(breakpoints: Uint8Array, name: string): Program {
		const functions = this.functions;
		const statements = this.statements;
		const external = this.externalFunctions;
		const textBase = this.layout.textBase;
		let lineIndex: Map<string, Map<number, number[]>> | undefined;
		const program: Program = {
			name,
			privilege: this.privilege,
			functions,
			statements,
			breakpoints,
			textBase,
			textEnd: textBase + 16 * functions.length,
			image: this.image(),
			dataStart: this.data.base,
			dataEnd: this.data.base + Math.max(PAGE, Math.ceil(this.data.size / PAGE) * PAGE),
			globals: this.globalsByName,
			functionByName: (fname: string) => {
				const f = external.get(fname);
				if (f !== undefined) return f;
				return this.builtinFunctions.get(fname) ?? functions.find(x => x.name === fname);
			},
			exportedFunction: (fname: string) => external.get(fname),
			functionAt: (address: number) => {
				const offset = address - textBase;
				if (offset < 0 || offset % 16 !== 0) return undefined;
				return functions[offset / 16];
			},
			stmtsAt: (file: string, line: number) => {
				if (lineIndex === undefined) {
					lineIndex = new Map();
					for (let id = 0; id < statements.length; id++) {
						const r = statements[id].range;
						let byLine = lineIndex.get(r.file);
						if (byLine === undefined) lineIndex.set(r.file, (byLine = new Map()));
						const ids = byLine.get(r.line);
						if (ids === undefined) byLine.set(r.line, [id]);
						else ids.push(id);
					}
				}
				return lineIndex.get(file)?.get(line)?.slice() ?? [];
			},
		};
		for (const f of functions) f.program = program;
		return program;
	}
}

function alignAttribute(sym: VarSymbol): number {
	for (const a of sym.attributes ?? []) {
		if (a.name === 'aligned' || a.name === '__aligned__') {
			const v = a.args[0]?.constValue;
			return v !== undefined ? Number(v) : 16;
		}
	}
	return 1;
}

function stripCasts(e: Expr): Expr {
	let x = e;
	while ((x.kind === 'ImplicitCast' || x.kind === 'Cast') && (x.castKind === 'NoOp' || x.castKind === 'LValueToRValue')) x = x.operand;
	return x;
}

function isZero(c: Const): boolean {
	return c.kind === 'int' ? c.value === 0n : c.value === 0;
}

function compareOp<T extends number | bigint>(op: string, x: T, y: T): boolean | undefined {
	switch (op) {
		case '<':
			return x < y;
		case '>':
			return x > y;
		case '<=':
			return x <= y;
		case '>=':
			return x >= y;
		case '==':
			return x === y;
		case '!=':
			return x !== y;
		default:
			return undefined;
	}
}

/** Wraps an exact integer into the integer type `t` (pointers: 48 bits). */
function wrap(v: bigint, t: CType | undefined): bigint {
	if (t?.kind === 'int') {
		if (t.name === '_Bool') return v === 0n ? 0n : 1n;
		return t.signed ? BigInt.asIntN(t.size * 8, v) : BigInt.asUintN(t.size * 8, v);
	}
	if (t?.kind === 'pointer') return BigInt.asUintN(48, v);
	return v;
}

function convertConst(v: Const, to: CType): Const {
	if (to.kind === 'float') {
		const x = v.kind === 'float' ? v.value : Number(v.value);
		return { kind: 'float', value: to.size === 4 ? Math.fround(x) : x };
	}
	if (to.kind === 'pointer') {
		if (v.kind === 'addr') return v;
		const x = v.kind === 'int' ? v.value : BigInt(Math.trunc(v.value));
		return { kind: 'addr', value: Number(BigInt.asUintN(48, x)) };
	}
	if (to.kind === 'int') {
		if (to.name === '_Bool') return { kind: 'int', value: isZero(v) ? 0n : 1n };
		if (v.kind === 'addr') {
			// An address constant converted to an integer stays an address (e.g. (unsigned long)&x).
			return to.size === 8 ? v : { kind: 'int', value: wrap(BigInt(v.value), to) };
		}
		const x = v.kind === 'int' ? v.value : BigInt(Math.trunc(Number.isFinite(v.value) ? v.value : 0));
		return { kind: 'int', value: wrap(x, to) };
	}
	return v;
}

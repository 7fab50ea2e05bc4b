// Loading kernel modules: the machine's insmod (layer: kernel).
//
// A driver's KC units are compiled with the running kernel's profile defines and include path,
// linked as their own program in a module slot (MODULES_VADDR + slot * 16 MiB) that imports the
// kernel's symbols and those of the modules loaded before it, and mapped with pages the KC kernel
// allocates (kernel/module.c `__kc_module_map`, then `__kc_module_protect` for read-only data).
// Parameters (`module_param`) are written into the module's globals by their C type before
// `init_module` (from `module_init`) runs as a kernel call. From then on every code space of the
// machine contains the module, so its file and VM operations can be called through pointers from
// any task.
//
// Bad driver sources give diagnostics with file, line and column, never exceptions; an
// init_module that fails returns its -errno as Linux's insmod reports it.

import type { BuiltinTable, Value } from '../../interp/contracts';
import { linkProgram, loadImage, moduleLayout } from '../../interp/linker';
import type { Program } from '../../interp/program';
import { ptrToU64, toI32 } from '../../interp/values';
import type { Diagnostic, SourceProvider, SourceRange } from '../../lang/source';
import type { CType } from '../../lang/types';
import { compileKernelUnit } from '../compileCache';
import type { CpuMemoryBus } from '../hw/cpuBus';
import { LoaderMemory } from '../loaderMemory';
import type { System } from './system';

/** A module parameter value as a scenario gives it. */
export type ModuleParamValue = number | boolean | string;

/** What to load. */
export interface ModuleOptions {
	/** The module's name (`spufs`, `ttm_gpu`), for views and messages. */
	readonly name: string;
	/** Its translation units, as paths the sources resolve (kernel-tree paths such as `drivers/char/mem.c`). */
	readonly units: readonly string[];
	/** Where the units and their headers come from (default: the booted kernel's sources). */
	readonly sources?: SourceProvider;
	/** Builtins of the module's device models (merged over the kernel's builtins). */
	readonly builtins?: BuiltinTable;
	/** `module_param` values by parameter name. */
	readonly params?: Readonly<Record<string, ModuleParamValue>>;
	/** Where the request came from (a scenario's `drivers[i]`), for parameter errors. */
	readonly range?: SourceRange;
}

/** A module on the machine. */
export interface LoadedModule {
	readonly name: string;
	readonly program: Program;
	readonly slot: number;
	/** init_module's value (0 when the module has none). */
	readonly initResult: number;
}

/** The outcome of loadModule: the module when it loaded and initialized, and every diagnostic. */
export interface ModuleLoadResult {
	readonly module?: LoadedModule;
	readonly diagnostics: readonly Diagnostic[];
}

const NO_RANGE: SourceRange = { file: '<module>', line: 1, col: 1, endLine: 1, endCol: 1 };

/** Loads a module into `system` (see the file header). */
export function loadModule(system: System, options: ModuleOptions): ModuleLoadResult {
	const booted = system.booted;
	const sources = options.sources ?? booted.sources;
	const where = options.range ?? NO_RANGE;
	const diagnostics: Diagnostic[] = [];
	const error = (message: string, range: SourceRange = where): ModuleLoadResult => {
		diagnostics.push({ severity: 'error', message: `${options.name}: ${message}`, range });
		return { diagnostics };
	};

	// Compile with the running kernel's configuration.
	const units = [];
	for (const file of options.units) {
		const result = compileKernelUnit(file, sources, booted.profile.defines);
		diagnostics.push(...result.diagnostics);
		if (result.unit !== undefined) units.push(result.unit);
	}
	if (diagnostics.some(d => d.severity === 'error')) return { diagnostics };

	// Link in the next free slot, against the kernel and the modules already loaded.
	const imports = system.kernelPrograms();
	const slot = imports.length - 1;
	const builtins = new Map(booted.builtins!.builtins);
	for (const [name, builtin] of options.builtins ?? []) builtins.set(name, builtin);
	let layout;
	try {
		layout = moduleLayout(slot);
	} catch {
		return error(`no free module slot (${slot} modules loaded)`);
	}
	const linked = linkProgram(units, builtins, layout, { name: options.name, privilege: 'kernel', imports });
	diagnostics.push(...linked.diagnostics);
	if (linked.program === undefined || linked.image === undefined || diagnostics.some(d => d.severity === 'error')) return { diagnostics };
	const program = linked.program;

	// Parameters must be declared with module_param (Linux: "Unknown parameter").
	const params: [{ readonly address: number; readonly type: CType }, string, ModuleParamValue][] = [];
	for (const [name, value] of Object.entries(options.params ?? {})) {
		const global = paramGlobal(program, name);
		if (global === undefined) return error(`Unknown parameter '${name}'`);
		params.push([global, name, value]);
	}

	// Map the image with the kernel's pages.
	const bus = booted.machine.cpus[0].bus;
	const memory = new ModuleLoaderMemory(system, bus);
	const savedMode = bus.mode;
	bus.mode = 'kernel';
	booted.machine.cpus[0].mmu.setCr3(booted.pgdPhys);
	try {
		loadImage(linked.image, memory, { mapText: false });
		if (memory.failure !== undefined) return error(memory.failure);
		for (const [global, name, value] of params) {
			const problem = writeParam(system, bus, global.address, global.type, value);
			if (problem !== undefined) return error(`parameter '${name}': ${problem}`);
		}
	} finally {
		bus.mode = savedMode;
	}
	system.addModule(program);

	// init_module (module_init), as insmod's finit_module does.
	let initResult = 0;
	const init = program.functionByName('init_module');
	if (init !== undefined && init.program === program) {
		try {
			initResult = toI32(system.callKernel(init.address, []) ?? 0);
		} catch (e) {
			return error(`init_module did not return: ${(e as Error).message}`);
		}
		if (initResult !== 0) {
			diagnostics.push({ severity: 'error', message: `${options.name}: init_module failed with ${initResult} (insmod: ERROR: could not insert module)`, range: where });
			return { diagnostics };
		}
	}
	return { module: { name: options.name, program, slot, initResult }, diagnostics };
}

/**
 * The variable behind parameter `name`: declared with module_param (its `__kc_param_NAME` marker),
 * usually `static` (the linker keys internal globals `file:name`), else external.
 */
function paramGlobal(program: Program, name: string): { readonly address: number; readonly type: CType } | undefined {
	if (!program.globals.has(`__kc_param_${name}`)) return undefined;
	const external = program.globals.get(name);
	if (external !== undefined) return external;
	const statics = [...program.globals].filter(([key]) => key.endsWith(`:${name}`));
	return statics.length === 1 ? statics[0][1] : undefined;
}

/** Writes a parameter by its C type; returns a problem or undefined. */
function writeParam(system: System, bus: CpuMemoryBus, address: number, type: CType, value: ModuleParamValue): string | undefined {
	if (type.kind === 'int') {
		const number = typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'number' ? value : Number(value);
		if (!Number.isInteger(number)) return `expected an integer, got ${JSON.stringify(value)}`;
		if (!type.signed && number < 0) return `expected an unsigned value, got ${number}`;
		switch (type.size) {
			case 1: bus.st8(address, number); break;
			case 2: bus.st16(address, number); break;
			case 4: bus.st32(address, number); break;
			default: bus.st64(address, BigInt(number) as Value); break;
		}
		return bus.fault === null ? undefined : 'the parameter is not writable';
	}
	if (type.kind === 'pointer' && type.to.kind === 'int' && type.to.size === 1) {
		// charp: a kernel copy of the string (kstrdup).
		const text = new TextEncoder().encode(String(value));
		const copy = system.callKernel('__kc_module_param_alloc', [text.length + 1]);
		const pointer = Number(copy ?? 0);
		if (pointer === 0) return 'out of memory';
		bus.write(pointer, text);
		bus.st8(pointer + text.length, 0);
		bus.st64(address, pointer);
		return bus.fault === null ? undefined : 'the parameter is not writable';
	}
	return `parameters of this type cannot be set (${type.kind})`;
}

/** The memory loadImage writes a module through: CPU 0's kernel bus, pages from kernel/module.c. */
class ModuleLoaderMemory extends LoaderMemory {
	/** Why mapping failed, if it did. */
	failure: string | undefined;

	constructor(private readonly system: System, bus: CpuMemoryBus) {
		super(bus);
	}

	map(start: number, length: number): void {
		const result = toI32(this.system.callKernel('__kc_module_map', [ptrToU64(start), length, 1]) ?? 0);
		if (result !== 0 && this.failure === undefined) this.failure = `cannot map the module image (${result})`;
	}

	protect(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): boolean {
		return toI32(this.system.callKernel('__kc_module_protect', [ptrToU64(start), length, prot.write ? 1 : 0]) ?? 0) === 0;
	}
}

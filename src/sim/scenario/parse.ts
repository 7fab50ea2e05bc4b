// Scenario files to `Scenario` objects (layer: sim, pure: no file system, so the language server
// can run it on an unsaved editor buffer). Three stages, each reporting at exact positions:
//   1. JSON syntax (json.ts): the first syntax error, at the offending character;
//   2. the shape, against the scenario JSON schema (schema.ts, validate.ts): every violation, at
//      the offending value (or, for a missing property, at the object's opening brace);
//   3. what a schema cannot say, on the shaped value: sizes in "64M" strings being whole pages,
//      unique names, references between parts of the file (a schedule step's task, an expectation's
//      process, a harness call's MMIO window), profile lists agreeing, drivers matching the machine
//      and the profile's OS, device regions fitting the physical address map. The explicit
//      schedule also goes through the scheduler's own `parsePolicyConfig`, so that the scenario
//      format and the scheduler's cannot disagree.
// A later stage runs only when the earlier ones found no error. Nothing here throws on any input.

import { HIGH_RAM_BASE, LOW_RAM_LIMIT, systemRamRegions } from '../../kernel/hw/machine';
import type { RegionKind } from '../../kernel/hw/physMem';
import { parsePolicyConfig } from '../../kernel/sched/policy';
import type { Diagnostic, SourceRange } from '../../lang/source';
import { findProfile } from '../profiles';
import { formatJsonPath, jsonNodeAt, jsonValue, parseJson, type JsonNode, type JsonPathSegment, type TextPositions } from './json';
import { parseMarkerText } from './markers';
import { baseName, folderOf, resolvePath } from './paths';
import { scenarioDefaults, scenarioSchema } from './schema';
import type {
	ConfigValue, CountCondition, Expectation, FileReference, HarnessBody, HarnessCall, HarnessTask, HarnessTrigger,
	InvariantName, KernelEventKind, ModuleParams, Scenario, ScenarioDriver, ScenarioKernel, ScenarioLimits, ScenarioMachine,
	ScenarioMarker, ScenarioProcess, ScenarioRegion, ScenarioSchedule, ScenarioStep, TextMatcher,
} from './types';
import { suggest, validateJson } from './validate';

/** What `parseScenario` returns: the scenario when there is no error, and every diagnostic (warnings too). */
export interface ParseScenarioResult {
	readonly scenario?: Scenario;
	readonly diagnostics: readonly Diagnostic[];
}

const pageSize = 4096;

/** Drivers that need a Linux profile, and the one that needs FreeBSD. */
const linuxDrivers: ReadonlySet<string> = new Set(['spufs', 'drm-ttm', 'dma-buf-heap', 'dma-buf', 'dma-buf-vcam', 'devmem', 'bar-claim', 'nopage-mmio']);
const freebsdDrivers: ReadonlySet<string> = new Set(['freebsd-devpager']);

/**
 * Parses and checks a scenario. `file` is the scenario's path: diagnostics name it, and file
 * references resolve against its folder. Never throws.
 */
export function parseScenario(text: string, file: string): ParseScenarioResult {
	const parsed = parseJson(text, file);
	if (parsed.root === undefined) {
		return { diagnostics: parsed.diagnostics };
	}
	const schemaErrors = validateJson(parsed.root, scenarioSchema);
	if (schemaErrors.length > 0) {
		return {
			diagnostics: schemaErrors.map(e => ({ severity: 'error', message: e.message, range: parsed.positions.range(e.start, e.end) })),
		};
	}
	const builder = new Builder(parsed.root, parsed.positions, file);
	const scenario = builder.build();
	const diagnostics = [...builder.diagnostics].sort((a, b) => a.range.line - b.range.line || a.range.col - b.range.col);
	return diagnostics.some(d => d.severity === 'error') ? { diagnostics } : { scenario, diagnostics };
}

/** Bytes in a size value the schema accepted: an integer, `"0x..."`, or `"<n>K|M|G"`. */
export function sizeInBytes(value: number | string): number {
	if (typeof value === 'number') {
		return value;
	}
	if (value.startsWith('0x')) {
		return parseInt(value.slice(2), 16);
	}
	const unit = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[value[value.length - 1]] ?? 1;
	return Number(value.slice(0, -1)) * unit;
}

/** Nanoseconds in a duration value the schema accepted. */
export function durationInNanoseconds(value: number | string): number {
	if (typeof value === 'number') {
		return value;
	}
	const match = /^(\d+)(ns|us|ms|s)$/.exec(value);
	if (match === null) {
		return Number.NaN;
	}
	return Number(match[1]) * { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[match[2] as 'ns' | 'us' | 'ms' | 's'];
}

function hex(value: number): string {
	return `0x${value.toString(16)}`;
}

/** `256 MiB`, `4 KiB`, `5120 bytes`. */
function sizeText(bytes: number): string {
	for (const [unit, factor] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
		if (bytes >= factor && bytes % factor === 0) {
			return `${bytes / factor} ${unit}`;
		}
	}
	return `${bytes} bytes`;
}

/** A value of the scenario tree with its path, for building and reporting. */
class Cursor {
	constructor(readonly node: JsonNode, readonly path: readonly JsonPathSegment[]) {}

	get(key: string): Cursor | undefined {
		if (this.node.kind !== 'object') {
			return undefined;
		}
		const property = this.node.properties.find(p => p.key === key);
		return property === undefined ? undefined : new Cursor(property.value, [...this.path, key]);
	}

	items(): Cursor[] {
		return this.node.kind === 'array' ? this.node.items.map((item, index) => new Cursor(item, [...this.path, index])) : [];
	}

	/** Property names and values in source order. */
	entries(): [string, Cursor][] {
		return this.node.kind === 'object' ? this.node.properties.map(p => [p.key, new Cursor(p.value, [...this.path, p.key])]) : [];
	}

	get string(): string {
		return this.node.kind === 'string' ? this.node.value : '';
	}

	get number(): number {
		return this.node.kind === 'number' ? this.node.value : 0;
	}

	get boolean(): boolean {
		return this.node.kind === 'boolean' && this.node.value;
	}

	/** A scalar (boolean, number or string) as-is. */
	get scalar(): ConfigValue {
		return this.node.kind === 'boolean' || this.node.kind === 'number' || this.node.kind === 'string' ? this.node.value : '';
	}

	get where(): string {
		return formatJsonPath(this.path);
	}
}

/** Builds the scenario from a tree the schema accepted, collecting the checks the schema cannot make. */
class Builder {
	readonly diagnostics: Diagnostic[] = [];
	private readonly root: Cursor;
	private readonly folder: string;
	private machine!: ScenarioMachine;
	private kernel!: ScenarioKernel;
	private processNames = new Map<string, Cursor>();
	private harnessNames = new Map<string, Cursor>();

	constructor(private readonly rootNode: JsonNode, private readonly positions: TextPositions, private readonly file: string) {
		this.root = new Cursor(rootNode, []);
		this.folder = folderOf(file);
	}

	private range(at: Cursor): SourceRange {
		return this.positions.range(at.node.start, at.node.end);
	}

	private report(severity: 'error' | 'warning', at: Cursor, text: string): void {
		this.diagnostics.push({ severity, message: at.path.length === 0 ? text : `${at.where}: ${text}`, range: this.range(at) });
	}

	private error(at: Cursor, text: string): void {
		this.report('error', at, text);
	}

	private warning(at: Cursor, text: string): void {
		this.report('warning', at, text);
	}

	build(): Scenario {
		this.machine = this.buildMachine(this.root.get('machine'));
		this.kernel = this.buildKernel(this.root.get('kernel'));
		const driverCursors = this.root.get('drivers')?.items() ?? [];
		const drivers = driverCursors.map(d => this.buildDriver(d));
		this.checkDriverNames(drivers, driverCursors);
		const processCursors = this.root.get('processes')?.items() ?? [];
		for (const p of processCursors) {
			this.claimTaskName(p.get('name') as Cursor, this.processNames);
		}
		for (const h of this.root.get('harness')?.items() ?? []) {
			this.claimTaskName(h.get('name') as Cursor, this.harnessNames);
		}
		const processes = processCursors.map(p => this.buildProcess(p));
		this.checkUnique(processes.filter(p => p.pid !== undefined).map(p => [String(p.pid), processCursors[processes.indexOf(p)].get('pid') as Cursor]), 'pid');
		const harness = (this.root.get('harness')?.items() ?? []).map(h => this.buildHarness(h));
		const schedule = this.buildSchedule(this.root.get('schedule'));
		const limits = this.buildLimits(this.root.get('limits'));
		const expect = (this.root.get('expect')?.items() ?? []).map(e => this.buildExpectation(e));
		return {
			file: this.file,
			folder: this.folder,
			name: this.root.get('name')?.string ?? '',
			description: this.root.get('description')?.string ?? '',
			machine: this.machine,
			kernel: this.kernel,
			drivers,
			processes,
			harness,
			schedule,
			limits,
			expect,
		};
	}

	// ---- Shared pieces ---------------------------------------------------------------------------

	/** Bytes of a size; a string size must come to whole pages (integers the schema already checked). */
	private size(at: Cursor): number {
		const bytes = sizeInBytes(at.node.kind === 'number' ? at.number : at.string);
		if (!Number.isSafeInteger(bytes)) {
			this.error(at, 'this size is too large');
			return pageSize;
		}
		if (bytes % pageSize !== 0 || bytes < pageSize) {
			this.error(at, `must be a whole number of 4 KiB pages, got ${sizeText(bytes)}`);
			return Math.max(pageSize, bytes - (bytes % pageSize));
		}
		return bytes;
	}

	private address(at: Cursor): number {
		return at.node.kind === 'number' ? at.number : parseInt(at.string.slice(2), 16);
	}

	private fileReference(at: Cursor): FileReference {
		return { written: at.string, path: resolvePath(this.folder, at.string), where: at.where, range: this.range(at) };
	}

	private strings(at: Cursor | undefined): string[] | undefined {
		return at?.items().map(i => i.string);
	}

	/** Reports every name that repeats, at its second and later uses. */
	private checkUnique(named: readonly (readonly [string, Cursor])[], what: string): void {
		const first = new Map<string, Cursor>();
		for (const [name, at] of named) {
			const earlier = first.get(name);
			if (earlier !== undefined) {
				this.error(at, `duplicate ${what} ${JSON.stringify(name)} (first at ${earlier.where})`);
			} else {
				first.set(name, at);
			}
		}
	}

	/** Processes and harness tasks share one name space (the schedule's task ids). */
	private claimTaskName(at: Cursor, into: Map<string, Cursor>): void {
		const name = at.string;
		const earlier = this.processNames.get(name) ?? this.harnessNames.get(name);
		if (earlier !== undefined) {
			this.error(at, `duplicate task name ${JSON.stringify(name)} (first at ${earlier.where})`);
			return;
		}
		into.set(name, at);
	}

	/** Checks that a task id names something this scenario starts; otherwise it can only be a kernel thread. */
	private checkTask(at: Cursor): void {
		const name = at.string;
		const thread = /^(.*)\.[1-9][0-9]*$/.exec(name);
		if (this.processNames.has(name) || this.harnessNames.has(name) || (thread !== null && this.processNames.has(thread[1]))) {
			return;
		}
		const hint = suggest(name, [...this.processNames.keys(), ...this.harnessNames.keys()]);
		this.warning(at, `${JSON.stringify(name)} is not a process or harness task of this scenario, so it must be a kernel thread${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
	}

	/** Checks a reference to a process by name (an error: outcomes and filters only make sense for processes). */
	private checkProcess(at: Cursor): void {
		if (this.processNames.has(at.string)) {
			return;
		}
		const hint = suggest(at.string, [...this.processNames.keys()]);
		this.error(at, `no process named ${JSON.stringify(at.string)}${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : ` (processes: ${[...this.processNames.keys()].join(', ')})`}`);
	}

	/** Reads a `profiles` restriction and checks it against the scenario's profiles. */
	private profileRestriction(at: Cursor | undefined): string[] | undefined {
		const list = this.strings(at);
		if (at === undefined || list === undefined || !this.kernel.profilesListed) {
			return list;
		}
		at.items().forEach(item => {
			if (!this.kernel.profiles.includes(item.string)) {
				this.error(item, `${JSON.stringify(item.string)} is not among the scenario's kernel.profiles (${this.kernel.profiles.join(', ')})`);
			}
		});
		return list;
	}

	private marker(at: Cursor): ScenarioMarker {
		const range = this.range(at);
		const where = at.where;
		if (at.node.kind === 'string') {
			const fields = parseMarkerText(at.string);
			if (typeof fields === 'string') {
				this.error(at, fields);
				return { hit: 1, where, range };
			}
			return { ...fields, hit: fields.hit ?? 1, where, range };
		}
		const marker: { file?: string; line?: number; point?: string; fn?: string; hit: number; where: string; range: SourceRange } = { hit: at.get('hit')?.number ?? 1, where, range };
		const file = at.get('file');
		const line = at.get('line');
		const point = at.get('point');
		const fn = at.get('fn');
		if (file !== undefined) marker.file = file.string;
		if (line !== undefined) marker.line = line.number;
		if (point !== undefined) marker.point = point.string;
		if (fn !== undefined) marker.fn = fn.string;
		return marker;
	}

	// ---- Machine -----------------------------------------------------------------------------------

	private buildMachine(at: Cursor | undefined): ScenarioMachine {
		const ramAt = at?.get('ram');
		const ramBytes = ramAt !== undefined ? this.size(ramAt) : sizeInBytes(scenarioDefaults.ram);
		const cpus = at?.get('cpus')?.number ?? scenarioDefaults.cpus;
		const requests: RegionRequest[] = [];
		const gpuAt = at?.get('gpu');
		let gpu: ScenarioMachine['gpu'];
		if (gpuAt !== undefined) {
			const name = gpuAt.get('name')?.string ?? scenarioDefaults.gpuName;
			const vramAt = gpuAt.get('vram') as Cursor;
			const vramSize = this.size(vramAt);
			requests.push({ name: `${name}-vram`, kind: 'vram', owner: name, size: vramSize, sizeAt: vramAt, baseAt: gpuAt.get('vramBase') });
			const gttAt = gpuAt.get('gtt');
			const gttSize = gttAt !== undefined ? this.size(gttAt) : 0;
			if (gttAt !== undefined) {
				requests.push({ name: `${name}-gtt`, kind: 'gtt-aperture', owner: name, size: gttSize, sizeAt: gttAt, baseAt: gpuAt.get('gttBase') });
			} else if (gpuAt.get('gttBase') !== undefined) {
				this.error(gpuAt.get('gttBase') as Cursor, 'gttBase needs gtt (the aperture\'s size)');
			}
			gpu = { name, vramSize, gttSize, range: this.range(gpuAt) };
		}
		const spesAt = at?.get('spes');
		let spes: ScenarioMachine['spes'];
		if (spesAt !== undefined) {
			const count = spesAt.get('count')?.number ?? 1;
			const lsAt = spesAt.get('localStore');
			const psAt = spesAt.get('problemState');
			const localStoreSize = lsAt !== undefined ? this.size(lsAt) : sizeInBytes(scenarioDefaults.speLocalStore);
			const problemStateSize = psAt !== undefined ? this.size(psAt) : sizeInBytes(scenarioDefaults.speProblemState);
			const baseAt = spesAt.get('base');
			for (let i = 0; i < count; i++) {
				requests.push({
					name: `spe${i}-ls`, kind: 'spu-ls', owner: `spu${i}`, size: localStoreSize, sizeAt: lsAt ?? spesAt,
					baseAt, baseOffset: i * localStoreSize,
				});
			}
			for (let i = 0; i < count; i++) {
				requests.push({ name: `spe${i}-ps`, kind: 'spu-ps', owner: `spu${i}`, size: problemStateSize, sizeAt: psAt ?? spesAt });
			}
			spes = { count, localStoreSize, problemStateSize, range: this.range(spesAt) };
		}
		const mmio = (at?.get('mmio')?.items() ?? []).map(w => {
			const sizeAt = w.get('size') as Cursor;
			const window = { name: w.get('name')?.string ?? '', size: this.size(sizeAt), description: w.get('description')?.string ?? '', range: this.range(w) };
			requests.push({ name: window.name, kind: 'mmio', owner: window.name, size: window.size, sizeAt, baseAt: w.get('base'), nameAt: w.get('name') });
			return window;
		});
		this.checkUnique(requests.filter(r => r.nameAt !== undefined).map(r => [r.name, r.nameAt as Cursor]), 'MMIO window');
		for (const r of requests.filter(r => r.nameAt !== undefined)) {
			if (requests.some(other => other.nameAt === undefined && other.name === r.name)) {
				this.error(r.nameAt as Cursor, `the name ${JSON.stringify(r.name)} is taken by a device region`);
			}
		}
		const regions = this.layOut(ramBytes, requests);
		const coherentDma = at?.get('coherentDma')?.boolean ?? scenarioDefaults.coherentDma;
		const nonCoherent = (at?.get('nonCoherent')?.items() ?? []).map(r => {
			const baseAt = r.get('base') as Cursor;
			const base = this.address(baseAt);
			if (base % pageSize !== 0) {
				this.error(baseAt, `must be page-aligned (a multiple of 0x1000), got ${hex(base)}`);
			}
			return { base, size: this.size(r.get('size') as Cursor) };
		});
		if (!coherentDma) {
			nonCoherent.push(...systemRamRegions(ramBytes).map(r => ({ base: r.base, size: r.size })));
		}
		return { ramBytes, cpus, gpu, spes, mmio, regions, coherentDma, nonCoherent };
	}

	/**
	 * Gives every device region an address: those with a base keep it (it must be page-aligned and
	 * overlap nothing), the others go first-fit into the PCI hole, naturally aligned as BARs are.
	 */
	private layOut(ramBytes: number, requests: readonly RegionRequest[]): ScenarioRegion[] {
		const taken: { name: string; base: number; end: number }[] = systemRamRegions(ramBytes).map(r => ({ name: r.name, base: r.base, end: r.base + r.size }));
		const placed: ScenarioRegion[] = [];
		const overlapping = (base: number, end: number) => taken.find(t => base < t.end && t.base < end);
		for (const r of requests.filter(r => r.baseAt !== undefined)) {
			const baseAt = r.baseAt as Cursor;
			const base = this.address(baseAt) + (r.baseOffset ?? 0);
			if (base % pageSize !== 0) {
				this.error(baseAt, `must be page-aligned (a multiple of 0x1000), got ${hex(base)}`);
				continue;
			}
			const other = overlapping(base, base + r.size);
			if (other !== undefined) {
				this.error(baseAt, `${r.name} at ${hex(base)}-${hex(base + r.size)} overlaps ${other.name} (${hex(other.base)}-${hex(other.end)})`);
				continue;
			}
			taken.push({ name: r.name, base, end: base + r.size });
			placed.push({ name: r.name, kind: r.kind, base, size: r.size, owner: r.owner, range: this.range(baseAt) });
		}
		for (const r of requests.filter(r => r.baseAt === undefined)) {
			let alignment = pageSize;
			while (alignment < r.size && alignment < 0x10000000) {
				alignment *= 2;
			}
			let cursor = LOW_RAM_LIMIT;
			let base: number | undefined;
			while (cursor + r.size <= HIGH_RAM_BASE) {
				const candidate = Math.ceil(cursor / alignment) * alignment;
				const other = overlapping(candidate, candidate + r.size);
				if (other === undefined) {
					base = candidate + r.size <= HIGH_RAM_BASE ? candidate : undefined;
					break;
				}
				cursor = other.end;
			}
			if (base === undefined) {
				this.error(r.sizeAt, `${r.name} (${sizeText(r.size)}) does not fit in the PCI hole (${hex(LOW_RAM_LIMIT)}-${hex(HIGH_RAM_BASE)}) beside the other devices; make it smaller or give it a base address`);
				continue;
			}
			taken.push({ name: r.name, base, end: base + r.size });
			placed.push({ name: r.name, kind: r.kind, base, size: r.size, owner: r.owner, range: this.range(r.sizeAt) });
		}
		return placed.sort((a, b) => a.base - b.base);
	}

	// ---- Kernel and drivers ----------------------------------------------------------------------------

	private buildKernel(at: Cursor | undefined): ScenarioKernel {
		const profileAt = at?.get('profile');
		const profilesAt = at?.get('profiles');
		const listed = this.strings(profilesAt);
		const profile = profileAt?.string ?? listed?.[0] ?? scenarioDefaults.profile;
		if (profileAt !== undefined && listed !== undefined && !listed.includes(profile)) {
			this.error(profileAt, `${JSON.stringify(profile)} is not among kernel.profiles (${listed.join(', ')})`);
		}
		const config: Record<string, ConfigValue> = {};
		for (const [name, value] of at?.get('config')?.entries() ?? []) {
			config[name] = value.scalar;
		}
		return {
			profile,
			profiles: listed ?? [profile],
			profilesListed: listed !== undefined,
			config,
			range: at !== undefined ? this.range(at) : this.positions.range(this.rootNode.start, this.rootNode.start + 1),
		};
	}

	private params(at: Cursor | undefined): ModuleParams {
		const params: Record<string, ConfigValue> = {};
		for (const [name, value] of at?.entries() ?? []) {
			params[name] = value.scalar;
		}
		return params;
	}

	private buildDriver(at: Cursor): ScenarioDriver {
		const range = this.range(at);
		let driver: ScenarioDriver;
		if (at.node.kind === 'string') {
			driver = { kind: 'shipped', name: at.string, params: {}, range };
		} else if (at.get('source') === undefined) {
			const profiles = this.profileRestriction(at.get('profiles'));
			driver = { kind: 'shipped', name: at.get('name')?.string ?? '', params: this.params(at.get('params')), ...(profiles !== undefined ? { profiles } : {}), range };
		} else {
			const sourceAt = at.get('source') as Cursor;
			const sources = sourceAt.node.kind === 'array' ? sourceAt.items().map(s => this.fileReference(s)) : [this.fileReference(sourceAt)];
			let name = at.get('name')?.string;
			if (name === undefined) {
				name = baseName(sources[0].written).replace(/\.[^.]*$/, '');
				if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
					this.error(sourceAt, `cannot make a module name of ${JSON.stringify(name)}; give the driver a "name"`);
				}
			}
			const profiles = this.profileRestriction(at.get('profiles'));
			driver = { kind: 'source', name, sources, params: this.params(at.get('params')), ...(profiles !== undefined ? { profiles } : {}), range };
		}
		if (driver.kind === 'shipped') {
			this.checkShippedDriver(at, driver.name, driver.profiles ?? this.kernel.profiles);
		}
		return driver;
	}

	/** Two drivers may share a name only when they load on different profiles (variants of one driver). */
	private checkDriverNames(drivers: readonly ScenarioDriver[], cursors: readonly Cursor[]): void {
		drivers.forEach((driver, i) => {
			const loadsOn = driver.profiles ?? this.kernel.profiles;
			const earlier = drivers.findIndex((other, j) => j < i && other.name === driver.name && (other.profiles ?? this.kernel.profiles).some(p => loadsOn.includes(p)));
			if (earlier >= 0) {
				const clash = loadsOn.find(p => (drivers[earlier].profiles ?? this.kernel.profiles).includes(p));
				this.error(cursors[i], `driver ${JSON.stringify(driver.name)} is already loaded on ${clash} by ${cursors[earlier].where}; give the variants disjoint "profiles"`);
			}
		});
	}

	/** A shipped driver must suit the machine and the OS of every profile it loads on. */
	private checkShippedDriver(at: Cursor, name: string, loadsOn: readonly string[]): void {
		const wrongOs = loadsOn.find(p => {
			const os = findProfile(p)?.os;
			return (linuxDrivers.has(name) && os !== 'linux') || (freebsdDrivers.has(name) && os !== 'freebsd');
		});
		if (wrongOs !== undefined) {
			const os = freebsdDrivers.has(name) ? 'FreeBSD' : 'Linux';
			this.error(at, `${name} runs only on ${os} profiles, but would load on ${wrongOs}; restrict it with "profiles"`);
		}
		if (name === 'spufs' && this.machine.spes === undefined) {
			this.error(at, 'spufs needs SPEs: add machine.spes');
		}
		if (name === 'drm-ttm' && this.machine.gpu === undefined) {
			this.error(at, 'drm-ttm needs a GPU: add machine.gpu');
		}
	}

	// ---- Tasks -------------------------------------------------------------------------------------------

	private buildProcess(at: Cursor): ScenarioProcess {
		const name = at.get('name')?.string ?? '';
		const pidAt = at.get('pid');
		const process: ScenarioProcess = {
			name,
			program: this.fileReference(at.get('program') as Cursor),
			comm: at.get('comm')?.string ?? name.slice(0, 15),
			argv: this.strings(at.get('argv')) ?? [name],
			env: this.strings(at.get('env')) ?? [],
			stdin: at.get('stdin')?.string ?? '',
			...(pidAt !== undefined ? { pid: pidAt.number } : {}),
			description: at.get('description')?.string ?? '',
			range: this.range(at),
		};
		return process;
	}

	private buildHarness(at: Cursor): HarnessTask {
		const programAt = at.get('program');
		const body: HarnessBody = programAt !== undefined
			? { kind: 'program', program: this.fileReference(programAt), argv: this.strings(at.get('argv')) ?? [at.get('name')?.string ?? ''] }
			: { kind: 'inline', calls: (at.get('run')?.items() ?? []).map(c => this.buildCall(c)) };
		const when = at.get('at');
		return {
			name: at.get('name')?.string ?? '',
			description: at.get('description')?.string ?? '',
			at: when === undefined ? { kind: 'boot' } : this.buildTrigger(when),
			body,
			range: this.range(at),
		};
	}

	private buildTrigger(at: Cursor): HarnessTrigger {
		const range = this.range(at);
		if (at.node.kind === 'string' || (at.get('stmt') === undefined && at.get('step') === undefined && at.get('event') === undefined)) {
			return { kind: 'statement', stmt: this.marker(at), range };
		}
		const stmt = at.get('stmt');
		if (stmt !== undefined) {
			const task = at.get('task');
			if (task !== undefined) {
				this.checkTask(task);
			}
			return { kind: 'statement', stmt: this.marker(stmt), ...(task !== undefined ? { task: task.string } : {}), range };
		}
		const step = at.get('step');
		if (step !== undefined) {
			return { kind: 'step', step: step.number, range };
		}
		const processAt = at.get('process');
		if (processAt !== undefined) {
			this.checkProcess(processAt);
		}
		const rangeAt = at.get('range');
		let addressRange: { start: number; end: number } | undefined;
		if (rangeAt !== undefined) {
			addressRange = { start: this.address(rangeAt.get('start') as Cursor), end: this.address(rangeAt.get('end') as Cursor) };
			if (addressRange.end <= addressRange.start) {
				this.error(rangeAt.get('end') as Cursor, `must be above start (${hex(addressRange.start)}), got ${hex(addressRange.end)}`);
			}
		}
		return {
			kind: 'event',
			event: at.get('event')?.string as KernelEventKind,
			...(processAt !== undefined ? { process: processAt.string } : {}),
			...(at.get('mapping') !== undefined ? { mapping: at.get('mapping')?.string } : {}),
			...(addressRange !== undefined ? { addressRange } : {}),
			nth: at.get('nth')?.number ?? 1,
			range,
		};
	}

	private buildCall(at: Cursor): HarnessCall {
		const call = at.get('call')?.string ?? '';
		const args: Record<string, ConfigValue> = {};
		for (const [name, value] of at.entries()) {
			if (name !== 'call') {
				args[name] = value.scalar;
			}
		}
		const regionAt = at.get('region');
		if (call === 'request_region' && regionAt !== undefined && !this.machine.mmio.some(w => w.name === regionAt.string)) {
			const names = this.machine.mmio.map(w => w.name);
			const hint = suggest(regionAt.string, names);
			this.error(regionAt, `no MMIO window named ${JSON.stringify(regionAt.string)} in machine.mmio${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : names.length > 0 ? ` (windows: ${names.join(', ')})` : ''}`);
		}
		const speAt = at.get('spe');
		if (call === 'spu_context_switch' && speAt !== undefined) {
			const count = this.machine.spes?.count ?? 0;
			if (speAt.number >= count) {
				this.error(speAt, count === 0 ? 'the machine has no SPEs (add machine.spes)' : `the machine has ${count} SPE${count === 1 ? '' : 's'} (0-${count - 1})`);
			}
		}
		const taskAt = at.get('task');
		if (call === 'signal' && taskAt !== undefined) {
			this.checkTask(taskAt);
		}
		return { call, args, range: this.range(at) };
	}

	// ---- Schedule and limits --------------------------------------------------------------------------

	private buildSchedule(at: Cursor | undefined): ScenarioSchedule {
		const roundRobin = { kind: 'round-robin', quantum: scenarioDefaults.quantum } as const;
		if (at === undefined) {
			return roundRobin;
		}
		this.checkWithScheduler(at);
		const simple = (c: Cursor | undefined): Exclude<ScenarioSchedule, { kind: 'explicit' }> => {
			const kind = c === undefined ? 'round-robin' : c.node.kind === 'string' ? c.string : c.get('kind')?.string;
			if (kind !== 'random' || c === undefined) {
				return { kind: 'round-robin', quantum: c?.get('quantum')?.number ?? scenarioDefaults.quantum };
			}
			const minQuantum = c.get('minQuantum')?.number ?? scenarioDefaults.minQuantum;
			return {
				kind: 'random',
				seed: c.get('seed')?.number ?? 0,
				minQuantum,
				maxQuantum: c.get('maxQuantum')?.number ?? Math.max(minQuantum, scenarioDefaults.maxQuantum),
			};
		};
		if (at.node.kind === 'array') {
			return { kind: 'explicit', steps: at.items().map(s => this.buildStep(s)), then: roundRobin };
		}
		if (at.get('kind')?.string === 'explicit') {
			return { kind: 'explicit', steps: (at.get('steps')?.items() ?? []).map(s => this.buildStep(s)), then: simple(at.get('then')) };
		}
		return simple(at);
	}

	/**
	 * Runs the scheduler's own reader over the schedule, so that a schedule the scenario accepts is
	 * one the scheduler accepts. Named points are the scenario's addition: they stand in as line 1.
	 */
	private checkWithScheduler(at: Cursor): void {
		const value = jsonValue(at.node);
		const steps = Array.isArray(value) ? value : (value as Record<string, unknown> | null)?.steps;
		if (Array.isArray(steps)) {
			for (const step of steps) {
				const until = (step as Record<string, unknown> | null)?.until as Record<string, unknown> | undefined;
				const stmt = until?.stmt;
				if (until !== undefined && stmt !== undefined) {
					const parsed = typeof stmt === 'string' ? parseMarkerText(stmt) : undefined;
					const isPoint = typeof parsed === 'object' ? parsed.point !== undefined : (stmt as Record<string, unknown>).point !== undefined;
					if (isPoint) {
						until.stmt = { file: 'point', line: 1 };
					}
				}
			}
		}
		for (const problem of parsePolicyConfig(value, 'schedule').errors) {
			const path: JsonPathSegment[] = [];
			for (const match of problem.path.slice('schedule'.length).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
				path.push(match[1] !== undefined ? match[1] : Number(match[2]));
			}
			const node = jsonNodeAt(at.node, path);
			this.diagnostics.push({ severity: 'error', message: `${problem.path}: ${problem.message}`, range: this.positions.range(node.start, node.end) });
		}
	}

	private buildStep(at: Cursor): ScenarioStep {
		const range = this.range(at);
		if (at.node.kind === 'string') {
			this.checkTask(at);
			return { task: at.string, range };
		}
		const taskAt = at.get('task') as Cursor;
		this.checkTask(taskAt);
		const step: { task: string; until?: ScenarioStep['until']; cpu?: number; range: SourceRange } = { task: taskAt.string, range };
		const until = at.get('until');
		if (until !== undefined) {
			const stmt = until.get('stmt');
			const count = until.get('count');
			step.until = { ...(stmt !== undefined ? { stmt: this.marker(stmt) } : {}), ...(count !== undefined ? { count: count.number } : {}) };
		}
		const cpuAt = at.get('cpu');
		if (cpuAt !== undefined) {
			if (cpuAt.number >= this.machine.cpus) {
				this.error(cpuAt, `the machine has ${this.machine.cpus} CPU${this.machine.cpus === 1 ? '' : 's'} (0-${this.machine.cpus - 1})`);
			}
			step.cpu = cpuAt.number;
		}
		return step;
	}

	private buildLimits(at: Cursor | undefined): ScenarioLimits {
		const maxTimeAt = at?.get('maxTime');
		if (maxTimeAt === undefined) {
			return { maxSteps: at?.get('maxSteps')?.number ?? scenarioDefaults.maxSteps };
		}
		const maxTimeNs = durationInNanoseconds(maxTimeAt.node.kind === 'number' ? maxTimeAt.number : maxTimeAt.string);
		if (!Number.isSafeInteger(maxTimeNs)) {
			this.error(maxTimeAt, 'this duration is too long');
		}
		return { maxSteps: at?.get('maxSteps')?.number ?? scenarioDefaults.maxSteps, maxTimeNs };
	}

	// ---- Expectations ---------------------------------------------------------------------------------

	private text(at: Cursor | undefined): TextMatcher | undefined {
		if (at === undefined) {
			return undefined;
		}
		if (at.node.kind === 'string') {
			return { kind: 'exact', text: at.string };
		}
		const contains = at.get('contains');
		if (contains !== undefined) {
			return { kind: 'contains', text: contains.string };
		}
		const regexAt = at.get('regex') as Cursor;
		const flags = at.get('flags')?.string ?? '';
		this.checkRegex(regexAt, flags);
		return { kind: 'regex', regex: regexAt.string, flags };
	}

	private checkRegex(at: Cursor, flags: string): void {
		try {
			new RegExp(at.string, flags);
		} catch (problem) {
			this.error(at, `invalid regular expression: ${(problem as Error).message.replace(/^Invalid regular expression: /, '')}`);
		}
	}

	private count(at: Cursor | undefined): CountCondition {
		if (at === undefined) {
			return { op: '>=', value: 1 };
		}
		if (at.node.kind === 'number') {
			return { op: '==', value: at.number };
		}
		const match = /^\s*(==|!=|>=|<=|>|<)\s*(\d+)\s*$/.exec(at.string);
		return match === null ? { op: '>=', value: 1 } : { op: match[1] as CountCondition['op'], value: Number(match[2]) };
	}

	private buildExpectation(at: Cursor): Expectation {
		const profiles = this.profileRestriction(at.get('profiles'));
		const base = {
			...(profiles !== undefined ? { profiles } : {}),
			description: at.get('description')?.string ?? '',
			range: this.range(at),
		};
		const invariant = at.get('invariant');
		if (invariant !== undefined) {
			return { kind: 'invariant', invariant: invariant.string as InvariantName, holds: at.get('holds')?.boolean ?? scenarioDefaults.holds, ...base };
		}
		const event = at.get('event');
		const processAt = at.get('process');
		if (processAt !== undefined) {
			this.checkProcess(processAt);
		}
		if (event === undefined) {
			const stdout = this.text(at.get('stdout'));
			const stderr = this.text(at.get('stderr'));
			return {
				kind: 'outcome',
				process: processAt?.string ?? '',
				...(at.get('exit') !== undefined ? { exit: at.get('exit')?.number } : {}),
				...(at.get('signal') !== undefined ? { signal: at.get('signal')?.string } : {}),
				...(stdout !== undefined ? { stdout } : {}),
				...(stderr !== undefined ? { stderr } : {}),
				...base,
			};
		}
		const kind = event.string as KernelEventKind;
		const signalAt = at.get('signal');
		if (signalAt !== undefined && kind !== 'signal') {
			this.error(signalAt, `only "signal" events have a signal; this expectation is for "${kind}" events`);
		}
		const backingAt = at.get('backing');
		if (backingAt !== undefined && kind !== 'fault' && kind !== 'pte-set' && kind !== 'pte-zap') {
			this.error(backingAt, `only "fault", "pte-set" and "pte-zap" events have a backing; this expectation is for "${kind}" events`);
		}
		const regexAt = at.get('regex');
		if (regexAt !== undefined) {
			this.checkRegex(regexAt, '');
		}
		const optional = (key: string) => (at.get(key) !== undefined ? { [key]: at.get(key)?.string } : {});
		return {
			kind: 'event',
			event: kind,
			...optional('process'),
			...optional('match'),
			...optional('regex'),
			...optional('signal'),
			...(backingAt !== undefined ? { backing: backingAt.string as RegionKind } : {}),
			...optional('mapping'),
			count: this.count(at.get('count')),
			...base,
		};
	}
}

/** A device region before it has an address. */
interface RegionRequest {
	readonly name: string;
	readonly kind: RegionKind;
	readonly owner: string;
	readonly size: number;
	/** Where the size (or the device) is written, for errors. */
	readonly sizeAt: Cursor;
	readonly baseAt?: Cursor;
	/** Added to the base (the n-th SPE's local store follows the others). */
	readonly baseOffset?: number;
	/** For MMIO windows: where the name is written. */
	readonly nameAt?: Cursor;
}

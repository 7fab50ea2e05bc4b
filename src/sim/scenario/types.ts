// The types of a loaded scenario (layer: sim): what parse.ts makes of a scenario file once it has
// passed the schema and the checks the schema cannot express. Everything is resolved: defaults are
// filled in, sizes and addresses are numbers of bytes, device regions have their physical
// addresses, file references are paths resolved against the scenario's folder. Statement markers
// are parsed but not resolved (a `// @point:` name becomes a line only when the runner has the
// source). Every part keeps the range of its text in the scenario file, so that a failing
// expectation or a missing file can be reported at the line that states it.

import type { RegionKind } from '../../kernel/hw/physMem';
import type { RandomConfig, RoundRobinConfig } from '../../kernel/sched/policy';
import type { TaskId } from '../../kernel/locks/types';
import type { SourceRange } from '../../lang/source';

/** A file the scenario names. */
export interface FileReference {
	/** As written in the scenario. */
	readonly written: string;
	/** Resolved against the scenario's folder (absolute when the scenario path is). */
	readonly path: string;
	/** The JSON path of the reference (`processes[0].program`), for messages. */
	readonly where: string;
	readonly range: SourceRange;
}

/** One region of device memory, placed. */
export interface ScenarioRegion {
	/** Unique: `gpu0-vram`, `gpu0-gtt`, `spe0-ls`, `spe0-ps`, or an MMIO window's name. */
	readonly name: string;
	readonly kind: RegionKind;
	readonly base: number;
	readonly size: number;
	/** The device it belongs to (`gpu0`, `spu0`, or the window's name), for views. */
	readonly owner: string;
	/** Where the region's size (or the device that implies it) is written. */
	readonly range: SourceRange;
}

export interface ScenarioGpu {
	readonly name: string;
	readonly vramSize: number;
	/** Zero when there is no aperture. */
	readonly gttSize: number;
	readonly range: SourceRange;
}

export interface ScenarioSpes {
	readonly count: number;
	readonly localStoreSize: number;
	readonly problemStateSize: number;
	readonly range: SourceRange;
}

export interface ScenarioMmioWindow {
	readonly name: string;
	readonly size: number;
	readonly description: string;
	readonly range: SourceRange;
}

/** The machine. `regions` holds every device region with its address; the rest says what they are. */
export interface ScenarioMachine {
	readonly ramBytes: number;
	readonly cpus: number;
	readonly gpu?: ScenarioGpu;
	readonly spes?: ScenarioSpes;
	readonly mmio: readonly ScenarioMmioWindow[];
	/** Device regions in address order (never overlapping RAM or each other). */
	readonly regions: readonly ScenarioRegion[];
	readonly coherentDma: boolean;
	/** Non-coherent physical ranges: those listed, plus all of RAM when `coherentDma` is false. */
	readonly nonCoherent: readonly { readonly base: number; readonly size: number }[];
}

/** A kernel configuration value as the scenario gives it. */
export type ConfigValue = boolean | number | string;

export interface ScenarioKernel {
	/** The profile to run when no `--profile` overrides it (a name from src/sim/profiles.ts). */
	readonly profile: string;
	/** The profiles the scenario is meant to run on: as listed, or just `profile`. Never empty. */
	readonly profiles: readonly string[];
	/** Whether the scenario listed `profiles` itself. */
	readonly profilesListed: boolean;
	readonly config: Readonly<Record<string, ConfigValue>>;
	readonly range: SourceRange;
}

export type ModuleParams = Readonly<Record<string, ConfigValue>>;

/** A driver to load: shipped (by name) or the user's own KC sources. */
export type ScenarioDriver =
	| { readonly kind: 'shipped'; readonly name: string; readonly params: ModuleParams; readonly profiles?: readonly string[]; readonly range: SourceRange }
	| { readonly kind: 'source'; readonly name: string; readonly sources: readonly FileReference[]; readonly params: ModuleParams; readonly profiles?: readonly string[]; readonly range: SourceRange };

export interface ScenarioProcess {
	readonly name: string;
	readonly program: FileReference;
	/** At most 15 characters. */
	readonly comm: string;
	/** `argv[0]` included. */
	readonly argv: readonly string[];
	readonly env: readonly string[];
	readonly stdin: string;
	/** Undefined: the kernel assigns one. */
	readonly pid?: number;
	readonly description: string;
	readonly range: SourceRange;
}

/**
 * A statement marker as written, parsed. `file` is kept as written (it matches source paths by
 * trailing segments, like the scheduler's markers); `point` names a `// @point: name` comment.
 */
export interface ScenarioMarker {
	readonly file?: string;
	readonly line?: number;
	readonly point?: string;
	readonly fn?: string;
	/** Stop at the hit-th match (1 when not given). */
	readonly hit: number;
	/** The JSON path of the marker (`schedule.steps[0].until.stmt`), for messages. */
	readonly where: string;
	readonly range: SourceRange;
}

/** When a harness task runs. */
export type HarnessTrigger =
	| { readonly kind: 'boot' }
	| { readonly kind: 'statement'; readonly stmt: ScenarioMarker; readonly task?: TaskId; readonly range: SourceRange }
	| { readonly kind: 'step'; readonly step: number; readonly range: SourceRange }
	| {
		readonly kind: 'event'; readonly event: KernelEventKind; readonly process?: string; readonly mapping?: string;
		readonly addressRange?: { readonly start: number; readonly end: number }; readonly nth: number; readonly range: SourceRange;
	};

/** One inline builtin call: `sim_<call>(args...)`, arguments by name as in the schema. */
export interface HarnessCall {
	readonly call: string;
	readonly args: Readonly<Record<string, ConfigValue>>;
	readonly range: SourceRange;
}

export type HarnessBody =
	| { readonly kind: 'program'; readonly program: FileReference; readonly argv: readonly string[] }
	| { readonly kind: 'inline'; readonly calls: readonly HarnessCall[] };

export interface HarnessTask {
	readonly name: string;
	readonly description: string;
	readonly at: HarnessTrigger;
	readonly body: HarnessBody;
	readonly range: SourceRange;
}

/** One step of an explicit schedule, with its marker unresolved. */
export interface ScenarioStep {
	readonly task: TaskId;
	readonly until?: { readonly stmt?: ScenarioMarker; readonly count?: number };
	readonly cpu?: number;
	readonly range: SourceRange;
}

/** The schedule: the scheduler's `PolicyConfig`, with scenario markers in explicit steps. Defaults are filled. */
export type ScenarioSchedule =
	| Required<RoundRobinConfig>
	| Required<RandomConfig>
	| { readonly kind: 'explicit'; readonly steps: readonly ScenarioStep[]; readonly then: Required<RoundRobinConfig> | Required<RandomConfig> };

export interface ScenarioLimits {
	readonly maxSteps: number;
	/** Simulated nanoseconds; undefined for no limit. */
	readonly maxTimeNs?: number;
}

/** Kinds of kernel events (the `--trace` kinds). */
export type KernelEventKind =
	| 'fault' | 'pte-set' | 'pte-zap' | 'tlb-flush' | 'migration' | 'context-switch' | 'spu-switch' | 'lock'
	| 'signal' | 'bug' | 'oops' | 'panic' | 'lockdep' | 'deadlock' | 'invariant' | 'oom';

export type InvariantName = 'no-stale-mapping' | 'no-pte-to-free-frame' | 'refcounts' | 'locks-released' | 'bo-contents-preserved';

/** Expected text: exact, a regular expression, or a substring. */
export type TextMatcher =
	| { readonly kind: 'exact'; readonly text: string }
	| { readonly kind: 'regex'; readonly regex: string; readonly flags: string }
	| { readonly kind: 'contains'; readonly text: string };

/** A count condition: `op` applied as `actual op value`. */
export interface CountCondition {
	readonly op: '==' | '!=' | '>=' | '<=' | '>' | '<';
	readonly value: number;
}

interface ExpectationBase {
	/** Applies only on these profiles; undefined: on every profile. */
	readonly profiles?: readonly string[];
	readonly description: string;
	readonly range: SourceRange;
}

export interface OutcomeExpectation extends ExpectationBase {
	readonly kind: 'outcome';
	readonly process: string;
	readonly exit?: number;
	readonly signal?: string;
	readonly stdout?: TextMatcher;
	readonly stderr?: TextMatcher;
}

export interface EventExpectation extends ExpectationBase {
	readonly kind: 'event';
	readonly event: KernelEventKind;
	readonly process?: string;
	readonly match?: string;
	readonly regex?: string;
	readonly signal?: string;
	readonly backing?: RegionKind;
	readonly mapping?: string;
	readonly count: CountCondition;
}

export interface InvariantExpectation extends ExpectationBase {
	readonly kind: 'invariant';
	readonly invariant: InvariantName;
	readonly holds: boolean;
}

export type Expectation = OutcomeExpectation | EventExpectation | InvariantExpectation;

/** A scenario, loaded and resolved. */
export interface Scenario {
	/** The scenario file, as given to the parser. */
	readonly file: string;
	/** The folder file references are resolved against. */
	readonly folder: string;
	readonly name: string;
	readonly description: string;
	readonly machine: ScenarioMachine;
	readonly kernel: ScenarioKernel;
	readonly drivers: readonly ScenarioDriver[];
	readonly processes: readonly ScenarioProcess[];
	readonly harness: readonly HarnessTask[];
	readonly schedule: ScenarioSchedule;
	readonly limits: ScenarioLimits;
	readonly expect: readonly Expectation[];
}

// Scheduling policies (layer: kernel): pure deciders that the machine's scheduler asks which task a
// CPU runs next and for how long, at statement granularity. Three policies: round robin with a
// quantum in statements, seeded random (which task, and after how many statements to preempt), and
// an explicit schedule from a scenario ("run T1 until it reaches drm_vm.c:120, then K for 3
// statements, then T1"), which falls back to round robin or random when its steps are done.
// Policies hold no host state and no clocks: their whole state is JSON (`snapshot`), and
// `restorePolicy` continues exactly where a snapshot left off.
//
// The protocol with the scheduler:
// 1. When a CPU needs work it calls `pick(runnable, current, cpu, now)`. `runnable` lists the tasks
//    that may run on this CPU now (runnable and not running on another CPU), in a deterministic
//    order; `current` is the task that just left this CPU if it is still runnable. The answer is a
//    `SchedDecision`, or null to leave the CPU idle.
// 2. The scheduler runs the slice with a `Slice` (below): at each statement boundary, as the last
//    check before the statement runs, `slice.beforeStatement(location)` says whether the slice ends
//    there (quantum used up, or the marker reached); `slice.afterStatement()` counts a statement
//    that completed. A statement resumed after blocking is not a boundary.
// 3. When the slice ends for any reason it calls `policy.account(slice.finish(end))`.

import { Random, type RandomState } from '../../base/random';
import type { LockSite, TaskId } from '../locks/types';

/** Where a statement is: the same shape as a lock site (`{ file, line, col, fn }`). */
export type StatementLocation = LockSite;

/**
 * Which statements a schedule step waits for. `file` matches the statement's file exactly or as a
 * trailing run of path segments (`drm_vm.c` matches `kc/drivers/drm/drm_vm.c`); `line` and `fn`
 * must be equal when given. `hit`: stop at the hit-th match (default 1).
 */
export interface StatementMarker {
	readonly file?: string;
	readonly line?: number;
	readonly fn?: string;
	readonly hit?: number;
}

/** When an explicit step ends (besides the task blocking or exiting, which always ends it). */
export interface StepUntil {
	/** Stop before the task executes a statement the marker matches (not the statement the step starts at). */
	readonly stmt?: StatementMarker;
	/** Stop after this many completed statements. */
	readonly count?: number;
}

/**
 * One step of an explicit schedule. Without `until` the task runs until it blocks, yields or
 * exits. While a step runs, every other CPU is idle: an explicit schedule is one interleaving.
 * A step whose task is not runnable when its turn comes is skipped.
 */
export interface ScheduleStep {
	readonly task: TaskId;
	readonly until?: StepUntil;
	/** Run the step on this CPU (default: the first CPU that asks). */
	readonly cpu?: number;
}

/** Round robin over the runnable tasks in first-seen order. */
export interface RoundRobinConfig {
	readonly kind: 'round-robin';
	/** Statements per slice (default 20). */
	readonly quantum?: number;
}

/** A seeded random choice of task and of slice length. */
export interface RandomConfig {
	readonly kind: 'random';
	/** Used when `createPolicy` gets no seed (default 0). */
	readonly seed?: number;
	/** Shortest slice in statements (default 1). */
	readonly minQuantum?: number;
	/** Longest slice in statements (default 20). */
	readonly maxQuantum?: number;
}

/** Explicit steps, then another policy. */
export interface ExplicitConfig {
	readonly kind: 'explicit';
	readonly steps: readonly ScheduleStep[];
	/** After the last step (default round robin). */
	readonly then?: RoundRobinConfig | RandomConfig;
}

/** A scenario's `schedule`. */
export type PolicyConfig = RoundRobinConfig | RandomConfig | ExplicitConfig;

/** What a CPU runs next. */
export interface SchedDecision {
	readonly task: TaskId;
	/** At most this many statements (may be Infinity when only a marker, a block or an exit ends the slice). */
	readonly quantum: number;
	/** End the slice before a statement this marker matches, the `stopAtHits`-th time. */
	readonly stopAt?: StatementMarker;
	readonly stopAtHits?: number;
	/** Whether the first statement of the slice is checked against the marker (false at the start of a step). */
	readonly checkFirst?: boolean;
}

/**
 * Why a slice ended. `interrupted`: the scheduler stopped it for its own reasons (a breakpoint, a
 * pause, the run budget) before calling `beforeStatement` for the next statement; the rest of the
 * decision is still owed.
 */
export type SliceEnd = 'quantum' | 'marker' | 'blocked' | 'exited' | 'yielded' | 'interrupted';

/** What happened in a slice. */
export interface SliceResult {
	readonly task: TaskId;
	readonly cpu: number;
	/** Statements that completed. */
	readonly statements: number;
	/** Marker matches counted. */
	readonly markerHits: number;
	readonly end: SliceEnd;
}

/** A policy's state as JSON. */
export type PolicyState =
	| { readonly kind: 'round-robin'; readonly quantum: number; readonly order: readonly TaskId[]; readonly last: TaskId | null }
	| { readonly kind: 'random'; readonly minQuantum: number; readonly maxQuantum: number; readonly rng: RandomState }
	| {
		readonly kind: 'explicit';
		readonly steps: readonly ScheduleStep[];
		readonly index: number;
		readonly stepStatements: number;
		readonly stepHits: number;
		readonly activeCpu: number | null;
		/** Steps passed over because their task was not runnable, by index. */
		readonly skipped: readonly number[];
		readonly fallback: PolicyState;
	};

/** A scheduling policy: a pure decider with JSON state. */
export interface SchedulingPolicy {
	readonly kind: PolicyConfig['kind'];
	/** The next slice for `cpu`, or null to idle. `now` is simulated time (statements so far). */
	pick(runnable: readonly TaskId[], current: TaskId | null, cpu: number, now: number): SchedDecision | null;
	/** Reports how a slice this policy decided ended. */
	account(slice: SliceResult): void;
	/** The state as JSON (a deep copy). */
	snapshot(): PolicyState;
	/** One line for views and traces (`step 2/3: K for 3 statements`). */
	describe(): string;
}

const defaultQuantum = 20;

// ---- Markers ---------------------------------------------------------------------------------------

/** True if the statement at `location` is one `marker` stands for. */
export function matchesMarker(marker: StatementMarker, location: StatementLocation): boolean {
	if (marker.line !== undefined && marker.line !== location.line) {
		return false;
	}
	if (marker.fn !== undefined && marker.fn !== location.fn) {
		return false;
	}
	if (marker.file !== undefined) {
		const file = location.file.replace(/\\/g, '/');
		const wanted = marker.file.replace(/\\/g, '/');
		if (file !== wanted && !file.endsWith(`/${wanted}`)) {
			return false;
		}
	}
	return true;
}

/** `drm_vm.c:120`, `drm_vm.c:120#2`, `drm_bo_vm_fault()`, as `parseMarker` reads them. */
export function formatMarker(marker: StatementMarker): string {
	const where = marker.fn !== undefined && marker.file === undefined ? `${marker.fn}()`
		: `${marker.file ?? '*'}${marker.line !== undefined ? `:${marker.line}` : ''}${marker.fn !== undefined ? ` ${marker.fn}()` : ''}`;
	return marker.hit !== undefined && marker.hit !== 1 ? `${where}#${marker.hit}` : where;
}

/**
 * Reads a marker written as a string: `file:line`, `file:line#hit`, `fn()`, `fn()#hit`. Returns
 * an error message for anything else.
 */
export function parseMarker(text: string): StatementMarker | string {
	const match = /^\s*(?:([A-Za-z_$][\w$]*)\(\)|(.+?):(\d+))\s*(?:#(\d+))?\s*$/.exec(text);
	if (match === null) {
		return `expected "file:line", "file:line#hit" or "function()", got "${text}"`;
	}
	const hit = match[4] !== undefined ? Number(match[4]) : undefined;
	if (hit !== undefined && hit < 1) {
		return 'the hit count must be at least 1';
	}
	const marker: { file?: string; line?: number; fn?: string; hit?: number } = {};
	if (match[1] !== undefined) {
		marker.fn = match[1];
	} else {
		marker.file = match[2];
		marker.line = Number(match[3]);
		if (marker.line < 1) {
			return 'line numbers start at 1';
		}
	}
	if (hit !== undefined) {
		marker.hit = hit;
	}
	return marker;
}

// ---- Slices ----------------------------------------------------------------------------------------

/**
 * Runs one decision's bookkeeping for the scheduler, so that every scheduler applies the same
 * statement-granular rules: the quantum is checked before each statement, then the marker (except
 * on the first statement of a slice when the decision says so).
 */
export class Slice {
	statements = 0;
	markerHits = 0;

	constructor(readonly decision: SchedDecision, readonly cpu: number) {}

	/** True when `beforeStatement` needs the statement's location. */
	get needsLocation(): boolean {
		return this.decision.stopAt !== undefined;
	}

	/**
	 * Call at a statement boundary as the last check before the statement runs. Returns why the
	 * slice ends before this statement, or null to run it.
	 */
	beforeStatement(location?: StatementLocation): 'quantum' | 'marker' | null {
		if (this.statements >= this.decision.quantum) {
			return 'quantum';
		}
		const marker = this.decision.stopAt;
		if (marker !== undefined && location !== undefined && (this.statements > 0 || this.decision.checkFirst === true) && matchesMarker(marker, location)) {
			this.markerHits++;
			if (this.markerHits >= (this.decision.stopAtHits ?? 1)) {
				return 'marker';
			}
		}
		return null;
	}

	/** A statement of the slice completed. */
	afterStatement(): void {
		this.statements++;
	}

	/** The slice's result, to pass to `SchedulingPolicy.account`. */
	finish(end: SliceEnd): SliceResult {
		return { task: this.decision.task, cpu: this.cpu, statements: this.statements, markerHits: this.markerHits, end };
	}
}

// ---- Round robin -----------------------------------------------------------------------------------

/** Round robin: each pick takes the next runnable task after the last one picked, in first-seen order. */
export class RoundRobinPolicy implements SchedulingPolicy {
	readonly kind = 'round-robin';
	private readonly quantum: number;
	private readonly order: TaskId[];
	private last: TaskId | null;

	constructor(state: { readonly quantum: number; readonly order?: readonly TaskId[]; readonly last?: TaskId | null }) {
		this.quantum = state.quantum;
		this.order = [...(state.order ?? [])];
		this.last = state.last ?? null;
	}

	pick(runnable: readonly TaskId[], _current: TaskId | null, _cpu: number, _now: number): SchedDecision | null {
		if (runnable.length === 0) {
			return null;
		}
		for (const task of runnable) {
			if (!this.order.includes(task)) {
				this.order.push(task);
			}
		}
		const ready = new Set(runnable);
		const start = this.last === null ? 0 : this.order.indexOf(this.last) + 1;
		for (let i = 0; i < this.order.length; i++) {
			const task = this.order[(start + i) % this.order.length];
			if (ready.has(task)) {
				this.last = task;
				return { task, quantum: this.quantum };
			}
		}
		return null;
	}

	account(slice: SliceResult): void {
		if (slice.end !== 'exited') {
			return;
		}
		const index = this.order.indexOf(slice.task);
		if (index < 0) {
			return;
		}
		if (this.last === slice.task) {
			// Keep the rotation where it was: the next pick starts after the exited task's predecessor.
			this.last = this.order.length === 1 ? null : this.order[(index - 1 + this.order.length) % this.order.length];
		}
		this.order.splice(index, 1);
	}

	snapshot(): PolicyState {
		return { kind: 'round-robin', quantum: this.quantum, order: [...this.order], last: this.last };
	}

	describe(): string {
		return `round robin, ${this.quantum} statements per slice`;
	}
}

// ---- Random ----------------------------------------------------------------------------------------

/** Seeded random: a uniform runnable task, for a uniform number of statements in [min, max]. */
export class RandomPolicy implements SchedulingPolicy {
	readonly kind = 'random';
	private readonly minQuantum: number;
	private readonly maxQuantum: number;
	private readonly rng: Random;

	constructor(state: { readonly minQuantum: number; readonly maxQuantum: number; readonly rng: Random }) {
		this.minQuantum = state.minQuantum;
		this.maxQuantum = state.maxQuantum;
		this.rng = state.rng;
	}

	pick(runnable: readonly TaskId[], _current: TaskId | null, _cpu: number, _now: number): SchedDecision | null {
		if (runnable.length === 0) {
			return null;
		}
		const task = runnable[this.rng.nextInt(runnable.length)];
		return { task, quantum: this.rng.nextRange(this.minQuantum, this.maxQuantum) };
	}

	account(_slice: SliceResult): void {
		// Random choices depend on nothing that happened.
	}

	snapshot(): PolicyState {
		return { kind: 'random', minQuantum: this.minQuantum, maxQuantum: this.maxQuantum, rng: this.rng.state() };
	}

	describe(): string {
		return `seeded random, ${this.minQuantum}..${this.maxQuantum} statements per slice`;
	}
}

// ---- Explicit ----------------------------------------------------------------------------------------

/** Follows the steps of a schedule one at a time, then hands over to its fallback policy. */
export class ExplicitPolicy implements SchedulingPolicy {
	readonly kind = 'explicit';
	private readonly steps: readonly ScheduleStep[];
	private index: number;
	/** Statements completed and marker hits counted in the current step so far. */
	private stepStatements: number;
	private stepHits: number;
	/** The CPU running the current step's slice, or null between slices. */
	private activeCpu: number | null;
	private readonly skipped: number[];
	private readonly fallback: SchedulingPolicy;

	constructor(state: {
		readonly steps: readonly ScheduleStep[]; readonly fallback: SchedulingPolicy;
		readonly index?: number; readonly stepStatements?: number; readonly stepHits?: number;
		readonly activeCpu?: number | null; readonly skipped?: readonly number[];
	}) {
		this.steps = JSON.parse(JSON.stringify(state.steps)) as ScheduleStep[];
		this.fallback = state.fallback;
		this.index = state.index ?? 0;
		this.stepStatements = state.stepStatements ?? 0;
		this.stepHits = state.stepHits ?? 0;
		this.activeCpu = state.activeCpu ?? null;
		this.skipped = [...(state.skipped ?? [])];
	}

	/** The index of the current step (steps.length once they are all done). */
	get stepIndex(): number {
		return this.index;
	}

	/** Steps passed over because their task was not runnable. */
	get skippedSteps(): readonly number[] {
		return this.skipped;
	}

	pick(runnable: readonly TaskId[], current: TaskId | null, cpu: number, now: number): SchedDecision | null {
		while (this.index < this.steps.length) {
			const step = this.steps[this.index];
			if ((this.activeCpu !== null && this.activeCpu !== cpu) || (step.cpu !== undefined && step.cpu !== cpu)) {
				// The step runs (or must run) on another CPU; this one stays idle meanwhile.
				return null;
			}
			if (!runnable.includes(step.task)) {
				this.skipped.push(this.index);
				this.advance();
				continue;
			}
			this.activeCpu = cpu;
			const until = step.until;
			const quantum = until?.count !== undefined ? Math.max(0, until.count - this.stepStatements) : Number.POSITIVE_INFINITY;
			if (until?.stmt === undefined) {
				return { task: step.task, quantum };
			}
			return {
				task: step.task,
				quantum,
				stopAt: until.stmt,
				stopAtHits: (until.stmt.hit ?? 1) - this.stepHits,
				checkFirst: this.stepStatements > 0,
			};
		}
		return this.fallback.pick(runnable, current, cpu, now);
	}

	account(slice: SliceResult): void {
		if (this.index >= this.steps.length || this.activeCpu === null) {
			this.fallback.account(slice);
			return;
		}
		const step = this.steps[this.index];
		if (slice.task !== step.task || slice.cpu !== this.activeCpu) {
			this.fallback.account(slice);
			return;
		}
		this.activeCpu = null;
		this.stepStatements += slice.statements;
		this.stepHits += slice.markerHits;
		const until = step.until;
		let done: boolean;
		switch (slice.end) {
			case 'blocked':
			case 'exited':
			case 'marker':
				done = true;
				break;
			case 'quantum':
				done = until?.count !== undefined && this.stepStatements >= until.count;
				break;
			case 'yielded':
				done = until === undefined;
				break;
			case 'interrupted':
				done = false;
				break;
		}
		if (slice.end === 'exited') {
			this.fallback.account(slice);
		}
		if (done) {
			this.advance();
		}
	}

	private advance(): void {
		this.index++;
		this.stepStatements = 0;
		this.stepHits = 0;
		this.activeCpu = null;
	}

	snapshot(): PolicyState {
		return {
			kind: 'explicit',
			steps: JSON.parse(JSON.stringify(this.steps)) as ScheduleStep[],
			index: this.index,
			stepStatements: this.stepStatements,
			stepHits: this.stepHits,
			activeCpu: this.activeCpu,
			skipped: [...this.skipped],
			fallback: this.fallback.snapshot(),
		};
	}

	describe(): string {
		if (this.index >= this.steps.length) {
			return `explicit schedule done; then ${this.fallback.describe()}`;
		}
		const step = this.steps[this.index];
		const parts: string[] = [];
		if (step.until?.stmt !== undefined) {
			parts.push(`until ${formatMarker(step.until.stmt)}`);
		}
		if (step.until?.count !== undefined) {
			parts.push(`for ${step.until.count} statements`);
		}
		if (parts.length === 0) {
			parts.push('until it blocks, yields or exits');
		}
		return `step ${this.index + 1}/${this.steps.length}: ${step.task} ${parts.join(' or ')} (${this.stepStatements} statements so far)`;
	}
}

// ---- Construction, restore, parsing -------------------------------------------------------------------

/**
 * A policy for a configuration. `seed` (from `--seed`) wins over the configuration's own seed;
 * the random policy of an explicit schedule's fallback uses it too.
 */
export function createPolicy(config: PolicyConfig, seed?: number): SchedulingPolicy {
	switch (config.kind) {
		case 'round-robin':
			return new RoundRobinPolicy({ quantum: config.quantum ?? defaultQuantum });
		case 'random': {
			const minQuantum = config.minQuantum ?? 1;
			return new RandomPolicy({
				minQuantum,
				maxQuantum: config.maxQuantum ?? Math.max(minQuantum, defaultQuantum),
				rng: Random.fromSeed(seed ?? config.seed ?? 0),
			});
		}
		case 'explicit':
			return new ExplicitPolicy({ steps: config.steps, fallback: createPolicy(config.then ?? { kind: 'round-robin' }, seed) });
	}
}

/** A policy that continues exactly from a snapshot. */
export function restorePolicy(state: PolicyState): SchedulingPolicy {
	switch (state.kind) {
		case 'round-robin':
			return new RoundRobinPolicy(state);
		case 'random':
			return new RandomPolicy({ minQuantum: state.minQuantum, maxQuantum: state.maxQuantum, rng: Random.fromState(state.rng) });
		case 'explicit':
			return new ExplicitPolicy({ ...state, fallback: restorePolicy(state.fallback) });
	}
}

/** A problem in a schedule configuration, with the JSON path of the offending value. */
export interface ScheduleError {
	readonly path: string;
	readonly message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, path: string, errors: ScheduleError[], minimum = 1): number | undefined {
	if (value === undefined) {
		return undefined;
	}
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
		errors.push({ path, message: `expected an integer >= ${minimum}` });
		return undefined;
	}
	return value;
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, errors: ScheduleError[]): void {
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) {
			errors.push({ path: `${path}.${key}`, message: `unknown property (expected one of ${allowed.join(', ')})` });
		}
	}
}

function parseMarkerValue(value: unknown, path: string, errors: ScheduleError[]): StatementMarker | undefined {
	if (typeof value === 'string') {
		const marker = parseMarker(value);
		if (typeof marker === 'string') {
			errors.push({ path, message: marker });
			return undefined;
		}
		return marker;
	}
	if (!isObject(value)) {
		errors.push({ path, message: 'expected "file:line", "function()" or { file, line, fn, hit }' });
		return undefined;
	}
	unknownKeys(value, ['file', 'line', 'fn', 'hit'], path, errors);
	const marker: { file?: string; line?: number; fn?: string; hit?: number } = {};
	if (value.file !== undefined) {
		if (typeof value.file !== 'string' || value.file === '') {
			errors.push({ path: `${path}.file`, message: 'expected a file name' });
		} else {
			marker.file = value.file;
		}
	}
	if (value.fn !== undefined) {
		if (typeof value.fn !== 'string' || value.fn === '') {
			errors.push({ path: `${path}.fn`, message: 'expected a function name' });
		} else {
			marker.fn = value.fn;
		}
	}
	marker.line = positiveInteger(value.line, `${path}.line`, errors);
	marker.hit = positiveInteger(value.hit, `${path}.hit`, errors);
	if (marker.line !== undefined && marker.file === undefined) {
		errors.push({ path, message: 'a line needs a file' });
	}
	if (marker.file === undefined && marker.fn === undefined) {
		errors.push({ path, message: 'a marker needs a file and line, or a function' });
	}
	for (const key of ['file', 'line', 'fn', 'hit'] as const) {
		if (marker[key] === undefined) {
			delete marker[key];
		}
	}
	return marker;
}

function parseStep(value: unknown, path: string, errors: ScheduleError[]): ScheduleStep | undefined {
	if (typeof value === 'string' && value !== '') {
		return { task: value };
	}
	if (!isObject(value)) {
		errors.push({ path, message: 'expected a task id or { task, until, cpu }' });
		return undefined;
	}
	unknownKeys(value, ['task', 'until', 'cpu'], path, errors);
	if (typeof value.task !== 'string' || value.task === '') {
		errors.push({ path: `${path}.task`, message: 'expected a task id' });
		return undefined;
	}
	const step: { task: TaskId; until?: StepUntil; cpu?: number } = { task: value.task };
	const cpu = positiveInteger(value.cpu, `${path}.cpu`, errors, 0);
	if (cpu !== undefined) {
		step.cpu = cpu;
	}
	if (value.until !== undefined) {
		if (!isObject(value.until)) {
			errors.push({ path: `${path}.until`, message: 'expected { stmt, count }' });
		} else {
			unknownKeys(value.until, ['stmt', 'count'], `${path}.until`, errors);
			const until: { stmt?: StatementMarker; count?: number } = {};
			if (value.until.stmt !== undefined) {
				const stmt = parseMarkerValue(value.until.stmt, `${path}.until.stmt`, errors);
				if (stmt !== undefined) {
					until.stmt = stmt;
				}
			}
			const count = positiveInteger(value.until.count, `${path}.until.count`, errors);
			if (count !== undefined) {
				until.count = count;
			}
			if (value.until.stmt === undefined && value.until.count === undefined) {
				errors.push({ path: `${path}.until`, message: 'give stmt, count or both (or leave out until)' });
			}
			step.until = until;
		}
	}
	return step;
}

function parseSimple(value: unknown, path: string, errors: ScheduleError[]): RoundRobinConfig | RandomConfig | undefined {
	if (value === 'round-robin' || value === 'random') {
		return { kind: value };
	}
	if (!isObject(value) || (value.kind !== 'round-robin' && value.kind !== 'random')) {
		errors.push({ path, message: 'expected "round-robin", "random" or an object with that kind' });
		return undefined;
	}
	if (value.kind === 'round-robin') {
		unknownKeys(value, ['kind', 'quantum'], path, errors);
		const quantum = positiveInteger(value.quantum, `${path}.quantum`, errors);
		return quantum === undefined ? { kind: 'round-robin' } : { kind: 'round-robin', quantum };
	}
	unknownKeys(value, ['kind', 'seed', 'minQuantum', 'maxQuantum'], path, errors);
	const config: { kind: 'random'; seed?: number; minQuantum?: number; maxQuantum?: number } = { kind: 'random' };
	if (value.seed !== undefined) {
		if (typeof value.seed !== 'number' || !Number.isSafeInteger(value.seed)) {
			errors.push({ path: `${path}.seed`, message: 'expected an integer' });
		} else {
			config.seed = value.seed;
		}
	}
	const minQuantum = positiveInteger(value.minQuantum, `${path}.minQuantum`, errors);
	const maxQuantum = positiveInteger(value.maxQuantum, `${path}.maxQuantum`, errors);
	if (minQuantum !== undefined) {
		config.minQuantum = minQuantum;
	}
	if (maxQuantum !== undefined) {
		config.maxQuantum = maxQuantum;
	}
	if ((minQuantum ?? 1) > (maxQuantum ?? Math.max(minQuantum ?? 1, defaultQuantum))) {
		errors.push({ path: `${path}.maxQuantum`, message: 'must not be below minQuantum' });
	}
	return config;
}

/**
 * Reads a scenario's `schedule` value (already parsed from JSON). Never throws: problems come
 * back as errors with JSON paths under `path`, and `config` is set only when there are none.
 * Accepted: `"round-robin"`, `"random"`, `{ kind: 'round-robin', quantum }`,
 * `{ kind: 'random', seed, minQuantum, maxQuantum }`, `{ kind: 'explicit', steps, then }`, or a
 * bare array of steps (explicit). A step is a task id or `{ task, until: { stmt, count }, cpu }`;
 * `stmt` is `"file:line"`, `"file:line#hit"`, `"function()"` or `{ file, line, fn, hit }`.
 */
export function parsePolicyConfig(value: unknown, path = 'schedule'): { readonly config?: PolicyConfig; readonly errors: readonly ScheduleError[] } {
	const errors: ScheduleError[] = [];
	let config: PolicyConfig | undefined;
	const explicit = Array.isArray(value) ? { kind: 'explicit', steps: value } : value;
	if (isObject(explicit) && explicit.kind === 'explicit') {
		const base = Array.isArray(value) ? path : `${path}.steps`;
		if (!Array.isArray(value)) {
			unknownKeys(explicit, ['kind', 'steps', 'then'], path, errors);
		}
		if (!Array.isArray(explicit.steps)) {
			errors.push({ path: base, message: 'expected an array of steps' });
		} else {
			const steps: ScheduleStep[] = [];
			explicit.steps.forEach((step, index) => {
				const parsed = parseStep(step, `${base}[${index}]`, errors);
				if (parsed !== undefined) {
					steps.push(parsed);
				}
			});
			const then = explicit.then === undefined ? undefined : parseSimple(explicit.then, `${path}.then`, errors);
			config = then === undefined ? { kind: 'explicit', steps } : { kind: 'explicit', steps, then };
		}
	} else {
		config = parseSimple(value, path, errors);
	}
	return errors.length === 0 && config !== undefined ? { config, errors } : { errors };
}

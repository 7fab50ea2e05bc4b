// The JSON Schema of scenario files (layer: sim, pure): the single description of what a scenario
// may contain. `validateJson` (validate.ts) checks scenarios against it; `writeSchema.ts` writes it
// to `kc/schema/scenario.schema.json` for VS Code (draft-07 with VS Code's annotations:
// `markdownDescription`, `enumDescriptions`, `defaultSnippets`, `patternErrorMessage`); and a unit
// test checks that the file on disk is exactly this object. Enumerations that other modules own
// (profile names) are read from those modules, so they cannot drift.
//
// What JSON Schema cannot say (sizes in "64M" strings being page multiples, names being unique,
// references between parts of the file, regions fitting in the PCI hole) is checked by parse.ts
// after the schema, on values the schema has already shaped.

import type { RegionKind } from '../../kernel/hw/physMem';
import { defaultProfile, profiles } from '../profiles';
import type { JsonSchema } from './validate';

/** The schema's `$id` (a name, not an address: scenario files point at the schema file with `$schema`). */
export const scenarioSchemaId = 'urn:faultline:scenario-schema';

/** Defaults the schema documents and parse.ts fills in (a test checks that they agree). */
export const scenarioDefaults = {
	ram: '64M',
	cpus: 2,
	speLocalStore: '256K',
	speProblemState: '128K',
	gpuName: 'gpu0',
	profile: defaultProfile.name,
	quantum: 20,
	minQuantum: 1,
	maxQuantum: 20,
	maxSteps: 50_000_000,
	coherentDma: true,
	holds: true,
} as const;

/** Turns the Markdown of a description into plain text for editors that do not render Markdown. */
function plain(markdown: string): string {
	return markdown
		.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
		.replace(/\*\*([^*]+)\*\*/g, '$1')
		.replace(/`([^`]+)`/g, '$1');
}

/** `description` and `markdownDescription` from one Markdown text. */
function doc(markdown: string): { description: string; markdownDescription: string } {
	return { description: plain(markdown), markdownDescription: markdown };
}

/** A documented property schema. */
function prop(markdown: string, schema: JsonSchema): JsonSchema {
	return { ...doc(markdown), ...schema };
}

/** A documented reference to a definition. */
function ref(name: string, markdown: string): JsonSchema {
	return { $ref: `#/definitions/${name}`, ...doc(markdown) };
}

/** A closed object: unknown properties are errors, so typos are caught. */
function object(markdown: string, properties: Record<string, JsonSchema>, required: readonly string[] = [], extra: JsonSchema = {}): JsonSchema {
	return { type: 'object', ...doc(markdown), properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false, ...extra };
}

/** A string enumeration with a description for each value. */
function choice(markdown: string, entries: readonly (readonly [string, string])[], extra: JsonSchema = {}): JsonSchema {
	return {
		type: 'string',
		...doc(markdown),
		enum: entries.map(e => e[0]),
		enumDescriptions: entries.map(e => plain(e[1])),
		markdownEnumDescriptions: entries.map(e => e[1]),
		...extra,
	};
}

/** A `{ "call": name, ...arguments }` harness step. */
function harnessCall(name: string, markdown: string, args: Record<string, JsonSchema>, required: readonly string[]): JsonSchema {
	return object(markdown, { call: { const: name, ...doc(`\`${name}\`: ${markdown}`) }, ...args }, ['call', ...required]);
}

/** The drivers Faultline ships, by the name a scenario loads them with. */
export const shippedDrivers: readonly (readonly [string, string])[] = [
	['spufs', 'Cell SPU file system: `spu_create`/`spu_run`, mmap-able `mem` (local store) and `ps` (problem state) files, the SPU scheduler that saves and restores contexts. Needs `machine.spes`.'],
	['drm-ttm', 'A DRM/GEM driver over TTM: dumb buffers, PRIME export, VRAM/GTT/system placements, eviction and the TTM fault path of each era. Needs `machine.gpu`. Parameter `design: "2006"` selects the pre-mainline "lock every mmap_sem, unmap, copy, remap" design of seed 002.'],
	['dma-buf-heap', 'A dma-buf exporter (system heap) with `mmap`, `DMA_BUF_IOCTL_SYNC` and the cache maintenance of non-coherent devices; the legacy prepare/finish ioctls on old profiles.'],
	['dma-buf', 'The dma-buf core (fences, reservation objects, dma-buf files with `mmap` and `DMA_BUF_IOCTL_SYNC`; the 2012 RFC prepare/finish ioctls on 2.6 profiles). Loaded first by the exporters that need it.'],
	['dma-buf-vcam', 'A non-coherent capture/display device (`/dev/vcam0`) exporting its frame buffers as dma-bufs whose CPU-access bracketing does the cache maintenance (`dma_sync_sg_for_cpu`/`_for_device`); its DMA engine writes frames without snooping the CPU caches and completes them with a fence. The model declares its frame buffers non-coherent, so stale lines show on any machine.'],
	['devmem', '`/dev/mem`: `mmap_mem`, `valid_mmap_phys_addr_range`, the `STRICT_DEVMEM` policy, `generic_access_phys` and revocation when a driver claims a region.'],
	['nopage-mmio', 'A driver whose `->nopage` returns `pfn_to_page()` of an MMIO PFN (the 2004 question, seed 003), with `->nopfn` and `vmf_insert_pfn` variants selected by parameters.'],
	['bar-claim', 'PCI functions with one register BAR each (`machine.mmio` windows named `bar*`) and a driver that claims one with `request_mem_region` (parameter `claim`, or the harness call `request_region`), which revokes `/dev/mem` mappings of it on 6.8 with `CONFIG_IO_STRICT_DEVMEM`.'],
	['freebsd-devpager', 'A FreeBSD character device with `d_open`, `d_mmap`, `d_mmap_single` and `devfs_set_cdevpriv` per-open buffers, mapped through the device pager (seed 000). FreeBSD profiles only.'],
];

/** Builtin names the inline harness steps call. */
export const harnessCalls: readonly string[] = ['spu_context_switch', 'bo_evict', 'bo_move', 'device_write_frame', 'destroy_dev', 'request_region', 'signal', 'log'];

const signals: readonly (readonly [string, string])[] = [
	['SIGHUP', 'hangup (Linux 1)'], ['SIGINT', 'interrupt (Linux 2)'], ['SIGQUIT', 'quit (Linux 3)'],
	['SIGILL', 'illegal instruction (Linux 4)'], ['SIGTRAP', 'trace trap (Linux 5)'], ['SIGABRT', 'abort, e.g. a failed `assert` (Linux 6)'],
	['SIGBUS', 'bus error: a fault the mapping cannot serve, e.g. past the end of a device mapping or a revoked `/dev/mem` page (Linux 7, FreeBSD 10)'],
	['SIGFPE', 'arithmetic exception (Linux 8)'], ['SIGKILL', 'kill (Linux 9)'], ['SIGUSR1', 'user signal 1 (Linux 10)'],
	['SIGSEGV', 'segmentation violation: no mapping, or an access the mapping does not permit (Linux 11)'],
	['SIGUSR2', 'user signal 2 (Linux 12)'], ['SIGPIPE', 'broken pipe (Linux 13)'], ['SIGALRM', 'alarm (Linux 14)'],
	['SIGTERM', 'termination request (Linux 15)'], ['SIGCHLD', 'child stopped or exited (Linux 17)'],
	['SIGCONT', 'continue (Linux 18)'], ['SIGSTOP', 'stop (Linux 19)'],
];

const eventKinds: readonly (readonly [string, string])[] = [
	['fault', 'A page fault, in user or kernel mode, resolved or not.'],
	['pte-set', 'A page-table entry installed or changed.'],
	['pte-zap', 'A page-table entry cleared (`zap_page_range`, `unmap_mapping_range`, `munmap`, revocation).'],
	['tlb-flush', 'A TLB flush (one page, a range, or a whole address space).'],
	['migration', 'A buffer object or page moved between VRAM, GTT and system RAM.'],
	['context-switch', 'The scheduler switched a CPU to another task.'],
	['spu-switch', 'An SPU context saved from or restored to an SPE.'],
	['lock', 'A lock acquired or released.'],
	['signal', 'A signal delivered to a task.'],
	['bug', 'A kernel `BUG()`/`BUG_ON()` fired; `match` is tested against its message, e.g. `"BUG_ON(!pte_none"`.'],
	['oops', 'A kernel oops (a bad access in kernel mode).'],
	['panic', 'A kernel panic (FreeBSD: `panic()`, e.g. "dev_pager_getpage: no cdevsw").'],
	['lockdep', 'The lock-order validator reported a possible deadlock.'],
	['deadlock', 'Tasks are blocked on each other: a real deadlock.'],
	['invariant', 'A simulator invariant check failed (stale mapping, lost data, refcounts, coherency).'],
	['oom', 'The simulated kernel ran out of memory.'],
];

const regionKinds: Record<RegionKind, string> = {
	'ram': 'System RAM (has `struct page`).',
	'vram': 'GPU video memory behind the VRAM BAR.',
	'gtt-aperture': 'The AGP/GTT aperture, remapped to RAM pages by the GART.',
	'spu-ls': 'SPU local store (I/O memory, no `struct page`).',
	'spu-ps': 'SPU problem-state registers.',
	'mmio': 'Memory-mapped device registers.',
	'rom': 'Read-only memory (BIOS, option ROMs).',
	'hole': 'No device answers here.',
};

const invariants: readonly (readonly [string, string])[] = [
	['no-stale-mapping', 'No PTE maps memory its owner has moved away from: no PTE to a VRAM page after its buffer object left VRAM, none to the hardware local store after the SPU context was unbound.'],
	['no-pte-to-free-frame', 'No PTE maps a free page frame.'],
	['refcounts', '`struct page` refcounts and mapcounts agree with the page tables and the references drivers hold.'],
	['locks-released', 'Every lock is released when its task exits, and none is held when the run ends.'],
	['bo-contents-preserved', 'Buffer-object contents survive every migration and eviction byte for byte.'],
];

const profileChoice = choice(
	'A kernel profile: the era the simulated kernel and drivers are compiled for.',
	profiles.map(p => [p.name, p.description] as const),
);

const markerPattern = '^\\s*(?:[A-Za-z_$][\\w$]*\\(\\)|.+?:(?:[1-9][0-9]*|[A-Za-z_][\\w-]*))\\s*(?:#[1-9][0-9]*)?\\s*$';

const definitions: Record<string, JsonSchema> = {
	size: {
		...doc('A size in bytes: an integer (a multiple of 4096), or a string with a binary unit (`"256K"`, `"64M"`, `"1G"`) or in hexadecimal (`"0x40000"`).'),
		oneOf: [
			{ type: 'integer', minimum: 4096, maximum: 2 ** 40, multipleOf: 4096 },
			{ type: 'string', pattern: '^(?:0x[0-9a-fA-F]+|[1-9][0-9]*[KMG])$', patternErrorMessage: 'expected a size such as "64M", "256K", "1G" or "0x40000"' },
		],
	},
	address: {
		...doc('A physical address: an integer or a hexadecimal string such as `"0xd0000000"`.'),
		oneOf: [
			{ type: 'integer', minimum: 0, maximum: 0xfffffffffffff },
			{ type: 'string', pattern: '^0x[0-9a-fA-F]{1,13}$', patternErrorMessage: 'expected a hexadecimal address such as "0xd0000000"' },
		],
	},
	profile: profileChoice,
	profiles: {
		type: 'array',
		...doc('Kernel profiles. On an expectation or a driver: it applies only when the scenario runs on one of these.'),
		items: { $ref: '#/definitions/profile' },
		minItems: 1,
		uniqueItems: true,
	},
	name: {
		type: 'string',
		...doc('A name: letters, digits, `_` and `-`, starting with a letter or `_`.'),
		pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
		patternErrorMessage: 'expected a name of letters, digits, \'_\' and \'-\' starting with a letter or \'_\'',
		maxLength: 64,
	},
	task: {
		type: 'string',
		...doc('A task: a process or harness task by name; `name.N` for the N-th thread that process started (from 1); or a kernel thread by its name.'),
		pattern: '^[A-Za-z_][A-Za-z0-9_/-]*(?:\\.[1-9][0-9]*)?$',
		patternErrorMessage: 'expected a task name such as "p1", "p1.2" (the second thread p1 started) or "switcher"',
	},
	file: {
		type: 'string',
		...doc('A file path, relative to the folder of the scenario file.'),
		minLength: 1,
	},
	marker: {
		...doc('A statement marker. As a string: `"file:line"`, `"file:point"` (a `// @point: name` comment in that file marks the statement after it), or `"function()"`, each optionally with `#hit` (stop at the hit-th time, default 1). `file` matches a source path exactly or as its trailing path segments (`"drm_vm.c"` matches `kc/drivers/drm/drm_vm.c`). As an object: `{ "file", "line" | "point", "fn", "hit" }`.'),
		anyOf: [
			{
				type: 'string',
				pattern: markerPattern,
				patternErrorMessage: 'expected a marker "file:line", "file:point" or "function()", optionally followed by "#hit"',
			},
			object('A statement marker as an object.', {
				file: prop('The source file: a path, or its trailing path segments.', { type: 'string', minLength: 1 }),
				line: prop('The 1-based line of the statement.', { type: 'integer', minimum: 1 }),
				point: prop('The name of a `// @point: name` comment in `file`; the marker stands for the statement after it.', { type: 'string', pattern: '^[A-Za-z_][\\w-]*$', patternErrorMessage: 'expected a point name of letters, digits, \'_\' and \'-\'' }),
				fn: prop('A KC function: any statement in it, or with `line` the statement on that line.', { type: 'string', pattern: '^[A-Za-z_$][\\w$]*$', patternErrorMessage: 'expected a C function name' }),
				hit: prop('Stop the hit-th time a statement matches (default 1).', { type: 'integer', minimum: 1 }),
			}, [], {
				anyOf: [{ required: ['file'] }, { required: ['fn'] }],
				dependencies: { line: ['file'], point: ['file'] },
				not: { required: ['line', 'point'] },
			}),
		],
		defaultSnippets: [
			{ label: '"file:point"', body: '${1:program.kc}:${2:point}' },
			{ label: '"file:line"', body: '${1:program.kc}:${2:1}' },
			{ label: '"function()"', body: '${1:function}()' },
		],
	},
	text: {
		...doc('Expected output: the exact text (a string), or `{ "regex": "...", "flags": "m" }`, or `{ "contains": "..." }`.'),
		anyOf: [
			prop('The exact text, with every newline.', { type: 'string' }),
			object('A regular expression (JavaScript syntax) the text must match somewhere.', {
				regex: prop('The regular expression.', { type: 'string' }),
				flags: prop('Flags: `i` (ignore case), `m` (`^`/`$` at line ends), `s` (`.` matches newlines), `u`.', { type: 'string', pattern: '^[imsu]*$', patternErrorMessage: 'expected regex flags among i, m, s and u' }),
			}, ['regex']),
			object('Text the output must contain.', { contains: prop('The text.', { type: 'string' }) }, ['contains']),
		],
	},
	count: {
		...doc('How many times: an integer (exactly), or a comparison such as `">= 2"`, `"< 3"`, `"!= 0"`. `0` means it must not happen.'),
		oneOf: [
			{ type: 'integer', minimum: 0 },
			{ type: 'string', pattern: '^\\s*(?:==|!=|>=|<=|>|<)\\s*[0-9]+\\s*$', patternErrorMessage: 'expected a count such as 2, ">= 2", "< 3" or "!= 0"' },
		],
	},
	signal: choice('A signal, by name.', signals),
	eventKind: choice('A kind of kernel event (the same kinds `faultline run --trace` writes).', eventKinds),
	backing: choice('What kind of physical memory a PTE points to.', Object.entries(regionKinds)),
	duration: {
		...doc('Simulated time: an integer number of nanoseconds, or a string with a unit: `"500us"`, `"20ms"`, `"2s"`.'),
		oneOf: [
			{ type: 'integer', minimum: 1 },
			{ type: 'string', pattern: '^[1-9][0-9]*(?:ns|us|ms|s)$', patternErrorMessage: 'expected a duration such as "500us", "20ms" or "2s"' },
		],
	},
	params: {
		type: 'object',
		...doc('Module parameters: name to value. Which names a driver takes is in its documentation; unknown ones are rejected when the driver loads. A variant flag such as `"useDriverLock": false` reproduces a race without the lock.'),
		patternProperties: { '^[A-Za-z_][A-Za-z0-9_]*$': { type: ['boolean', 'integer', 'string'] } },
		additionalProperties: false,
	},
	roundRobin: object('Round robin over the runnable tasks.', {
		kind: { const: 'round-robin', ...doc('Round robin.') },
		quantum: prop('Statements per slice.', { type: 'integer', minimum: 1, default: scenarioDefaults.quantum }),
	}, ['kind']),
	random: object('A seeded random choice of task and slice length: the same seed gives the same interleaving.', {
		kind: { const: 'random', ...doc('Seeded random.') },
		seed: prop('The seed (`faultline run --seed N` overrides it).', { type: 'integer', default: 0 }),
		minQuantum: prop('Shortest slice, in statements.', { type: 'integer', minimum: 1, default: scenarioDefaults.minQuantum }),
		maxQuantum: prop('Longest slice, in statements.', { type: 'integer', minimum: 1, default: scenarioDefaults.maxQuantum }),
	}, ['kind']),
	simpleSchedule: {
		...doc('`"round-robin"`, `"random"`, or an object with that `kind` and its settings.'),
		anyOf: [
			choice('A policy with its default settings.', [['round-robin', 'Round robin, 20 statements per slice.'], ['random', 'Seeded random (seed 0 unless `--seed` is given), 1 to 20 statements per slice.']]),
			{ $ref: '#/definitions/roundRobin' },
			{ $ref: '#/definitions/random' },
		],
	},
	step: {
		...doc('One step of an explicit schedule: a task name (run it until it blocks, yields or exits), or `{ "task", "until", "cpu" }`. While a step runs, every other CPU is idle.'),
		anyOf: [
			{ $ref: '#/definitions/task' },
			object('A step.', {
				task: ref('task', 'The task to run.'),
				until: object('When the step ends (besides the task blocking or exiting). With both, whichever comes first.', {
					stmt: ref('marker', 'Stop before the task executes a statement this marker matches (not the one the step starts at).'),
					count: prop('Stop after this many statements.', { type: 'integer', minimum: 1 }),
				}, [], { minProperties: 1 }),
				cpu: prop('Run the step on this CPU (0-based; default the first CPU that asks).', { type: 'integer', minimum: 0 }),
			}, ['task']),
		],
		defaultSnippets: [{ label: 'step until a marker', body: { task: '${1:p1}', until: { stmt: '${2:program.kc}:${3:point}' } } }],
	},
	schedule: {
		...doc('Who runs when, at statement granularity. `"round-robin"`, `"random"`, `{ "kind": "round-robin", "quantum" }`, `{ "kind": "random", "seed", "minQuantum", "maxQuantum" }`, or an explicit schedule `{ "kind": "explicit", "steps": [...], "then" }` (a bare array of steps is short for it). The same format as the scheduler\'s `parsePolicyConfig`.'),
		anyOf: [
			choice('A policy with its default settings.', [['round-robin', 'Round robin, 20 statements per slice.'], ['random', 'Seeded random (seed 0 unless `--seed` is given), 1 to 20 statements per slice.']]),
			{ $ref: '#/definitions/roundRobin' },
			{ $ref: '#/definitions/random' },
			object('An explicit schedule: one forced interleaving, then another policy.', {
				kind: { const: 'explicit', ...doc('Explicit steps.') },
				steps: prop('The steps, in order. A step whose task is not runnable when its turn comes is skipped.', { type: 'array', items: { $ref: '#/definitions/step' } }),
				then: ref('simpleSchedule', 'The policy after the last step (default round robin).'),
			}, ['kind', 'steps']),
			prop('Explicit steps, then round robin.', { type: 'array', items: { $ref: '#/definitions/step' } }),
		],
		defaultSnippets: [
			{ label: 'explicit schedule', body: { kind: 'explicit', steps: [{ task: '${1:p1}', until: { stmt: '${2:program.kc}:${3:point}' } }, '${4:switcher}'], then: 'round-robin' } },
			{ label: 'seeded random', body: { kind: 'random', seed: 1 } },
		],
	},
	trigger: {
		...doc('When a harness task runs: a marker string (when any task reaches that statement), `{ "stmt", "task" }`, `{ "step": N }` (after N statements in all), or `{ "event", ... }` (when a kernel event happens). The task that caused the trigger stops before its next statement, and the harness task runs before anything else.'),
		anyOf: [
			{ $ref: '#/definitions/marker' },
			object('When a task reaches a statement.', {
				stmt: ref('marker', 'The statement.'),
				task: ref('task', 'Only when this task reaches it (default: any task).'),
			}, ['stmt']),
			object('After a number of statements.', {
				step: prop('The number of statements executed, on all CPUs together.', { type: 'integer', minimum: 0 }),
			}, ['step']),
			object('When a kernel event happens, e.g. the first fault on an address range.', {
				event: ref('eventKind', 'The kind of event.'),
				process: ref('name', 'Only events of this process.'),
				mapping: prop('Only events on a mapping of this file (the path the process opened, e.g. `"/spu/ctxA/mem"`).', { type: 'string', minLength: 1 }),
				range: object('Only events on virtual addresses in [start, end).', {
					start: ref('address', 'First address.'),
					end: ref('address', 'First address past the range.'),
				}, ['start', 'end']),
				nth: prop('Fire on the n-th matching event (default 1).', { type: 'integer', minimum: 1 }),
			}, ['event']),
		],
	},
	harnessCall: {
		...doc('A call of a simulator-control builtin: `{ "call": name, ...arguments }`. Each is the builtin `sim_<call>()` that harness KC programs call, with the arguments in the order listed.'),
		anyOf: [
			harnessCall('spu_context_switch', 'Force an SPU context switch: unbind the context running on an SPE (zap its mappings, `spu_save`) and bind another (`spu_restore`).', {
				spe: prop('The SPE (0-based).', { type: 'integer', minimum: 0 }),
				to: prop('The context to bind, by its spufs path (e.g. `"/spu/ctxB"`); default the next waiting context.', { type: 'string', minLength: 1 }),
			}, ['spe']),
			harnessCall('bo_evict', 'Evict a buffer object from VRAM (as memory pressure would).', {
				bo: prop('The buffer object: the n-th created since boot, from 1 (the number the Devices view shows).', { type: 'integer', minimum: 1 }),
			}, ['bo']),
			harnessCall('bo_move', 'Move a buffer object to a placement.', {
				bo: prop('The buffer object: the n-th created since boot, from 1.', { type: 'integer', minimum: 1 }),
				to: choice('The placement.', [['vram', 'Video memory.'], ['tt', 'GTT/AGP aperture pages.'], ['system', 'System RAM.']]),
			}, ['bo', 'to']),
			harnessCall('device_write_frame', 'The device writes a new frame into a buffer (DMA, with a write fence), bypassing the CPU caches.', {
				buffer: prop('The dma-buf: the n-th exported since boot, from 1.', { type: 'integer', minimum: 1 }),
				value: prop('The byte the frame is filled with.', { type: 'integer', minimum: 0, maximum: 255 }),
			}, ['buffer', 'value']),
			harnessCall('destroy_dev', 'FreeBSD: remove a character device (`destroy_dev`) while it may still be mapped.', {
				device: prop('The device name under /dev (e.g. `"fbuf0"`).', { type: 'string', minLength: 1 }),
			}, ['device']),
			harnessCall('request_region', 'A driver claims an MMIO window (`request_mem_region`); with `CONFIG_IO_STRICT_DEVMEM` this revokes `/dev/mem` mappings of it.', {
				region: ref('name', 'The MMIO window, by its name in `machine.mmio`.'),
			}, ['region']),
			harnessCall('signal', 'Send a signal to a task.', {
				task: ref('task', 'The task.'),
				signal: ref('signal', 'The signal.'),
			}, ['task', 'signal']),
			harnessCall('log', 'Write a line to the kernel log.', {
				text: prop('The text.', { type: 'string' }),
			}, ['text']),
		],
		defaultSnippets: [{ label: 'force an SPU context switch', body: { call: 'spu_context_switch', spe: 0, to: '/spu/${1:ctxB}' } }],
	},
	driver: {
		...doc('A driver to load: a shipped one by name (a string, or `{ "name", "params" }`), or your own KC sources `{ "source", "name", "params" }`.'),
		anyOf: [
			choice('A shipped driver.', shippedDrivers),
			object('A shipped driver with module parameters.', {
				name: choice('A shipped driver.', shippedDrivers),
				params: ref('params', 'Module parameters.'),
				profiles: ref('profiles', 'Load the driver only on these profiles.'),
				description: prop('What this driver variant is for.', { type: 'string' }),
			}, ['name']),
			object('Your own driver, from KC sources.', {
				source: prop('The KC source file(s), relative to the scenario file.', {
					anyOf: [{ $ref: '#/definitions/file' }, { type: 'array', items: { $ref: '#/definitions/file' }, minItems: 1 }],
				}),
				name: ref('name', 'The module name (default: the first source file\'s name without its extension).'),
				params: ref('params', 'Module parameters, visible to the driver as `module_param` variables.'),
				profiles: ref('profiles', 'Load the driver only on these profiles.'),
				description: prop('What this driver is for.', { type: 'string' }),
			}, ['source']),
		],
		defaultSnippets: [
			{ label: 'shipped driver with parameters', body: { name: '${1|spufs,drm-ttm,dma-buf-heap,dma-buf,dma-buf-vcam,devmem,bar-claim,nopage-mmio,freebsd-devpager|}', params: {} } },
			{ label: 'own driver', body: { source: '${1:driver.kc}' } },
		],
	},
	process: object('A user process: a KC program run at boot. Threads it starts are tasks `name.1`, `name.2`, ... in creation order.', {
		name: ref('name', 'The task name the schedule and the expectations use.'),
		program: ref('file', 'The KC program, relative to the scenario file.'),
		comm: prop('The command name (`comm`, at most 15 characters; default the name, cut to 15).', { type: 'string', minLength: 1, maxLength: 15 }),
		argv: prop('The argument vector, `argv[0]` included (default `[name]`).', { type: 'array', items: { type: 'string' } }),
		env: prop('Environment entries `NAME=value` (default none).', { type: 'array', items: { type: 'string', pattern: '^[^=]+=', patternErrorMessage: 'expected NAME=value' } }),
		stdin: prop('Bytes on standard input (default none).', { type: 'string' }),
		pid: prop('The process id (default: assigned in order).', { type: 'integer', minimum: 2, maximum: 32767 }),
		description: prop('What this process does in the scenario.', { type: 'string' }),
	}, ['name', 'program'], {
		defaultSnippets: [{ label: 'process', body: { name: '${1:p1}', program: '${2:program.kc}' } }],
	}),
	harness: object('A harness task: a KC program, or an inline list of builtin calls, run at a chosen point to force the interleaving a scenario needs.', {
		name: ref('name', 'The task name.'),
		description: prop('What this harness task forces.', { type: 'string' }),
		at: ref('trigger', 'When it runs (default: at boot, scheduled like any task).'),
		program: ref('file', 'A KC program calling `sim_*` builtins, relative to the scenario file.'),
		argv: prop('Its argument vector, `argv[0]` included (only with `program`).', { type: 'array', items: { type: 'string' } }),
		run: prop('Inline builtin calls, in order.', { type: 'array', items: { $ref: '#/definitions/harnessCall' }, minItems: 1 }),
	}, ['name'], {
		oneOf: [{ required: ['program'] }, { required: ['run'] }],
		dependencies: { argv: ['program'] },
		defaultSnippets: [{ label: 'harness task', body: { name: '${1:switcher}', at: '${2:program.kc}:${3:point}', run: [{ call: 'spu_context_switch', spe: 0, to: '/spu/${4:ctxB}' }] } }],
	}),
	outcomeExpectation: object('How a process ends and what it prints.', {
		process: ref('name', 'The process.'),
		exit: prop('Its exit status (it must exit normally).', { type: 'integer', minimum: 0, maximum: 255 }),
		signal: ref('signal', 'The signal that kills it.'),
		stdout: ref('text', 'Everything it writes to standard output.'),
		stderr: ref('text', 'Everything it writes to standard error.'),
		profiles: ref('profiles', 'Applies only on these profiles.'),
		description: prop('Why this outcome is expected.', { type: 'string' }),
	}, ['process'], {
		anyOf: [{ required: ['exit'] }, { required: ['signal'] }, { required: ['stdout'] }, { required: ['stderr'] }],
		not: { required: ['exit', 'signal'], errorMessage: '\'exit\' and \'signal\' must not be given together: a process either exits or is killed' },
	}),
	eventExpectation: object('A kernel event that must happen (a number of times), or with `"count": 0` must not.', {
		event: ref('eventKind', 'The kind of event.'),
		process: ref('name', 'Only events of this process (or its threads).'),
		match: prop('Only events whose text contains this, e.g. `"BUG_ON(!pte_none"`.', { type: 'string', minLength: 1 }),
		regex: prop('Only events whose text matches this regular expression.', { type: 'string', minLength: 1 }),
		signal: ref('signal', 'For `signal` events: only this signal.'),
		backing: ref('backing', 'For `pte-set`, `pte-zap` and `fault` events: only those on this kind of memory.'),
		mapping: prop('Only events on a mapping of this file (e.g. `"/spu/ctxA/mem"`).', { type: 'string', minLength: 1 }),
		count: ref('count', 'How many times (default `">= 1"`).'),
		profiles: ref('profiles', 'Applies only on these profiles.'),
		description: prop('Why this event is expected.', { type: 'string' }),
	}, ['event']),
	invariantExpectation: object('A simulator invariant checked during the whole run.', {
		invariant: choice('The invariant.', invariants),
		holds: prop('Whether it must hold (default true). `false` states that the run must report a violation, for a scenario that demonstrates the bug.', { type: 'boolean', default: scenarioDefaults.holds }),
		profiles: ref('profiles', 'Applies only on these profiles.'),
		description: prop('Why.', { type: 'string' }),
	}, ['invariant']),
	expectation: {
		...doc('One expectation: a process outcome `{ "process", "exit" | "signal", "stdout", "stderr" }`, a kernel event `{ "event", ... }`, or an invariant `{ "invariant" }`; each optionally for some `profiles` only.'),
		anyOf: [
			{ $ref: '#/definitions/outcomeExpectation' },
			{ $ref: '#/definitions/eventExpectation' },
			{ $ref: '#/definitions/invariantExpectation' },
		],
		defaultSnippets: [
			{ label: 'process exits', body: { process: '${1:p1}', exit: 0 } },
			{ label: 'process output', body: { process: '${1:p1}', stdout: '${2}' } },
			{ label: 'kernel BUG', body: { event: 'bug', match: '${1:BUG_ON}' } },
			{ label: 'no deadlock', body: { event: 'deadlock', count: 0 } },
			{ label: 'invariant', body: { invariant: '${1|no-stale-mapping,no-pte-to-free-frame,refcounts,locks-released,bo-contents-preserved|}' } },
		],
	},
};

const machine = object('The simulated machine. RAM starts at 0 (up to 3 GiB, the rest above 4 GiB); device memory goes into the PCI hole between 3 and 4 GiB unless given a `base`.', {
	ram: ref('size', `Bytes of system RAM (default \`"${scenarioDefaults.ram}"\`).`),
	cpus: prop('Number of CPUs.', { type: 'integer', minimum: 1, maximum: 64, default: scenarioDefaults.cpus }),
	gpu: object('A GPU with a VRAM BAR, an AGP/GTT aperture and a copy engine with fences (for `drm-ttm`).', {
		name: ref('name', `The device name (default \`"${scenarioDefaults.gpuName}"\`).`),
		vram: ref('size', 'Size of VRAM (and of its BAR).'),
		vramBase: ref('address', 'Physical address of the VRAM BAR (default: placed in the PCI hole).'),
		gtt: ref('size', 'Size of the AGP/GTT aperture (default: no aperture).'),
		gttBase: ref('address', 'Physical address of the aperture (default: placed in the PCI hole).'),
	}, ['vram'], { defaultSnippets: [{ body: { vram: '${1:16M}', gtt: '${2:32M}' } }] }),
	spes: object('Cell SPEs (for `spufs`): each has a local store and a problem-state register window.', {
		count: prop('Number of SPEs.', { type: 'integer', minimum: 1, maximum: 16 }),
		localStore: ref('size', `Local store per SPE (default \`"${scenarioDefaults.speLocalStore}"\`).`),
		problemState: ref('size', `Problem-state window per SPE (default \`"${scenarioDefaults.speProblemState}"\`).`),
		base: ref('address', 'Physical address of SPE 0\'s local store; the others follow (default: placed in the PCI hole).'),
	}, ['count'], { defaultSnippets: [{ body: { count: '${1:1}' } }] }),
	mmio: prop('MMIO windows (device registers, PCI BARs a driver or `/dev/mem` maps).', {
		type: 'array',
		items: object('An MMIO window.', {
			name: ref('name', 'The window\'s name (for views, `request_region` and markers).'),
			size: ref('size', 'Its size.'),
			base: ref('address', 'Its physical address (default: placed in the PCI hole).'),
			description: prop('What device this is.', { type: 'string' }),
		}, ['name', 'size']),
	}),
	coherentDma: prop('Whether device DMA snoops the CPU caches. `false` makes all of RAM non-coherent, so the CPU cache model applies (the dma-buf scenario).', { type: 'boolean', default: scenarioDefaults.coherentDma }),
	nonCoherent: prop('Physical ranges that devices access without snooping the CPU caches.', {
		type: 'array',
		items: object('A non-coherent range.', { base: ref('address', 'Start.'), size: ref('size', 'Size.') }, ['base', 'size']),
	}),
});

const kernel = object('The simulated kernel.', {
	profile: { $ref: '#/definitions/profile', ...doc(`The profile to run (default \`"${scenarioDefaults.profile}"\`, or the first of \`profiles\`); \`faultline run --profile\` overrides it.`) },
	profiles: ref('profiles', 'The profiles this scenario is meant to run on; its tests run it on each. Expectations and drivers may be restricted to some of them.'),
	config: object('Kernel configuration overrides: `true` defines the option as 1, `false` undefines it, a number or string defines it to that value.', {
		CONFIG_STRICT_DEVMEM: prop('`/dev/mem` refuses RAM beyond the first MiB and unclaimed-only I/O (x86, 2.6.27+).', { type: 'boolean' }),
		CONFIG_IO_STRICT_DEVMEM: prop('`/dev/mem` also refuses ranges a driver claimed; claiming revokes existing mappings (5.8+).', { type: 'boolean' }),
		CONFIG_SMP: prop('Symmetric multiprocessing.', { type: 'boolean' }),
		CONFIG_PREEMPT: prop('Kernel preemption at every preemption point.', { type: 'boolean' }),
		CONFIG_PROVE_LOCKING: prop('Run the lock-order validator (lockdep).', { type: 'boolean' }),
		CONFIG_DEBUG_VM: prop('`VM_BUG_ON` checks in the memory manager.', { type: 'boolean' }),
		CONFIG_X86_PAT: prop('Page attribute table support (write-combining mappings).', { type: 'boolean' }),
		CONFIG_HZ: prop('Timer ticks per simulated second.', { type: 'integer', minimum: 1 }),
	}, [], {
		patternProperties: { '^CONFIG_[A-Z0-9_]+$': prop('Another `CONFIG_` option.', { type: ['boolean', 'integer', 'string'] }) },
	}),
});

const limits = object('When a run gives up. Reaching a limit fails the run.', {
	maxSteps: prop('Statements executed on all CPUs together.', { type: 'integer', minimum: 1, default: scenarioDefaults.maxSteps }),
	maxTime: ref('duration', 'Simulated time (default: no limit).'),
});

/** The scenario schema. */
export const scenarioSchema: JsonSchema = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	$id: scenarioSchemaId,
	title: 'Faultline scenario',
	...doc('A Faultline scenario: the machine, the kernel profile, the drivers, the processes and harness tasks, the schedule, and what must happen (`expect`), so that a scenario doubles as a test.'),
	type: 'object',
	properties: {
		$schema: prop('The schema of this file.', { type: 'string' }),
		name: prop('The scenario\'s name.', { type: 'string', minLength: 1 }),
		description: prop('What the scenario shows and why (cite the seed).', { type: 'string' }),
		machine,
		kernel,
		drivers: prop('Drivers to load at boot, in order.', { type: 'array', items: { $ref: '#/definitions/driver' } }),
		processes: prop('User processes started at boot.', { type: 'array', items: { $ref: '#/definitions/process' }, minItems: 1 }),
		harness: prop('Harness tasks that call simulator-control builtins at chosen points.', { type: 'array', items: { $ref: '#/definitions/harness' } }),
		schedule: ref('schedule', 'The scheduling policy (default round robin, 20 statements per slice).'),
		limits,
		expect: prop('What must happen for the scenario to pass (`faultline run` exits 1 when one fails).', { type: 'array', items: { $ref: '#/definitions/expectation' } }),
	},
	required: ['name', 'processes'],
	additionalProperties: false,
	definitions,
	defaultSnippets: [{
		label: 'New scenario',
		body: {
			$schema: '${1:./scenario.schema.json}',
			name: '${2:my-scenario}',
			description: '${3}',
			machine: { ram: '64M', cpus: 2 },
			kernel: { profile: defaultProfile.name },
			processes: [{ name: 'p1', program: '${4:program.kc}' }],
			expect: [{ process: 'p1', exit: 0 }],
		},
	}],
};

/** The text of `kc/schema/scenario.schema.json`: the schema as tab-indented JSON with a final newline. */
export function scenarioSchemaText(): string {
	return `${JSON.stringify(scenarioSchema, null, '\t')}\n`;
}

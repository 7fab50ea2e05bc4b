// KC's Linux user-API headers against the real ones (test layer over sim): every layout program in
// test/uapi/layout prints names, constant values (with their type's size and signedness), struct
// sizes and member offsets; under Faultline (KC headers) it must print exactly what the gcc-built
// program prints with the SYSTEM headers (or, without gcc, the committed .expected output). Also
// checks that gcc given KC's headers prints the same, that each header compiles on its own, that
// every macro and type the headers define appears in some program, that KC's prototypes and
// typedefs agree with glibc's, and that <sys/spu.h> (no system counterpart) has the powerpc
// kernel's values.

import * as assert from 'node:assert/strict';
import { execFile as execFileCallback, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from '../../../src/sim/exec';
import {
	expectedFileOf,
	gccFlagsFor,
	headersWithoutSystemCounterpart,
	kcInclude,
	kcRoot,
	layoutPrograms,
	programsWithFixedExpectations,
	runWithGcc,
	systemDrmIncludes,
	uapiHeaders,
} from '../../uapi/oracle';

const run = promisify(execFileCallback);

type ExecFile = typeof execFile;

interface Outcome {
	readonly stdout: string;
	readonly stderr: string;
	readonly status: number;
}

async function runFaultline(execFile: ExecFile, file: string): Promise<Outcome> {
	const out: Uint8Array[] = [];
	const err: Uint8Array[] = [];
	const status = await execFile({ file, args: [], kcRoot, maxStatements: 2_000_000_000, stdout: b => out.push(Uint8Array.from(b)), stderr: b => err.push(Uint8Array.from(b)) });
	return { stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status };
}

function haveGcc(): boolean {
	return spawnSync('gcc', ['--version']).status === 0;
}

/**
 * <sys/spu.h>'s values as the Linux powerpc kernel defines them (arch/powerpc/include/asm/spu.h:
 * spu_create flags, SPE_EVENT_*, SPU_STATUS_*, SPU_RUNCNTL_*; the powerpc syscall table: spu_run
 * 278, spu_create 279). The last four lines exist only under Faultline (and on powerpc).
 */
const spuExpected = [
	'SPU_CREATE_EVENTS_ENABLED = 1 (4 bytes, signed)',
	'SPU_CREATE_GANG = 2 (4 bytes, signed)',
	'SPU_CREATE_NOSCHED = 4 (4 bytes, signed)',
	'SPU_CREATE_ISOLATE = 8 (4 bytes, signed)',
	'SPU_CREATE_AFFINITY_SPU = 16 (4 bytes, signed)',
	'SPU_CREATE_AFFINITY_MEM = 32 (4 bytes, signed)',
	'SPU_CREATE_FLAG_ALL = 63 (4 bytes, signed)',
	'SPE_EVENT_DMA_ALIGNMENT = 8 (4 bytes, signed)',
	'SPE_EVENT_SPE_ERROR = 16 (4 bytes, signed)',
	'SPE_EVENT_SPE_DATA_SEGMENT = 32 (4 bytes, signed)',
	'SPE_EVENT_SPE_DATA_STORAGE = 64 (4 bytes, signed)',
	'SPE_EVENT_INVALID_DMA = 2048 (4 bytes, signed)',
	'SPU_STATUS_STOPPED = 0 (4 bytes, signed)',
	'SPU_STATUS_RUNNING = 1 (4 bytes, signed)',
	'SPU_STATUS_STOPPED_BY_STOP = 2 (4 bytes, signed)',
	'SPU_STATUS_STOPPED_BY_HALT = 4 (4 bytes, signed)',
	'SPU_STATUS_WAITING_FOR_CHANNEL = 8 (4 bytes, signed)',
	'SPU_STATUS_SINGLE_STEP = 16 (4 bytes, signed)',
	'SPU_STATUS_INVALID_INSTR = 32 (4 bytes, signed)',
	'SPU_STATUS_INVALID_CH = 64 (4 bytes, signed)',
	'SPU_STATUS_ISOLATED_STATE = 128 (4 bytes, signed)',
	'SPU_STATUS_ISOLATED_LOAD_STATUS = 512 (4 bytes, signed)',
	'SPU_STATUS_ISOLATED_EXIT_STATUS = 1024 (4 bytes, signed)',
	'SPU_STOP_STATUS_SHIFT = 16 (4 bytes, signed)',
	'SPU_RUNCNTL_STOP = 0 (8 bytes, signed)',
	'SPU_RUNCNTL_RUNNABLE = 1 (8 bytes, signed)',
	'SPU_RUNCNTL_ISOLATE = 2 (8 bytes, signed)',
];
const spuSyscallLines = [
	'__NR_spu_run = 278 (4 bytes, signed)',
	'__NR_spu_create = 279 (4 bytes, signed)',
	'SYS_spu_run = 278 (4 bytes, signed)',
	'SYS_spu_create = 279 (4 bytes, signed)',
];
const lines = (list: readonly string[]) => list.map(l => l + '\n').join('');

/** Macro names that are not facts to print: include guards and type-building helpers. */
const notFacts = /(_H|_H_|_defined)$|^__have_|^(_STRUCT_TIMESPEC|__bitwise|__bitwise__)$/;

/** Names of the macros a header defines. */
function macroNames(header: string): string[] {
	const text = fs.readFileSync(path.join(kcInclude, header), 'latin1');
	return [...text.matchAll(/^\s*#\s*define\s+([A-Za-z_]\w*)/gm)].map(m => m[1]).filter(n => !notFacts.test(n));
}

/** Struct, union and enum tags and typedef names a header declares. */
function declaredNames(header: string): string[] {
	const text = fs.readFileSync(path.join(kcInclude, header), 'latin1');
	const tags = [...text.matchAll(/^(?:typedef\s+)?(?:struct|union|enum)\s+(\w+)\s*\{/gm)].map(m => m[1]);
	const typedefs = [...text.matchAll(/^typedef [^;{}\n(]*?(\w+);/gm)].map(m => m[1]);
	const closing = [...text.matchAll(/^\}\s*(\w+);/gm)].map(m => m[1]);
	const pointers = [...text.matchAll(/^typedef [^;{}\n]*\(\*(\w+)\)/gm)].map(m => m[1]);
	return [...tags, ...typedefs, ...closing, ...pointers];
}

/** glibc-internal names that programs do not name (the layout programs reach them through members). */
const internalNames = new Set([
	'__pthread_internal_list', '__pthread_list_t', '__pthread_mutex_s', '__pthread_rwlock_arch_t',
	'__itimer_which', '__itimer_which_t', '__pid_type', '__ptrace_setoptions', '__ptrace_eventcodes',
	'__ptrace_peeksiginfo_flags', '____sigval_t', '__sigval_t',
]);

/**
 * One-line prototypes and typedefs of KC's headers, for gcc to check against the system headers:
 * a declaration that disagrees with glibc's is a "conflicting types" error.
 */
function declarationsOf(header: string): string[] {
	const text = fs.readFileSync(path.join(kcInclude, header), 'latin1');
	const declarations: string[] = [];
	for (const line of text.split('\n')) {
		if (/^typedef [^{}]*;$/.test(line)) {
			declarations.push(line);
		} else if (/^[A-Za-z_][^#=]*\)( __attribute__\(\(\w+\)\))?;$/.test(line) && !/^(typedef|static|struct \w+ \{|union|enum)/.test(line)) {
			declarations.push(line);
		}
	}
	return declarations;
}

describe('Linux user-API headers (KC vs the system headers)', function () {
	this.timeout(120000);
	const programs = layoutPrograms();
	const gcc = haveGcc();
	const drm = gcc ? systemDrmIncludes() : undefined;
	/** gcc's output per program, where gcc and the system headers it needs are present. */
	const gccOutput = new Map<string, string>();
	/** gcc's output per program built with KC's headers instead of the system's. */
	const gccWithKcHeaders = new Map<string, string>();
	let workDir = '';

	before(async () => {
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-uapi-'));
		if (!gcc) {
			return;
		}
		await Promise.all(
			programs.map(async program => {
				const flags = gccFlagsFor(program, drm);
				if (flags === undefined) {
					return;
				}
				const result = await runWithGcc(program, flags, workDir);
				assert.equal(result.status, 0, `${path.basename(program)} built by gcc exited with ${result.status}`);
				gccOutput.set(program, result.stdout.toString('latin1'));
			}),
		);
		const kcDir = path.join(workDir, 'kc-headers');
		fs.mkdirSync(kcDir);
		await Promise.all(
			programs.map(async program => {
				const result = await runWithGcc(program, ['-std=gnu11', '-O0', '-w', '-nostdinc', '-isystem', kcInclude], kcDir);
				assert.equal(result.status, 0, `${path.basename(program)} built by gcc with KC's headers exited with ${result.status}`);
				gccWithKcHeaders.set(program, result.stdout.toString('latin1'));
			}),
		);
	});

	after(() => {
		fs.rmSync(workDir, { recursive: true, force: true });
		drm?.cleanup();
	});

	it('has a layout program for each header group, each with its header comment and expected output', () => {
		assert.ok(programs.length >= 15, `only ${programs.length} programs`);
		for (const program of programs) {
			assert.match(fs.readFileSync(program, 'latin1'), /^\/\/ Checks .+\n/, `${path.basename(program)} lacks its header comment`);
			if (!programsWithFixedExpectations.has(path.basename(program))) {
				assert.ok(fs.existsSync(expectedFileOf(program)), `${path.basename(program)} has no .expected file`);
			}
		}
	});

	it('keeps the committed .expected files equal to what gcc prints with the system headers', function () {
		if (gccOutput.size === 0) {
			this.skip(); // no gcc on this machine: the committed files are the oracle
		}
		const stale = [...gccOutput]
			.filter(([program]) => !programsWithFixedExpectations.has(path.basename(program)))
			.filter(([program, output]) => fs.readFileSync(expectedFileOf(program), 'latin1') !== output)
			.map(([program]) => path.basename(program));
		assert.deepEqual(stale, [], 'the committed .expected files disagree with gcc: run `npx tsx test/uapi/update-expected.ts`');
	});

	for (const program of programs) {
		const name = path.basename(program);
		if (programsWithFixedExpectations.has(name)) {
			continue;
		}
		it(`prints under Faultline what ${name} prints when gcc builds it with the system headers`, async function () {
			const want = gccOutput.get(program) ?? fs.readFileSync(expectedFileOf(program), 'latin1');
			const got = await runFaultline(execFile, program);
			assert.equal(got.stderr, '', 'stderr');
			assert.equal(got.status, 0, 'exit status');
			assert.equal(got.stdout, want);
		});
	}

	it('gives gcc the same facts when gcc builds every layout program with KC\'s headers', function () {
		if (!gcc) {
			this.skip();
		}
		// A second check of the values that does not go through Faultline's interpreter, and proof
		// that the headers are plain C that gcc accepts. Under gcc, __FAULTLINE__ is not defined, so
		// <sys/spu.h> takes its non-powerpc branch and defines no system call numbers.
		const differing = programs
			.filter(p => {
				const name = path.basename(p);
				const want = name === 'spu.c' ? lines(spuExpected) : (gccOutput.get(p) ?? fs.readFileSync(expectedFileOf(p), 'latin1'));
				return gccWithKcHeaders.get(p) !== want;
			})
			.map(p => path.basename(p));
		assert.deepEqual(differing, []);
	});

	describe('<sys/spu.h> (no system counterpart)', () => {
		const spuProgram = programs.find(p => path.basename(p) === 'spu.c');

		it('prints the powerpc kernel values, and the powerpc system call numbers, under Faultline', async function () {
			if (spuProgram === undefined) {
				this.skip();
			}
			const got = await runFaultline(execFile, spuProgram);
			assert.equal(got.stderr, '');
			assert.equal(got.status, 0);
			assert.equal(got.stdout, lines([...spuExpected, ...spuSyscallLines]));
		});

		it('compiles with gcc on x86-64 with the same values and without the powerpc numbers', function () {
			if (spuProgram === undefined || !gccOutput.has(spuProgram)) {
				this.skip();
			}
			assert.equal(gccOutput.get(spuProgram), lines(spuExpected));
		});

		it('gives gcc-built programs on x86-64 spu_create/spu_run wrappers that fail with ENOSYS', async function () {
			if (!gcc) {
				this.skip();
			}
			const source = path.join(workDir, 'spu_enosys.c');
			fs.writeFileSync(
				source,
				[
					'#include <errno.h>',
					'#include <stdio.h>',
					'#include <sys/spu.h>',
					'int main(void)',
					'{',
					'\tunsigned int npc = 0, event = 0;',
					'\tint fd = spu_create("/spu/ctx", SPU_CREATE_EVENTS_ENABLED, 0755);',
					'\tint created = errno == ENOSYS;',
					'\terrno = 0;',
					'\tint status = spu_run(3, &npc, &event);',
					'\tprintf("%d %d %d %d\\n", fd, created, status, errno == ENOSYS);',
					'\treturn 0;',
					'}',
					'',
				].join('\n'),
			);
			const result = await runWithGcc(source, ['-std=gnu11', '-Wall', '-Werror', '-idirafter', kcInclude], workDir);
			assert.equal(result.stdout.toString('latin1'), '-1 1 -1 1\n');
		});
	});

	it('compiles every header on its own (and twice in a row) under Faultline', async function () {
		const failures: string[] = [];
		for (const header of uapiHeaders) {
			const source = path.join(workDir, `alone_${header.replace(/\W/g, '_')}.c`);
			fs.writeFileSync(source, `#include <${header}>\n#include <${header}>\nint main(void)\n{\n\treturn 0;\n}\n`);
			const got = await runFaultline(execFile, source);
			if (got.status !== 0 || got.stderr !== '') {
				failures.push(`${header}: status ${got.status}\n${got.stderr}`);
			}
		}
		assert.deepEqual(failures, []);
	});

	it('prints every constant and names every type the headers define in some layout program', () => {
		const corpus = programs.map(p => fs.readFileSync(p, 'latin1')).join('\n');
		const words = new Set(corpus.match(/\w+/g));
		const missing: string[] = [];
		for (const header of uapiHeaders) {
			for (const name of [...macroNames(header), ...declaredNames(header)]) {
				if (!words.has(name) && !internalNames.has(name)) {
					missing.push(`${header}: ${name}`);
				}
			}
		}
		assert.deepEqual(missing, []);
	});

	it('declares every function and typedef exactly as glibc does (gcc sees no conflict)', async function () {
		if (!gcc) {
			this.skip();
		}
		const withCounterpart = uapiHeaders.filter(h => !headersWithoutSystemCounterpart.has(h) && !h.startsWith('bits/'));
		const available = withCounterpart.filter(h => !h.startsWith('drm/') || drm !== undefined);
		const declarations = uapiHeaders.filter(h => !headersWithoutSystemCounterpart.has(h)).filter(h => !h.startsWith('drm/') || drm !== undefined).flatMap(declarationsOf);
		assert.ok(declarations.length > 150, `only ${declarations.length} declarations found`);
		const source = path.join(workDir, 'declarations.c');
		fs.writeFileSync(source, ['#define _GNU_SOURCE', ...available.map(h => `#include <${h}>`), ...declarations, ''].join('\n'));
		try {
			await run('gcc', ['-std=gnu11', '-fsyntax-only', ...(drm?.flags ?? []), source]);
		} catch (error) {
			assert.fail(`gcc rejects KC's declarations next to the system headers:\n${(error as { stderr?: string }).stderr ?? String(error)}`);
		}
	});

	it('catches a wrong value: a layout program with a changed constant no longer matches', async function () {
		// The comparison must be able to fail: a copy of mman.c that redefines one constant prints
		// a line that the expected output does not have.
		const mman = programs.find(p => path.basename(p) === 'mman.c');
		assert.ok(mman !== undefined);
		const source = path.join(workDir, 'mman_changed.c');
		fs.writeFileSync(
			source,
			fs
				.readFileSync(mman, 'latin1')
				.replace('#include "print.h"', `#include "${path.join(path.dirname(mman), 'print.h')}"\n#undef MAP_POPULATE\n#define MAP_POPULATE 0x8001`),
		);
		const got = await runFaultline(execFile, source);
		const want = gccOutput.get(mman) ?? fs.readFileSync(expectedFileOf(mman), 'latin1');
		assert.notEqual(got.stdout, want);
		assert.match(got.stdout, /^MAP_POPULATE = 32769 \(4 bytes, signed\)$/m);
	});
});

// `faultline exec FILE.kc`: compile one user program, run it as a process on the default machine
// (2 CPUs, the KC kernel of the profile, tmpfs at /tmp, /proc, the console as fds 0-2) with the KC
// C library, and report how it ended the way a shell sees a process end (layer: sim).
//
// `machine: 'flat'` keeps the original flat host (no kernel: the TypeScript C library on a flat
// address space), which the conformance suite uses to test the CPU alone.

import * as path from 'node:path';
import { compileUnit } from '../lang/frontEnd';
import { formatDiagnostic, type Diagnostic } from '../lang/source';
import { FlatLayout, type StopReason } from '../interp/contracts';
import { run, startMain } from '../interp/cpu';
import { FlatMemory } from '../interp/flatMemory';
import { link } from '../interp/linker';
import type { Program } from '../interp/program';
import { createUserHost } from '../interp/libc/userHost';
import { hostSources } from './hostSources';
import { defaultProfile, findProfile, profiles } from './profiles';
import { bootedMachine } from './machine';
import { buildUserProgram } from './userProgram';
import { userLibraryBuiltins } from './userLibrary';
import { System } from '../kernel/proc/system';
import { spawnProcess } from '../kernel/proc/exec';

/** Options of `execFile`; the CLI passes the process's streams. */
export interface ExecOptions {
	readonly file: string;
	readonly args: string[];
	readonly profile?: string;
	/** The shipped KC root (the folder holding `include/`). */
	readonly kcRoot: string;
	readonly stdout: (bytes: Uint8Array) => void;
	readonly stderr: (bytes: Uint8Array) => void;
	/** Line-buffer stdout as glibc does for a terminal (default: fully buffered, as for a pipe). */
	readonly stdoutIsTerminal?: boolean;
	/** Bytes the program reads from standard input (default: none). */
	readonly stdin?: Uint8Array;
	/**
	 * Stop a runaway program after this many statements (default: no limit, like a real process).
	 * Tests set it so that a program that never ends fails instead of hanging the suite.
	 */
	readonly maxStatements?: number;
	/** Where the program runs: a process on the simulated machine (default), or the flat host. */
	readonly machine?: 'kernel' | 'flat';
}

/** Statements per CPU slice; between slices nothing else happens, it only bounds a `run` call. */
const SLICE = 1_000_000;

/** Linux signal numbers used in exit statuses (128 + signal). */
const SIGSEGV = 11;
const SIGABRT = 6;

/** Exit status for bad input (compile and link errors, unknown profile). */
export const exitBadInput = 2;

/** Exit status when `maxStatements` runs out, as `timeout(1)` reports a command it had to stop. */
export const exitStatementLimit = 124;

const encoder = new TextEncoder();

/**
 * Runs `options.file` as a program and returns its exit status: the program's, 128+signal when a
 * signal kills it (SIGSEGV 139, SIGABRT 134), or 2 after printing `file:line:col: error: ...` for a
 * program that does not compile or link. Undefined behaviour is reported like UBSan
 * (`file:line:col: runtime error: ...`) and ends the program with SIGABRT.
 */
export function execFile(options: ExecOptions): number {
	return options.machine === 'flat' ? execFlat(options) : execOnMachine(options);
}

/** Runs the program as a process on the default machine (see the header). */
function execOnMachine(options: ExecOptions): number {
	const complain = (text: string) => options.stderr(encoder.encode(text));
	const profile = options.profile === undefined ? defaultProfile : findProfile(options.profile);
	if (profile === undefined) {
		complain(`faultline: unknown profile '${options.profile}' (known: ${profiles.map(p => p.name).join(', ')})\n`);
		return exitBadInput;
	}
	if (profile.os !== 'linux') {
		complain(`faultline: profile ${profile.name} runs no processes in this version (use a linux-* profile)\n`);
		return exitBadInput;
	}
	const file = path.resolve(options.file);
	if (hostSources([]).read(file) === undefined) {
		complain(`faultline: ${options.file}: no such file\n`);
		return exitBadInput;
	}
	const display = (d: Diagnostic) => formatDiagnostic(relativize(d, file, options.file)) + '\n';
	const booted = bootedMachine({ profile, kcRoot: options.kcRoot });
	const stdin = options.stdin ?? new Uint8Array(0);
	let stdinAt = 0;
	const system = new System(booted, {
		console: {
			write: (stream, bytes) => (stream === 1 ? options.stdout : options.stderr)(bytes.slice()),
			read: (_stream, max) => {
				const chunk = stdin.subarray(stdinAt, stdinAt + max);
				stdinAt += chunk.length;
				return chunk;
			},
			isatty: stream => stream === 1 && options.stdoutIsTerminal === true,
		},
	});
	const built = buildUserProgram(file, options.kcRoot, userLibraryBuiltins(system));
	for (const d of built.diagnostics) complain(display(d));
	if (built.libraryBroken) {
		complain('faultline: internal error: the C library does not compile\n');
		return 70;
	}
	if (built.program === undefined) return exitBadInput;
	if (built.program.functionByName('main')?.kind !== 'kc') {
		complain(`faultline: ${options.file}: undefined reference to 'main'\n`);
		return exitBadInput;
	}
	const task = spawnProcess(system, { program: built.program, argv: [options.file, ...options.args] });
	const stop = system.run(options.maxStatements ?? Number.MAX_SAFE_INTEGER);
	if (stop.kind === 'budget') {
		complain(`faultline: ${options.file}: stopped after ${options.maxStatements} statements (statement limit)\n`);
		return exitStatementLimit;
	}
	if (task.exitCode === undefined) {
		if (stop.kind === 'stalled') complain(`faultline: ${options.file}: the program blocked forever (${stop.tasks.map(t => `${t.name}/${t.pid} in ${t.where}`).join(', ')})\n`);
		else complain(`faultline: internal error: the program did not end (${stop.kind})\n`);
		return 128 + SIGABRT;
	}
	const oops = booted.log.records.find(r => /^(BUG|kernel BUG|Oops)/.test(r.text));
	if (oops !== undefined) complain(`faultline: the kernel oopsed:\n${booted.log.text()}`);
	const signal = task.exitCode & 0x7f;
	return signal !== 0 ? 128 + signal : (task.exitCode >> 8) & 0xff;
}

/** Runs the program on the flat host (no kernel). */
function execFlat(options: ExecOptions): number {
	const complain = (text: string) => options.stderr(encoder.encode(text));
	if (options.profile !== undefined && findProfile(options.profile) === undefined) {
		complain(`faultline: unknown profile '${options.profile}' (known: ${profiles.map(p => p.name).join(', ')})\n`);
		return exitBadInput;
	}
	const file = path.resolve(options.file);
	const sources = hostSources([path.join(options.kcRoot, 'include')]);
	if (sources.read(file) === undefined) {
		complain(`faultline: ${options.file}: no such file\n`);
		return exitBadInput;
	}
	const display = (d: Diagnostic) => formatDiagnostic(relativize(d, file, options.file)) + '\n';

	const compiled = compileUnit(file, sources);
	for (const d of compiled.diagnostics) {
		complain(display(d));
	}
	if (compiled.unit === undefined) {
		return exitBadInput;
	}
	// The start-up code is KC too (kc/lib/crt0.kc): it calls main and then exit().
	const startup = compileUnit(path.join(options.kcRoot, 'lib', 'crt0.kc'), sources);
	if (startup.unit === undefined) {
		for (const d of startup.diagnostics) {
			complain(display(d));
		}
		complain('faultline: internal error: the C start-up code does not compile\n');
		return 70;
	}

	const memory = new FlatMemory();
	const host = createUserHost({
		memory,
		stdout: options.stdout,
		stderr: options.stderr,
		heapBase: FlatLayout.heapBase,
		heapLimit: FlatLayout.heapLimit,
		stdoutBuffering: options.stdoutIsTerminal === true ? 'line' : 'full',
		programName: path.basename(options.file),
		...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
	});
	const linked = link([compiled.unit, startup.unit], host.builtins, memory);
	for (const d of linked.diagnostics) {
		complain(display(d));
	}
	const program = linked.program;
	if (program === undefined) {
		return exitBadInput;
	}
	if (program.functionByName('main')?.kind !== 'kc') {
		complain(`faultline: ${options.file}: undefined reference to 'main'\n`);
		return exitBadInput;
	}

	const thread = startMain(program, memory, [options.file, ...options.args], { entry: '__libc_start_main' });
	let stop: StopReason;
	let remaining = options.maxStatements ?? Infinity;
	do {
		const slice = Math.min(SLICE, remaining);
		if (slice <= 0) {
			complain(`faultline: ${options.file}: stopped after ${options.maxStatements} statements (statement limit)\n`);
			return exitStatementLimit;
		}
		stop = run(thread, slice);
		remaining -= slice;
	} while (stop.kind === 'budget');
	return reportStop(stop, program, complain, file, options.file);
}

/** Turns how the program stopped into an exit status, printing what a user needs to know. */
function reportStop(stop: StopReason, program: Program, complain: (text: string) => void, file: string, shown: string): number {
	const where = (stmt: number) => {
		const info = program.statements[stmt];
		if (info === undefined) {
			return '';
		}
		const r = info.range;
		return `${r.file === file ? shown : r.file}:${r.line}:${r.col}: `;
	};
	switch (stop.kind) {
		case 'exited':
			return stop.code & 0xff;
		case 'ub':
			complain(`${where(stop.stmt)}runtime error: ${stop.message}\n`);
			return 128 + SIGABRT;
		case 'trap':
			if (stop.signal !== undefined) {
				return 128 + stop.signal;
			}
			complain(`faultline: ${stop.message}\n`);
			return 128 + SIGABRT;
		case 'fault': {
			const f = stop.fault;
			complain(`faultline: ${shown}: SIGSEGV: ${f.access} at 0x${f.address.toString(16)} (${f.reason}${f.detail !== undefined ? `: ${f.detail}` : ''})\n`);
			return 128 + SIGSEGV;
		}
		case 'blocked':
			complain(`faultline: ${shown}: the program blocked forever (${stop.reason})\n`);
			return 128 + SIGABRT;
		case 'breakpoint':
		case 'budget':
			complain(`faultline: internal error: unexpected stop '${stop.kind}'\n`);
			return 70;
	}
}

/** Shows the main file as the user named it on the command line (as gcc prints the name it was given). */
function relativize(d: Diagnostic, absolute: string, shown: string): Diagnostic {
	if (d.range.file !== absolute) {
		return d;
	}
	return { ...d, range: { ...d.range, file: shown } };
}

// The gcc side of the UAPI header tests (test support): which headers are KC's Linux user API, the
// layout programs that print their facts, and how gcc builds those programs against the SYSTEM
// headers so that their output can serve as the oracle for Faultline's.

import { execFile as execFileCallback } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFileCallback);

/** test/uapi/layout: one program per header group, printing one fact per line. */
export const layoutDir = path.resolve(__dirname, 'layout');

/** The shipped KC root (holding include/) and its header folder. */
export const kcRoot = path.resolve(__dirname, '../../kc');
export const kcInclude = path.join(kcRoot, 'include');

/** The Linux user-API headers this suite covers (paths under kc/include). */
export const uapiHeaders: readonly string[] = [
	'asm-generic/int-ll64.h',
	'asm-generic/ioctl.h',
	'asm/ioctl.h',
	'asm/posix_types.h',
	'asm/types.h',
	'asm/unistd.h',
	'asm/unistd_64.h',
	'bits/faultline-stat.h',
	'bits/pthreadtypes.h',
	'bits/types/__sigset_t.h',
	'bits/types/__sigval_t.h',
	'bits/types/siginfo_t.h',
	'bits/types/sigset_t.h',
	'bits/types/struct_iovec.h',
	'bits/types/struct_timespec.h',
	'bits/types/struct_timeval.h',
	'drm/drm.h',
	'drm/drm_mode.h',
	'fcntl.h',
	'linux/dma-buf.h',
	'linux/ioctl.h',
	'linux/posix_types.h',
	'linux/types.h',
	'pthread.h',
	'sched.h',
	'signal.h',
	'sys/ioctl.h',
	'sys/mman.h',
	'sys/ptrace.h',
	'sys/spu.h',
	'sys/stat.h',
	'sys/syscall.h',
	'sys/time.h',
	'sys/uio.h',
	'sys/wait.h',
	'time.h',
];

/** Headers with no glibc or kernel-headers counterpart on x86-64 (checked against fixed values). */
export const headersWithoutSystemCounterpart: ReadonlySet<string> = new Set(['sys/spu.h']);

/** The layout programs, sorted. */
export function layoutPrograms(): string[] {
	return fs
		.readdirSync(layoutDir)
		.filter(f => f.endsWith('.c'))
		.sort()
		.map(f => path.join(layoutDir, f));
}

/** The file holding a program's expected output (gcc's, committed for machines without gcc). */
export function expectedFileOf(program: string): string {
	return program.replace(/\.c$/, '.expected');
}

/**
 * Where gcc finds `<drm/drm.h>`: nothing extra when the kernel headers ship it, a temporary folder
 * whose `drm` entry links to libdrm's copy (Debian's libdrm-dev) otherwise, or undefined when the
 * machine has neither. `cleanup` removes what was made.
 */
export function systemDrmIncludes(): { readonly flags: string[]; cleanup(): void } | undefined {
	if (fs.existsSync('/usr/include/drm/drm.h')) {
		return { flags: [], cleanup() {} };
	}
	if (fs.existsSync('/usr/include/libdrm/drm.h')) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-drm-'));
		fs.symlinkSync('/usr/include/libdrm', path.join(dir, 'drm'));
		return { flags: ['-I', dir], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	return undefined;
}

/** The gcc flags a program needs, or undefined when this machine lacks a system header it uses. */
export function gccFlagsFor(program: string, drm: { readonly flags: string[] } | undefined): string[] | undefined {
	const text = fs.readFileSync(program, 'latin1');
	const flags = ['-std=gnu11', '-O0', '-w'];
	if (/#include <drm\//.test(text)) {
		if (drm === undefined) {
			return undefined;
		}
		flags.push(...drm.flags);
	}
	// Headers without a system counterpart come from kc/include, searched after the system folders
	// so that every other header is still the system's.
	if ([...headersWithoutSystemCounterpart].some(h => text.includes(`#include <${h}>`))) {
		flags.push('-idirafter', kcInclude);
	}
	return flags;
}

/** Builds one program with gcc and runs it; returns its stdout and exit status. */
export async function runWithGcc(program: string, flags: readonly string[], workDir: string): Promise<{ stdout: Buffer; status: number }> {
	const binary = path.join(workDir, path.basename(program, '.c'));
	await run('gcc', [...flags, '-o', binary, program]);
	try {
		const r = await run(binary, [], { encoding: 'buffer', cwd: workDir, maxBuffer: 16 * 1024 * 1024 });
		return { stdout: r.stdout, status: 0 };
	} catch (error) {
		const failed = error as { stdout?: Buffer; code?: number };
		return { stdout: failed.stdout ?? Buffer.alloc(0), status: typeof failed.code === 'number' ? failed.code : 1 };
	}
}

/** Programs whose expected output is fixed in the test rather than taken from gcc. */
export const programsWithFixedExpectations: ReadonlySet<string> = new Set(['spu.c']);

// Regenerates test/uapi/layout/<name>.expected from gcc-built layout programs (test support).
//
// Each program is compiled against the system headers (see oracle.ts) and its stdout written, byte
// for byte, to the .expected file beside it. Commit the results so machines without gcc (or without
// libdrm's headers) still check Faultline against real glibc and kernel values.
//
// Usage: npx tsx test/uapi/update-expected.ts [name.c ...]

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectedFileOf, gccFlagsFor, layoutDir, layoutPrograms, programsWithFixedExpectations, runWithGcc, systemDrmIncludes } from './oracle';

async function main(): Promise<void> {
	const requested = process.argv.slice(2);
	const programs = (requested.length > 0 ? requested.map(f => path.resolve(layoutDir, f)) : layoutPrograms()).filter(
		p => !programsWithFixedExpectations.has(path.basename(p)),
	);
	const drm = systemDrmIncludes();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-uapi-expected-'));
	try {
		for (const program of programs) {
			const flags = gccFlagsFor(program, drm);
			if (flags === undefined) {
				console.log(`${path.basename(program)}: skipped (a system header it needs is missing)`);
				continue;
			}
			const result = await runWithGcc(program, flags, workDir);
			if (result.status !== 0) {
				throw new Error(`${path.basename(program)} exited with ${result.status}`);
			}
			fs.writeFileSync(expectedFileOf(program), result.stdout);
			console.log(`${path.basename(expectedFileOf(program))}: ${result.stdout.length} bytes`);
		}
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
		drm?.cleanup();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});

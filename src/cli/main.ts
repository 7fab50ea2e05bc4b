// Entry point of the `faultline` CLI (layer: cli), bundled to dist/cli.js and started by
// bin/faultline. Binds the command dispatch to the real process: byte-exact stdout/stderr, and an
// exit only once everything written has been flushed.

import { version } from '../../package.json';
import * as fs from 'node:fs';
import { execFile } from '../sim/exec';
import { runScenario } from '../sim/run';
import { type CliOutput, runCli } from './commands';
import { kcRoot } from './paths';

/** Exit status when Faultline itself fails (a thrown host exception is always a bug): EX_SOFTWARE. */
export const exitInternalError = 70;

/** Runs the CLI on this process and exits with the command's status once output is flushed. */
export function startCli(argv: readonly string[] = process.argv.slice(2)): void {
	tolerateClosedPipe(process.stdout);
	tolerateClosedPipe(process.stderr);
	const output: CliOutput = {
		stdout: (bytes) => writeBytes(process.stdout, bytes),
		stderr: (bytes) => writeBytes(process.stderr, bytes),
	};
	runCli(argv, output, { execFile, runScenario, openTrace, kcRoot, version }).then(
		(status) => exitAfterFlush(status),
		(error: unknown) => {
			const detail = error instanceof Error ? error.stack ?? error.message : String(error);
			writeBytes(process.stderr, new TextEncoder().encode(`faultline: internal error (a bug in Faultline): ${detail}\n`));
			exitAfterFlush(exitInternalError);
		},
	);
}

/** A `--trace` file: one line per event, written synchronously so a crash loses nothing written. */
function openTrace(file: string): { write: (line: string) => void; close: () => void } | string {
	let fd: number;
	try {
		fd = fs.openSync(file, 'w');
	} catch (error) {
		return `cannot write the trace file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
	}
	return {
		write: line => fs.writeSync(fd, `${line}\n`),
		close: () => fs.closeSync(fd),
	};
}

/** Writes a copy of `bytes` (the caller may reuse its buffer). */
function writeBytes(stream: NodeJS.WriteStream, bytes: Uint8Array): void {
	if (!stream.destroyed) {
		stream.write(Buffer.from(bytes));
	}
}

/**
 * When the reader of a pipe goes away (`faultline exec p.kc | head -1`) the rest of the output is
 * dropped instead of crashing the CLI with an unhandled EPIPE.
 */
function tolerateClosedPipe(stream: NodeJS.WriteStream): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
			throw error;
		}
	});
}

/** Exits once stdout and stderr have flushed every earlier write (writes complete in order). */
function exitAfterFlush(status: number): void {
	process.exitCode = status;
	let pending = 2;
	const done = () => {
		pending--;
		if (pending === 0) {
			process.exit(status);
		}
	};
	for (const stream of [process.stdout, process.stderr]) {
		if (stream.destroyed || !stream.writable) {
			done();
		} else {
			stream.write('', done);
		}
	}
}

if (require.main === module) {
	startCli();
}

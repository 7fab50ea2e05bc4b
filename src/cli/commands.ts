// Command dispatch for `faultline` (layer: cli): parses argv, runs the command against the given
// output streams and services, and returns the exit status. No process globals here, so the
// dispatch is testable; src/cli/main.ts binds it to the real process.

import { serveStdio } from '../languageServer/main';
import { startDebugAdapter } from '../debugAdapter/server';
import type { execFile } from '../sim/exec';
import type { runScenario } from '../sim/run';
import { helpText, parseArgs, usageHint } from './args';

/** Where a command writes. Bytes are written as given: program output must stay byte-exact. */
export interface CliOutput {
	stdout(bytes: Uint8Array): void;
	stderr(bytes: Uint8Array): void;
}

/** What the commands run on. main.ts passes the real ones. */
export interface CliServices {
	readonly execFile: typeof execFile;
	readonly runScenario: typeof runScenario;
	/** Opens a trace file for writing: returns the line writer and a close function, or an error message. */
	readonly openTrace: (file: string) => { readonly write: (line: string) => void; readonly close: () => void } | string;
	/** The shipped KC root (see paths.ts). Called only by commands that compile KC. */
	readonly kcRoot: () => string;
	readonly version: string;
}

/** Exit status for usage errors, bad input and commands that do not exist yet. */
export const exitUsage = 2;

const encoder = new TextEncoder();

/** Runs `faultline ARGV...` and returns its exit status. Never throws for bad input. */
export async function runCli(argv: readonly string[], output: CliOutput, services: CliServices): Promise<number> {
	const say = (text: string) => output.stdout(encoder.encode(text));
	const complain = (text: string) => output.stderr(encoder.encode(text));
	const command = parseArgs(argv);
	switch (command.kind) {
		case 'usage-error':
			complain(`faultline: ${command.message}\n${usageHint(command.topic)}`);
			return exitUsage;
		case 'help':
			say(helpText(command.topic));
			return 0;
		case 'version':
			say(`faultline ${services.version}\n`);
			return 0;
		case 'exec':
			return services.execFile({
				file: command.file,
				args: [...command.args],
				...(command.profile !== undefined ? { profile: command.profile } : {}),
				kcRoot: services.kcRoot(),
				stdout: output.stdout,
				stderr: output.stderr,
			});
		case 'run': {
			let trace: { readonly write: (line: string) => void; readonly close: () => void } | undefined;
			if (command.trace !== undefined) {
				const opened = services.openTrace(command.trace);
				if (typeof opened === 'string') {
					complain(`faultline: ${opened}\n`);
					return exitUsage;
				}
				trace = opened;
			}
			try {
				return services.runScenario({
					file: command.scenario,
					...(command.seed !== undefined ? { seed: command.seed } : {}),
					...(command.profile !== undefined ? { profile: command.profile } : {}),
					kcRoot: services.kcRoot(),
					...(trace !== undefined ? { trace: trace.write } : {}),
					report: complain,
				});
			} finally {
				trace?.close();
			}
		}
		case 'dap':
			return runDebugAdapter(command.port, services.kcRoot());
		case 'lsp':
			// LSP owns stdin/stdout until the client's `exit` (vscode-languageserver reads --clientProcessId).
			return serveStdio({ kcRoot: services.kcRoot() });
	}
}

/**
 * `faultline dap`: serves DAP until stdin ends (the client closed the session); with a port, serves
 * connections until the process is killed.
 */
function runDebugAdapter(port: number | undefined, kcRoot: string): Promise<number> {
	startDebugAdapter({ kcRoot, ...(port === undefined ? {} : { port }) });
	if (port !== undefined) return new Promise<number>(() => undefined);
	return new Promise<number>(resolve => {
		process.stdin.on('end', () => resolve(0));
		process.stdin.on('close', () => resolve(0));
	});
}


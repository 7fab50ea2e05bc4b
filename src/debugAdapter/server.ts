// Starting the debug adapter (layer: debugAdapter): one session on stdin/stdout, or (`--server=PORT`,
// for debugging the adapter itself) a TCP server with a session per connection. Sessions in one
// server process share the booted machines (src/sim/machine.ts): run one session at a time.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { FaultlineSession } from './session';

/** Finds the shipped KC root (`kc/` holding `include/`) by walking up from `fromDir`. */
export function findKcRoot(fromDir: string): string | undefined {
	let dir = path.resolve(fromDir);
	for (let level = 0; level <= 3; level++) {
		if (fs.existsSync(path.join(dir, 'kc', 'include'))) return path.join(dir, 'kc');
		const parent = path.dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return undefined;
}

/** Options of startDebugAdapter. */
export interface AdapterOptions {
	readonly kcRoot: string;
	/** Listen on this TCP port instead of using stdin/stdout. */
	readonly port?: number;
}

/** Runs the adapter until its input ends (stdio) or forever (server). */
export function startDebugAdapter(options: AdapterOptions): void {
	if (options.port !== undefined) {
		net.createServer(socket => {
			const session = new FaultlineSession({ kcRoot: options.kcRoot });
			session.setRunAsServer(true);
			session.start(socket, socket);
		}).listen(options.port, () => process.stderr.write(`faultline dap: listening on port ${options.port}\n`));
		return;
	}
	const session = new FaultlineSession({ kcRoot: options.kcRoot });
	process.on('SIGTERM', () => session.shutdown());
	session.start(process.stdin, process.stdout);
}

/** `--server=PORT` from argv, if given (undefined: stdio); a message when malformed. */
export function serverPort(argv: readonly string[]): number | undefined | string {
	for (const word of argv) {
		const match = /^--server=(.*)$/.exec(word);
		if (match === null) continue;
		const port = Number(match[1]);
		return Number.isInteger(port) && port > 0 && port < 65536 ? port : `--server wants a TCP port, not '${match[1]}'`;
	}
	return undefined;
}

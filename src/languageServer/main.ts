// Entry point of the KC language server (layer: languageServer), bundled to dist/languageServer.js:
// `node dist/languageServer.js --stdio [--clientProcessId=N] [--kc-root DIR] [--profile P]`, and
// `faultline lsp --stdio` through the CLI. It speaks LSP on stdin/stdout and exits when the client
// sends `exit` (status 0 after `shutdown`, 1 without) or closes the stream. `--clientProcessId`
// is read by vscode-languageserver itself (the server exits when that process dies).

import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { type ServerOptions, startServer } from './server';

/**
 * Serves LSP on this process's stdin/stdout. The `exit` notification ends the process (status 0
 * after `shutdown`, 1 without, as LSP says); if stdin closes first, the promise resolves with the
 * status instead. Nothing else may write to stdout meanwhile: console output goes to the client's
 * log.
 */
export function serveStdio(options: ServerOptions = {}): Promise<number> {
	return new Promise(resolve => {
		if (process.stdin.readableEnded || process.stdin.destroyed) {
			// Nobody can talk to us (stdin is already closed): end as a session without shutdown.
			resolve(1);
			return;
		}
		const reader = new StreamMessageReader(process.stdin);
		const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
		console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
		console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
		console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
		console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
		let shutdown = false;
		connection.onShutdown(() => {
			shutdown = true;
		});
		reader.onClose(() => resolve(shutdown ? 0 : 1));
		startServer(connection, options);
	});
}

/** Reads `--kc-root DIR` and `--profile P` (either `--x=v` or `--x v`); other arguments are the transport's. */
export function parseServerArguments(argv: readonly string[]): ServerOptions {
	const options: { kcRoot?: string; profile?: string } = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
		const value = () => inline ?? argv[++i];
		if (flag === '--kc-root') options.kcRoot = value();
		else if (flag === '--profile') options.profile = value();
	}
	return options;
}

if (require.main === module) {
	void serveStdio(parseServerArguments(process.argv.slice(2))).then(status => process.exit(status));
}

// Command-line parsing for `faultline` (layer: cli). Pure: turns argv into a command or a usage
// error, and holds the help texts. Nothing here touches the process; src/cli/main.ts does.

/** `faultline exec [--profile P] FILE.kc [-- ARGS...]`: run one user program on a default machine. */
export interface ExecCommand {
	readonly kind: 'exec';
	readonly file: string;
	/** The program's arguments (everything after `--`), not including argv[0]. */
	readonly args: readonly string[];
	readonly profile?: string;
}

/** `faultline run SCENARIO [--seed N] [--profile P] [--trace FILE.jsonl]`: run a scenario headless. */
export interface RunCommand {
	readonly kind: 'run';
	readonly scenario: string;
	readonly seed?: number;
	readonly profile?: string;
	readonly trace?: string;
}

/** `faultline dap [--server=PORT]`: a debug adapter on stdin/stdout (or a TCP port, to debug the adapter). */
export interface DapCommand {
	readonly kind: 'dap';
	readonly port?: number;
}

/** `faultline lsp --stdio`: a language server on stdin/stdout. */
export interface LspCommand {
	readonly kind: 'lsp';
	/** The editor's process id, when it passes `--clientProcessId=N` (vscode-languageclient does). */
	readonly clientProcessId?: number;
}

/** `--help` (optionally for one command) or `help [COMMAND]`. */
export interface HelpCommand {
	readonly kind: 'help';
	readonly topic?: CommandName;
}

/** `--version`. */
export interface VersionCommand {
	readonly kind: 'version';
}

export type Command = ExecCommand | RunCommand | DapCommand | LspCommand | HelpCommand | VersionCommand;

/** Bad command line: `message` says what is wrong; the CLI prints it with a usage hint and exits 2. */
export interface UsageError {
	readonly kind: 'usage-error';
	readonly message: string;
	/** The command whose usage to show, when the error is inside one. */
	readonly topic?: CommandName;
}

export type CommandName = 'exec' | 'run' | 'dap' | 'lsp';

const commandNames: readonly CommandName[] = ['exec', 'run', 'dap', 'lsp'];

function isCommandName(word: string): word is CommandName {
	return (commandNames as readonly string[]).includes(word);
}

/** Usage lines per command, shown by `--help` and after usage errors. */
const usages: Record<CommandName, string> = {
	exec: 'faultline exec [--profile P] FILE.kc [-- ARGS...]',
	run: 'faultline run SCENARIO [--seed N] [--profile P] [--trace FILE.jsonl]',
	dap: 'faultline dap [--server=PORT]',
	lsp: 'faultline lsp --stdio',
};

const details: Record<CommandName, string> = {
	exec: `Compiles FILE.kc and runs it as a user program on a default machine. Its stdout and stderr
are the program's. Exit status: the program's, 128+N when signal N kills it (SIGSEGV 139,
SIGBUS 135), 2 for a compile error (printed as file:line:col: error: ...).

Options:
  --profile P   kernel profile (era) to run under, e.g. linux-6.8
  -- ARGS...    arguments passed to the program (argv[1]...)`,
	run: `Runs a scenario headless. Exit status: 0 when it finishes and every expectation holds,
1 when an expectation fails, 2 for bad input, 3 when the kernel panics, BUGs or deadlocks.

Options:
  --seed N              scheduler seed (a non-negative integer)
  --profile P           kernel profile, overriding the scenario's
  --trace FILE.jsonl    write one JSON object per kernel event`,
	dap: `Speaks the Debug Adapter Protocol on stdin/stdout.

Options:
  --server=PORT   listen on a TCP port instead (one session per connection), to debug the adapter`,
	lsp: 'Speaks the Language Server Protocol for KC on stdin/stdout.',
};

/** The help text: general (no topic) or for one command. Ends with a newline. */
export function helpText(topic?: CommandName): string {
	if (topic !== undefined) {
		return `usage: ${usages[topic]}\n\n${details[topic]}\n`;
	}
	return [
		'usage: faultline <command> [options]',
		'',
		'Commands:',
		...commandNames.map((name) => `  ${usages[name]}`),
		'',
		'Options:',
		'  --help, -h    show this help (or a command\'s: faultline exec --help)',
		'  --version     print the version',
		'',
		'Exit status 2 means a usage error or bad input.',
		'',
	].join('\n');
}

/** The short hint printed after a usage error. */
export function usageHint(topic?: CommandName): string {
	return topic !== undefined ? `usage: ${usages[topic]}\n` : 'usage: faultline <command> [options]; see faultline --help\n';
}

/**
 * Parses the arguments after the program name (`process.argv.slice(2)`). Options accept both
 * `--name value` and `--name=value`. `--help` anywhere before `--` wins over everything else.
 */
export function parseArgs(argv: readonly string[]): Command | UsageError {
	const separator = argv.indexOf('--');
	const before = separator < 0 ? argv : argv.slice(0, separator);
	const after = separator < 0 ? [] : argv.slice(separator + 1);
	const first = before[0];

	if (first === undefined) {
		return separator < 0 ? usageError('no command given') : usageError('no command given before --');
	}
	const topic = isCommandName(first) ? first : undefined;
	if (before.includes('--help') || before.includes('-h')) {
		return topic !== undefined ? { kind: 'help', topic } : { kind: 'help' };
	}
	if (first === 'help') {
		const about = before[1];
		if (about === undefined) {
			return { kind: 'help' };
		}
		return isCommandName(about) ? { kind: 'help', topic: about } : usageError(`unknown command '${about}'`);
	}
	if (first === '--version') {
		return before.length === 1 && separator < 0 ? { kind: 'version' } : usageError('--version takes no arguments');
	}
	if (topic === undefined) {
		return usageError(first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`);
	}

	const words = scan(before.slice(1), optionArity[topic], topic);
	if ('kind' in words) {
		return words;
	}
	const { options, positionals } = words;
	switch (topic) {
		case 'exec': {
			if (positionals.length === 0) {
				return usageError('exec needs a FILE.kc', topic);
			}
			if (positionals.length > 1) {
				return usageError(`unexpected argument '${positionals[1]}' (program arguments go after --)`, topic);
			}
			return { kind: 'exec', file: positionals[0], args: after, ...pick(options, 'profile') };
		}
		case 'run': {
			if (separator >= 0) {
				return usageError('run takes no arguments after --', topic);
			}
			if (positionals.length !== 1) {
				return usageError(positionals.length === 0 ? 'run needs a SCENARIO file' : `unexpected argument '${positionals[1]}'`, topic);
			}
			let seed: number | undefined;
			if (options.seed !== undefined) {
				seed = parseSeed(options.seed);
				if (seed === undefined) {
					return usageError(`--seed wants a non-negative integer, not '${options.seed}'`, topic);
				}
			}
			return {
				kind: 'run',
				scenario: positionals[0],
				...(seed !== undefined ? { seed } : {}),
				...pick(options, 'profile'),
				...pick(options, 'trace'),
			};
		}
		case 'dap': {
			if (separator >= 0 || positionals.length > 0) {
				return usageError(`unexpected argument '${positionals[0] ?? '--'}'`, topic);
			}
			if (options.server !== undefined) {
				const port = parseSeed(options.server);
				if (port === undefined || port === 0 || port > 65535) {
					return usageError(`--server wants a TCP port, not '${options.server}'`, topic);
				}
				return { kind: 'dap', port };
			}
			return { kind: 'dap' };
		}
		case 'lsp': {
			if (separator >= 0 || positionals.length > 0) {
				return usageError(`unexpected argument '${positionals[0] ?? '--'}'`, topic);
			}
			if (options.stdio === undefined) {
				return usageError('lsp needs --stdio (the only transport)', topic);
			}
			if (options.clientProcessId !== undefined) {
				const id = parseSeed(options.clientProcessId);
				if (id === undefined) {
					return usageError(`--clientProcessId wants a process id, not '${options.clientProcessId}'`, topic);
				}
				return { kind: 'lsp', clientProcessId: id };
			}
			return { kind: 'lsp' };
		}
	}
}

/** Options each command accepts: `value` takes an argument, `flag` does not. */
const optionArity: Record<CommandName, Record<string, 'value' | 'flag'>> = {
	exec: { profile: 'value' },
	run: { seed: 'value', profile: 'value', trace: 'value' },
	dap: { server: 'value' },
	lsp: { stdio: 'flag', clientProcessId: 'value' },
};

interface Scanned {
	readonly options: Record<string, string>;
	readonly positionals: string[];
}

/** Splits a command's words into options and positionals, checking names, values and repeats. */
function scan(words: readonly string[], arity: Record<string, 'value' | 'flag'>, topic: CommandName): Scanned | UsageError {
	const options: Record<string, string> = {};
	const positionals: string[] = [];
	for (let i = 0; i < words.length; i++) {
		const word = words[i];
		if (!word.startsWith('-') || word === '-') {
			positionals.push(word);
			continue;
		}
		if (!word.startsWith('--')) {
			return usageError(`unknown option '${word}'`, topic);
		}
		const equals = word.indexOf('=');
		const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
		const kind = Object.prototype.hasOwnProperty.call(arity, name) ? arity[name] : undefined;
		if (kind === undefined) {
			return usageError(`unknown option '--${name}' for ${topic}`, topic);
		}
		if (Object.prototype.hasOwnProperty.call(options, name)) {
			return usageError(`--${name} given twice`, topic);
		}
		if (kind === 'flag') {
			if (equals >= 0) {
				return usageError(`--${name} takes no value`, topic);
			}
			options[name] = '';
			continue;
		}
		let value: string | undefined;
		if (equals >= 0) {
			value = word.slice(equals + 1);
		} else {
			// A following option is a missing value, not a value (`--profile --seed 1`).
			value = words[i + 1]?.startsWith('--') ? undefined : words[i + 1];
			i++;
		}
		if (value === undefined || value === '') {
			return usageError(`--${name} needs a value`, topic);
		}
		options[name] = value;
	}
	return { options, positionals };
}

/** Parses a non-negative decimal or 0x-hex integer no larger than 2^53-1. */
function parseSeed(text: string): number | undefined {
	if (!/^(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/.test(text)) {
		return undefined;
	}
	const value = Number(text);
	return Number.isSafeInteger(value) ? value : undefined;
}

function pick<K extends string>(options: Record<string, string>, name: K): { [P in K]?: string } {
	return (options[name] !== undefined ? { [name]: options[name] } : {}) as { [P in K]?: string };
}

function usageError(message: string, topic?: CommandName): UsageError {
	return topic !== undefined ? { kind: 'usage-error', message, topic } : { kind: 'usage-error', message };
}

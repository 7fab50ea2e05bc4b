// The host console (layer: kernel): where the simulated machine's standard streams meet the host.
// `faultline exec` runs a program whose fds 0, 1 and 2 are a console character device (fs/, KC);
// its read and write file operations call these builtins, which move bytes between kernel memory
// and the host's stdin, stdout and stderr (a tty for the user, a pipe in tests).
//
//   ssize_t __kc_host_write(int stream, const void *kbuf, unsigned long n);  // 1 stdout, 2 stderr
//   ssize_t __kc_host_read(int stream, void *kbuf, unsigned long n);         // 0 stdin; 0 at EOF
//   int __kc_host_isatty(int stream);

import type { Builtin } from '../../interp/contracts';
import { FAULT, toAddress, toSize } from '../../interp/libc/memoryAccess';

/** The host side of the console (default: output discarded, input at end of file, no tty). */
export interface HostConsole {
	/** `caller`: the id of the writing CPU thread (the process layer turns it into a process id). */
	write(stream: number, bytes: Uint8Array, caller: number): void;
	/** Up to `max` bytes of input (an empty array at end of file). */
	read(stream: number, max: number, caller: number): Uint8Array;
	isatty(stream: number, caller: number): boolean;
}

const EBADF = 9;

/** The console builtins by C name; `console()` is read on every call. */
export function consoleBuiltins(console: () => HostConsole | undefined): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	table.set('__kc_host_write', (ctx, args) => {
		const stream = Number(args[0]);
		const n = toSize(args[2]);
		if (stream !== 1 && stream !== 2) return -EBADF;
		const bytes = ctx.mem.read(toAddress(args[1]), n);
		if (bytes === null) return FAULT;
		console()?.write(stream, bytes, ctx.threadId);
		return n;
	});
	table.set('__kc_host_read', (ctx, args) => {
		const stream = Number(args[0]);
		if (stream !== 0) return -EBADF;
		const bytes = console()?.read(stream, toSize(args[2]), ctx.threadId) ?? new Uint8Array(0);
		if (bytes.length > 0) {
			ctx.mem.write(toAddress(args[1]), bytes);
			if (ctx.mem.fault !== null) return FAULT;
		}
		return bytes.length;
	});
	table.set('__kc_host_isatty', (ctx, args) => (console()?.isatty(Number(args[0]), ctx.threadId) === true ? 1 : 0));
	return table;
}

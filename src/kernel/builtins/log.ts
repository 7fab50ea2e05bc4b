// The kernel log (layer: kernel): what printk, BUG and WARN print, as lines with a log level and
// the task that printed them, like the kernel's ring buffer read by dmesg.
//
// printk may print part of a line: text without a newline stays pending and a following message
// without a level (or with KERN_CONT) continues it; a message with a level ends the pending line
// first, as Linux 4.9+ does. Deterministic and snapshot-able (`mark`/`rewind`).

/** Log levels (KERN_EMERG 0 .. KERN_DEBUG 7). */
export const LOGLEVEL_DEFAULT = 4;

/** One complete line of the log. */
export interface KernelLogRecord {
	readonly level: number;
	/** The task that printed the line (its first part, for continued lines). */
	readonly task: string;
	/** The text, without the level prefix or the newline. */
	readonly text: string;
}

/** A position in the log, to return to after restoring a machine snapshot. */
export interface KernelLogMark {
	readonly records: number;
	readonly pending: { readonly level: number; readonly task: string; readonly text: string } | null;
}

/** The kernel's log buffer. */
export class KernelLog {
	readonly records: KernelLogRecord[] = [];
	private pending: { level: number; task: string; text: string } | null = null;

	/** Called for every completed line (a console). */
	constructor(private readonly onLine?: (record: KernelLogRecord) => void) {}

	/**
	 * Appends printed text. `level` is the message's level, `'cont'` for KERN_CONT, or null when it
	 * had none (then it continues a pending line, or starts one at the default level).
	 */
	write(level: number | 'cont' | null, text: string, task: string): void {
		if (typeof level === 'number' && this.pending !== null) {
			this.flush();
		}
		let rest = text;
		while (rest.length > 0) {
			const newline = rest.indexOf('\n');
			const part = newline >= 0 ? rest.slice(0, newline) : rest;
			if (this.pending === null) {
				this.pending = { level: typeof level === 'number' ? level : LOGLEVEL_DEFAULT, task, text: part };
			} else {
				this.pending.text += part;
			}
			if (newline < 0) {
				break;
			}
			this.flush();
			rest = rest.slice(newline + 1);
			// Later lines of one message keep its level.
			level = this.records[this.records.length - 1].level;
		}
	}

	/** Writes whole lines at `level` (used by BUG, WARN and lock reports). */
	writeLines(level: number, text: string, task: string): void {
		this.write(level, text.endsWith('\n') ? text : `${text}\n`, task);
	}

	/** Ends the pending partial line, if any. */
	flush(): void {
		if (this.pending === null) {
			return;
		}
		const record: KernelLogRecord = { ...this.pending };
		this.pending = null;
		this.records.push(record);
		this.onLine?.(record);
	}

	/** Every complete line, newline-terminated (what dmesg would show, without timestamps). */
	text(): string {
		return this.records.map(r => `${r.text}\n`).join('');
	}

	/** The current position, for `rewind`. */
	mark(): KernelLogMark {
		return { records: this.records.length, pending: this.pending === null ? null : { ...this.pending } };
	}

	/** Returns the log to a position taken earlier (machine snapshots). */
	rewind(mark: KernelLogMark): void {
		this.records.length = Math.min(this.records.length, mark.records);
		this.pending = mark.pending === null ? null : { ...mark.pending };
	}
}

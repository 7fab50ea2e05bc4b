// Lock builtins of the KC kernel (layer: kernel): spin_lock, mutex_lock, down_read/down_write and
// friends, over the machine's LockSystem (src/kernel/locks/lockSystem.ts), so that lockdep and the
// deadlock detector see every acquisition with its KC source site.
//
// Identity: a lock is its address. The init builtins (spin_lock_init, mutex_init, init_rwsem)
// create the lock object with the class the macro passes (the stringified lock expression, like
// Linux's `#lock`); a statically initialised lock (DEFINE_SPINLOCK, DEFINE_MUTEX, DECLARE_RWSEM)
// is created on first use, named by its dep_map.name. Memory that is freed takes its lock objects
// with it (debug_check_no_locks_freed).
//
// Layout contract with kc/kernel/include/linux/{spinlock_types,mutex,rwsem}.h: the lock's state word
// is at offset 0 (kept here: spinlock 1 held / 0 free; mutex 1 free / 0 locked / -1 with waiters;
// rwsem the number of readers, -1 for a writer, 0 free) and the class name pointer at offset 8.
//
// Blocking: a contended acquisition returns the CPU's `block` action. The reason starts with
// `spin:` when the task busy-waits on a spinlock (it stays runnable: run it again to retry) and
// with `sleep:` when it sleeps (run it again once the lock system has woken it). Either way the
// builtin is called again with the same arguments and completes the same operation.

import type { Builtin, BuiltinAction, BuiltinContext, MemoryBus, StopReason, Value } from '../../interp/contracts';
import { FAULT, toAddress } from '../../interp/libc/memoryAccess';
import { ptrToI64 } from '../../interp/values';
import type { LockObject } from '../locks/locks';
import type { LockCallOptions } from '../locks/lockSystem';
import type { LockId, LockKind, LockMode, TaskId } from '../locks/types';
import type { KernelSite } from './events';
import { canonicalHex, type KernelHost } from './host';

/** Block reasons of a task spinning on a spinlock (runnable) and of one asleep on a sleeping lock. */
export const SPIN_REASON_PREFIX = 'spin:';
export const SLEEP_REASON_PREFIX = 'sleep:';

/** True when a `blocked` stop is a spinlock busy-wait: the thread may be run again at once. */
export function isSpinning(stop: StopReason): boolean {
	return stop.kind === 'blocked' && stop.reason.startsWith(SPIN_REASON_PREFIX);
}

const EINTR = 4;
const PAGE = 4096;

/** The lock kinds the KC headers define, by the builtin family that uses them. */
type KernelLockKind = Extract<LockKind, 'spinlock' | 'mutex' | 'rwsem'>;

/**
 * The lock objects of kernel memory, indexed by the page their address is on, so that freeing a
 * range finds its locks without scanning every lock. Derived from the lock table: rebuild it with
 * `resync` after restoring the lock system from a snapshot.
 */
export class KernelLockIndex {
	private readonly byPage = new Map<number, Set<number>>();
	/** Where each lock was initialised (explicit init builtins only), for views. */
	readonly initSites = new Map<LockId, KernelSite>();

	constructor(private readonly host: KernelHost) {}

	add(address: number): void {
		const page = Math.floor(address / PAGE);
		let set = this.byPage.get(page);
		if (set === undefined) {
			set = new Set();
			this.byPage.set(page, set);
		}
		set.add(address);
	}

	remove(address: number): void {
		const page = Math.floor(address / PAGE);
		const set = this.byPage.get(page);
		set?.delete(address);
		if (set !== undefined && set.size === 0) {
			this.byPage.delete(page);
		}
	}

	/** Addresses of known locks in [from, from + len), in address order. */
	within(from: number, len: number): number[] {
		const found: number[] = [];
		if (len <= 0) {
			return found;
		}
		const first = Math.floor(from / PAGE);
		const last = Math.floor((from + len - 1) / PAGE);
		for (let page = first; page <= last; page++) {
			for (const address of this.byPage.get(page) ?? []) {
				if (address >= from && address < from + len) {
					found.push(address);
				}
			}
		}
		return found.sort((a, b) => a - b);
	}

	/** Rebuilds the index from the lock table (after `LockSystem.restore`). */
	resync(): void {
		this.byPage.clear();
		for (const lock of this.host.locks.table.allLocks()) {
			if (lock.address !== null && this.host.locks.table.lockAt(lock.address) === lock.id) {
				this.add(lock.address);
			}
		}
	}
}

/** Writes the state word at the lock's address from the lock object (see the layout contract). */
function syncWord(mem: MemoryBus, address: number, lock: LockObject): void {
	switch (lock.kind) {
		case 'spinlock':
			mem.st32(address, lock.owner !== null ? 1 : 0);
			break;
		case 'mutex':
			mem.st32(address, lock.owner === null ? 1 : lock.waiters.length > 0 ? -1 : 0);
			break;
		default: {
			const readers = lock.readers.reduce((n, r) => n + r.count, 0);
			mem.st64(address, lock.owner !== null ? -1 : readers);
		}
	}
}

/**
 * Drops the lock object that memory being re-initialised held. One still held or waited on was
 * reported when its memory was freed (or is simply re-initialised in place): it stays in the table,
 * detached from the address, so that its holders and waiters remain consistent.
 */
function forget(host: KernelHost, ctx: BuiltinContext, id: LockId, site: KernelSite): void {
	const lock = host.locks.table.lock(id);
	const busy = lock.owner !== null || lock.readers.length > 0 || lock.waiters.length > 0 || lock.spinners.length > 0;
	if (!busy) {
		host.locks.destroyLock(host.task(ctx), id, host.lockSite(site));
	}
}

/** The builtins' shared machinery. */
class LockBuiltins {
	constructor(
		private readonly host: KernelHost,
		readonly index: KernelLockIndex,
	) {}

	/**
	 * The lock object at `address` for a builtin of `kind`, created on first use. Returns FAULT when
	 * the lock's memory cannot be read (a wild lock pointer faults, as it would in Linux).
	 */
	lockAt(ctx: BuiltinContext, address: number, kind: KernelLockKind, site: KernelSite): LockId | BuiltinAction {
		const mem = ctx.mem;
		// Signed: a kernel pointer is then a number, not a bigint (only zero and its low 48 bits matter).
		const namePointer = mem.ld64s(address + 8);
		if (mem.fault !== null) {
			return FAULT;
		}
		const table = this.host.locks.table;
		const existing = table.lockAt(address);
		if (existing !== undefined && table.lock(existing).kind === kind) {
			return existing;
		}
		let name = `${kind}@${canonicalHex(address)}`;
		if (Number(namePointer) !== 0) {
			const text = this.host.literal(mem, toAddress(namePointer));
			if (text === undefined) {
				return FAULT;
			}
			name = text;
		}
		if (existing !== undefined) {
			// The memory now holds a lock of another kind: the old object is gone.
			forget(this.host, ctx, existing, site);
		}
		const id = this.host.locks.createLock({ kind, name, className: name, address });
		this.index.add(address);
		return id;
	}

	/** `spin_lock_init` and friends: writes the initial state and the class name, creates the lock. */
	init(kind: KernelLockKind): Builtin {
		return (ctx, args) => {
			const mem = ctx.mem;
			const address = toAddress(args[0]);
			const site = this.host.site(mem, args[2], args[3], args[4]);
			const className = this.host.literal(mem, toAddress(args[1]));
			if (site === undefined || className === undefined) {
				return FAULT;
			}
			// The state word and dep_map.name, as the Linux initialisers set them.
			if (kind === 'rwsem') {
				mem.st64(address, 0);
			} else {
				mem.st32(address, kind === 'mutex' ? 1 : 0);
			}
			if (mem.fault === null) {
				mem.st64(address + 8, ptrToI64(toAddress(args[1])));
			}
			if (mem.fault !== null) {
				return FAULT;
			}
			const locks = this.host.locks;
			const existing = locks.table.lockAt(address);
			if (existing !== undefined) {
				forget(this.host, ctx, existing, site);
			}
			const id = locks.createLock({ kind, name: `${className}@${canonicalHex(address)}`, className, address });
			this.index.add(address);
			this.index.initSites.set(id, site);
			return undefined;
		};
	}

	/**
	 * An acquisition: blocking (`trylock` false) or not. Returns the lock result mapped to the C
	 * return value by `answer`, or a block/fault action.
	 */
	acquire(
		ctx: BuiltinContext,
		args: readonly Value[],
		kind: KernelLockKind,
		mode: LockMode,
		siteAt: number,
		options: LockCallOptions,
		answer: (status: 'acquired' | 'busy' | 'interrupted') => Value | undefined,
		call: string,
	): Value | undefined | BuiltinAction {
		const mem = ctx.mem;
		const address = toAddress(args[0]);
		const site = this.host.site(mem, args[siteAt], args[siteAt + 1], args[siteAt + 2]);
		if (site === undefined) {
			return FAULT;
		}
		const id = this.lockAt(ctx, address, kind, site);
		if (typeof id !== 'number') {
			return id;
		}
		const locks = this.host.locks;
		const object = locks.table.lock(id);
		// Probe the state word first: a fault after the lock system acted would repeat the operation.
		syncWord(mem, address, object);
		if (mem.fault !== null) {
			return FAULT;
		}
		const task = this.host.task(ctx);
		const result = locks.tryAcquire(task, id, mode, this.host.lockSite(site), options);
		syncWord(mem, address, object);
		switch (result.status) {
			case 'acquired':
			case 'busy':
			case 'interrupted':
				return answer(result.status);
			case 'spin':
				return { kind: 'block', reason: `${SPIN_REASON_PREFIX} ${call}(${object.name}) at ${site.file}:${site.line}` };
			case 'blocked':
				return { kind: 'block', reason: `${SLEEP_REASON_PREFIX} ${call}(${object.name}) at ${site.file}:${site.line}` };
			default:
				// deadlk/already belong to ww_mutexes, which the KC headers do not offer yet.
				return { kind: 'trap', message: `${call}: unexpected lock result '${result.status}'` };
		}
	}

	release(ctx: BuiltinContext, args: readonly Value[], kind: KernelLockKind, mode: LockMode, downgrade = false): Value | undefined | BuiltinAction {
		const mem = ctx.mem;
		const address = toAddress(args[0]);
		const site = this.host.site(mem, args[1], args[2], args[3]);
		if (site === undefined) {
			return FAULT;
		}
		const id = this.lockAt(ctx, address, kind, site);
		if (typeof id !== 'number') {
			return id;
		}
		const object = this.host.locks.table.lock(id);
		syncWord(mem, address, object);
		if (mem.fault !== null) {
			return FAULT;
		}
		const task = this.host.task(ctx);
		if (downgrade) {
			this.host.locks.downgradeWrite(task, id, this.host.lockSite(site));
		} else {
			this.host.locks.release(task, id, this.host.lockSite(site), mode);
		}
		syncWord(mem, address, object);
		return undefined;
	}

	/** Whether the lock at the address is held by anyone. */
	isLocked(ctx: BuiltinContext, args: readonly Value[]): Value {
		const id = this.host.locks.table.lockAt(toAddress(args[0]));
		return id !== undefined && this.host.locks.table.lock(id).state !== 'unlocked' ? 1 : 0;
	}

	holds(task: TaskId, address: number, shared: boolean): boolean {
		const id = this.host.locks.table.lockAt(address);
		if (id === undefined) {
			return false;
		}
		return shared ? this.host.locks.holds(task, id, 'shared') : this.host.locks.holds(task, id, 'exclusive') || this.host.locks.holds(task, id, 'shared');
	}
}

/** The lock builtins by C name, and the index of lock objects in kernel memory. */
export function lockBuiltins(host: KernelHost): { readonly builtins: Map<string, Builtin>; readonly index: KernelLockIndex } {
	const index = new KernelLockIndex(host);
	const b = new LockBuiltins(host, index);
	const table = new Map<string, Builtin>();
	const done = (): undefined => undefined;
	const flag = (status: string): number => (status === 'acquired' ? 1 : 0);
	const interruptible = (status: string): number => (status === 'interrupted' ? -EINTR : 0);
	const subclass = (v: Value): number => Number(v) | 0;

	table.set('__kc_spin_lock_init', b.init('spinlock'));
	table.set('__kc_spin_lock', (ctx, args) => b.acquire(ctx, args, 'spinlock', 'exclusive', 2, { subclass: subclass(args[1]) }, done, 'spin_lock'));
	table.set('__kc_spin_trylock', (ctx, args) => b.acquire(ctx, args, 'spinlock', 'exclusive', 1, { trylock: true }, flag, 'spin_trylock'));
	table.set('__kc_spin_unlock', (ctx, args) => b.release(ctx, args, 'spinlock', 'exclusive'));
	table.set('__kc_spin_is_locked', (ctx, args) => b.isLocked(ctx, args));

	table.set('__kc_mutex_init', b.init('mutex'));
	table.set('__kc_mutex_lock', (ctx, args) => b.acquire(ctx, args, 'mutex', 'exclusive', 2, { subclass: subclass(args[1]) }, done, 'mutex_lock'));
	table.set('__kc_mutex_lock_interruptible', (ctx, args) =>
		b.acquire(ctx, args, 'mutex', 'exclusive', 2, { wait: Number(args[1]) !== 0 ? 'killable' : 'interruptible' }, interruptible,
			Number(args[1]) !== 0 ? 'mutex_lock_killable' : 'mutex_lock_interruptible'));
	table.set('__kc_mutex_trylock', (ctx, args) => b.acquire(ctx, args, 'mutex', 'exclusive', 1, { trylock: true }, flag, 'mutex_trylock'));
	table.set('__kc_mutex_unlock', (ctx, args) => b.release(ctx, args, 'mutex', 'exclusive'));
	table.set('__kc_mutex_is_locked', (ctx, args) => b.isLocked(ctx, args));

	table.set('__kc_init_rwsem', b.init('rwsem'));
	table.set('__kc_down_read', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'shared', 2, { subclass: subclass(args[1]) }, done, 'down_read'));
	table.set('__kc_down_write', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'exclusive', 2, { subclass: subclass(args[1]) }, done, 'down_write'));
	table.set('__kc_down_read_killable', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'shared', 1, { wait: 'killable' }, interruptible, 'down_read_killable'));
	table.set('__kc_down_write_killable', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'exclusive', 1, { wait: 'killable' }, interruptible, 'down_write_killable'));
	table.set('__kc_down_read_trylock', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'shared', 1, { trylock: true }, flag, 'down_read_trylock'));
	table.set('__kc_down_write_trylock', (ctx, args) => b.acquire(ctx, args, 'rwsem', 'exclusive', 1, { trylock: true }, flag, 'down_write_trylock'));
	table.set('__kc_up_read', (ctx, args) => b.release(ctx, args, 'rwsem', 'shared'));
	table.set('__kc_up_write', (ctx, args) => b.release(ctx, args, 'rwsem', 'exclusive'));
	table.set('__kc_downgrade_write', (ctx, args) => b.release(ctx, args, 'rwsem', 'exclusive', true));
	table.set('__kc_rwsem_is_locked', (ctx, args) => b.isLocked(ctx, args));

	table.set('__kc_lock_is_held', (ctx, args) => (b.holds(host.task(ctx), toAddress(args[0]), Number(args[1]) !== 0) ? 1 : 0));
	table.set('__kc_lockdep_assert_held', (ctx, args) => {
		const site = host.site(ctx.mem, args[1], args[2], args[3]);
		if (site === undefined) {
			return FAULT;
		}
		const task = host.task(ctx);
		if (!b.holds(task, toAddress(args[0]), false)) {
			const message = `lockdep_assert_held(${canonicalHex(toAddress(args[0]))}) failed: the lock is not held`;
			host.log.writeLines(4, `WARNING: CPU: ${host.cpu(ctx)} PID: ${task} at ${site.file}:${site.line} ${site.fn}\n${message}`, task);
			host.events.warning?.(task, message, site);
		}
		return undefined;
	});
	table.set('__kc_might_sleep', (ctx, args) => {
		const site = host.site(ctx.mem, args[0], args[1], args[2]);
		if (site === undefined) {
			return FAULT;
		}
		host.locks.mightSleep(host.task(ctx), host.lockSite(site), site.fn === '' ? 'might_sleep' : site.fn);
		return undefined;
	});
	table.set('__kc_preempt_disable', ctx => {
		host.locks.preemptDisable(host.task(ctx));
		return undefined;
	});
	table.set('__kc_preempt_enable', ctx => {
		host.locks.preemptEnable(host.task(ctx));
		return undefined;
	});
	table.set('debug_check_no_locks_freed', (ctx, args) => {
		const from = toAddress(args[0]);
		const len = Number(args[1]);
		const task = host.task(ctx);
		for (const address of index.within(from, len)) {
			const id = host.locks.table.lockAt(address);
			if (id === undefined) {
				index.remove(address);
				continue;
			}
			// A held or waited-on lock is reported ("held lock freed!") and kept in the lock table for
			// its holders and waiters; either way the freed memory no longer has a lock to report.
			host.locks.destroyLock(task, id, host.callerSite(ctx));
			index.remove(address);
			index.initSites.delete(id);
		}
		return undefined;
	});
	return { builtins: table, index };
}

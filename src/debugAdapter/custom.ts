// The `faultline/...` custom requests (layer: debugAdapter): typed by src/shared/debugProtocol.ts,
// answered from the engine's views. `travel` and `runTaskNext` change the machine; the session
// sends the stop that follows.

import { accessProcessVm, addressSpaces, devices, locks, parseMemoryReference, physicalMemory, readMachine, timeline, toBase64, type StopInfo } from '../sim/debug';
import { FaultlineRequests, type FaultlineRequestMap, type FaultlineRequestName, type PeekResponse } from '../shared/debugProtocol';
import type { AdapterContext } from './context';
import { RequestError } from './context';

/** Names of the custom requests, for dispatch. */
export const customRequests = new Set<string>(Object.values(FaultlineRequests));

/** Arguments as sent (untrusted): a plain object or nothing. */
function objectOf(args: unknown): Record<string, unknown> {
	return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

function optionalNumber(value: unknown, name: string): number | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new RequestError(`${name} must be a number`);
	return value;
}

/**
 * Answers a custom request that does not run the machine. `travel` and `runTaskNext` return a
 * promise of the stop (travel) or nothing (runTaskNext takes effect on the next continue).
 */
export function customRequest(context: AdapterContext, command: FaultlineRequestName, raw: unknown): FaultlineRequestMap[FaultlineRequestName]['response'] | Promise<{ body: FaultlineRequestMap['faultline/travel']['response']; stop: StopInfo }> {
	const args = objectOf(raw);
	switch (command) {
		case 'faultline/addressSpaces': {
			const engine = context.requireStopped();
			const pid = optionalNumber(args.pid, 'pid');
			return addressSpaces(engine, {
				...(pid === undefined ? {} : { pid }),
				...(typeof args.vma === 'string' ? { vma: args.vma } : {}),
				...(optionalNumber(args.start, 'start') === undefined ? {} : { start: args.start as number }),
				...(optionalNumber(args.count, 'count') === undefined ? {} : { count: args.count as number }),
			});
		}
		case 'faultline/physicalMemory': {
			const engine = context.requireStopped();
			const region = optionalNumber(args.region, 'region');
			return physicalMemory(engine, {
				...(region === undefined ? {} : { region }),
				...(optionalNumber(args.start, 'start') === undefined ? {} : { start: args.start as number }),
				...(optionalNumber(args.count, 'count') === undefined ? {} : { count: args.count as number }),
			});
		}
		case 'faultline/devices':
			return devices(context.requireStopped());
		case 'faultline/locks':
			return locks(context.requireStopped());
		case 'faultline/timeline': {
			const engine = context.requireEngine();
			const pid = optionalNumber(args.pid, 'pid');
			const kinds = Array.isArray(args.kinds) ? args.kinds.filter((k): k is never => typeof k === 'string') : undefined;
			return timeline(engine, {
				...(pid === undefined ? {} : { pid }),
				...(kinds === undefined ? {} : { kinds }),
				...(optionalNumber(args.start, 'start') === undefined ? {} : { start: args.start as number }),
				...(optionalNumber(args.count, 'count') === undefined ? {} : { count: args.count as number }),
			});
		}
		case 'faultline/peek': {
			const engine = context.requireStopped();
			if (typeof args.address !== 'string') throw new RequestError('peek needs an address (0x...)');
			const length = optionalNumber(args.length, 'length') ?? 16;
			if (length < 0 || length > 1 << 20) throw new RequestError('length must be between 0 and 1 MiB');
			const reference = parseMemoryReference(args.physical === true ? `phys:${args.address}` : args.address);
			if (reference === undefined) throw new RequestError(`'${args.address}' is not an address`);
			const pid = optionalNumber(args.pid, 'pid') ?? context.selectedPid ?? engine.lastStop?.pid;
			const task = pid === undefined ? undefined : engine.task(pid);
			let read;
			if (args.path === 'ptrace') {
				if (task === undefined || task.state === 'dead') throw new RequestError('peek through ptrace needs a live process (pid)');
				if (reference.physical) throw new RequestError('the ptrace path reads virtual addresses');
				read = accessProcessVm(engine, task, reference.address, length);
			} else if (args.path === 'machine') {
				read = readMachine(engine, task, reference, length);
			} else throw new RequestError(`path must be 'ptrace' or 'machine'`);
			const response: PeekResponse = { data: toBase64(read.bytes), bytesRead: read.bytes.length, via: read.via, ...(read.error === undefined ? {} : { error: read.error }) };
			return response;
		}
		case 'faultline/runTaskNext': {
			const engine = context.requireStopped();
			const threadId = optionalNumber(args.threadId, 'threadId');
			if (threadId === undefined) throw new RequestError('runTaskNext needs a threadId');
			const problem = engine.runTaskNext(threadId, optionalNumber(args.statements, 'statements'));
			if (problem !== undefined) throw new RequestError(problem);
			return {};
		}
		case 'faultline/travel': {
			const engine = context.requireStopped();
			const eventId = optionalNumber(args.eventId, 'eventId');
			const time = optionalNumber(args.time, 'time');
			if ((eventId === undefined) === (time === undefined)) throw new RequestError('travel needs exactly one of eventId and time');
			if (!engine.canReverse) throw new RequestError('time travel is off (checkpointInterval 0)');
			context.invalidate();
			const promise = eventId !== undefined ? engine.travelToEvent(eventId) : engine.travel(time!);
			return promise.then(stop => ({ body: { time: engine.executed, ...(stop.pid === undefined ? {} : { threadId: stop.pid }) }, stop }));
		}
	}
}

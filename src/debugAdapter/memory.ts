// readMemory / writeMemory (layer: debugAdapter). A memory reference is a canonical hex address or
// `phys:0x...`. User addresses of the selected thread's process are read through the simulated
// kernel's access_process_vm (the ptrace path: the era's behaviour, driver ->access included);
// kernel addresses through the kernel's page tables and physical references as RAM holds them.
// Bytes that cannot be read are reported as `unreadableBytes`, never as the end of memory.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { accessProcessVm, fromBase64, MAX_READ, parseMemoryReference, readMachine, toBase64, writeMachine } from '../sim/debug';
import type { AdapterContext } from './context';
import { RequestError } from './context';

/** The first kernel address (bit 47). */
const KERNEL_HALF = 2 ** 47;

export function readMemory(context: AdapterContext, args: DebugProtocol.ReadMemoryArguments): DebugProtocol.ReadMemoryResponse['body'] {
	const engine = context.requireStopped();
	const count = Math.max(0, Math.min(Number(args.count) || 0, MAX_READ));
	const reference = parseMemoryReference(String(args.memoryReference ?? ''), Number(args.offset ?? 0) || 0);
	if (reference === undefined) throw new RequestError(`'${String(args.memoryReference)}' is not a memory reference (0x... or phys:0x...)`);
	const pid = context.selectedPid ?? engine.lastStop?.pid;
	const task = pid === undefined ? undefined : engine.task(pid);
	const user = !reference.physical && reference.address < KERNEL_HALF && task !== undefined && task.state !== 'dead';
	const read = user ? accessProcessVm(engine, task, reference.address, count) : readMachine(engine, task, reference, count);
	const address = reference.physical ? `phys:0x${reference.address.toString(16)}` : `0x${reference.address.toString(16)}`;
	return { address, data: toBase64(read.bytes), unreadableBytes: count - read.bytes.length };
}

export function writeMemory(context: AdapterContext, args: DebugProtocol.WriteMemoryArguments): DebugProtocol.WriteMemoryResponse['body'] {
	const engine = context.requireStopped();
	const reference = parseMemoryReference(String(args.memoryReference ?? ''), Number(args.offset ?? 0) || 0);
	if (reference === undefined) throw new RequestError(`'${String(args.memoryReference)}' is not a memory reference`);
	const data = fromBase64(String(args.data ?? ''));
	const pid = context.selectedPid ?? engine.lastStop?.pid;
	const task = pid === undefined ? undefined : engine.task(pid);
	if (!reference.physical && reference.address < KERNEL_HALF && task !== undefined && task.state !== 'dead') {
		const result = accessProcessVm(engine, task, reference.address, data.length, data);
		if (result.bytes.length === 0 && result.error !== undefined) throw new RequestError(result.error);
		return { bytesWritten: result.bytes.length };
	}
	let written = 0;
	engine.edit(`write ${data.length} bytes at ${reference.physical ? 'phys:' : ''}0x${reference.address.toString(16)}`, () => {
		written = writeMachine(engine, task, reference, data);
	});
	return { bytesWritten: written };
}

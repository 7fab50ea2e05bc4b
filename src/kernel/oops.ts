// The first line of a kernel oops for a fault in kernel mode (layer: kernel), as x86's
// page_fault_oops prints it; shared by the boot (a fault in start_kernel) and the process layer.

import type { MemoryFault } from '../interp/contracts';
import { canonicalHex } from './builtins';

/** `BUG: kernel NULL pointer dereference, address: ...` below 4 KiB, else the unable-to-handle line. */
export function kernelFaultMessage(fault: MemoryFault): string {
	const address = canonicalHex(fault.address);
	return fault.address < 4096
		? `BUG: kernel NULL pointer dereference, address: ${address}`
		: `BUG: unable to handle page fault for address: ${address} (${fault.access}, ${fault.reason})`;
}

// Values a host hands to KC functions (a builtin's `call` action, a new thread's entry arguments)
// are converted to the parameters' representation, as a call from KC code converts them
// (src/interp/contracts.ts): a bigint canonical kernel address for a pointer parameter becomes the
// 48-bit number, out-of-range integers wrap to the parameter's type, _Bool becomes 0 or 1.

import * as assert from 'node:assert/strict';
import type { Builtin } from '../../../src/interp/contracts';
import { createThread, run } from '../../../src/interp/cpu';
import { load } from './harness';

const source = `
int printf(const char *fmt, ...);
unsigned long back(long x);
void show(char *p, unsigned char c, _Bool b, int i) {
	printf("%lx %d %d %d\\n", (unsigned long)p, c, b, i);
}
unsigned long twice(void *p) { return (unsigned long)p; }
int main(void) {
	printf("%lx\\n", back(0));
	return 0;
}
`;

// back() asks the CPU to call twice(p) with a canonical kernel address given as a bigint.
const builtins = new Map<string, Builtin>([['back', () => ({ kind: 'call', target: 'twice', args: [0xffff888000001000n] })]]);

describe('CPU: arguments from the host', () => {
	it('converts the bigint kernel address to the 48-bit pointer form', () => {
		const m = load(source, ['prog'], builtins);
		const stop = run(m.thread, 1_000_000);
		assert.equal(stop.kind, 'exited', JSON.stringify(stop));
		// Back in KC, converting the pointer to long sign-extends bit 47 again: the canonical address.
		assert.equal(m.out.text, 'ffff888000001000\n');
	});

	it('wraps entry arguments of a new thread to the parameter types', () => {
		const m = load(source, ['prog'], builtins);
		const thread = createThread(m.program, m.memory, 'show', [0xffff888000002000n, 300, 7, 2 ** 32 + 5], { threadId: 1 });
		const stop = run(thread, 1_000_000);
		assert.equal(stop.kind, 'exited', JSON.stringify(stop));
		assert.equal(m.out.text, 'ffff888000002000 44 1 5\n');
	});
});

// glibc's random()/rand(): the TYPE_3 additive feedback generator, x**31 + x**3 + 1, with its
// state in simulated memory so that the sequence survives snapshots (layer: interp).
//
// Same seed, same numbers as glibc: srand(1) (also the state before any srand) starts
// 1804289383, 846930886, 1681692777, ...

import type { MemoryBus } from '../contracts';

/** Degree and separation of the TYPE_3 generator. */
const DEGREE = 31;
const SEPARATION = 3;

/** Addresses of the generator's state: DEGREE int32 words, then front and rear indices (uint32). */
export interface RandomState {
	readonly table: number;
	readonly front: number;
	readonly rear: number;
}

/** srandom(seed): glibc's srandom_r for TYPE_3, including the 310 discarded outputs. */
export function seedRandom(mem: MemoryBus, state: RandomState, seed: number): void {
	// glibc keeps the seed in an int32_t: seeds above INT_MAX start negative.
	let word = seed === 0 ? 1 : seed | 0;
	const table = new Int32Array(DEGREE);
	table[0] = word;
	for (let i = 1; i < DEGREE; i++) {
		// state[i] = (16807 * state[i - 1]) % 2147483647 without overflowing 31 bits (Schrage),
		// with C's truncating division and remainder.
		const hi = Math.trunc(word / 127773);
		const lo = word % 127773;
		word = 16807 * lo - 2836 * hi;
		if (word < 0) {
			word += 2147483647;
		}
		table[i] = word;
	}
	let front = SEPARATION;
	let rear = 0;
	for (let k = 0; k < DEGREE * 10; k++) {
		({ front, rear } = step(table, front, rear).next);
	}
	store(mem, state, table, front, rear);
}

/** random(): the next value, 0 .. 2^31-1. Touches only the two table words it combines. */
export function nextRandom(mem: MemoryBus, state: RandomState): number {
	let front = mem.ld32u(state.front);
	let rear = mem.ld32u(state.rear);
	if (front >= DEGREE || rear >= DEGREE) {
		// The program overwrote the C library's state; glibc would use wild pointers. Restart cleanly.
		front = SEPARATION;
		rear = 0;
	}
	const sum = (mem.ld32s(state.table + 4 * front) + mem.ld32s(state.table + 4 * rear)) | 0;
	mem.st32(state.table + 4 * front, sum);
	const next = advance(front, rear);
	mem.st32(state.front, next.front);
	mem.st32(state.rear, next.rear);
	return (sum >>> 1) & 0x7fffffff;
}

function step(table: Int32Array, front: number, rear: number): { value: number; next: { front: number; rear: number } } {
	const sum = (table[front] + table[rear]) | 0;
	table[front] = sum;
	return { value: (sum >>> 1) & 0x7fffffff, next: advance(front, rear) };
}

/** Moves both pointers one word on, wrapping as glibc's random_r does. */
function advance(front: number, rear: number): { front: number; rear: number } {
	front++;
	if (front >= DEGREE) {
		front = 0;
		rear++;
	} else {
		rear++;
		if (rear >= DEGREE) {
			rear = 0;
		}
	}
	return { front, rear };
}

function store(mem: MemoryBus, state: RandomState, table: Int32Array, front: number, rear: number): void {
	for (let i = 0; i < DEGREE; i++) {
		mem.st32(state.table + 4 * i, table[i]);
	}
	mem.st32(state.front, front);
	mem.st32(state.rear, rear);
}

// Unit tests for the seeded generator (layer: base): reference vectors of xoshiro128** from the
// authors' C code, determinism, state round trips, fork independence and distribution sanity.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Random } from '../../../src/base/random';

function take(random: Random, count: number): number[] {
	const values: number[] = [];
	for (let i = 0; i < count; i++) {
		values.push(random.nextU32());
	}
	return values;
}

describe('Random', () => {
	it('matches the reference xoshiro128** output and jump', () => {
		// Produced by the reference C implementation (xoshiro128starstar.c) from state {1, 2, 3, 4}.
		const random = Random.fromState([1, 2, 3, 4]);
		assert.deepEqual(take(random, 6), [0x00002d00, 0x00000000, 0x005a7080, 0x04389d80, 0x79199d9b, 0x61963b24]);
		random.jump();
		assert.deepEqual(random.state(), [0xcfb4fd44, 0x45cd4691, 0xf6c0ab3f, 0xacd276b1]);
		assert.deepEqual(take(random, 3), [0x8ab3c01e, 0x43fc92ef, 0x36700c70]);
	});

	it('gives the same sequence for the same seed and different ones for different seeds', () => {
		fc.assert(fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (a, b) => {
			assert.deepEqual(take(Random.fromSeed(a), 8), take(Random.fromSeed(a), 8));
			if (a !== b) {
				assert.notDeepEqual(take(Random.fromSeed(a), 8), take(Random.fromSeed(b), 8));
			}
		}), { numRuns: 200 });
		// Seeds that differ only in their high 32 bits, or by sign, still differ.
		assert.notDeepEqual(take(Random.fromSeed(1), 4), take(Random.fromSeed(1 + 2 ** 32), 4));
		assert.notDeepEqual(take(Random.fromSeed(5), 4), take(Random.fromSeed(-5), 4));
	});

	it('continues identically from a saved state', () => {
		const random = Random.fromSeed(42);
		take(random, 17);
		const state = random.state();
		const copy = Random.fromState(JSON.parse(JSON.stringify(state)));
		assert.deepEqual(take(random, 32), take(copy, 32));
	});

	it('replaces the all-zero state, which xoshiro cannot leave', () => {
		const random = Random.fromState([0, 0, 0, 0]);
		assert.ok(take(random, 4).some(v => v !== 0));
	});

	it('forks deterministic, non-overlapping streams', () => {
		const parent = Random.fromSeed(7);
		const child = parent.fork();
		const again = Random.fromSeed(7);
		const againChild = again.fork();
		const childValues = take(child, 64);
		const parentValues = take(parent, 64);
		assert.deepEqual(childValues, take(againChild, 64));
		assert.deepEqual(parentValues, take(again, 64));
		// The child continues the unforked stream; the parent jumped away from it.
		assert.deepEqual(childValues, take(Random.fromSeed(7), 64));
		const shared = new Set(childValues);
		assert.ok(parentValues.filter(v => shared.has(v)).length <= 1);
	});

	it('draws integers in range with roughly uniform frequencies', () => {
		const random = Random.fromSeed(2024);
		const buckets = new Array<number>(10).fill(0);
		const draws = 100_000;
		for (let i = 0; i < draws; i++) {
			const value = random.nextInt(10);
			assert.ok(Number.isInteger(value) && value >= 0 && value < 10);
			buckets[value]++;
		}
		// Chi-squared with 9 degrees of freedom: 27.88 is the 0.001 critical value.
		const expected = draws / 10;
		const chiSquared = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
		assert.ok(chiSquared < 27.88, `chi-squared ${chiSquared} for ${buckets.join(',')}`);
		// Each bit of nextU32 is set about half the time.
		const ones = new Array<number>(32).fill(0);
		for (let i = 0; i < 20_000; i++) {
			const value = random.nextU32();
			for (let bit = 0; bit < 32; bit++) {
				ones[bit] += (value >>> bit) & 1;
			}
		}
		for (const count of ones) {
			assert.ok(count > 9_500 && count < 10_500, `bit frequency ${count}/20000`);
		}
	});

	it('handles the extreme bounds and rejects bad arguments', () => {
		const random = Random.fromSeed(3);
		assert.equal(random.nextInt(1), 0);
		const big = random.nextInt(2 ** 32);
		assert.ok(big >= 0 && big < 2 ** 32);
		for (let i = 0; i < 100; i++) {
			const value = random.nextRange(-3, 3);
			assert.ok(value >= -3 && value <= 3);
		}
		assert.equal(random.chance(0, 5), false);
		assert.equal(random.chance(5, 5), true);
		assert.throws(() => random.nextInt(0), RangeError);
		assert.throws(() => random.nextInt(1.5), RangeError);
		assert.throws(() => random.nextInt(2 ** 32 + 1), RangeError);
		assert.throws(() => Random.fromSeed(0.5), RangeError);
		assert.throws(() => Random.fromState([1, 2, 3] as unknown as [number, number, number, number]), RangeError);
	});
});

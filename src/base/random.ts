// A small seeded pseudo-random generator for deterministic simulation (layer: base).
// xoshiro128** 1.1 by David Blackman and Sebastiano Vigna (public domain), on 32-bit integer math,
// seeded through a 32-bit splitmix-style mixer. Same seed, same sequence, on every host: the
// scheduler's random policy and any seeded choice below `sim` use this instead of `Math.random`.

/** The whole state of a generator: four unsigned 32-bit words, never all zero. JSON-serializable. */
export type RandomState = readonly [number, number, number, number];

/** Jump polynomial of xoshiro128: advances the state by 2^64 steps (from the reference C code). */
const jumpPolynomial: readonly number[] = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

const twoPow32 = 0x1_0000_0000;

function rotateLeft(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Mixes a 32-bit counter into a well-distributed 32-bit word (the finalizer of a 32-bit splitmix
 * variant). Used only to expand seeds into generator states.
 */
function mix32(counter: number): number {
	let z = counter >>> 0;
	z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
	z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
	return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A deterministic generator. Not for cryptography. Every method is pure 32-bit arithmetic, so the
 * sequence does not depend on the host.
 */
export class Random {
	private s0: number;
	private s1: number;
	private s2: number;
	private s3: number;

	private constructor(state: RandomState) {
		[this.s0, this.s1, this.s2, this.s3] = state.map(word => word >>> 0);
		// Invariant: the all-zero state is a fixed point of xoshiro and is never allowed.
		if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
			this.s0 = 0x9e3779b9;
		}
	}

	/**
	 * A generator seeded from any safe integer (negative values and values above 2^32 included:
	 * both 32-bit halves enter the state). Equal seeds give equal sequences.
	 */
	static fromSeed(seed: number): Random {
		if (!Number.isSafeInteger(seed)) {
			throw new RangeError(`Random seed must be a safe integer, got ${seed}`);
		}
		const low = seed >>> 0;
		const high = Math.floor(seed / twoPow32) >>> 0;
		let counter = mix32(low ^ mix32(high ^ 0x6a09e667));
		const words: number[] = [];
		for (let i = 0; i < 4; i++) {
			counter = (counter + 0x9e3779b9) >>> 0;
			words.push(mix32(counter));
		}
		return new Random(words as unknown as RandomState);
	}

	/** A generator that continues exactly from a state returned by `state()`. */
	static fromState(state: RandomState): Random {
		if (state.length !== 4 || state.some(word => !Number.isInteger(word) || word < 0 || word >= twoPow32)) {
			throw new RangeError('Random state must be four unsigned 32-bit integers');
		}
		return new Random(state);
	}

	/** The current state, for snapshots. `Random.fromState(r.state())` continues identically. */
	state(): RandomState {
		return [this.s0, this.s1, this.s2, this.s3];
	}

	/** The next unsigned 32-bit value, uniform over [0, 2^32). */
	nextU32(): number {
		const result = Math.imul(rotateLeft(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
		const t = (this.s1 << 9) >>> 0;
		this.s2 = (this.s2 ^ this.s0) >>> 0;
		this.s3 = (this.s3 ^ this.s1) >>> 0;
		this.s1 = (this.s1 ^ this.s2) >>> 0;
		this.s0 = (this.s0 ^ this.s3) >>> 0;
		this.s2 = (this.s2 ^ t) >>> 0;
		this.s3 = rotateLeft(this.s3, 11);
		return result;
	}

	/**
	 * A uniform integer in [0, n) for an integer 1 <= n <= 2^32, without modulo bias (values from the
	 * incomplete last block of 2^32 are rejected and drawn again).
	 */
	nextInt(n: number): number {
		if (!Number.isInteger(n) || n < 1 || n > twoPow32) {
			throw new RangeError(`Random.nextInt bound must be an integer in [1, 2^32], got ${n}`);
		}
		// The largest multiple of n that fits in 2^32; values at or above it would bias the result.
		const limit = twoPow32 - (twoPow32 % n);
		for (;;) {
			const value = this.nextU32();
			if (value < limit) {
				return value % n;
			}
		}
	}

	/** A uniform integer in [low, high] (both inclusive, high - low < 2^32). */
	nextRange(low: number, high: number): number {
		if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high < low) {
			throw new RangeError(`Random.nextRange needs integers low <= high, got ${low}, ${high}`);
		}
		return low + this.nextInt(high - low + 1);
	}

	/** True with probability numerator/denominator (integers, 0 <= numerator <= denominator <= 2^32). */
	chance(numerator: number, denominator: number): boolean {
		if (!Number.isInteger(numerator) || numerator < 0 || numerator > denominator) {
			throw new RangeError(`Random.chance needs 0 <= numerator <= denominator, got ${numerator}/${denominator}`);
		}
		return this.nextInt(denominator) < numerator;
	}

	/**
	 * Splits off an independent generator. The child continues this generator's current stream and
	 * this generator jumps 2^64 values ahead, so the two sequences never overlap in practice (the
	 * reference `jump()` of xoshiro128**). Deterministic: forking the same state gives the same pair.
	 */
	fork(): Random {
		const child = new Random(this.state());
		this.jump();
		return child;
	}

	/** Advances the state by 2^64 calls of `nextU32`. */
	jump(): void {
		let a = 0, b = 0, c = 0, d = 0;
		for (const word of jumpPolynomial) {
			for (let bit = 0; bit < 32; bit++) {
				if ((word >>> bit) & 1) {
					a ^= this.s0;
					b ^= this.s1;
					c ^= this.s2;
					d ^= this.s3;
				}
				this.nextU32();
			}
		}
		this.s0 = a >>> 0;
		this.s1 = b >>> 0;
		this.s2 = c >>> 0;
		this.s3 = d >>> 0;
	}
}

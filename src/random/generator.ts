/**
 * The library's one source of randomness: xoshiro128** (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021).
 *
 * Why this algorithm: its state is four 32-bit words, so every step is exact 32-bit integer arithmetic
 * (`Math.imul`, shifts, xor) that JavaScript engines run natively and identically in Node and every
 * browser, which is what "same seed, same numbers, bit for bit" needs. It passes BigCrush, has period
 * 2^128 - 1, and has a jump function that advances it by 2^64 steps, which gives each sampler chain its
 * own non-overlapping stream. PCG32 or xoshiro256** would need 64-bit multiplies, emulated in JS.
 *
 * Taught in the chapter "The data" (the simulator is the first user); chains use `jump` in Part V.
 */
import { InvalidInputError } from '../errors';

/** A seeded generator. It is mutable: each call advances it. Pass it explicitly; never share it by accident. */
export interface Rng {
  /** The next 32 random bits, as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform double in [0, 1) carrying 53 random bits. */
  uniform(): number;
  /** An independent generator with the same state: both will produce the same sequence. */
  clone(): Rng;
  /** Advances this generator by 2^64 steps, in place; returns it. */
  jump(): Rng;
  /** The four state words, for saving and restoring with `rngFromState`. */
  state(): [number, number, number, number];
}

/** SplitMix32 (a 32-bit variant of Steele, Lea and Flood's SplitMix): spreads a seed over the state. */
function splitMix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [x, z >>> 0];
}

/** 32-bit FNV-1a hash, used only to turn a string seed into a number. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
const TWO_POW_32 = 4294967296;

class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  uniform(): number {
    // 27 high bits of one word and 26 of the next make a 53-bit integer, scaled into [0, 1):
    // every double of the form k / 2^53 is equally likely, the finest uniform grid a double holds.
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  clone(): Rng {
    return new Xoshiro128StarStar(this.s0, this.s1, this.s2, this.s3);
  }

  jump(): Rng {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if (word & (1 << bit)) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
    return this;
  }

  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

/**
 * A generator seeded from a number (any safe integer) or a string.
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // the same value on every machine and in every browser
 */
export function createRng(seed: number | string): Rng {
  let key: number;
  let high = 0;
  if (typeof seed === 'string') {
    key = hashString(seed);
  } else {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidInputError('seed', `expected a safe integer or a string, got ${seed}`);
    }
    const abs = Math.abs(seed);
    key = abs % TWO_POW_32;
    high = Math.floor(abs / TWO_POW_32) + (seed < 0 ? 0x200000 : 0);
  }
  // Mix the high part in first so that seeds 1 and 2^32 + 1 give unrelated streams.
  let [x] = splitMix32(high);
  x = (x ^ key) | 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [next, out] = splitMix32(x);
    x = next;
    words.push(out);
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1; // the all-zero state is a fixed point
  return new Xoshiro128StarStar(words[0], words[1], words[2], words[3]);
}

/** Restores a generator from the four words returned by `rng.state()`. */
export function rngFromState(state: readonly number[]): Rng {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w >= TWO_POW_32)) {
    throw new InvalidInputError('state', 'expected four unsigned 32-bit integers');
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) {
    throw new InvalidInputError('state', 'the all-zero state is not a valid xoshiro128** state');
  }
  return new Xoshiro128StarStar(state[0], state[1], state[2], state[3]);
}

/**
 * `count` independent generators for parallel work (one per sampler chain): stream k is the seed's
 * generator jumped k + 1 times, so the streams cannot overlap within 2^64 draws each.
 */
export function independentStreams(seed: number | string, count: number): Rng[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidInputError('count', `expected a positive integer, got ${count}`);
  }
  const base = createRng(seed);
  const streams: Rng[] = [];
  for (let k = 0; k < count; k++) streams.push(base.jump().clone());
  return streams;
}

/** Accepts a seed or a generator, as every stochastic function in the library does. */
export function toRng(seedOrRng: number | string | Rng): Rng {
  return typeof seedOrRng === 'object' ? seedOrRng : createRng(seedOrRng);
}

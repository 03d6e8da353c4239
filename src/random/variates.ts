/**
 * Random variates drawn from a seeded `Rng`. Each function consumes a deterministic number of
 * generator outputs for given parameters only where the algorithm allows; rejection samplers
 * (polar normal, Marsaglia–Tsang gamma) consume a random number, but always the same for the same seed.
 *
 * Taught in the chapter "The data"; the samplers of Part V draw their momenta with `normal`.
 */
import { InvalidInputError } from '../errors';
import type { Rng } from './generator';

function requirePositive(input: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite positive number, got ${value}`);
  }
}

/** Uniform on [low, high). */
export function uniform(rng: Rng, low = 0, high = 1): number {
  if (!(high > low) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new InvalidInputError('high', `expected finite bounds with low < high, got [${low}, ${high})`);
  }
  return low + (high - low) * rng.uniform();
}

/** A uniform integer in {0, 1, ..., n - 1}, without modulo bias (Lemire's rejection on 32 bits). */
export function integer(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
    throw new InvalidInputError('n', `expected an integer in [1, 2^32], got ${n}`);
  }
  // Reject the top partial block of 2^32 so that every residue is equally likely.
  const limit = 4294967296 - (4294967296 % n);
  let x: number;
  do x = rng.nextUint32();
  while (x >= limit);
  return x % n;
}

/**
 * Standard normal by Marsaglia's polar method: exact (no approximation of the inverse CDF), and it
 * needs only `log` and `sqrt`, which round identically everywhere, unlike `sin`/`cos` in Box–Muller.
 * One of the pair is returned and the other discarded, so the generator carries no hidden state.
 */
export function standardNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.uniform() - 1;
    const v = 2 * rng.uniform() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Normal with the given mean and standard deviation. */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new InvalidInputError('sd', `expected a finite sd >= 0, got ${sd}`);
  return mean + sd * standardNormal(rng);
}

/** A Float64Array of `n` independent standard normals. */
export function standardNormals(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = standardNormal(rng);
  return out;
}

/** Exponential with the given rate, by inversion: -log(1 - U) / rate (1 - U is in (0, 1]). */
export function exponential(rng: Rng, rate = 1): number {
  requirePositive('rate', rate);
  return -Math.log(1 - rng.uniform()) / rate;
}

/**
 * log of a Gamma(shape, 1) variate. Working on the log scale keeps tiny shapes (say 0.01, common in
 * sparse Dirichlet priors) from underflowing to 0, which would turn Beta and Dirichlet draws into 0/0.
 *
 * Marsaglia and Tsang (2000), "A simple method for generating gamma variables", for shape >= 1; for
 * shape < 1 their boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function logGamma1(rng: Rng, shape: number): number {
  requirePositive('shape', shape);
  if (shape < 1) {
    const u = 1 - rng.uniform(); // in (0, 1]
    return logGamma1(rng, shape + 1) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return Math.log(d * v);
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/** Gamma with shape k and scale θ (mean kθ, variance kθ²). */
export function gamma(rng: Rng, shape: number, scale = 1): number {
  requirePositive('scale', scale);
  return Math.exp(logGamma1(rng, shape)) * scale;
}

/** Beta(a, b), as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed from logs so tiny shapes work. */
export function beta(rng: Rng, a: number, b: number): number {
  requirePositive('a', a);
  requirePositive('b', b);
  const lx = logGamma1(rng, a);
  const ly = logGamma1(rng, b);
  // X / (X + Y) = 1 / (1 + exp(ly - lx)), stable for any difference of logs.
  return 1 / (1 + Math.exp(ly - lx));
}

/** Dirichlet(α): normalized independent gammas, normalized on the log scale (log-sum-exp). */
export function dirichlet(rng: Rng, alpha: ArrayLike<number>): Float64Array {
  const k = alpha.length;
  if (k < 2) throw new InvalidInputError('alpha', `expected at least two concentrations, got ${k}`);
  const logs = new Float64Array(k);
  let max = -Infinity;
  for (let i = 0; i < k; i++) {
    requirePositive(`alpha[${i}]`, alpha[i]);
    logs[i] = logGamma1(rng, alpha[i]);
    if (logs[i] > max) max = logs[i];
  }
  let total = 0;
  for (let i = 0; i < k; i++) {
    logs[i] = Math.exp(logs[i] - max);
    total += logs[i];
  }
  for (let i = 0; i < k; i++) logs[i] /= total;
  return logs;
}

/** Student-t with ν degrees of freedom, location and scale: Z / sqrt(G / ν) with G ~ Gamma(ν/2, 2). */
export function studentT(rng: Rng, nu: number, location = 0, scale = 1): number {
  requirePositive('nu', nu);
  requirePositive('scale', scale);
  const z = standardNormal(rng);
  const chi2 = 2 * Math.exp(logGamma1(rng, nu / 2));
  return location + scale * z / Math.sqrt(chi2 / nu);
}

/** Bernoulli(p) as 0 or 1. */
export function bernoulli(rng: Rng, p: number): 0 | 1 {
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError('p', `expected a probability in [0, 1], got ${p}`);
  return rng.uniform() < p ? 1 : 0;
}

/** Poisson(λ): Knuth's multiplication method for small λ, otherwise a sum of smaller Poissons. */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new InvalidInputError('lambda', `expected a finite rate >= 0, got ${lambda}`);
  }
  // Poisson(a + b) = Poisson(a) + Poisson(b): split large rates so exp(-λ) never underflows.
  let count = 0;
  let remaining = lambda;
  while (remaining > 0) {
    const part = Math.min(remaining, 30);
    remaining -= part;
    const limit = Math.exp(-part);
    let product = rng.uniform();
    while (product > limit) {
      count++;
      product *= rng.uniform();
    }
  }
  return count;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(rng: Rng, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = integer(rng, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/** A new array with the elements of `values` in uniformly random order; the input is not changed. */
export function shuffle<T>(rng: Rng, values: readonly T[]): T[] {
  const order = permutation(rng, values.length);
  return Array.from(order, (i) => values[i]);
}

/** `n` indices drawn uniformly with replacement from 0..size-1: the bootstrap's resampling step. */
export function resampleIndices(rng: Rng, size: number, n = size): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = integer(rng, size);
  return out;
}

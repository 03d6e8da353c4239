/**
 * What every distribution provides, in two forms:
 *
 * - a `DistributionFamily`: plain functions of (x, parameters) with no validation and no allocation,
 *   which the autodiff tape fuses into vector log-density nodes and calls in the samplers' hot loop;
 * - a `Distribution`: an object for given, validated parameters (`Normal(0, 1)`), with its log density
 *   and gradient, draws, CDF, quantile, moments and support, for readers and for priors.
 *
 * The log density is split as log p(x | θ) = logNormalizer(θ) + logKernel(x, θ): the normalizer depends
 * on the parameters only (log Γ terms, log σ), so a fused node over n observations with scalar
 * parameters evaluates it, and its gradient, once instead of n times.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { InvalidInputError } from '../../errors';
import type { Rng } from '../../random/index';
import type { Bijection } from '../bijections';

/** At most three parameters (Student-t has ν, μ, σ); unused ones are passed as 0 and ignored. */
export interface DistributionFamily {
  /** Capitalized name, as the constructor: `'Normal'`. */
  readonly name: string;
  /** Parameter names in order: `['mu', 'sigma']`. */
  readonly parameters: readonly string[];
  /** Whether (a, b, c) lies in the parameter space (e.g. σ > 0 and finite). */
  validParameters(a: number, b: number, c: number): boolean;
  /** The part of log p that depends on the parameters only. */
  logNormalizer(a: number, b: number, c: number): number;
  /** log p(x) − logNormalizer; −∞ outside the support. */
  logKernel(x: number, a: number, b: number, c: number): number;
  /** Writes ∂ logNormalizer / ∂(a, b, c) into out[1], out[2], out[3] (out[0] is left alone). */
  gradLogNormalizer(a: number, b: number, c: number, out: Float64Array): void;
  /** Writes ∂ logKernel / ∂(x, a, b, c) into out[0..3], for x inside the support. */
  gradLogKernel(x: number, a: number, b: number, c: number, out: Float64Array): void;
}

/** A closed or open interval of the real line, the set where the density is positive. */
export interface Support {
  readonly lower: number;
  readonly upper: number;
}

/**
 * A distribution with fixed parameters. `P` names its parameters, so that `gradLogDensity` of a
 * `Normal` is typed `{ x, mu, sigma }`.
 */
export interface Distribution<P extends string = string> {
  readonly name: string;
  /** The family's plain functions, for fused log-density nodes on the autodiff tape. */
  readonly family: DistributionFamily;
  readonly parameters: Readonly<Record<P, number>>;
  readonly support: Support;
  /** log p(x); −∞ outside the support. Throws on a non-numeric x. */
  logDensity(x: number): number;
  /** ∂ log p(x) / ∂x and with respect to each parameter. Throws outside the support. */
  gradLogDensity(x: number): Record<'x' | P, number>;
  /** One draw, from the library's seeded generator. */
  sample(rng: Rng): number;
  /** `n` independent draws. */
  samples(rng: Rng, n: number): Float64Array;
  cdf(x: number): number;
  /** The p-quantile, the inverse of the CDF, for p in [0, 1]. */
  quantile(p: number): number;
  /** E[X]; throws `InvalidInputError` when it does not exist (Cauchy, Student-t with ν ≤ 1). */
  mean(): number;
  /** Var[X]; `Infinity` when infinite, throws when undefined. */
  variance(): number;
  /** The bijection from the real line onto the support that samplers use for this variable. */
  readonly bijection: Bijection;
}

// --- validation shared by the constructors ---

export function requireFinite(input: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite number, got ${value}`);
  }
  return value;
}

export function requirePositive(input: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite positive number, got ${value}`);
  }
  return value;
}

export function requireX(x: number): void {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new InvalidInputError('x', `expected a number, got ${x}`);
}

function requireProbability(p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new InvalidInputError('p', `expected a probability in [0, 1], got ${p}`);
  }
}

/** What a constructor supplies beyond the family's functions. */
export interface DistributionSpec<P extends string> {
  family: DistributionFamily;
  parameters: Record<P, number>;
  support: Support;
  bijection: Bijection;
  sample(rng: Rng): number;
  cdf(x: number): number;
  quantile(p: number): number;
  mean(): number;
  variance(): number;
}

/**
 * Assembles a `Distribution` from its family and the pieces particular to it. The parameters are
 * assumed validated by the constructor; the family's functions are called with them in order.
 */
export function makeDistribution<P extends string>(spec: DistributionSpec<P>): Distribution<P> {
  const { family, support } = spec;
  const names = family.parameters as readonly P[];
  const values = names.map((name) => spec.parameters[name]);
  const a = values[0] ?? 0;
  const b = values[1] ?? 0;
  const c = values[2] ?? 0;
  const normalizer = family.logNormalizer(a, b, c);
  const inSupport = (x: number) => x >= support.lower && x <= support.upper;
  return {
    name: family.name,
    family,
    parameters: Object.freeze({ ...spec.parameters }),
    support,
    bijection: spec.bijection,
    logDensity(x: number): number {
      requireX(x);
      if (!inSupport(x)) return -Infinity;
      return normalizer + family.logKernel(x, a, b, c);
    },
    gradLogDensity(x: number): Record<'x' | P, number> {
      requireX(x);
      if (!inSupport(x) || !Number.isFinite(family.logKernel(x, a, b, c))) {
        throw new InvalidInputError('x', `${x} is outside the support of ${family.name} or where its density is 0 or infinite`);
      }
      const kernel = new Float64Array(4);
      const norm = new Float64Array(4);
      family.gradLogKernel(x, a, b, c, kernel);
      family.gradLogNormalizer(a, b, c, norm);
      const out = { x: kernel[0] } as Record<'x' | P, number>;
      names.forEach((name, k) => {
        out[name] = kernel[k + 1] + norm[k + 1];
      });
      return out;
    },
    sample: spec.sample,
    samples(rng: Rng, n: number): Float64Array {
      if (!Number.isInteger(n) || n < 0) throw new InvalidInputError('n', `expected a non-negative integer, got ${n}`);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = spec.sample(rng);
      return out;
    },
    cdf(x: number): number {
      requireX(x);
      if (x <= support.lower) return 0;
      if (x >= support.upper) return 1;
      return spec.cdf(x);
    },
    quantile(p: number): number {
      requireProbability(p);
      if (p === 0) return support.lower;
      if (p === 1) return support.upper;
      return spec.quantile(p);
    },
    mean: spec.mean,
    variance: spec.variance,
  };
}

export const REAL_LINE: Support = Object.freeze({ lower: -Infinity, upper: Infinity });
export const POSITIVE: Support = Object.freeze({ lower: 0, upper: Infinity });
export const UNIT_INTERVAL: Support = Object.freeze({ lower: 0, upper: 1 });

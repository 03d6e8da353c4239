/**
 * What a sampler needs from a model: its log density on the unconstrained space, with the gradient.
 *
 * Taught in the chapter "Hamiltonian Monte Carlo and NUTS" (Part V): a constrained parameter such as a
 * scale σ > 0 is sampled as u = log σ, and the log density gains the log-Jacobian log |dσ/du| = u.
 */
import { InvalidInputError } from '../errors';
import type { Rng } from '../random/index';

/**
 * A log density on R^dimension, up to an additive constant.
 *
 * `logDensityGradient(x, gradient)` returns log p(x) and writes ∇ log p(x) into `gradient` (length
 * `dimension`). It is called once per leapfrog step, so it should not allocate: keep scratch arrays in
 * the closure that builds the target. It must not keep or modify `x`. A value of -Infinity or NaN (a
 * point outside the support, an overflow) is allowed: the samplers treat it as a divergence or a
 * rejection, never as a draw.
 */
export interface Target {
  readonly dimension: number;
  logDensityGradient(x: Float64Array, gradient: Float64Array): number;
  /** Names of the reported quantities (the outputs of `constrain`, or of x itself). */
  readonly parameterNames?: readonly string[];
  /**
   * Maps an unconstrained point to the quantities reported in the draws (σ = exp(u), derived
   * parameters, ...). Without it, the draws are x itself.
   */
  constrain?(x: Float64Array): ArrayLike<number>;
}

/** Checks the shape of a target before a sampler relies on it. */
export function validateTarget(target: Target): void {
  if (typeof target !== 'object' || target === null) {
    throw new InvalidInputError('target', 'expected an object { dimension, logDensityGradient }');
  }
  if (!Number.isInteger(target.dimension) || target.dimension < 1) {
    throw new InvalidInputError('target.dimension', `expected a positive integer, got ${target.dimension}`);
  }
  if (typeof target.logDensityGradient !== 'function') {
    throw new InvalidInputError('target.logDensityGradient', 'expected a function (x, gradient) => log density');
  }
}

/** Names of the reported quantities: the target's own, else `x[1]`, `x[2]`, ... (1-based, as Stan). */
export function reportedNames(target: Target): string[] {
  const width = target.constrain ? target.constrain(new Float64Array(target.dimension)).length : target.dimension;
  if (target.parameterNames) {
    if (target.parameterNames.length !== width) {
      throw new InvalidInputError(
        'target.parameterNames',
        `expected ${width} names (one per reported quantity), got ${target.parameterNames.length}`,
      );
    }
    return [...target.parameterNames];
  }
  return Array.from({ length: width }, (_, i) => `x[${i + 1}]`);
}

/** True when the log density and every gradient component at x are finite. */
export function isFinitePoint(logDensity: number, gradient: Float64Array): boolean {
  if (!Number.isFinite(logDensity)) return false;
  for (let i = 0; i < gradient.length; i++) if (!Number.isFinite(gradient[i])) return false;
  return true;
}

/**
 * A starting point: the caller's, or, as Stan does, uniform on (-radius, radius) in every unconstrained
 * coordinate, redrawn up to 100 times until the log density and its gradient are finite.
 */
export function initialPoint(target: Target, rng: Rng, initial?: ArrayLike<number>, radius = 2): Float64Array {
  const d = target.dimension;
  const gradient = new Float64Array(d);
  if (initial !== undefined) {
    if (initial.length !== d) {
      throw new InvalidInputError('initial', `expected ${d} values (one per unconstrained coordinate), got ${initial.length}`);
    }
    const x = Float64Array.from(initial);
    const lp = target.logDensityGradient(x, gradient);
    if (!isFinitePoint(lp, gradient)) {
      throw new InvalidInputError('initial', `the log density or its gradient is not finite there (log density ${lp})`);
    }
    return x;
  }
  const x = new Float64Array(d);
  for (let attempt = 0; attempt < 100; attempt++) {
    for (let i = 0; i < d; i++) x[i] = radius * (2 * rng.uniform() - 1);
    if (isFinitePoint(target.logDensityGradient(x, gradient), gradient)) return x;
  }
  throw new InvalidInputError(
    'target',
    `no point with a finite log density and gradient found in 100 uniform draws on (-${radius}, ${radius})^${d}; pass 'initial'`,
  );
}

/**
 * Bijections from the real line onto a constrained set, which is how a sampler works on a parameter with
 * a bounded support: it moves an unconstrained u ∈ ℝ, and the model sees x = forward(u).
 *
 * Change of variables: if x has density p_X on its support, u = inverse(x) has density
 *   p_U(u) = p_X(forward(u)) · |d forward / du|,
 * so the log density the sampler targets gains the term log |J(u)| = `logAbsJacobian(u)`, and its gradient
 * gains `gradLogAbsJacobian(u)`. Forgetting the Jacobian samples a different distribution: the chapter
 * shows this numerically. The transforms are Stan's (Stan Reference Manual, "Constraint transforms").
 *
 * Direction as in TensorFlow Probability's bijectors: `forward` maps unconstrained → constrained.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { InvalidInputError } from '../errors';
import type { Support } from './distributions/family';
import { logistic, softplus } from './special';

export interface Bijection {
  readonly name: string;
  /** The set that `forward` maps ℝ onto (its closure). */
  readonly support: Support;
  /** Unconstrained u ∈ ℝ → constrained x. */
  forward(u: number): number;
  /** Constrained x (strictly inside the support) → u. */
  inverse(x: number): number;
  /** dx/du at u. */
  derivative(u: number): number;
  /** log |dx/du| at u. */
  logAbsJacobian(u: number): number;
  /** d/du log |dx/du| at u. */
  gradLogAbsJacobian(u: number): number;
}

function requireBound(input: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite bound, got ${value}`);
  }
}

function requireInside(x: number, support: Support, name: string): void {
  if (typeof x !== 'number' || !(x > support.lower && x < support.upper)) {
    throw new InvalidInputError('x', `${name}.inverse needs x strictly inside (${support.lower}, ${support.upper}), got ${x}`);
  }
}

/** x = u, for parameters already on the real line. */
export function identityBijection(): Bijection {
  const support = { lower: -Infinity, upper: Infinity };
  return {
    name: 'identity',
    support,
    forward: (u) => u,
    inverse(x) {
      requireInside(x, support, 'identity');
      return x;
    },
    derivative: () => 1,
    logAbsJacobian: () => 0,
    gradLogAbsJacobian: () => 0,
  };
}

/** x = a + eᵘ onto (a, ∞): log |J| = u. */
export function lowerBoundBijection(lower: number): Bijection {
  requireBound('lower', lower);
  const support = { lower, upper: Infinity };
  const name = lower === 0 ? 'log' : `lowerBound(${lower})`;
  return {
    name,
    support,
    forward: (u) => lower + Math.exp(u),
    inverse(x) {
      requireInside(x, support, name);
      return Math.log(x - lower);
    },
    derivative: (u) => Math.exp(u),
    logAbsJacobian: (u) => u,
    gradLogAbsJacobian: () => 1,
  };
}

/** x = eᵘ onto (0, ∞), for scales and rates: the "log transform" (its inverse is log). */
export function logBijection(): Bijection {
  return lowerBoundBijection(0);
}

/** x = b − eᵘ onto (−∞, b): log |J| = u. */
export function upperBoundBijection(upper: number): Bijection {
  requireBound('upper', upper);
  const support = { lower: -Infinity, upper };
  const name = `upperBound(${upper})`;
  return {
    name,
    support,
    forward: (u) => upper - Math.exp(u),
    inverse(x) {
      requireInside(x, support, name);
      return Math.log(upper - x);
    },
    derivative: (u) => -Math.exp(u),
    logAbsJacobian: (u) => u,
    gradLogAbsJacobian: () => 1,
  };
}

/**
 * x = a + (b − a) · logistic(u) onto (a, b), the scaled logit transform (for adstock decay in (0, 1)).
 * log |J| = log(b − a) + log s + log(1 − s) with s = logistic(u), written with softplus so that neither
 * tail underflows: log s = −softplus(−u), log(1 − s) = −softplus(u). Its derivative is 1 − 2s.
 */
export function intervalBijection(lower: number, upper: number): Bijection {
  requireBound('lower', lower);
  requireBound('upper', upper);
  if (!(upper > lower)) throw new InvalidInputError('upper', `expected upper > lower, got [${lower}, ${upper}]`);
  const width = upper - lower;
  const logWidth = Math.log(width);
  const support = { lower, upper };
  const name = lower === 0 && upper === 1 ? 'logit' : `interval(${lower}, ${upper})`;
  return {
    name,
    support,
    forward: (u) => lower + width * logistic(u),
    inverse(x) {
      requireInside(x, support, name);
      // log(t / (1 − t)) with t = (x − a)/(b − a), written as log(x − a) − log(b − x) to keep digits at both ends.
      return Math.log(x - lower) - Math.log(upper - x);
    },
    derivative: (u) => width * logistic(u) * logistic(-u),
    logAbsJacobian: (u) => logWidth - softplus(-u) - softplus(u),
    gradLogAbsJacobian: (u) => 1 - 2 * logistic(u),
  };
}

/**
 * The bijection for a support: identity on ℝ, log-type on a half-line, scaled logit on an interval.
 * This is how a model maps each of its parameters to the unconstrained space.
 */
export function bijectionFor(support: Support): Bijection {
  const { lower, upper } = support;
  if (lower === -Infinity && upper === Infinity) return identityBijection();
  if (upper === Infinity) return lowerBoundBijection(lower);
  if (lower === -Infinity) return upperBoundBijection(upper);
  return intervalBijection(lower, upper);
}

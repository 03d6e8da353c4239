/**
 * The shape every sampler in this layer shares, after BlackJAX: `init(position)` makes a state, and
 * `step(rng, state, parameters)` returns the next state and what happened on the way. States are never
 * modified once returned, so a caller may keep any of them. Taught in Part V ("Monte Carlo and
 * Metropolis", "Hamiltonian Monte Carlo and NUTS").
 */
import { InvalidInputError } from '../errors';
import type { Rng } from '../random/index';
import { isFinitePoint, validateTarget, type Target } from './target';

/** A position of the chain, with the log density and its gradient there (kept to save a gradient). */
export interface SamplerState {
  readonly position: Float64Array;
  readonly logDensity: number;
  readonly gradient: Float64Array;
}

/** What one transition did; the names follow Stan's sampler diagnostics. */
export interface TransitionInfo {
  /** Stan's accept_stat__: the average Metropolis acceptance probability over the trajectory. */
  acceptanceRate: number;
  /** Number of trajectory doublings (NUTS); 0 for the other samplers. */
  treeDepth: number;
  /** Number of leapfrog steps (gradient evaluations) taken. */
  leapfrogSteps: number;
  /** True when the energy error exceeded the divergence threshold (1000) somewhere on the trajectory. */
  divergent: boolean;
  /** The Hamiltonian at the selected point (for E-BFMI); -log π for Metropolis. */
  energy: number;
}

/**
 * The tuning a kernel runs with: step size (or proposal scale) and the inverse metric, either d
 * variances (diagonal, Stan's `diag_e`) or a d × d covariance, row-major (dense, Stan's `dense_e`;
 * NUTS and HMC only). See `hamiltonian.ts`.
 */
export interface KernelParameters {
  stepSize: number;
  inverseMetric: Float64Array;
}

export interface Kernel {
  init(position: ArrayLike<number>): SamplerState;
  step(rng: Rng, state: SamplerState, parameters: KernelParameters): { state: SamplerState; info: TransitionInfo };
  /**
   * Stan's step-size heuristic (base_hmc::init_stepsize): from `stepSize`, double or halve until the
   * acceptance probability of one leapfrog step crosses 0.8. Absent for samplers without a step size.
   */
  initialStepSize?(rng: Rng, state: SamplerState, parameters: KernelParameters): number;
}

/** Evaluates the target at a position and makes the (immutable) state there. */
export function makeState(target: Target, position: ArrayLike<number>): SamplerState {
  validateTarget(target);
  if (position.length !== target.dimension) {
    throw new InvalidInputError('position', `expected ${target.dimension} values, got ${position.length}`);
  }
  const q = Float64Array.from(position);
  const gradient = new Float64Array(target.dimension);
  const logDensity = target.logDensityGradient(q, gradient);
  if (!isFinitePoint(logDensity, gradient)) {
    throw new InvalidInputError('position', `the log density or its gradient is not finite there (log density ${logDensity})`);
  }
  return { position: q, logDensity, gradient };
}

/** Checks the step size and the inverse metric's size: d variances, or (when `dense` is allowed) d × d. */
export function checkParameters(parameters: KernelParameters, dimension: number, dense = false): void {
  if (!(parameters.stepSize > 0) || !Number.isFinite(parameters.stepSize)) {
    throw new InvalidInputError('stepSize', `expected a finite positive step size, got ${parameters.stepSize}`);
  }
  const length = parameters.inverseMetric.length;
  if (length !== dimension && !(dense && length === dimension * dimension)) {
    throw new InvalidInputError(
      'inverseMetric',
      dense
        ? `expected ${dimension} variances (diagonal metric) or a ${dimension} × ${dimension} covariance (dense metric), got ${length} values`
        : `expected ${dimension} variances, got ${length}`,
    );
  }
}

/**
 * Stan's step-size initialization heuristic (stan/mcmc/hmc/base_hmc.hpp, `init_stepsize`; Hoffman and
 * Gelman 2014, Algorithm 4): starting from the current step size, take one leapfrog step from the
 * current position with fresh momentum; if exp(ΔH) > 0.8 keep doubling the step size until it is not,
 * otherwise keep halving until it is. Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 */
import { ConvergenceError } from '../errors';
import type { Rng } from '../random/index';
import { createPhasePoint, hamiltonian, leapfrog, metricFactor, sampleMomentum } from './hamiltonian';
import type { KernelParameters, SamplerState } from './kernel';
import type { Target } from './target';

const LOG_TARGET = Math.log(0.8);

export function findStepSize(target: Target, rng: Rng, state: SamplerState, parameters: KernelParameters): number {
  let epsilon = parameters.stepSize;
  // Stan skips the search for degenerate step sizes, which could otherwise loop forever.
  if (epsilon === 0 || epsilon > 1e7 || Number.isNaN(epsilon)) return epsilon;
  const { inverseMetric } = parameters;
  const z = createPhasePoint(target.dimension);
  const factor = metricFactor(inverseMetric, target.dimension);

  const energyChange = (): number => {
    z.q.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    sampleMomentum(rng, inverseMetric, z.p, factor);
    const h0 = hamiltonian(inverseMetric, z);
    leapfrog(target, inverseMetric, z, epsilon);
    return h0 - hamiltonian(inverseMetric, z);
  };

  const direction = energyChange() > LOG_TARGET ? 1 : -1;
  for (;;) {
    const deltaH = energyChange();
    if (direction === 1 && !(deltaH > LOG_TARGET)) break;
    if (direction === -1 && !(deltaH < LOG_TARGET)) break;
    epsilon = direction === 1 ? 2 * epsilon : 0.5 * epsilon;
    if (epsilon > 1e7) {
      throw new ConvergenceError(
        'step size search: the step size grew past 1e7 with exp(ΔH) still above 0.8; the posterior is probably improper (check the priors)',
      );
    }
    if (epsilon === 0) {
      throw new ConvergenceError('step size search: no acceptably small step size found; check the log density and its gradient');
    }
  }
  return epsilon;
}

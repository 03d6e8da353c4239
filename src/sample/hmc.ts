/**
 * Static Hamiltonian Monte Carlo (Duane et al. 1987; Neal 2011, "MCMC using Hamiltonian dynamics",
 * §5.2; Stan's base_static_hmc): draw a momentum, integrate a fixed number of leapfrog steps, accept
 * the end point with probability min(1, exp(H₀ − H₁)); with a diagonal or a dense metric (see
 * `hamiltonian.ts`). Taught in the chapter "Hamiltonian Monte Carlo
 * and NUTS"; NUTS (`nutsKernel`) removes the need to choose the number of steps.
 */
import { InvalidInputError } from '../errors';
import type { Rng } from '../random/index';
import { copyPhasePoint, createMetricCache, createPhasePoint, hamiltonian, leapfrog, sampleMomentum } from './hamiltonian';
import { checkParameters, makeState, type Kernel, type KernelParameters, type SamplerState, type TransitionInfo } from './kernel';
import { findStepSize } from './stepSize';
import type { Target } from './target';

export interface HmcKernelOptions {
  /** Leapfrog steps per transition (the integration time is steps × step size). Default 16. */
  steps?: number;
  /** Energy error that marks a divergence. Stan: 1000. */
  maxEnergyError?: number;
  /**
   * Step-size jitter j in [0, 1): each transition uses ε·(1 + j(2u − 1)), u ~ Uniform(0, 1) (Stan's
   * `stepsize_jitter`). A fixed integration time can resonate with a direction of the posterior: near
   * half its period, every transition maps q − E[q] to about −(q − E[q]), the draws alternate, and the
   * spread is explored only slowly while the ESS of the mean looks excellent. Randomizing the
   * integration time breaks the resonance (Neal 2011, §5.4.2.3). Default 0: no extra random draw.
   */
  jitter?: number;
}

export function hmcKernel(target: Target, options: HmcKernelOptions = {}): Kernel {
  const steps = options.steps ?? 16;
  const maxEnergyError = options.maxEnergyError ?? 1000;
  const jitter = options.jitter ?? 0;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new InvalidInputError('steps', `expected a positive integer number of leapfrog steps, got ${steps}`);
  }
  if (!(jitter >= 0 && jitter < 1)) throw new InvalidInputError('jitter', `expected a number in [0, 1), got ${jitter}`);
  const d = target.dimension;
  const z = createPhasePoint(d);
  const start = createPhasePoint(d);
  const metricCache = createMetricCache(d);

  function step(rng: Rng, state: SamplerState, parameters: KernelParameters): { state: SamplerState; info: TransitionInfo } {
    checkParameters(parameters, d, true);
    const { inverseMetric } = parameters;
    const factor = metricCache(inverseMetric);
    const stepSize = jitter > 0 ? parameters.stepSize * (1 + jitter * (2 * rng.uniform() - 1)) : parameters.stepSize;
    z.q.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    sampleMomentum(rng, inverseMetric, z.p, factor);
    copyPhasePoint(start, z);
    const h0 = hamiltonian(inverseMetric, z);
    let divergent = false;
    for (let s = 0; s < steps; s++) {
      leapfrog(target, inverseMetric, z, stepSize);
      // Stop integrating once the energy has blown up: the proposal will be rejected anyway.
      if (hamiltonian(inverseMetric, z) - h0 > maxEnergyError) {
        divergent = true;
        break;
      }
    }
    const h = hamiltonian(inverseMetric, z);
    const acceptance = divergent ? 0 : Math.min(1, Math.exp(h0 - h));
    const accepted = acceptance >= 1 || rng.uniform() < acceptance;
    const chosen = accepted ? z : start;
    return {
      state: accepted
        ? { position: Float64Array.from(z.q), logDensity: z.logDensity, gradient: Float64Array.from(z.gradient) }
        : state,
      info: {
        acceptanceRate: acceptance,
        treeDepth: 0,
        leapfrogSteps: steps,
        divergent,
        energy: hamiltonian(inverseMetric, chosen),
      },
    };
  }

  return {
    init: (position) => makeState(target, position),
    step,
    initialStepSize: (rng, state, parameters) => findStepSize(target, rng, state, parameters),
  };
}

/**
 * Random-walk Metropolis (Metropolis et al. 1953): propose x' = x + s·√(M⁻¹)·ξ with ξ ~ N(0, I), accept
 * with probability min(1, π(x')/π(x)). The proposal is symmetric, so detailed balance holds without
 * Hastings' correction. Taught in the chapter "Monte Carlo and Metropolis".
 *
 * The scale s is the kernel's `stepSize`; the runner adapts it in warm-up towards an acceptance rate
 * of 0.234 (Roberts, Gelman and Gilks 1997, optimal for many dimensions; 0.44 in one dimension) and
 * M⁻¹ to the posterior variance, with the same machinery as HMC.
 */
import type { Rng } from '../random/index';
import { standardNormal } from '../random/index';
import { checkParameters, makeState, type Kernel, type KernelParameters, type SamplerState, type TransitionInfo } from './kernel';
import type { Target } from './target';

export function metropolisKernel(target: Target): Kernel {
  const d = target.dimension;
  const proposal = new Float64Array(d);
  const gradient = new Float64Array(d);

  function step(rng: Rng, state: SamplerState, parameters: KernelParameters): { state: SamplerState; info: TransitionInfo } {
    checkParameters(parameters, d);
    const { stepSize, inverseMetric } = parameters;
    for (let i = 0; i < d; i++) proposal[i] = state.position[i] + stepSize * Math.sqrt(inverseMetric[i]) * standardNormal(rng);
    const logDensity = target.logDensityGradient(proposal, gradient);
    const logRatio = logDensity - state.logDensity;
    // A NaN or -Infinity log density (outside the support) is a certain rejection.
    const acceptance = Number.isNaN(logRatio) ? 0 : Math.min(1, Math.exp(logRatio));
    const accepted = acceptance >= 1 || rng.uniform() < acceptance;
    const next = accepted
      ? { position: Float64Array.from(proposal), logDensity, gradient: Float64Array.from(gradient) }
      : state;
    return {
      state: next,
      info: { acceptanceRate: acceptance, treeDepth: 0, leapfrogSteps: 0, divergent: false, energy: -next.logDensity },
    };
  }

  return { init: (position) => makeState(target, position), step };
}

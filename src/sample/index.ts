/**
 * The `sample` layer: Metropolis, HMC and NUTS with Stan's warm-up, multi-chain runs, and the
 * diagnostics of Vehtari et al. (2021). Taught in Part V · Sampling. Running chains on worker threads
 * is Node-only: import it from `./sample/node`.
 */
export type { Target } from './target';
export { validateTarget, initialPoint } from './target';
export type { SamplerState, TransitionInfo, KernelParameters, Kernel } from './kernel';
export type { PhasePoint } from './hamiltonian';
export { createPhasePoint, leapfrog, hamiltonian, kineticEnergy, sampleMomentum, velocity, metricFactor, isDenseMetric } from './hamiltonian';
export { nutsKernel } from './nuts';
export { laplaceStart } from './laplace';
export type { LaplaceStart } from './laplace';
export type { NutsKernelOptions } from './nuts';
export { hmcKernel } from './hmc';
export type { HmcKernelOptions } from './hmc';
export { metropolisKernel } from './metropolis';
export { findStepSize } from './stepSize';
export {
  DualAveraging,
  WelfordVariance,
  WelfordCovariance,
  adaptationWindows,
  regularizeVariance,
  regularizeCovariance,
  denseInverseMetric,
} from './adaptation';
export type { DualAveragingOptions, WindowOptions } from './adaptation';
export { nuts, hmc, metropolis, runChain, collectSamples } from './run';
export type { Samples, ChainResult, RunOptions, NutsOptions, HmcOptions, Progress, SamplerName, MetricKind } from './run';
export { parameterDraws, pooledDraws } from './draws';
export { autocovariance, autocorrelation, essOfChains } from './autocorrelation';
export {
  splitChains,
  rankNormalize,
  rhat,
  rhatBulk,
  rhatTail,
  essBulk,
  essTail,
  essMean,
  essSd,
  essQuantile,
  mcseMean,
  mcseSd,
  mcseQuantile,
  ebfmi,
  diagnoseChains,
} from './diagnostics';
export type { Chains, QuantityDiagnostics } from './diagnostics';
export { samplerWarnings } from './checks';
export { summarize, summarizeChains } from './summary';
export type { SummaryRow } from './summary';
export { toArviZ } from './arviz';
export { gaussianTarget, funnelTarget, eightSchoolsTarget } from './examples';
export type { EightSchoolsData } from './examples';
export type { ArviZDict } from './arviz';

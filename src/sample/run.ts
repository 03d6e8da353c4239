/**
 * Running chains: warm-up with adaptation, then sampling, for several chains with independent random
 * streams, one after another (the isomorphic core; `sample/node` runs them on worker threads with the
 * same numbers). Taught in Part V: "Monte Carlo and Metropolis", "Hamiltonian Monte Carlo and NUTS".
 */
import { InvalidInputError } from '../errors';
import { independentStreams, type Rng } from '../random/index';
import {
  adaptationWindows,
  denseInverseMetric,
  DualAveraging,
  regularizeVariance,
  WelfordCovariance,
  WelfordVariance,
  type WindowOptions,
} from './adaptation';
import { samplerWarnings } from './checks';
import { metricFactor } from './hamiltonian';
import { hmcKernel } from './hmc';
import type { Kernel, KernelParameters } from './kernel';
import { metropolisKernel } from './metropolis';
import { nutsKernel } from './nuts';
import { laplaceStart } from './laplace';
import { initialPoint, reportedNames, validateTarget, type Target } from './target';

export type SamplerName = 'nuts' | 'hmc' | 'metropolis';

/** The Euclidean metric: Stan's `diag_e` (variances only) or `dense_e` (the full covariance). */
export type MetricKind = 'diag' | 'dense';

/** Progress of one chain, reported about a hundred times per chain. */
export interface Progress {
  chain: number;
  /** Iterations done in this chain, warm-up included. */
  iteration: number;
  total: number;
  phase: 'warmup' | 'sampling';
}

export interface RunOptions {
  /** Seed of the whole run; chain k uses stream k of `independentStreams(seed, chains)`. */
  seed: number | string;
  chains?: number;
  warmup?: number;
  draws?: number;
  /** Starting points on the unconstrained space: one for all chains, or one per chain. Default: Stan's uniform(-2, 2). */
  initial?: ArrayLike<number> | ArrayLike<number>[];
  /** Target of the step-size adaptation: Stan's δ (0.8) for NUTS and HMC, 0.234 for Metropolis. */
  targetAcceptance?: number;
  /** Initial step size (proposal scale for Metropolis). Default 1 (2.38/√d for Metropolis). */
  stepSize?: number;
  /**
   * The metric NUTS and HMC adapt and use: 'diag' (default, as Stan) estimates the posterior variances;
   * 'dense' estimates the full covariance, which also undoes linear correlations between parameters
   * (Stan's dense_e; each leapfrog step then costs O(d²) besides the gradient). Metropolis: 'diag' only.
   */
  metric?: MetricKind;
  /**
   * Starting inverse metric: d variances, or (dense metric) a d × d covariance, row-major; a dense
   * run given d variances starts from their diagonal matrix. Default: the identity.
   */
  inverseMetric?: ArrayLike<number>;
  /**
   * Where a chain starts (NUTS and HMC with warm-up): 'uniform' (default, Stan's) draws the start uniformly
   * on (−2, 2) in every unconstrained coordinate; 'laplace' then climbs from there to a mode with L-BFGS,
   * starts the chain at a draw from the Laplace approximation Normal(mode, H⁻¹) and uses H⁻¹ (or its
   * diagonal) as the first inverse metric, which skips warm-up's costly crossing to the posterior (see
   * `laplaceStart`). Ignored where `initial` is given; `inverseMetric`, if given, is kept.
   */
  start?: 'uniform' | 'laplace';
  /** Adapt the step size in warm-up (default true). */
  adaptStepSize?: boolean;
  /** Adapt the inverse metric in warm-up (default true). */
  adaptMetric?: boolean;
  /** Windowed adaptation buffers (Stan: 75, 50, 25). */
  windows?: WindowOptions;
  onProgress?: (progress: Progress) => void;
}

export interface NutsOptions extends RunOptions {
  maxTreeDepth?: number;
}

export interface HmcOptions extends RunOptions {
  /** Leapfrog steps per transition (default 16). */
  steps?: number;
  /** Step-size jitter in [0, 1) (Stan's `stepsize_jitter`; see `hmcKernel`). Default 0. */
  jitter?: number;
}

/** One chain's draws (after warm-up) and its per-draw sampler statistics, in Stan's vocabulary. */
export interface ChainResult {
  /** Reported quantities, draws × parameterNames.length, row-major. */
  draws: Float64Array;
  /** Log density (Stan's lp__) at each draw, on the unconstrained space. */
  logDensity: Float64Array;
  acceptanceRate: Float64Array;
  treeDepth: Int32Array;
  leapfrogSteps: Int32Array;
  divergent: Uint8Array;
  energy: Float64Array;
  /** The step size used for sampling (adapted in warm-up). */
  stepSize: number;
  /** The metric asked for. */
  metric: MetricKind;
  /**
   * The inverse metric used for sampling (adapted in warm-up): d variances, or d × d (row-major) for
   * a dense metric. A dense run whose last window fell back to the diagonal reports d values.
   */
  inverseMetric: Float64Array;
  /** What went wrong in adaptation without stopping the chain (a dense estimate that was not positive definite). */
  adaptationWarnings: string[];
  /** Divergent transitions during warm-up (expected early on; not a diagnostic). */
  warmupDivergences: number;
  /** The unconstrained point the chain started from. */
  initialPosition: Float64Array;
  /** Gradient evaluations spent finding the start ('laplace': L-BFGS and the Hessian; 0 otherwise). */
  startGradientEvaluations: number;
  /** Leapfrog steps (gradient evaluations) of the whole warm-up, step-size searches excluded. */
  warmupLeapfrogSteps: number;
}

/** The draws of a multi-chain run. */
export interface Samples {
  sampler: SamplerName;
  parameterNames: string[];
  chains: ChainResult[];
  warmup: number;
  draws: number;
  /** NUTS only: the maximum tree depth, for counting saturated transitions. */
  maxTreeDepth?: number;
  /** Divergences, saturated trees, low E-BFMI, high R-hat, low ESS: each says what to do. */
  warnings: string[];
}

function requireCount(input: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidInputError(input, `expected an integer >= ${min}, got ${value}`);
  }
  return value;
}

function initialFor(options: RunOptions, chain: number, chains: number): ArrayLike<number> | undefined {
  const init = options.initial;
  if (init === undefined) return undefined;
  const perChain = init.length > 0 && typeof (init as ArrayLike<unknown>)[0] === 'object';
  if (!perChain) return init as ArrayLike<number>;
  if (init.length !== chains) {
    throw new InvalidInputError('initial', `expected one starting point per chain (${chains}), got ${init.length}`);
  }
  return (init as ArrayLike<number>[])[chain];
}

/** The starting inverse metric from the options: identity by default; validated (a dense one must be positive definite). */
function startingMetric(given: ArrayLike<number> | undefined, d: number, dense: boolean): Float64Array {
  if (given === undefined) {
    if (!dense) return new Float64Array(d).fill(1);
    const identity = new Float64Array(d * d);
    for (let i = 0; i < d; i++) identity[i * d + i] = 1;
    return identity;
  }
  const values = Float64Array.from(given);
  if (values.some((v) => !Number.isFinite(v))) throw new InvalidInputError('inverseMetric', 'expected finite values');
  if (values.length === d) {
    if (values.some((v) => !(v > 0))) throw new InvalidInputError('inverseMetric', `expected ${d} positive variances`);
    if (!dense) return values;
    const diagonal = new Float64Array(d * d);
    for (let i = 0; i < d; i++) diagonal[i * d + i] = values[i];
    return diagonal;
  }
  if (!dense || values.length !== d * d) {
    throw new InvalidInputError(
      'inverseMetric',
      dense ? `expected ${d} variances or a ${d} × ${d} covariance, got ${values.length} values` : `expected ${d} finite positive variances, got ${values.length} values (a ${d} × ${d} matrix needs metric: 'dense')`,
    );
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const x = values[i * d + j];
      const y = values[j * d + i];
      if (Math.abs(x - y) > Math.sqrt(Number.EPSILON) * Math.max(Math.abs(x), Math.abs(y))) {
        throw new InvalidInputError('inverseMetric', `not symmetric: entry (${i}, ${j}) is ${x} but (${j}, ${i}) is ${y}`);
      }
    }
  }
  metricFactor(values, d); // throws NotPositiveDefiniteError naming the pivot
  return values;
}

/** Makes the kernel a sampler name stands for. */
export function makeKernel(sampler: SamplerName, target: Target, options: NutsOptions & HmcOptions): Kernel {
  if (sampler === 'metropolis' && options.metric === 'dense') {
    throw new InvalidInputError('metric', "random-walk Metropolis here uses a diagonal metric only; use 'diag', or NUTS/HMC for 'dense'");
  }
  if (sampler === 'nuts') return nutsKernel(target, { maxTreeDepth: options.maxTreeDepth ?? 10 });
  if (sampler === 'hmc') return hmcKernel(target, { steps: options.steps, jitter: options.jitter });
  return metropolisKernel(target);
}

/**
 * Runs chain `chain` of a run: the building block that `nuts`, `hmc`, `metropolis` and the worker
 * threads of `sample/node` share, so that all of them give the same numbers for the same seed.
 */
export function runChain(
  sampler: SamplerName,
  target: Target,
  options: NutsOptions & HmcOptions,
  chain: number,
  rng?: Rng,
): ChainResult {
  validateTarget(target);
  const chains = requireCount('chains', options.chains ?? 4, 1);
  const warmup = requireCount('warmup', options.warmup ?? 1000, 0);
  const draws = requireCount('draws', options.draws ?? 1000, 1);
  if (!Number.isInteger(chain) || chain < 0 || chain >= chains) {
    throw new InvalidInputError('chain', `expected an integer in [0, ${chains}), got ${chain}`);
  }
  const generator = rng ?? independentStreams(options.seed, chains)[chain];
  const d = target.dimension;
  const kernel = makeKernel(sampler, target, options);
  const names = reportedNames(target);
  const width = names.length;

  const metric = options.metric ?? 'diag';
  if (metric !== 'diag' && metric !== 'dense') throw new InvalidInputError('metric', `expected 'diag' or 'dense', got ${String(metric)}`);
  const startKind = options.start ?? 'uniform';
  if (startKind !== 'uniform' && startKind !== 'laplace') throw new InvalidInputError('start', `expected 'uniform' or 'laplace', got ${String(startKind)}`);
  const dense = metric === 'dense' && d > 1;
  const adaptationWarnings: string[] = [];
  const given = initialFor(options, chain, chains);
  let start = initialPoint(target, generator, given);
  let inverseMetric = startingMetric(options.inverseMetric, d, dense);
  let startGradientEvaluations = 0;
  if (startKind === 'laplace' && given === undefined && warmup > 0 && sampler !== 'metropolis') {
    const laplace = laplaceStart(target, start, generator);
    if ('failure' in laplace) {
      adaptationWarnings.push(`Laplace start: ${laplace.failure}; the chain starts from its uniform point with the ${options.inverseMetric ? 'given' : 'unit'} metric`);
    } else {
      start = laplace.position;
      startGradientEvaluations = laplace.gradientEvaluations;
      if (options.inverseMetric === undefined) {
        inverseMetric = dense ? laplace.covariance : Float64Array.from({ length: d }, (_, i) => laplace.covariance[i * d + i]);
      }
    }
  }
  let state = kernel.init(start);
  const initialStep = options.stepSize ?? (sampler === 'metropolis' ? 2.38 / Math.sqrt(d) : 1);
  const parameters: KernelParameters = { stepSize: initialStep, inverseMetric };
  const adaptStep = options.adaptStepSize ?? true;
  const adaptMetric = options.adaptMetric ?? true;
  const defaultAcceptance = sampler === 'metropolis' ? (d === 1 ? 0.44 : 0.234) : 0.8;
  const dual = new DualAveraging(initialStep, { targetAcceptance: options.targetAcceptance ?? defaultAcceptance });
  if (warmup > 0 && adaptStep && kernel.initialStepSize) parameters.stepSize = kernel.initialStepSize(generator, state, parameters);

  const { initBuffer, windowEnds } = adaptationWindows(warmup, options.windows);
  const lastWindowEnd = windowEnds.length > 0 ? windowEnds[windowEnds.length - 1] : -1;
  const welford = dense ? new WelfordCovariance(d) : new WelfordVariance(d);
  let window = 0;
  const total = warmup + draws;
  const every = Math.max(1, Math.floor(total / 100));
  const progress = (iteration: number) => {
    if (options.onProgress && (iteration % every === 0 || iteration === total)) {
      options.onProgress({ chain, iteration, total, phase: iteration <= warmup ? 'warmup' : 'sampling' });
    }
  };

  let warmupDivergences = 0;
  let warmupLeapfrogSteps = 0;
  for (let it = 0; it < warmup; it++) {
    const result = kernel.step(generator, state, parameters);
    state = result.state;
    warmupLeapfrogSteps += result.info.leapfrogSteps;
    if (result.info.divergent) warmupDivergences++;
    if (adaptStep) parameters.stepSize = dual.learn(result.info.acceptanceRate);
    if (adaptMetric && it >= initBuffer && it <= lastWindowEnd) {
      welford.add(state.position);
      if (it === windowEnds[window]) {
        if (welford instanceof WelfordCovariance) {
          const covariance = new Float64Array(d * d);
          welford.covariance(covariance);
          const adapted = denseInverseMetric(covariance, welford.count);
          if (adapted.warning) adaptationWarnings.push(`warm-up iteration ${it + 1}: ${adapted.warning}`);
          parameters.inverseMetric = adapted.inverseMetric;
        } else {
          const variance = new Float64Array(d);
          welford.variance(variance);
          regularizeVariance(variance, welford.count);
          parameters.inverseMetric = variance;
        }
        welford.restart();
        window++;
        if (adaptStep) {
          if (kernel.initialStepSize) parameters.stepSize = kernel.initialStepSize(generator, state, parameters);
          dual.restart(parameters.stepSize);
        }
      }
    }
    progress(it + 1);
  }
  if (warmup > 0 && adaptStep) parameters.stepSize = dual.final();

  const out: ChainResult = {
    draws: new Float64Array(draws * width),
    logDensity: new Float64Array(draws),
    acceptanceRate: new Float64Array(draws),
    treeDepth: new Int32Array(draws),
    leapfrogSteps: new Int32Array(draws),
    divergent: new Uint8Array(draws),
    energy: new Float64Array(draws),
    stepSize: parameters.stepSize,
    metric,
    inverseMetric: Float64Array.from(parameters.inverseMetric),
    adaptationWarnings,
    warmupDivergences,
    initialPosition: start,
    startGradientEvaluations,
    warmupLeapfrogSteps,
  };
  for (let it = 0; it < draws; it++) {
    const { state: next, info } = kernel.step(generator, state, parameters);
    state = next;
    const reported = target.constrain ? target.constrain(state.position) : state.position;
    for (let j = 0; j < width; j++) out.draws[it * width + j] = reported[j];
    out.logDensity[it] = state.logDensity;
    out.acceptanceRate[it] = info.acceptanceRate;
    out.treeDepth[it] = info.treeDepth;
    out.leapfrogSteps[it] = info.leapfrogSteps;
    out.divergent[it] = info.divergent ? 1 : 0;
    out.energy[it] = info.energy;
    progress(warmup + it + 1);
  }
  return out;
}

/** Assembles chain results into `Samples`, with the run's warnings. */
export function collectSamples(
  sampler: SamplerName,
  parameterNames: readonly string[],
  options: NutsOptions & HmcOptions,
  chains: ChainResult[],
): Samples {
  const samples: Samples = {
    sampler,
    parameterNames: [...parameterNames],
    chains,
    warmup: options.warmup ?? 1000,
    draws: options.draws ?? 1000,
    ...(sampler === 'nuts' ? { maxTreeDepth: options.maxTreeDepth ?? 10 } : {}),
    warnings: [],
  };
  const adaptation = chains.flatMap((c, k) => (c.adaptationWarnings ?? []).map((w) => `chain ${k}: ${w}`));
  samples.warnings = [...adaptation, ...samplerWarnings(samples)];
  return samples;
}

function runAll(sampler: SamplerName, target: Target, options: NutsOptions & HmcOptions): Samples {
  validateTarget(target);
  const chains = requireCount('chains', options.chains ?? 4, 1);
  const streams = independentStreams(options.seed, chains);
  const results: ChainResult[] = [];
  for (let k = 0; k < chains; k++) results.push(runChain(sampler, target, options, k, streams[k]));
  return collectSamples(sampler, reportedNames(target), options, results);
}

/**
 * The No-U-Turn Sampler with Stan's warm-up (step size by dual averaging, windowed diagonal metric, or
 * with `metric: 'dense'` the windowed covariance):
 * `chains` chains of `warmup` + `draws` iterations, one after another, with independent random
 * streams. Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 *
 * @example
 * const fit = nuts(target, { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
 * summarize(fit); // mean, sd, hdi_3%, hdi_97%, mcse_mean, mcse_sd, ess_bulk, ess_tail, r_hat
 */
export function nuts(target: Target, options: NutsOptions): Samples {
  return runAll('nuts', target, options);
}

/** Static HMC with a fixed number of leapfrog steps and the same warm-up as `nuts`. Chapter "Hamiltonian Monte Carlo and NUTS". */
export function hmc(target: Target, options: HmcOptions): Samples {
  return runAll('hmc', target, options);
}

/** Random-walk Metropolis with an adapted proposal scale and diagonal covariance. Chapter "Monte Carlo and Metropolis". */
export function metropolis(target: Target, options: RunOptions): Samples {
  return runAll('metropolis', target, options);
}

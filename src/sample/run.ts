/**
 * Running chains: warm-up with adaptation, then sampling, for several chains with independent random
 * streams, one after another (the isomorphic core; `sample/node` runs them on worker threads with the
 * same numbers). Taught in Part V: "Monte Carlo and Metropolis", "Hamiltonian Monte Carlo and NUTS".
 */
import { InvalidInputError } from '../errors';
import { independentStreams, type Rng } from '../random/index';
import { adaptationWindows, DualAveraging, regularizeVariance, WelfordVariance, type WindowOptions } from './adaptation';
import { samplerWarnings } from './checks';
import { hmcKernel } from './hmc';
import type { Kernel, KernelParameters } from './kernel';
import { metropolisKernel } from './metropolis';
import { nutsKernel } from './nuts';
import { initialPoint, reportedNames, validateTarget, type Target } from './target';

export type SamplerName = 'nuts' | 'hmc' | 'metropolis';

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
  /** Starting inverse metric (diagonal); default all ones. */
  inverseMetric?: ArrayLike<number>;
  /** Adapt the step size in warm-up (default true). */
  adaptStepSize?: boolean;
  /** Adapt the diagonal inverse metric in warm-up (default true). */
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
  /** The diagonal inverse metric used for sampling (adapted in warm-up). */
  inverseMetric: Float64Array;
  /** Divergent transitions during warm-up (expected early on; not a diagnostic). */
  warmupDivergences: number;
  /** The unconstrained point the chain started from. */
  initialPosition: Float64Array;
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

/** Makes the kernel a sampler name stands for. */
export function makeKernel(sampler: SamplerName, target: Target, options: NutsOptions & HmcOptions): Kernel {
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

  const start = initialPoint(target, generator, initialFor(options, chain, chains));
  let state = kernel.init(start);
  const inverseMetric = options.inverseMetric ? Float64Array.from(options.inverseMetric) : new Float64Array(d).fill(1);
  if (inverseMetric.length !== d || inverseMetric.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw new InvalidInputError('inverseMetric', `expected ${d} finite positive variances`);
  }
  const initialStep = options.stepSize ?? (sampler === 'metropolis' ? 2.38 / Math.sqrt(d) : 1);
  const parameters: KernelParameters = { stepSize: initialStep, inverseMetric };
  const adaptStep = options.adaptStepSize ?? true;
  const adaptMetric = options.adaptMetric ?? true;
  const defaultAcceptance = sampler === 'metropolis' ? (d === 1 ? 0.44 : 0.234) : 0.8;
  const dual = new DualAveraging(initialStep, { targetAcceptance: options.targetAcceptance ?? defaultAcceptance });
  if (warmup > 0 && adaptStep && kernel.initialStepSize) parameters.stepSize = kernel.initialStepSize(generator, state, parameters);

  const { initBuffer, windowEnds } = adaptationWindows(warmup, options.windows);
  const lastWindowEnd = windowEnds.length > 0 ? windowEnds[windowEnds.length - 1] : -1;
  const welford = new WelfordVariance(d);
  let window = 0;
  const total = warmup + draws;
  const every = Math.max(1, Math.floor(total / 100));
  const progress = (iteration: number) => {
    if (options.onProgress && (iteration % every === 0 || iteration === total)) {
      options.onProgress({ chain, iteration, total, phase: iteration <= warmup ? 'warmup' : 'sampling' });
    }
  };

  let warmupDivergences = 0;
  for (let it = 0; it < warmup; it++) {
    const result = kernel.step(generator, state, parameters);
    state = result.state;
    if (result.info.divergent) warmupDivergences++;
    if (adaptStep) parameters.stepSize = dual.learn(result.info.acceptanceRate);
    if (adaptMetric && it >= initBuffer && it <= lastWindowEnd) {
      welford.add(state.position);
      if (it === windowEnds[window]) {
        const variance = new Float64Array(d);
        welford.variance(variance);
        regularizeVariance(variance, welford.count);
        parameters.inverseMetric = variance;
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
    inverseMetric: Float64Array.from(parameters.inverseMetric),
    warmupDivergences,
    initialPosition: start,
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
  samples.warnings = samplerWarnings(samples);
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
 * The No-U-Turn Sampler with Stan's warm-up (step size by dual averaging, windowed diagonal metric):
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

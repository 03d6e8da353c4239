// fitMMM: the Bayesian MMM sampled with NUTS, and what a reader does with the posterior (chapter 13): the
// summary under ArviZ's column names, diagnostics and warnings, prior and posterior predictive checks,
// channel contributions and ROAS in original units, lift tests, and export to ArviZ. The fit implements
// `FittedMMM` (kind 'posterior'), which Part VI reads.
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import { independentStreams, normal, studentT, uniform, type Rng } from '../../random/index';
import { nuts, summarize, toArviZ, type ArviZDict, type MetricKind, type NutsOptions, type Progress, type Samples, type SummaryRow, type Target } from '../../sample/index';
import type { ChannelCurve, FittedMMM } from '../fitted';
import { prepareMMM, type MMMSpec, type PreparedMMM } from '../spec';
import type { LiftTest } from '../calibration/liftTest';
import { prepareLiftTests, type PreparedLiftTest } from './liftTests';
import { mmmChannelCurve, mmmTarget, type MMMCoordinates, type MMMLayout, type MMMTarget } from './model';
import { resolveMMMPriors, type MMMPriors } from './priors';

export interface FitMMMOptions {
  /** Seed of the run: the same seed gives the same draws, bit for bit. */
  seed: number | string;
  chains?: number;
  warmup?: number;
  draws?: number;
  /** Override default priors by role (model scale). */
  priors?: Partial<MMMPriors>;
  /** Experiments that enter the likelihood (see `LiftTest`). */
  liftTests?: readonly LiftTest[];
  /** Stan's δ, default 0.8. */
  targetAcceptance?: number;
  maxTreeDepth?: number;
  /**
   * The sampler's metric (see `nuts`): 'diag' (default, as Stan) or 'dense'. On data/mmm_example.csv
   * (bench/suites/mmm.ts, chapter 13), with the default start and coordinates, 'dense' needs about half the
   * gradients of 'diag' for the same effective sample size, given the full warm-up (about 1000 iterations)
   * to estimate the covariance. It is not the default because on posteriors that bend more it diverged more
   * often than 'diag' in the same runs: Weibull-PDF adstock and Hill saturation (weakly identified K and
   * slope) had dozens of divergences where 'diag' had none; delayed adstock diverged under both.
   */
  metric?: MetricKind;
  /**
   * Where each chain starts (see `nuts`): 'laplace' (default here) climbs from Stan's uniform point to a mode
   * and starts from the Laplace approximation there, with its covariance as the first metric; 'uniform' is
   * Stan's start.
   */
  start?: 'uniform' | 'laplace';
  /**
   * The coordinates each channel's coefficient is sampled in (see `MMMCoordinates`): 'contribution'
   * (default), log of the channel's effect at its typical spend, or 'coefficient', log β as in Stan's
   * program. The posterior is the same either way; the contribution coordinate straightens the bent
   * β–saturation ridge, so the sampler needs fewer steps per draw (chapter 13 measures it).
   */
  coordinates?: MMMCoordinates;
  onProgress?: (progress: Progress) => void;
}

/** Draws of ŷ per week (original units) with their mean and a central interval. */
export interface PredictiveCheck {
  /** One Float64Array of weekly values per draw. */
  draws: Float64Array[];
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Probability of the central interval (default 0.94, ArviZ's). */
  prob: number;
  observed: Float64Array;
  dates: string[];
}

/** A channel's weekly contribution in original units: mean and central interval over draws, and the total per draw. */
export interface ContributionSummary {
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Σ_t contribution_t per draw. */
  total: Float64Array;
}

/** ArviZ `az.from_dict(**json)` input: the run's dictionaries plus predictive draws and the data. */
export interface MMMArviZDict extends ArviZDict {
  posterior_predictive: { y: number[][][] };
  observed_data: { y: number[] };
  coords: { date: string[] };
  dims: { y: string[] };
}

/** The result of `fitMMM`: a posterior that Part VI reads through `FittedMMM`. */
export interface BayesianMMM extends FittedMMM {
  readonly kind: 'posterior';
  readonly prepared: PreparedMMM;
  readonly priors: MMMPriors;
  readonly liftTests: readonly LiftTest[];
  /** The run: model parameters (scaled units, as in Stan) and `roas[channel]` (original units) per draw. */
  readonly samples: Samples;
  /** Names of the model parameters, in the order of the unconstrained vector. */
  readonly parameterNames: readonly string[];
  readonly layout: MMMLayout;
  /** Data warnings and sampler warnings (divergences, tree depth, E-BFMI, R-hat, ESS). */
  readonly warnings: string[];
  /** Model parameters of pooled draw i (chains one after another). */
  parameters(draw: number): Float64Array;
  /** All draws of one reported quantity, chains concatenated. */
  draws(name: string): Float64Array;
  /** ArviZ's summary table: mean, sd, hdi_3%, hdi_97%, mcse_mean, mcse_sd, ess_bulk, ess_tail, r_hat. */
  summary(parameters?: readonly string[]): SummaryRow[];
  /** Draws of new data y_rep from the posterior, original units. */
  posteriorPredictive(options: { seed: number | string; prob?: number }): PredictiveCheck;
  /** Weekly contribution of each channel, original units. */
  contributions(options?: { prob?: number }): Record<string, ContributionSummary>;
  /** Per draw: Σ contribution / Σ spend, original units. */
  roas(channel: string): Float64Array;
  /** Per draw and lift test: the lift the model predicts, original units. */
  predictedLifts(): Float64Array[];
  toArviZ(options: { seed: number | string }): MMMArviZDict;
}

function requireCount(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new InvalidInputError(name, `expected an integer >= ${min}, got ${value}`);
  return v;
}

function checkSeed(seed: unknown): void {
  if (!(typeof seed === 'number' && Number.isFinite(seed)) && typeof seed !== 'string') {
    throw new InvalidInputError('seed', `expected a number or string seed (the same seed gives the same draws), got ${String(seed)}`);
  }
}

/** Central interval of each column of `rows` (equal-tailed quantiles), and the mean. */
function bands(rows: Float64Array[], prob: number): { mean: Float64Array; lower: Float64Array; upper: Float64Array } {
  if (!(prob > 0 && prob < 1)) throw new InvalidInputError('prob', `expected a probability in (0, 1), got ${prob}`);
  const n = rows.length;
  const T = rows[0].length;
  const mean = new Float64Array(T);
  const lower = new Float64Array(T);
  const upper = new Float64Array(T);
  const column = new Float64Array(n);
  const q = (sorted: Float64Array, p: number) => {
    const h = (n - 1) * p;
    const i = Math.floor(h);
    return i + 1 < n ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
  };
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      column[i] = rows[i][t];
      s += column[i];
    }
    mean[t] = s / n;
    column.sort();
    lower[t] = q(column, (1 - prob) / 2);
    upper[t] = q(column, (1 + prob) / 2);
  }
  return { mean, lower, upper };
}

/** One draw of y_rep (original units) around μ (scaled) under θ. */
function replicate(target: MMMTarget, theta: ArrayLike<number>, prepared: PreparedMMM, rng: Rng): Float64Array {
  const { mu } = target.forward(theta);
  const { layout } = target;
  const sigma = theta[layout.sigma];
  const nu = layout.nu >= 0 ? theta[layout.nu] : 0;
  const out = new Float64Array(mu.length);
  for (let t = 0; t < mu.length; t++) {
    const e = layout.nu >= 0 ? studentT(rng, nu, 0, sigma) : normal(rng, 0, sigma);
    out[t] = (mu[t] + e) * prepared.targetScale;
  }
  return out;
}

function curveOf(prepared: PreparedMMM, layout: MMMLayout, theta: ArrayLike<number>, channel: string): ChannelCurve {
  const c = prepared.channels.indexOf(channel);
  if (c < 0) throw new InvalidInputError('channel', `'${channel}' is not a channel of the fit (${prepared.channels.join(', ')})`);
  return mmmChannelCurve(prepared, layout, theta, c);
}

/** Total spend per channel, original units (the ROAS denominator). */
function totalSpend(prepared: PreparedMMM): number[] {
  return prepared.channels.map((c) => prepared.spend[c].reduce((s, v) => s + v, 0));
}

/**
 * Prior predictive check: parameters drawn from the priors and y_rep drawn around their μ, original units
 * (chapter 13). Weeks whose band is far wider than the data, or centred far from them, say the priors
 * allow outcomes no one believes.
 */
export function mmmPriorPredictive(
  columns: Columns,
  spec: MMMSpec,
  options: { seed: number | string; draws?: number; priors?: Partial<MMMPriors>; prob?: number },
): PredictiveCheck & { parameters: Float64Array[]; parameterNames: string[] } {
  checkSeed(options?.seed);
  const n = requireCount('draws', options.draws, 500, 2);
  const prepared = prepareMMM(columns, spec);
  const priors = resolveMMMPriors(options.priors);
  const target = mmmTarget(prepared, priors);
  const [rngParameters, rngNoise] = independentStreams(options.seed, 2);
  const parameters: Float64Array[] = [];
  const draws: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    // A truncated prior (the delayed adstock's peak, below L − 1) is drawn by inversion, Q(U·F(upper)).
    const theta = Float64Array.from(target.layout.priors, (d, j) => {
      const upper = target.layout.upper[j];
      return upper < d.support.upper ? d.quantile(uniform(rngParameters) * d.cdf(upper)) : d.sample(rngParameters);
    });
    parameters.push(theta);
    draws.push(replicate(target, theta, prepared, rngNoise));
  }
  const prob = options.prob ?? 0.94;
  return { draws, ...bands(draws, prob), prob, observed: prepared.target, dates: prepared.dates, parameters, parameterNames: [...target.layout.names] };
}

/**
 * The MMM's target with reported quantities: the model parameters and, per channel, `roas[channel]` in
 * original units (computed once per draw, not per leapfrog step). Shared by `fitMMM` and the worker-thread
 * variant in `./node`. Chapter 13.
 */
export function mmmReportingTarget(
  prepared: PreparedMMM,
  priors: MMMPriors,
  lifts: readonly PreparedLiftTest[],
  coordinates: MMMCoordinates = 'contribution',
): { target: MMMTarget; reporting: Target } {
  const target = mmmTarget(prepared, priors, lifts, coordinates);
  const { layout } = target;
  const D = layout.names.length;
  const spendTotals = totalSpend(prepared);
  const reportedNames = [...layout.names, ...prepared.channels.map((c) => `roas[${c}]`)];
  const reporting: Target = {
    dimension: target.dimension,
    logDensityGradient: target.logDensityGradient,
    parameterNames: reportedNames,
    constrain(u: Float64Array) {
      const theta = target.parameters(u);
      const out = new Float64Array(reportedNames.length);
      out.set(theta);
      const { saturated } = target.forward(theta);
      prepared.channels.forEach((_, c) => {
        const beta = theta[layout.channelStart[c]];
        const s = saturated[c].reduce((a, b) => a + b, 0);
        out[D + c] = (prepared.targetScale * beta * s) / spendTotals[c];
      });
      return out;
    },
  };
  return { target, reporting };
}

/**
 * The sampler's options of a fit, with fitMMM's defaults (diagonal metric, Laplace start): one place for
 * `fitMMM` and `fitMMMOnWorkers`, so that both run the same chains. Chapter 13.
 */
export function mmmSamplerOptions(options: FitMMMOptions): NutsOptions {
  const { chains, warmup, draws } = resolveFitOptions(options);
  return {
    seed: options.seed,
    chains,
    warmup,
    draws,
    targetAcceptance: options.targetAcceptance,
    maxTreeDepth: options.maxTreeDepth,
    metric: options.metric ?? 'diag',
    start: options.start ?? 'laplace',
    onProgress: options.onProgress,
  };
}

/** Checks fitMMM's options and resolves counts (shared with the worker-thread variant). Chapter 13. */
export function resolveFitOptions(options: FitMMMOptions): { chains: number; warmup: number; draws: number } {
  if (!options || typeof options !== 'object') throw new InvalidInputError('options', 'expected { seed, chains?, warmup?, draws? }');
  checkSeed(options.seed);
  return {
    chains: requireCount('chains', options.chains, 4, 1),
    warmup: requireCount('warmup', options.warmup, 1000, 0),
    draws: requireCount('draws', options.draws, 1000, 1),
  };
}

/**
 * Fits the Bayesian MMM with NUTS (chains one after another, in-process: it runs in a browser too).
 * `columns` are the data by name, `spec` names the date, target, channels and controls. Draws of the model
 * parameters are on the model's scale (as in Stan); contributions, ROAS, baselines and predictive draws are
 * in original units. Taught in chapter 13, "The Bayesian MMM".
 *
 * @example
 * const fit = fitMMM(columns, { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1'] },
 *   { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
 * showTable(fit.summary());
 */
export function fitMMM(columns: Columns, spec: MMMSpec, options: FitMMMOptions): BayesianMMM {
  const sampler = mmmSamplerOptions(options);
  const prepared = prepareMMM(columns, spec);
  const priors = resolveMMMPriors(options.priors);
  const lifts: PreparedLiftTest[] = prepareLiftTests(options.liftTests, prepared);
  const { target, reporting } = mmmReportingTarget(prepared, priors, lifts, options.coordinates);
  const samples = nuts(reporting, sampler);
  return makeBayesianMMM(prepared, priors, options.liftTests ?? [], target, samples);
}

/** Wraps a run of the MMM's target as a `BayesianMMM` (used by `fitMMM` and the worker-thread variant). Chapter 13. */
export function makeBayesianMMM(
  prepared: PreparedMMM,
  priors: MMMPriors,
  liftTests: readonly LiftTest[],
  target: MMMTarget,
  samples: Samples,
): BayesianMMM {
  const { layout } = target;
  const D = layout.names.length;
  const width = samples.parameterNames.length;
  const perChain = samples.draws;
  const drawCount = samples.chains.length * perChain;
  const P = layout.baselineCount;
  const X = prepared.baseline.matrix.data;
  const T = prepared.rows;

  const parameters = (i: number): Float64Array => {
    if (!Number.isInteger(i) || i < 0 || i >= drawCount) throw new InvalidInputError('draw', `expected an integer in [0, ${drawCount}), got ${i}`);
    const chain = samples.chains[Math.floor(i / perChain)];
    const at = (i % perChain) * width;
    return chain.draws.slice(at, at + D);
  };
  const channelIndex = (channel: string): number => {
    const c = prepared.channels.indexOf(channel);
    if (c < 0) throw new InvalidInputError('channel', `'${channel}' is not a channel of the fit (${prepared.channels.join(', ')})`);
    return c;
  };
  const pooled = (name: string): Float64Array => {
    const j = samples.parameterNames.indexOf(name);
    if (j < 0) throw new InvalidInputError('name', `no quantity '${name}'; the names are ${samples.parameterNames.join(', ')}`);
    const out = new Float64Array(drawCount);
    for (let i = 0; i < drawCount; i++) out[i] = samples.chains[Math.floor(i / perChain)].draws[(i % perChain) * width + j];
    return out;
  };
  const posteriorPredictive = (options: { seed: number | string; prob?: number }): PredictiveCheck => {
    checkSeed(options?.seed);
    const rng = independentStreams(options.seed, 1)[0];
    const draws: Float64Array[] = [];
    for (let i = 0; i < drawCount; i++) draws.push(replicate(target, parameters(i), prepared, rng));
    const prob = options.prob ?? 0.94;
    return { draws, ...bands(draws, prob), prob, observed: prepared.target, dates: prepared.dates };
  };
  const contributions = (options: { prob?: number } = {}): Record<string, ContributionSummary> => {
    const rows: Float64Array[][] = prepared.channels.map(() => []);
    for (let i = 0; i < drawCount; i++) {
      const theta = parameters(i);
      const { saturated } = target.forward(theta);
      prepared.channels.forEach((_, c) => {
        const f = prepared.targetScale * theta[layout.channelStart[c]];
        rows[c].push(saturated[c].map((s) => s * f));
      });
    }
    const out: Record<string, ContributionSummary> = {};
    prepared.channels.forEach((name, c) => {
      out[name] = { ...bands(rows[c], options.prob ?? 0.94), total: Float64Array.from(rows[c], (r) => r.reduce((a, b) => a + b, 0)) };
    });
    return out;
  };
  const warnings = [...prepared.warnings, ...samples.warnings];
  const fit: BayesianMMM = {
    kind: 'posterior',
    dates: prepared.dates,
    channels: prepared.channels,
    spend: prepared.spend,
    target: prepared.target,
    drawCount,
    prepared,
    priors,
    liftTests,
    samples,
    parameterNames: layout.names,
    layout,
    warnings,
    parameters,
    draws: pooled,
    curve: (channel, draw) => curveOf(prepared, layout, parameters(draw), channel),
    baseline(draw) {
      const theta = parameters(draw);
      const out = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let j = 0; j < P; j++) s += X[t * P + j] * theta[j];
        out[t] = s * prepared.targetScale;
      }
      return out;
    },
    summary: (names = samples.parameterNames) => summarize(samples, names),
    posteriorPredictive,
    contributions,
    roas(channel) {
      return pooled(`roas[${prepared.channels[channelIndex(channel)]}]`);
    },
    predictedLifts() {
      const out: Float64Array[] = [];
      for (let i = 0; i < drawCount; i++) out.push(target.predictedLifts(parameters(i)));
      return out;
    },
    toArviZ(options) {
      const base = toArviZ(samples);
      const ppc = posteriorPredictive({ seed: options.seed });
      const y: number[][][] = samples.chains.map((_, c) => Array.from({ length: perChain }, (_, d) => Array.from(ppc.draws[c * perChain + d])));
      return {
        ...base,
        posterior_predictive: { y },
        observed_data: { y: Array.from(prepared.target) },
        coords: { date: [...prepared.dates] },
        dims: { y: ['date'] },
      };
    },
  };
  return fit;
}

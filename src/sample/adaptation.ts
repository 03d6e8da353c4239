/**
 * Warm-up adaptation as Stan does it. Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 *
 * - Step size: Nesterov's dual averaging as adapted by Hoffman and Gelman (2014, "The No-U-Turn
 *   Sampler", §3.2, Algorithm 5), with Stan's defaults δ = 0.8, γ = 0.05, t₀ = 10, κ = 0.75 and
 *   μ = log(10 ε₀) (stan/mcmc/stepsize_adaptation.hpp).
 * - Mass matrix: Stan's windowed adaptation (stan/mcmc/windowed_adaptation.hpp, var_adaptation.hpp):
 *   an initial fast buffer of 75 iterations, slow windows of 25, 50, 100, ... iterations in which the
 *   variance of the draws is estimated (Welford), a terminal fast buffer of 50; at the end of each
 *   window the inverse metric becomes the regularized variance (n/(n+5)) s² + 10⁻³ (5/(n+5)), and the
 *   step size is re-initialized and its dual averaging restarted.
 * - Dense mass matrix (Stan's dense_e, covar_adaptation.hpp): the same windows, with the running
 *   *covariance* of the draws (Welford) regularized as (n/(n+5)) Σ + 10⁻³ (5/(n+5)) I.
 */
import { InvalidInputError } from '../errors';
import { metricFactor } from './hamiltonian';

export interface DualAveragingOptions {
  targetAcceptance?: number;
  gamma?: number;
  t0?: number;
  kappa?: number;
}

/** The state of dual averaging; `learn` updates it in place and returns the next step size. */
export class DualAveraging {
  private counter = 0;
  private sBar = 0;
  private xBar = 0;
  private mu: number;
  readonly delta: number;
  readonly gamma: number;
  readonly t0: number;
  readonly kappa: number;

  constructor(initialStepSize: number, options: DualAveragingOptions = {}) {
    this.delta = options.targetAcceptance ?? 0.8;
    this.gamma = options.gamma ?? 0.05;
    this.t0 = options.t0 ?? 10;
    this.kappa = options.kappa ?? 0.75;
    if (!(this.delta > 0 && this.delta < 1)) {
      throw new InvalidInputError('targetAcceptance', `expected a number in (0, 1), got ${this.delta}`);
    }
    this.mu = Math.log(10 * initialStepSize);
  }

  /** Forgets the averages and shrinks towards log(10 ε) (Stan: set_mu then restart). */
  restart(stepSize: number): void {
    this.mu = Math.log(10 * stepSize);
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** One update from the acceptance statistic of the last transition; returns the new step size. */
  learn(acceptance: number): number {
    this.counter++;
    const a = acceptance > 1 ? 1 : acceptance;
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const xEta = Math.pow(this.counter, -this.kappa);
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /** The step size used after warm-up: exp of the averaged iterate. */
  final(): number {
    return Math.exp(this.xBar);
  }
}

/** Running mean and variance (Welford 1962), without storing the draws. */
export class WelfordVariance {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(dimension: number) {
    this.mean = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension);
  }

  get count(): number {
    return this.n;
  }

  add(x: Float64Array): void {
    this.n++;
    for (let i = 0; i < x.length; i++) {
      const delta = x[i] - this.mean[i];
      this.mean[i] += delta / this.n;
      this.m2[i] += delta * (x[i] - this.mean[i]);
    }
  }

  /** The sample variance (divisor n - 1), written into `out`. */
  variance(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.m2[i] / (this.n - 1);
  }

  restart(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

/**
 * Running mean and covariance (Welford 1962; Stan's welford_covar_estimator), without storing the
 * draws: after x, mean ← mean + δ/n and M₂ ← M₂ + (x − mean) δᵀ with δ = x − old mean. No allocation
 * per draw. Chapter "Hamiltonian Monte Carlo and NUTS".
 */
export class WelfordCovariance {
  private n = 0;
  private readonly d: number;
  private readonly mean: Float64Array;
  private readonly delta: Float64Array;
  private readonly m2: Float64Array;

  constructor(dimension: number) {
    this.d = dimension;
    this.mean = new Float64Array(dimension);
    this.delta = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension * dimension);
  }

  get count(): number {
    return this.n;
  }

  add(x: Float64Array): void {
    const d = this.d;
    this.n++;
    for (let i = 0; i < d; i++) {
      this.delta[i] = x[i] - this.mean[i];
      this.mean[i] += this.delta[i] / this.n;
    }
    for (let i = 0; i < d; i++) {
      const after = x[i] - this.mean[i];
      const row = i * d;
      for (let j = 0; j < d; j++) this.m2[row + j] += after * this.delta[j];
    }
  }

  /** The sample covariance (divisor n − 1), d × d row-major, written into `out`. */
  covariance(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.m2[i] / (this.n - 1);
  }

  restart(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

export interface WindowOptions {
  /** Iterations of fast (step-size only) adaptation at the start. Stan: 75. */
  initBuffer?: number;
  /** Iterations of fast adaptation at the end. Stan: 50. */
  termBuffer?: number;
  /** The first slow window; each next one doubles. Stan: 25. */
  baseWindow?: number;
}

/**
 * The schedule of metric-adaptation windows for `warmup` iterations. Returns the (0-based) iterations
 * at which a window ends and the metric is updated, and the range in which draws are collected. When
 * the buffers do not fit, Stan's fallback applies: 15% / 75% / 10% of the warm-up.
 */
export function adaptationWindows(
  warmup: number,
  options: WindowOptions = {},
): { initBuffer: number; termBuffer: number; windowEnds: number[] } {
  let initBuffer = options.initBuffer ?? 75;
  let termBuffer = options.termBuffer ?? 50;
  let baseWindow = options.baseWindow ?? 25;
  if (warmup < 20) return { initBuffer: warmup, termBuffer: 0, windowEnds: [] };
  if (initBuffer + baseWindow + termBuffer > warmup) {
    initBuffer = Math.trunc(0.15 * warmup);
    termBuffer = Math.trunc(0.1 * warmup);
    baseWindow = warmup - (initBuffer + termBuffer);
  }
  const lastEnd = warmup - termBuffer - 1;
  const windowEnds: number[] = [];
  let size = baseWindow;
  let next = initBuffer + size - 1;
  // Stan's compute_next_window: double the window; if the one after would not fit, stretch this one
  // to the start of the terminal buffer.
  for (;;) {
    if (next > lastEnd) next = lastEnd;
    windowEnds.push(next);
    if (next === lastEnd) break;
    size *= 2;
    next = next + size;
    if (next !== lastEnd && next + 2 * size >= warmup - termBuffer) next = lastEnd;
  }
  return { initBuffer, termBuffer, windowEnds };
}

/** Stan's regularization of the window's variance estimate towards 10⁻³, with weight 5/(n + 5). */
export function regularizeVariance(variance: Float64Array, n: number): void {
  const w = n / (n + 5);
  const shrink = 1e-3 * (5 / (n + 5));
  for (let i = 0; i < variance.length; i++) variance[i] = w * variance[i] + shrink;
}

/** Stan's regularization of a window's covariance estimate (d × d, in place): (n/(n+5)) Σ + 10⁻³ (5/(n+5)) I. Chapter "Hamiltonian Monte Carlo and NUTS". */
export function regularizeCovariance(covariance: Float64Array, n: number): void {
  const d = Math.round(Math.sqrt(covariance.length));
  const w = n / (n + 5);
  const shrink = 1e-3 * (5 / (n + 5));
  for (let i = 0; i < covariance.length; i++) covariance[i] *= w;
  for (let i = 0; i < d; i++) covariance[i * d + i] += shrink;
}

/**
 * The dense inverse metric from a window's covariance estimate of n draws: regularized as Stan does,
 * symmetrized from its lower triangle, and checked by a Cholesky factorization. When the estimate is
 * not positive definite (draws with non-finite or wildly scaled values can do this despite the
 * regularization), the metric falls back to the regularized diagonal, with a warning that says so,
 * instead of failing later inside a trajectory. Chapter "Hamiltonian Monte Carlo and NUTS".
 */
export function denseInverseMetric(covariance: Float64Array, n: number): { inverseMetric: Float64Array; warning?: string } {
  const d = Math.round(Math.sqrt(covariance.length));
  if (d * d !== covariance.length) {
    throw new InvalidInputError('covariance', `expected a d × d matrix, got ${covariance.length} values`);
  }
  const sigma = Float64Array.from(covariance);
  regularizeCovariance(sigma, n);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) sigma[j * d + i] = sigma[i * d + j];
  let reason = '';
  if (sigma.every((v) => Number.isFinite(v))) {
    try {
      metricFactor(sigma, d);
      return { inverseMetric: sigma };
    } catch (error) {
      reason = (error as Error).message;
    }
  } else {
    reason = 'it has non-finite entries';
  }
  const diagonal = new Float64Array(d);
  for (let i = 0; i < d; i++) diagonal[i] = sigma[i * d + i];
  const usable = diagonal.every((v) => v > 0 && Number.isFinite(v));
  if (!usable) diagonal.fill(1);
  return {
    inverseMetric: diagonal,
    warning:
      `dense metric: the covariance estimated from ${n} warm-up draws is not positive definite (${reason}); ` +
      (usable ? 'fell back to its diagonal (the variances) for this window.' : 'its variances are not usable either: fell back to the unit metric for this window.') +
      ' Check the model for parameters that are unbounded or not identified.',
  };
}

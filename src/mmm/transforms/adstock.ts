/**
 * Adstock (carryover): the media effect of week t spread over the following weeks by lag weights,
 * y_t = Σ_{l=0}^{lMax−1} w_l x_{t−l}. Each family below is a parametric choice of the weights:
 *
 * - geometric  w_l = α^l                                   (Jin et al. 2017, eq. 1; Broadbent's adstock)
 * - delayed    w_l = α^{(l−θ)²}                             (Jin et al. 2017, eq. 2; peak at lag θ)
 * - weibull    cdf: w_l = Π_{i=1}^{l} (1 − F(i)) = exp(−Σ_{i≤l} (i/λ)^k); pdf: w_l = f(l+1)  (Robyn)
 * - binomial   w_l = (1 − l/lMax)^{1/α − 1}                  (Meridian)
 *
 * With `normalize` the weights are divided by their sum, so that a constant spend x leads, after lMax
 * weeks, to adstock x: the channel's coefficient is then the effect of a sustained unit of spend. Without
 * it, the adstock of a constant spend is x·Σw and the coefficient is the effect of one week's spend in
 * its own week. Defaults follow pymc-marketing (lMax 12, not normalized).
 *
 * Every adstock comes with its vector-Jacobian product (`…Vjp`: the gradient on x and on each parameter
 * given the gradient g on the output, for reverse-mode differentiation) and its parameter Jacobian
 * (`…Jacobian`: ∂y/∂θ as series, for Gauss–Newton). In x the adstock is linear, so its forward derivative
 * in a direction v is the adstock of v.
 *
 * Taught in the chapter "Carryover: adstock" (Part III).
 */
import { InvalidInputError } from '../../errors';
import { convolveLags, convolveLagsVjp } from './convolution';
import { delayedWeightsInto, weibullWeightsInto } from './lagWeights';
import { checkInterval, checkLMax, checkMedia, checkPositive, checkUpstream } from './validate';

/** Window and normalization of an adstock. */
export interface AdstockOptions {
  /** Number of lag weights (lags 0..lMax−1); default 12 as in pymc-marketing. Geometric also takes Infinity. */
  lMax?: number;
  /** Divide the weights by their sum (default false, as in pymc-marketing). */
  normalize?: boolean;
}

/** Options of the Weibull adstock. */
export interface WeibullAdstockOptions extends AdstockOptions {
  /** 'cdf' (default): weights are the Weibull survival chain, w_0 = 1; 'pdf': w_l = density at l + 1. */
  kind?: 'cdf' | 'pdf';
}

/** Default window, as pymc-marketing's `l_max`. */
export const DEFAULT_ADSTOCK_L_MAX = 12;

/** Unnormalized weights u_l and their derivatives du_l/dθ_p, one array per parameter. */
interface RawWeights {
  u: Float64Array;
  du: Float64Array[];
}

/** Normalized (or not) weights from raw ones; `blame` names the parameter to blame if the sum vanishes. */
function finishWeights(raw: RawWeights, normalize: boolean, blame: string): Float64Array {
  if (!normalize) return raw.u;
  let sum = 0;
  for (let l = 0; l < raw.u.length; l++) sum += raw.u[l];
  if (!(sum > 0) || !Number.isFinite(sum)) {
    throw new InvalidInputError(blame, `the lag weights sum to ${sum} and cannot be normalized`);
  }
  const w = new Float64Array(raw.u.length);
  for (let l = 0; l < w.length; l++) w[l] = raw.u[l] / sum;
  return w;
}

/**
 * dw_l/dθ_p for each parameter: du/dθ without normalization; with w = u/S, S = Σu,
 * dw_l/dθ = (du_l/dθ − w_l Σ_m du_m/dθ)/S (quotient rule).
 */
function weightDerivatives(raw: RawWeights, w: Float64Array, normalize: boolean): Float64Array[] {
  if (!normalize) return raw.du;
  let sum = 0;
  for (let l = 0; l < raw.u.length; l++) sum += raw.u[l];
  return raw.du.map((du) => {
    let dsum = 0;
    for (let l = 0; l < du.length; l++) dsum += du[l];
    const dw = new Float64Array(du.length);
    for (let l = 0; l < du.length; l++) dw[l] = (du[l] - w[l] * dsum) / sum;
    return dw;
  });
}

/** Σ_l gw_l dw_l/dθ_p for each parameter p. */
function chainWeights(gw: Float64Array, dw: Float64Array[]): number[] {
  return dw.map((d) => {
    let s = 0;
    for (let l = 0; l < d.length; l++) s += gw[l] * d[l];
    return s;
  });
}

function resolve(options: AdstockOptions, allowInfinite = false): { lMax: number; normalize: boolean } {
  const lMax = options.lMax ?? DEFAULT_ADSTOCK_L_MAX;
  checkLMax(lMax, allowInfinite);
  if (options.normalize !== undefined && typeof options.normalize !== 'boolean') {
    throw new InvalidInputError('normalize', `expected true or false, got ${options.normalize}`);
  }
  return { lMax, normalize: options.normalize ?? false };
}

// ---------------------------------------------------------------------------------------------------
// Geometric

function geometricRaw(alpha: number, lMax: number): RawWeights {
  const u = new Float64Array(lMax);
  const du = new Float64Array(lMax);
  for (let l = 0; l < lMax; l++) {
    u[l] = Math.pow(alpha, l); // 0^0 = 1: with α = 0 all the effect stays in its own week
    du[l] = l === 0 ? 0 : l * Math.pow(alpha, l - 1);
  }
  return { u, du: [du] };
}

function checkGeometricAlpha(alpha: number, lMax: number): void {
  // α = 1 is a moving sum over a finite window (Meridian tests it) but an unbounded one without a window.
  if (lMax === Infinity) checkInterval('alpha', alpha, 0, 1, { hiOpen: true });
  else checkInterval('alpha', alpha, 0, 1);
}

/**
 * The geometric adstock weights w_l = α^l, l = 0..lMax−1 (divided by Σ_l α^l when normalized): the
 * impulse response of `geometricAdstock`. Taught in the chapter "Carryover: adstock".
 */
export function geometricAdstockWeights(alpha: number, options: AdstockOptions = {}): Float64Array {
  const { lMax, normalize } = resolve(options);
  checkGeometricAlpha(alpha, lMax);
  return finishWeights(geometricRaw(alpha, lMax), normalize, 'alpha');
}

/** The untruncated geometric adstock r_t = x_t + α r_{t−1} (Robyn's recursion), times (1−α) if normalized. */
function geometricRecursion(x: ArrayLike<number>, alpha: number, normalize: boolean): Float64Array {
  const y = new Float64Array(x.length);
  let prev = 0;
  for (let t = 0; t < x.length; t++) {
    prev = x[t] + alpha * prev;
    y[t] = prev;
  }
  if (normalize) for (let t = 0; t < y.length; t++) y[t] *= 1 - alpha;
  return y;
}

/**
 * Geometric adstock: y_t = Σ_{l=0}^{lMax−1} α^l x_{t−l} (÷ Σ_l α^l when `normalize`), α ∈ [0, 1] the
 * share of an effect that carries over to the next week. `lMax: Infinity` gives the untruncated
 * recursion y_t = x_t + α y_{t−1} (normalized: times 1 − α; α < 1). Matches pymc-marketing's
 * `geometric_adstock` (mode After). Taught in the chapter "Carryover: adstock".
 */
export function geometricAdstock(x: ArrayLike<number>, alpha: number, options: AdstockOptions = {}): Float64Array {
  const { lMax, normalize } = resolve(options, true);
  checkGeometricAlpha(alpha, lMax);
  checkMedia('x', x);
  if (lMax === Infinity) return geometricRecursion(x, alpha, normalize);
  return convolveLags(x, finishWeights(geometricRaw(alpha, lMax), normalize, 'alpha'));
}

/**
 * Vector-Jacobian product of `geometricAdstock`: given g = ∂f/∂y, returns ∂f/∂x and ∂f/∂α.
 * Taught in the chapter "Carryover: adstock".
 */
export function geometricAdstockVjp(
  x: ArrayLike<number>,
  alpha: number,
  g: ArrayLike<number>,
  options: AdstockOptions = {},
): { x: Float64Array; alpha: number } {
  const { lMax, normalize } = resolve(options, true);
  checkGeometricAlpha(alpha, lMax);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  if (lMax === Infinity) {
    // y = c·r with r = (I − αS)⁻¹x (S the one-week shift) and c = 1 − α or 1. The adjoint a solves
    // a_t = c g_t + α a_{t+1}; then ∂f/∂x = a and ∂f/∂α = Σ_t a_t r_{t−1} + (dc/dα) Σ_t g_t r_t.
    const n = x.length;
    const r = geometricRecursion(x, alpha, false);
    const c = normalize ? 1 - alpha : 1;
    const a = new Float64Array(n);
    let next = 0;
    for (let t = n - 1; t >= 0; t--) {
      next = c * g[t] + alpha * next;
      a[t] = next;
    }
    let ga = 0;
    for (let t = 1; t < n; t++) ga += a[t] * r[t - 1];
    if (normalize) for (let t = 0; t < n; t++) ga -= g[t] * r[t];
    return { x: a, alpha: ga };
  }
  const raw = geometricRaw(alpha, lMax);
  const w = finishWeights(raw, normalize, 'alpha');
  const back = convolveLagsVjp(x, w, g);
  const [ga] = chainWeights(back.weights, weightDerivatives(raw, w, normalize));
  return { x: back.x, alpha: ga };
}

/**
 * ∂y_t/∂α for every week t of `geometricAdstock` (finite lMax): the parameter Jacobian's column, for
 * Gauss–Newton fits. Taught in the chapter "Carryover: adstock".
 */
export function geometricAdstockJacobian(
  x: ArrayLike<number>,
  alpha: number,
  options: AdstockOptions = {},
): { alpha: Float64Array } {
  const { lMax, normalize } = resolve(options);
  checkGeometricAlpha(alpha, lMax);
  checkMedia('x', x);
  const raw = geometricRaw(alpha, lMax);
  const [dw] = weightDerivatives(raw, finishWeights(raw, normalize, 'alpha'), normalize);
  return { alpha: convolveLags(x, dw) };
}

// ---------------------------------------------------------------------------------------------------
// Delayed (peaked)

function delayedRaw(alpha: number, theta: number, lMax: number): RawWeights {
  const u = new Float64Array(lMax);
  const da = new Float64Array(lMax);
  const dt = new Float64Array(lMax);
  delayedWeightsInto(alpha, theta, u, da, dt);
  return { u, du: [da, dt] };
}

function checkDelayed(alpha: number, theta: number, lMax: number): void {
  // α = 0 would give all-zero weights unless θ is a whole number: no carryover shape is left to fit.
  checkInterval('alpha', alpha, 0, 1, { loOpen: true });
  checkInterval('theta', theta, 0, lMax - 1);
}

/**
 * Delayed (peaked) adstock weights w_l = α^{(l−θ)²}, l = 0..lMax−1 (÷ their sum when normalized): the
 * effect peaks θ weeks after the spend. Taught in the chapter "Carryover: adstock".
 */
export function delayedAdstockWeights(alpha: number, theta: number, options: AdstockOptions = {}): Float64Array {
  const { lMax, normalize } = resolve(options);
  checkDelayed(alpha, theta, lMax);
  return finishWeights(delayedRaw(alpha, theta, lMax), normalize, 'alpha');
}

/**
 * Delayed adstock (Jin et al. 2017, eq. 2): y_t = Σ_l α^{(l−θ)²} x_{t−l}, α ∈ (0, 1] the retention,
 * θ ∈ [0, lMax − 1] the lag of the peak. Matches pymc-marketing's `delayed_adstock`.
 * Taught in the chapter "Carryover: adstock".
 */
export function delayedAdstock(
  x: ArrayLike<number>,
  alpha: number,
  theta: number,
  options: AdstockOptions = {},
): Float64Array {
  const { lMax, normalize } = resolve(options);
  checkDelayed(alpha, theta, lMax);
  checkMedia('x', x);
  return convolveLags(x, finishWeights(delayedRaw(alpha, theta, lMax), normalize, 'alpha'));
}

/**
 * Vector-Jacobian product of `delayedAdstock`: ∂f/∂x, ∂f/∂α and ∂f/∂θ given g = ∂f/∂y.
 * Taught in the chapter "Carryover: adstock".
 */
export function delayedAdstockVjp(
  x: ArrayLike<number>,
  alpha: number,
  theta: number,
  g: ArrayLike<number>,
  options: AdstockOptions = {},
): { x: Float64Array; alpha: number; theta: number } {
  const { lMax, normalize } = resolve(options);
  checkDelayed(alpha, theta, lMax);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const raw = delayedRaw(alpha, theta, lMax);
  const w = finishWeights(raw, normalize, 'alpha');
  const back = convolveLagsVjp(x, w, g);
  const [ga, gt] = chainWeights(back.weights, weightDerivatives(raw, w, normalize));
  return { x: back.x, alpha: ga, theta: gt };
}

/** ∂y_t/∂α and ∂y_t/∂θ of `delayedAdstock` for every week. Taught in the chapter "Carryover: adstock". */
export function delayedAdstockJacobian(
  x: ArrayLike<number>,
  alpha: number,
  theta: number,
  options: AdstockOptions = {},
): { alpha: Float64Array; theta: Float64Array } {
  const { lMax, normalize } = resolve(options);
  checkDelayed(alpha, theta, lMax);
  checkMedia('x', x);
  const raw = delayedRaw(alpha, theta, lMax);
  const [da, dt] = weightDerivatives(raw, finishWeights(raw, normalize, 'alpha'), normalize);
  return { alpha: convolveLags(x, da), theta: convolveLags(x, dt) };
}

// ---------------------------------------------------------------------------------------------------
// Weibull

/** Raw Weibull weights; when they are to be normalized, rescaled by a constant so that none underflows. */
function weibullRaw(shape: number, scale: number, lMax: number, kind: 'cdf' | 'pdf', normalize: boolean): RawWeights {
  const u = new Float64Array(lMax);
  const dk = new Float64Array(lMax);
  const ds = new Float64Array(lMax);
  weibullWeightsInto(shape, scale, kind, u, dk, ds, normalize);
  return { u, du: [dk, ds] };
}

function resolveWeibull(shape: number, scale: number, options: WeibullAdstockOptions) {
  const base = resolve(options);
  const kind = options.kind ?? 'cdf';
  if (kind !== 'cdf' && kind !== 'pdf') throw new InvalidInputError('kind', `expected 'cdf' or 'pdf', got '${kind}'`);
  checkPositive('shape', shape);
  checkPositive('scale', scale);
  return { ...base, kind };
}

/**
 * Weibull adstock weights, l = 0..lMax−1: 'cdf' w_l = exp(−Σ_{i=1}^{l} (i/λ)^k) (w_0 = 1, as pymc-marketing
 * and Robyn); 'pdf' w_l = Weibull density at l + 1 (pymc-marketing further min–max rescales these; Robyn
 * normalizes them). `scale` λ is in weeks. Taught in the chapter "Carryover: adstock".
 */
export function weibullAdstockWeights(shape: number, scale: number, options: WeibullAdstockOptions = {}): Float64Array {
  const { lMax, normalize, kind } = resolveWeibull(shape, scale, options);
  return finishWeights(weibullRaw(shape, scale, lMax, kind, normalize), normalize, 'scale');
}

/**
 * Weibull adstock: y_t = Σ_l w_l x_{t−l} with the weights of `weibullAdstockWeights` (shape k > 0,
 * scale λ > 0 in weeks). Taught in the chapter "Carryover: adstock".
 */
export function weibullAdstock(
  x: ArrayLike<number>,
  shape: number,
  scale: number,
  options: WeibullAdstockOptions = {},
): Float64Array {
  const { lMax, normalize, kind } = resolveWeibull(shape, scale, options);
  checkMedia('x', x);
  return convolveLags(x, finishWeights(weibullRaw(shape, scale, lMax, kind, normalize), normalize, 'scale'));
}

/**
 * Vector-Jacobian product of `weibullAdstock`: ∂f/∂x, ∂f/∂shape, ∂f/∂scale given g = ∂f/∂y.
 * Taught in the chapter "Carryover: adstock".
 */
export function weibullAdstockVjp(
  x: ArrayLike<number>,
  shape: number,
  scale: number,
  g: ArrayLike<number>,
  options: WeibullAdstockOptions = {},
): { x: Float64Array; shape: number; scale: number } {
  const { lMax, normalize, kind } = resolveWeibull(shape, scale, options);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const raw = weibullRaw(shape, scale, lMax, kind, normalize);
  const w = finishWeights(raw, normalize, 'scale');
  const back = convolveLagsVjp(x, w, g);
  const [gk, gs] = chainWeights(back.weights, weightDerivatives(raw, w, normalize));
  return { x: back.x, shape: gk, scale: gs };
}

/** ∂y_t/∂shape and ∂y_t/∂scale of `weibullAdstock`. Taught in the chapter "Carryover: adstock". */
export function weibullAdstockJacobian(
  x: ArrayLike<number>,
  shape: number,
  scale: number,
  options: WeibullAdstockOptions = {},
): { shape: Float64Array; scale: Float64Array } {
  const { lMax, normalize, kind } = resolveWeibull(shape, scale, options);
  checkMedia('x', x);
  const raw = weibullRaw(shape, scale, lMax, kind, normalize);
  const [dk, ds] = weightDerivatives(raw, finishWeights(raw, normalize, 'scale'), normalize);
  return { shape: convolveLags(x, dk), scale: convolveLags(x, ds) };
}

// ---------------------------------------------------------------------------------------------------
// Binomial (Meridian)

function binomialRaw(alpha: number, lMax: number): RawWeights {
  const u = new Float64Array(lMax);
  const du = new Float64Array(lMax);
  u[0] = 1; // (1 − 0)^p = 1 for every exponent, including p = ∞ at α = 0 (Math.pow(1, Infinity) is NaN)
  if (alpha === 0) return { u, du: [du] }; // all the effect in its own week; dw/dα → 0 as α → 0
  const power = 1 / alpha - 1;
  for (let l = 1; l < lMax; l++) {
    const base = 1 - l / lMax;
    u[l] = Math.pow(base, power);
    du[l] = (-u[l] * Math.log(base)) / (alpha * alpha); // d/dα b^{1/α−1} = b^{1/α−1} ln b · (−1/α²)
  }
  return { u, du: [du] };
}

/**
 * Meridian's binomial adstock weights w_l = (1 − l/lMax)^{1/α − 1}, α ∈ [0, 1]: α → 0 keeps the effect in
 * its own week, α = 1 spreads it evenly over the window. Taught in the chapter "Carryover: adstock".
 */
export function binomialAdstockWeights(alpha: number, options: AdstockOptions = {}): Float64Array {
  const { lMax, normalize } = resolve(options);
  checkInterval('alpha', alpha, 0, 1);
  return finishWeights(binomialRaw(alpha, lMax), normalize, 'alpha');
}

/** Binomial adstock (Meridian): y_t = Σ_l w_l x_{t−l}. Taught in the chapter "Carryover: adstock". */
export function binomialAdstock(x: ArrayLike<number>, alpha: number, options: AdstockOptions = {}): Float64Array {
  const { lMax, normalize } = resolve(options);
  checkInterval('alpha', alpha, 0, 1);
  checkMedia('x', x);
  return convolveLags(x, finishWeights(binomialRaw(alpha, lMax), normalize, 'alpha'));
}

/** Vector-Jacobian product of `binomialAdstock`. Taught in the chapter "Carryover: adstock". */
export function binomialAdstockVjp(
  x: ArrayLike<number>,
  alpha: number,
  g: ArrayLike<number>,
  options: AdstockOptions = {},
): { x: Float64Array; alpha: number } {
  const { lMax, normalize } = resolve(options);
  checkInterval('alpha', alpha, 0, 1);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const raw = binomialRaw(alpha, lMax);
  const w = finishWeights(raw, normalize, 'alpha');
  const back = convolveLagsVjp(x, w, g);
  const [ga] = chainWeights(back.weights, weightDerivatives(raw, w, normalize));
  return { x: back.x, alpha: ga };
}

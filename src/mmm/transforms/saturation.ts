/**
 * Saturation (diminishing returns): a concave or S-shaped map from (adstocked) media to response.
 *
 * - Hill             f = x^s / (x^s + K^s)            K the half-saturation point, s the slope
 *                                                     (the log-logistic CDF; Jin et al. 2017, eq. 3)
 * - power Hill       f = x^α / (x^α + γ)              CausalMMM's form: Hill with γ = K^α
 * - logistic         f = (1 − e^{−λx}) / (1 + e^{−λx}) = tanh(λx/2)   (pymc-marketing)
 * - Michaelis–Menten f = V x / (k + x)                Hill with s = 1, times the ceiling V
 * - tanh             f = b tanh(x / (b c))            b the ceiling, c the cost per unit at x = 0
 *
 * Each comes with its forward derivative `…Derivative` (df/dx at every x: the marginal response), its
 * vector-Jacobian product `…Vjp` (given g = ∂F/∂f, the gradients on x and on every parameter) and its
 * inverse `…Inverse` (the input that gives a response). All are elementwise.
 *
 * Taught in the chapter "Diminishing returns: saturation" (Part III).
 */
import { InvalidInputError } from '../../errors';
import { checkMedia, checkNonNegative, checkPositive, checkUpstream } from './validate';

function checkResponses(name: string, y: ArrayLike<number>, ceiling: number): void {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new InvalidInputError(name, 'expected an array of numbers');
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !(v >= 0 && v < ceiling)) {
      throw new InvalidInputError(name, `entry ${i} is ${v}; expected a response in [0, ${ceiling})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Hill

/** f and 1 − f of the Hill curve at r = x/K, each computed without cancellation or overflow. */
function hillParts(x: number, halfSaturation: number, slope: number): { f: number; g: number } {
  if (x === 0) return slope === 0 ? { f: 0.5, g: 0.5 } : { f: 0, g: 1 };
  const r = x / halfSaturation;
  if (r <= 1) {
    const p = Math.pow(r, slope);
    return { f: p / (1 + p), g: 1 / (1 + p) };
  }
  const q = Math.pow(1 / r, slope);
  return { f: 1 / (1 + q), g: q / (1 + q) };
}

function checkHill(halfSaturation: number, slope: number): void {
  checkPositive('halfSaturation', halfSaturation);
  checkNonNegative('slope', slope);
}

/**
 * Hill saturation f(x) = x^s / (x^s + K^s): 0 at x = 0, ½ at the half-saturation point x = K, → 1 as
 * x → ∞; concave for slope s ≤ 1, S-shaped for s > 1 (inflection at K((s−1)/(s+1))^{1/s}). It is the
 * CDF of a log-logistic distribution. Same as Meridian's `hill` and pymc-marketing's `hill_function`
 * (kappa = K). Taught in the chapter "Diminishing returns: saturation".
 */
export function hillSaturation(x: ArrayLike<number>, halfSaturation: number, slope: number): Float64Array {
  checkHill(halfSaturation, slope);
  checkMedia('x', x);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = hillParts(x[i], halfSaturation, slope).f;
  return y;
}

/** df/dx of the Hill curve at x: s f (1 − f) / x (at x = 0: 0 if s > 1, 1/K if s = 1, ∞ if s < 1). */
function hillDx(x: number, halfSaturation: number, slope: number): number {
  if (x === 0) {
    if (slope > 1 || slope === 0) return 0;
    return slope === 1 ? 1 / halfSaturation : Infinity;
  }
  const { f, g } = hillParts(x, halfSaturation, slope);
  return (slope * f * g) / x;
}

/**
 * The marginal response df/dx of `hillSaturation` at every x. At x = 0 it is 0 for slope > 1,
 * 1/K for slope 1 and +∞ for slope < 1 (the curve starts vertical). Taught in the chapter
 * "Diminishing returns: saturation".
 */
export function hillSaturationDerivative(x: ArrayLike<number>, halfSaturation: number, slope: number): Float64Array {
  checkHill(halfSaturation, slope);
  checkMedia('x', x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = hillDx(x[i], halfSaturation, slope);
  return d;
}

/** 0 · ∞ = 0 in a vector-Jacobian product: an output that receives no gradient passes none on. */
const times = (g: number, d: number): number => (g === 0 ? 0 : g * d);

/**
 * Vector-Jacobian product of `hillSaturation`: given g = ∂F/∂f, returns ∂F/∂x_i = g_i f'(x_i),
 * ∂F/∂K = −Σ g_i s f(1−f)/K and ∂F/∂s = Σ g_i f(1−f) ln(x_i/K). Taught in the chapter
 * "Diminishing returns: saturation".
 */
export function hillSaturationVjp(
  x: ArrayLike<number>,
  halfSaturation: number,
  slope: number,
  g: ArrayLike<number>,
): { x: Float64Array; halfSaturation: number; slope: number } {
  checkHill(halfSaturation, slope);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const gx = new Float64Array(x.length);
  let gK = 0;
  let gs = 0;
  for (let i = 0; i < x.length; i++) {
    gx[i] = times(g[i], hillDx(x[i], halfSaturation, slope));
    if (x[i] === 0) {
      // f(0) = 0 for every K and every s > 0: no gradient. At s = 0, f jumps from 0 to ½ at x = 0.
      if (slope === 0 && g[i] !== 0) throw new InvalidInputError('slope', 'the Hill curve has no derivative in the slope at x = 0 when slope = 0');
      continue;
    }
    const { f, g: h } = hillParts(x[i], halfSaturation, slope);
    gK -= (g[i] * slope * f * h) / halfSaturation;
    gs += g[i] * f * h * Math.log(x[i] / halfSaturation);
  }
  return { x: gx, halfSaturation: gK, slope: gs };
}

/**
 * The input that gives Hill response y ∈ [0, 1): x = K (y / (1 − y))^{1/s} (slope > 0).
 * Taught in the chapter "Diminishing returns: saturation".
 */
export function hillSaturationInverse(y: ArrayLike<number>, halfSaturation: number, slope: number): Float64Array {
  checkPositive('halfSaturation', halfSaturation);
  checkPositive('slope', slope);
  checkResponses('y', y, 1);
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) x[i] = halfSaturation * Math.pow(y[i] / (1 - y[i]), 1 / slope);
  return x;
}

// ---------------------------------------------------------------------------------------------------
// Power Hill (CausalMMM)

/** f and 1 − f of x^α / (x^α + γ). */
function powerHillParts(x: number, alpha: number, gamma: number): { f: number; g: number } {
  if (x === 0) return { f: 0, g: 1 };
  const p = Math.pow(x, alpha);
  if (p <= gamma) return { f: p / (p + gamma), g: gamma / (p + gamma) };
  const q = gamma / p; // p may be +∞ for huge x and α > 1: q = 0, f = 1
  return { f: 1 / (1 + q), g: q / (1 + q) };
}

function checkPowerHill(alpha: number, gamma: number): void {
  checkPositive('alpha', alpha);
  checkPositive('gamma', gamma);
}

/**
 * CausalMMM's saturation f(x) = x^α / (x^α + γ) (Gong et al. 2024). It is the Hill curve with slope α
 * and half-saturation point K = γ^{1/α}; kept as its own function because γ is in units of x^α, so its
 * prior and its gradient differ from those of K. Taught in the chapter "Diminishing returns: saturation".
 */
export function powerHillSaturation(x: ArrayLike<number>, alpha: number, gamma: number): Float64Array {
  checkPowerHill(alpha, gamma);
  checkMedia('x', x);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = powerHillParts(x[i], alpha, gamma).f;
  return y;
}

function powerHillDx(x: number, alpha: number, gamma: number): number {
  if (x === 0) return alpha > 1 ? 0 : alpha === 1 ? 1 / gamma : Infinity;
  const { f, g } = powerHillParts(x, alpha, gamma);
  return (alpha * f * g) / x;
}

/** df/dx of `powerHillSaturation`: α f (1 − f)/x. Taught in the chapter "Diminishing returns: saturation". */
export function powerHillSaturationDerivative(x: ArrayLike<number>, alpha: number, gamma: number): Float64Array {
  checkPowerHill(alpha, gamma);
  checkMedia('x', x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = powerHillDx(x[i], alpha, gamma);
  return d;
}

/**
 * Vector-Jacobian product of `powerHillSaturation`: ∂F/∂x, ∂F/∂α = Σ g f(1−f) ln x,
 * ∂F/∂γ = −Σ g f(1−f)/γ. Taught in the chapter "Diminishing returns: saturation".
 */
export function powerHillSaturationVjp(
  x: ArrayLike<number>,
  alpha: number,
  gamma: number,
  g: ArrayLike<number>,
): { x: Float64Array; alpha: number; gamma: number } {
  checkPowerHill(alpha, gamma);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const gx = new Float64Array(x.length);
  let ga = 0;
  let gg = 0;
  for (let i = 0; i < x.length; i++) {
    gx[i] = times(g[i], powerHillDx(x[i], alpha, gamma));
    if (x[i] === 0) continue; // f(0) = 0 for every α > 0 and γ
    const { f, g: h } = powerHillParts(x[i], alpha, gamma);
    ga += g[i] * f * h * Math.log(x[i]);
    gg -= (g[i] * f * h) / gamma;
  }
  return { x: gx, alpha: ga, gamma: gg };
}

/** The input that gives response y ∈ [0, 1): x = (γ y/(1 − y))^{1/α}. Taught in "Diminishing returns: saturation". */
export function powerHillSaturationInverse(y: ArrayLike<number>, alpha: number, gamma: number): Float64Array {
  checkPowerHill(alpha, gamma);
  checkResponses('y', y, 1);
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) x[i] = Math.pow((gamma * y[i]) / (1 - y[i]), 1 / alpha);
  return x;
}

// ---------------------------------------------------------------------------------------------------
// Logistic

/**
 * Logistic saturation f(x) = (1 − e^{−λx}) / (1 + e^{−λx}) (= tanh(λx/2)), pymc-marketing's
 * `logistic_saturation`: 0 at x = 0, slope λ/2 there, → 1. Computed with expm1 so that small λx keeps
 * its digits. Taught in the chapter "Diminishing returns: saturation".
 */
export function logisticSaturation(x: ArrayLike<number>, lambda: number): Float64Array {
  checkNonNegative('lambda', lambda);
  checkMedia('x', x);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const z = lambda * x[i];
    y[i] = -Math.expm1(-z) / (1 + Math.exp(-z));
  }
  return y;
}

/** 2u/(1+u)² with u = e^{−λx}: ½(1 − f²), the common factor of the logistic's derivatives. */
function logisticSlopeFactor(z: number): number {
  const u = Math.exp(-z);
  return (2 * u) / ((1 + u) * (1 + u));
}

/** df/dx of `logisticSaturation`: (λ/2)(1 − f²). Taught in the chapter "Diminishing returns: saturation". */
export function logisticSaturationDerivative(x: ArrayLike<number>, lambda: number): Float64Array {
  checkNonNegative('lambda', lambda);
  checkMedia('x', x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = lambda * logisticSlopeFactor(lambda * x[i]);
  return d;
}

/**
 * Vector-Jacobian product of `logisticSaturation`: ∂F/∂x_i = g_i (λ/2)(1 − f_i²) and
 * ∂F/∂λ = Σ g_i (x_i/2)(1 − f_i²). Taught in the chapter "Diminishing returns: saturation".
 */
export function logisticSaturationVjp(
  x: ArrayLike<number>,
  lambda: number,
  g: ArrayLike<number>,
): { x: Float64Array; lambda: number } {
  checkNonNegative('lambda', lambda);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const gx = new Float64Array(x.length);
  let gl = 0;
  for (let i = 0; i < x.length; i++) {
    const s = logisticSlopeFactor(lambda * x[i]);
    gx[i] = g[i] * lambda * s;
    gl += g[i] * x[i] * s;
  }
  return { x: gx, lambda: gl };
}

/** The input that gives response y ∈ [0, 1): x = (2/λ) artanh(y) (λ > 0). Taught in "Diminishing returns: saturation". */
export function logisticSaturationInverse(y: ArrayLike<number>, lambda: number): Float64Array {
  checkPositive('lambda', lambda);
  checkResponses('y', y, 1);
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) x[i] = (2 / lambda) * Math.atanh(y[i]);
  return x;
}

// ---------------------------------------------------------------------------------------------------
// Michaelis–Menten

function checkMichaelisMenten(vmax: number, k: number): void {
  checkPositive('vmax', vmax);
  checkPositive('k', k);
}

/**
 * Michaelis–Menten saturation f(x) = V x / (k + x): V the ceiling, k the input at half the ceiling
 * (pymc-marketing's `michaelis_menten(x, alpha=V, lam=k)`, Robyn's `mic_men`). Taught in the chapter
 * "Diminishing returns: saturation".
 */
export function michaelisMentenSaturation(x: ArrayLike<number>, vmax: number, k: number): Float64Array {
  checkMichaelisMenten(vmax, k);
  checkMedia('x', x);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = (vmax * x[i]) / (k + x[i]);
  return y;
}

/** df/dx of `michaelisMentenSaturation`: V k/(k + x)². Taught in the chapter "Diminishing returns: saturation". */
export function michaelisMentenSaturationDerivative(x: ArrayLike<number>, vmax: number, k: number): Float64Array {
  checkMichaelisMenten(vmax, k);
  checkMedia('x', x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = (vmax * k) / ((k + x[i]) * (k + x[i]));
  return d;
}

/**
 * Vector-Jacobian product of `michaelisMentenSaturation`: ∂F/∂x, ∂F/∂V = Σ g x/(k+x),
 * ∂F/∂k = −Σ g V x/(k+x)². Taught in the chapter "Diminishing returns: saturation".
 */
export function michaelisMentenSaturationVjp(
  x: ArrayLike<number>,
  vmax: number,
  k: number,
  g: ArrayLike<number>,
): { x: Float64Array; vmax: number; k: number } {
  checkMichaelisMenten(vmax, k);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const gx = new Float64Array(x.length);
  let gv = 0;
  let gk = 0;
  for (let i = 0; i < x.length; i++) {
    const d = k + x[i];
    gx[i] = (g[i] * vmax * k) / (d * d);
    gv += (g[i] * x[i]) / d;
    gk -= (g[i] * vmax * x[i]) / (d * d);
  }
  return { x: gx, vmax: gv, k: gk };
}

/** The input that gives response y ∈ [0, V): x = k y/(V − y). Taught in "Diminishing returns: saturation". */
export function michaelisMentenSaturationInverse(y: ArrayLike<number>, vmax: number, k: number): Float64Array {
  checkMichaelisMenten(vmax, k);
  checkResponses('y', y, vmax);
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) x[i] = (k * y[i]) / (vmax - y[i]);
  return x;
}

// ---------------------------------------------------------------------------------------------------
// tanh

function checkTanh(b: number, c: number): void {
  checkPositive('b', b);
  checkPositive('c', c);
}

/**
 * tanh saturation f(x) = b tanh(x/(b c)) (pymc-marketing's `tanh_saturation`): b the ceiling, 1/c the
 * response per unit of input at x = 0 (c the initial cost per acquisition). Taught in the chapter
 * "Diminishing returns: saturation".
 */
export function tanhSaturation(x: ArrayLike<number>, b: number, c: number): Float64Array {
  checkTanh(b, c);
  checkMedia('x', x);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = b * Math.tanh(x[i] / (b * c));
  return y;
}

/** 1 − tanh²(u), computed as 4e^{−2u}/(1 + e^{−2u})² so that it keeps its digits for large u ≥ 0. */
function sech2(u: number): number {
  const e = Math.exp(-2 * u);
  return (4 * e) / ((1 + e) * (1 + e));
}

/** df/dx of `tanhSaturation`: (1 − tanh²(x/(bc)))/c. Taught in the chapter "Diminishing returns: saturation". */
export function tanhSaturationDerivative(x: ArrayLike<number>, b: number, c: number): Float64Array {
  checkTanh(b, c);
  checkMedia('x', x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = sech2(x[i] / (b * c)) / c;
  return d;
}

/**
 * Vector-Jacobian product of `tanhSaturation` (u = x/(bc)): ∂F/∂x = g sech²u / c,
 * ∂F/∂b = Σ g (tanh u − u sech²u), ∂F/∂c = −Σ g x sech²u / c². Taught in the chapter
 * "Diminishing returns: saturation".
 */
export function tanhSaturationVjp(
  x: ArrayLike<number>,
  b: number,
  c: number,
  g: ArrayLike<number>,
): { x: Float64Array; b: number; c: number } {
  checkTanh(b, c);
  checkMedia('x', x);
  checkUpstream('g', g, x.length);
  const gx = new Float64Array(x.length);
  let gb = 0;
  let gc = 0;
  for (let i = 0; i < x.length; i++) {
    const u = x[i] / (b * c);
    const s = sech2(u);
    gx[i] = (g[i] * s) / c;
    gb += g[i] * (Math.tanh(u) - u * s);
    gc -= (g[i] * x[i] * s) / (c * c);
  }
  return { x: gx, b: gb, c: gc };
}

/** The input that gives response y ∈ [0, b): x = b c artanh(y/b). Taught in "Diminishing returns: saturation". */
export function tanhSaturationInverse(y: ArrayLike<number>, b: number, c: number): Float64Array {
  checkTanh(b, c);
  checkResponses('y', y, b);
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) x[i] = b * c * Math.atanh(y[i] / b);
  return x;
}

/**
 * Carryover as a causal convolution (a distributed lag): y_t = Σ_{l=0}^{L−1} w_l x_{t−l}, with x_s = 0
 * before the first week (pymc-marketing's `ConvMode.After`). Every adstock in `./adstock` is this
 * operation with its own weights; its adjoint is here once, so each adstock only adds the derivative of
 * its weights with respect to its parameters.
 *
 * Taught in the chapter "Carryover: adstock" (Part III).
 */
import { InvalidInputError } from '../../errors';
import { checkMedia, checkUpstream } from './validate';

/** Throws unless `w` is a non-empty array of finite numbers ≥ 0. */
function checkWeights(w: ArrayLike<number>): void {
  if (w === null || typeof w !== 'object' || typeof w.length !== 'number' || w.length === 0) {
    throw new InvalidInputError('weights', 'expected a non-empty array of lag weights (lag 0 first)');
  }
  for (let l = 0; l < w.length; l++) {
    if (typeof w[l] !== 'number' || !Number.isFinite(w[l]) || w[l] < 0) {
      throw new InvalidInputError('weights', `weight of lag ${l} is ${w[l]}; expected a finite number ≥ 0`);
    }
  }
}

/** The convolution without checks (callers have checked `x` and `w`). */
export function convolveLags(x: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = x.length;
  const L = w.length;
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const lags = Math.min(L, t + 1);
    let s = 0;
    for (let l = 0; l < lags; l++) s += w[l] * x[t - l];
    y[t] = s;
  }
  return y;
}

/**
 * Adjoint of the convolution: given g = ∂f/∂y, returns ∂f/∂x_s = Σ_l w_l g_{s+l} and
 * ∂f/∂w_l = Σ_t g_t x_{t−l}. No checks (callers have checked).
 */
export function convolveLagsVjp(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  g: ArrayLike<number>,
): { x: Float64Array; weights: Float64Array } {
  const n = x.length;
  const L = w.length;
  const gx = new Float64Array(n);
  const gw = new Float64Array(L);
  for (let s = 0; s < n; s++) {
    const lags = Math.min(L, n - s);
    let acc = 0;
    for (let l = 0; l < lags; l++) acc += w[l] * g[s + l];
    gx[s] = acc;
  }
  for (let l = 0; l < L; l++) {
    let acc = 0;
    for (let t = l; t < n; t++) acc += g[t] * x[t - l];
    gw[l] = acc;
  }
  return { x: gx, weights: gw };
}

/**
 * Applies lag weights `weights` (lag 0 first) to a weekly media series: y_t = Σ_l w_l x_{t−l}, the
 * finite distributed lag that every adstock is. Use it with weights of your own, or with
 * `geometricAdstockWeights` and friends. Taught in the chapter "Carryover: adstock".
 */
export function adstockWithWeights(x: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
  checkMedia('x', x);
  checkWeights(weights);
  return convolveLags(x, weights);
}

/**
 * Vector-Jacobian product of `adstockWithWeights`: for an upstream gradient `g` = ∂f/∂y, the gradients
 * ∂f/∂x and ∂f/∂weights. Taught in the chapter "Carryover: adstock".
 */
export function adstockWithWeightsVjp(
  x: ArrayLike<number>,
  weights: ArrayLike<number>,
  g: ArrayLike<number>,
): { x: Float64Array; weights: Float64Array } {
  checkMedia('x', x);
  checkWeights(weights);
  checkUpstream('g', g, x.length);
  return convolveLagsVjp(x, weights, g);
}

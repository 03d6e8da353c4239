/**
 * Derivatives by central differences, for objectives without analytic gradients and for checking the
 * ones that have them. Taught in the chapter "Optimization from first principles".
 *
 * Step sizes balance truncation against rounding (Nocedal & Wright 2006, §8.1): a central difference has
 * truncation error O(h²) and rounding error O(ε/h), minimized near h = ε^(1/3) relative to the scale of
 * x_i; a second difference of values has O(h²) and O(ε/h²), minimized near h = ε^(1/4). Each step is
 * made exactly representable (h = (x + h) − x) so that the divisor is the step actually taken.
 */
import { InvalidInputError } from '../errors';
import { matrix, type Matrix } from '../linalg/index';
import { formatPoint } from './vector';

const EPS = 2.220446049250313e-16;
const CENTRAL_STEP = Math.cbrt(EPS); // ≈ 6.1e-6
const SECOND_STEP = Math.pow(EPS, 0.25); // ≈ 1.2e-4

export interface DifferenceOptions {
  /** Relative step: h_i = step × |x_i| (step itself when x_i = 0). Default ε^(1/3) (first derivatives), ε^(1/4) (second). */
  step?: number;
}

/**
 * The exactly representable central-difference step for coordinate value xi (internal to optimize):
 * relative to |xi| as in MINPACK's fdjac2, so that a parameter of size 5e-4 is not stepped by 1% of
 * itself, and `relative` itself when xi = 0.
 */
export function differenceStep(xi: number, relative = CENTRAL_STEP): number {
  const h = relative * (xi === 0 ? 1 : Math.abs(xi));
  return xi + h - xi;
}

function checkPoint(x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new InvalidInputError('x', `entry ${i} is ${out[i]}; expected a finite number`);
  }
  return out;
}

function finiteValue(f: (x: Float64Array) => number, x: Float64Array, what: string): number {
  const v = f(x);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidInputError(what, `returned ${v} at ${formatPoint(x)} while taking differences; expected a finite number`);
  }
  return v;
}

/**
 * ∇f(x) by central differences: (f(x + h e_i) − f(x − h e_i)) / 2h, with relative error about ε^(2/3)
 * (≈ 1e-11) for smooth f of moderate curvature. Costs 2n evaluations.
 */
export function numericalGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: DifferenceOptions = {},
): Float64Array {
  const x0 = checkPoint(x);
  const relative = options.step ?? CENTRAL_STEP;
  const g = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    const h = differenceStep(x0[i], relative);
    const xp = Float64Array.from(x0);
    const xm = Float64Array.from(x0);
    xp[i] = x0[i] + h;
    xm[i] = x0[i] - h;
    g[i] = (finiteValue(f, xp, 'f') - finiteValue(f, xm, 'f')) / (2 * h);
  }
  return g;
}

/**
 * The m × n Jacobian of a vector function r: ℝⁿ → ℝᵐ by central differences, column j being
 * (r(x + h e_j) − r(x − h e_j)) / 2h. Costs 2n evaluations of r.
 */
export function numericalJacobian(
  r: (x: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  options: DifferenceOptions = {},
): Matrix {
  const x0 = checkPoint(x);
  const n = x0.length;
  const relative = options.step ?? CENTRAL_STEP;
  let J: Matrix | null = null;
  for (let j = 0; j < n; j++) {
    const h = differenceStep(x0[j], relative);
    const xp = Float64Array.from(x0);
    const xm = Float64Array.from(x0);
    xp[j] = x0[j] + h;
    xm[j] = x0[j] - h;
    const rp = r(xp);
    const rm = r(xm);
    if (J === null) J = matrix(rp.length, n);
    if (rp.length !== J.rows || rm.length !== J.rows) {
      throw new InvalidInputError('r', `returned vectors of different lengths (${J.rows}, ${rp.length}, ${rm.length})`);
    }
    for (let i = 0; i < J.rows; i++) {
      const d = (rp[i] - rm[i]) / (2 * h);
      if (!Number.isFinite(d)) {
        throw new InvalidInputError('r', `entry ${i} is not finite near ${formatPoint(x0)} while differencing coordinate ${j}`);
      }
      J.data[i * n + j] = d;
    }
  }
  return J ?? matrix(0, 0);
}

/**
 * The Hessian ∇²f(x). With `gradient`, by central differences of the gradient (2n gradient evaluations),
 * symmetrized as (H + Hᵀ)/2; otherwise by second differences of values (about 2n² evaluations):
 * H_ii = (f(x+2h e_i) − 2f(x) + f(x−2h e_i)) / 4h², H_ij = (f(x+h_i+h_j) − f(x+h_i−h_j) − f(x−h_i+h_j) + f(x−h_i−h_j)) / 4h_i h_j.
 */
export function numericalHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: DifferenceOptions & { gradient?: (x: Float64Array) => ArrayLike<number> } = {},
): Matrix {
  const x0 = checkPoint(x);
  const n = x0.length;
  const H = matrix(n, n);
  if (options.gradient) {
    const J = numericalJacobian(options.gradient, x0, { step: options.step });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) H.data[i * n + j] = 0.5 * (J.data[i * n + j] + J.data[j * n + i]);
    }
    return H;
  }
  const relative = options.step ?? SECOND_STEP;
  const h = Array.from(x0, (xi) => differenceStep(xi, relative));
  const at = (di: number, i: number, dj: number, j: number) => {
    const y = Float64Array.from(x0);
    y[i] += di * h[i];
    y[j] += dj * h[j];
    return finiteValue(f, y, 'f');
  };
  const f0 = finiteValue(f, x0, 'f');
  for (let i = 0; i < n; i++) {
    H.data[i * n + i] = (at(1, i, 1, i) - 2 * f0 + at(-1, i, -1, i)) / (4 * h[i] * h[i]);
    for (let j = i + 1; j < n; j++) {
      const v = (at(1, i, 1, j) - at(1, i, -1, j) - at(-1, i, 1, j) + at(-1, i, -1, j)) / (4 * h[i] * h[j]);
      H.data[i * n + j] = v;
      H.data[j * n + i] = v;
    }
  }
  return H;
}

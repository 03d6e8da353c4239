// The media forms of a fitted MMM: for each adstock and saturation family, its parameters with their
// bounds, its forward map and its exact derivatives (taken from src/mmm/transforms), and the curve it
// hands to `FittedMMM`. The point fit (chapter 7) and its diagnostics read a channel only through these.
import { InvalidInputError } from '../../errors';
import type { AdstockCurve, SaturationCurve } from '../fitted';
import type { AdstockKind, SaturationKind } from '../spec';
import {
  delayedAdstock,
  delayedAdstockJacobian,
  delayedAdstockVjp,
  geometricAdstock,
  geometricAdstockJacobian,
  geometricAdstockVjp,
  weibullAdstock,
  weibullAdstockJacobian,
  weibullAdstockVjp,
} from '../transforms/adstock';
import {
  hillSaturation,
  hillSaturationDerivative,
  hillSaturationVjp,
  logisticSaturation,
  logisticSaturationDerivative,
  logisticSaturationVjp,
} from '../transforms/saturation';

/** One parameter of a transform: its name and the box the fit keeps it in (on the fit's scaled data). */
export interface FormParameter {
  name: string;
  lower: number;
  upper: number;
  /** Range from which starts and hyperparameter trials are drawn (inside [lower, upper]). */
  startLower: number;
  startUpper: number;
  /** Draw starts uniformly on the log scale (for scale-like parameters). */
  logScale: boolean;
}

export interface AdstockForm {
  kind: AdstockKind;
  lMax: number;
  normalize: boolean;
  parameters: FormParameter[];
  apply(x: Float64Array, p: readonly number[]): Float64Array;
  /** ∂a_t/∂p_k for every week, one array per parameter. */
  jacobian(x: Float64Array, p: readonly number[]): Float64Array[];
  /** Σ_t g_t ∂a_t/∂p_k, one number per parameter. */
  vjp(x: Float64Array, p: readonly number[], g: Float64Array): number[];
  curve(p: readonly number[]): AdstockCurve;
}

export interface SaturationForm {
  kind: SaturationKind;
  parameters: FormParameter[];
  apply(a: Float64Array, p: readonly number[]): Float64Array;
  /** df/da at every week. */
  derivative(a: Float64Array, p: readonly number[]): Float64Array;
  /** ∂f_t/∂p_k at every week (the saturation is elementwise), one array per parameter. */
  parameterJacobian(a: Float64Array, p: readonly number[]): Float64Array[];
  /** Σ_t g_t ∂f_t/∂p_k and g_t df_t/da_t. */
  vjp(a: Float64Array, p: readonly number[], g: Float64Array): { a: Float64Array; params: number[] };
  curve(p: readonly number[]): SaturationCurve;
}

const param = (name: string, lower: number, upper: number, startLower: number, startUpper: number, logScale = false): FormParameter => ({
  name,
  lower,
  upper,
  startLower,
  startUpper,
  logScale,
});

/** The adstock family of a spec, with default bounds on the fit's scale (chapter 7). */
export function adstockForm(kind: AdstockKind, lMax: number, normalize: boolean, weibullKind: 'cdf' | 'pdf' = 'cdf'): AdstockForm {
  const options = { lMax, normalize };
  switch (kind) {
    case 'geometric':
      return {
        kind,
        lMax,
        normalize,
        // 0 ≤ α ≤ 1: α = 0 is no carryover, α = 1 a moving sum over the window; both are allowed by the
        // transform and reported by the fit as a parameter at its bound.
        parameters: [param('alpha', 0, 1, 0.05, 0.85)],
        apply: (x, p) => geometricAdstock(x, p[0], options),
        jacobian: (x, p) => [geometricAdstockJacobian(x, p[0], options).alpha],
        vjp: (x, p, g) => [geometricAdstockVjp(x, p[0], g, options).alpha],
        curve: (p) => ({ kind: 'geometric', alpha: p[0], lMax, normalize }),
      };
    case 'delayed':
      return {
        kind,
        lMax,
        normalize,
        parameters: [param('alpha', 1e-3, 1, 0.05, 0.85), param('theta', 0, lMax - 1, 0, Math.min(3, lMax - 1))],
        apply: (x, p) => delayedAdstock(x, p[0], p[1], options),
        jacobian: (x, p) => {
          const j = delayedAdstockJacobian(x, p[0], p[1], options);
          return [j.alpha, j.theta];
        },
        vjp: (x, p, g) => {
          const v = delayedAdstockVjp(x, p[0], p[1], g, options);
          return [v.alpha, v.theta];
        },
        curve: (p) => ({ kind: 'delayed', alpha: p[0], theta: p[1], lMax, normalize }),
      };
    case 'weibull':
      return {
        kind,
        lMax,
        normalize,
        parameters: [param('shape', 0.1, 10, 0.3, 3, true), param('scale', 0.05, lMax, 0.1, Math.min(3, lMax), true)],
        apply: (x, p) => weibullAdstock(x, p[0], p[1], { ...options, kind: weibullKind }),
        jacobian: (x, p) => {
          const j = weibullAdstockJacobian(x, p[0], p[1], { ...options, kind: weibullKind });
          return [j.shape, j.scale];
        },
        vjp: (x, p, g) => {
          const v = weibullAdstockVjp(x, p[0], p[1], g, { ...options, kind: weibullKind });
          return [v.shape, v.scale];
        },
        curve: (p) => ({ kind: 'weibull', shape: p[0], scale: p[1], weibullKind, lMax, normalize }),
      };
    default:
      throw new InvalidInputError('spec.adstock.kind', `unknown adstock kind '${kind as string}'`);
  }
}

/** ∂f/∂p of an elementwise saturation at each week, from its vector-Jacobian product one week at a time. */
function elementwiseParameterJacobian(
  a: Float64Array,
  count: number,
  vjpAt: (a: Float64Array, g: Float64Array) => number[],
): Float64Array[] {
  const out = Array.from({ length: count }, () => new Float64Array(a.length));
  const one = Float64Array.of(1);
  const point = new Float64Array(1);
  for (let t = 0; t < a.length; t++) {
    point[0] = a[t];
    const d = vjpAt(point, one);
    for (let k = 0; k < count; k++) out[k][t] = d[k];
  }
  return out;
}

/**
 * The saturation family of a spec, on the fit's scale (spend divided by its maximum, so adstocked spend
 * is at most 1): logistic λ ∈ [1e-3, 100]; Hill half-saturation K ∈ [1e-3, 10], slope s ∈ [0.1, 10].
 * The upper bounds keep the fit away from the flat direction where the curve is linear over the data and
 * only the product β·(1/K)^s or β·λ is determined (chapter 7, "Identification").
 */
export function saturationForm(kind: SaturationKind): SaturationForm {
  switch (kind) {
    case 'logistic':
      return {
        kind,
        parameters: [param('lambda', 1e-3, 100, 0.5, 10, true)],
        apply: (a, p) => logisticSaturation(a, p[0]),
        derivative: (a, p) => logisticSaturationDerivative(a, p[0]),
        parameterJacobian: (a, p) => elementwiseParameterJacobian(a, 1, (x, g) => [logisticSaturationVjp(x, p[0], g).lambda]),
        vjp: (a, p, g) => {
          const v = logisticSaturationVjp(a, p[0], g);
          return { a: v.x, params: [v.lambda] };
        },
        curve: (p) => ({ kind: 'logistic', lambda: p[0] }),
      };
    case 'hill':
      return {
        kind,
        parameters: [param('halfSaturation', 1e-3, 10, 0.1, 1.5, true), param('slope', 0.1, 10, 0.7, 3, true)],
        apply: (a, p) => hillSaturation(a, p[0], p[1]),
        derivative: (a, p) => hillSaturationDerivative(a, p[0], p[1]),
        parameterJacobian: (a, p) =>
          elementwiseParameterJacobian(a, 2, (x, g) => {
            const v = hillSaturationVjp(x, p[0], p[1], g);
            return [v.halfSaturation, v.slope];
          }),
        vjp: (a, p, g) => {
          const v = hillSaturationVjp(a, p[0], p[1], g);
          return { a: v.x, params: [v.halfSaturation, v.slope] };
        },
        curve: (p) => ({ kind: 'hill', halfSaturation: p[0], slope: p[1] }),
      };
    default:
      throw new InvalidInputError('spec.saturation', `unknown saturation kind '${kind as string}'`);
  }
}

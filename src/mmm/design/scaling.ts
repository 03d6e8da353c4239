/**
 * Scaling of the target and the media before fitting, and the exact way back.
 *
 * - 'maxAbs'   z = x / max|x|          pymc-marketing's MaxAbsScaler on y and on each channel: z ∈ [0, 1]
 *                                     for spend, so priors on saturation parameters mean the same for
 *                                     every channel.
 * - 'mean'     z = x / mean(x)         a unit of z is an average week; used for targets and spend
 *                                     (Meridian scales media by its median, Robyn not at all).
 * - 'standard' z = (x − mean) / sd     for controls, so their coefficients are per standard deviation.
 * - 'none'     z = x
 *
 * Back-transformation: x = z · scale + center. A contribution (any quantity in units of y) found on the
 * scaled target is multiplied by the target's scale; a saturation parameter in units of scaled spend
 * (half-saturation K, 1/λ) is multiplied by the channel's scale.
 *
 * Taught in Part III ("The first fit").
 */
import { InvalidInputError } from '../../errors';

export type ScalingKind = 'maxAbs' | 'mean' | 'standard' | 'none';

/** A fitted scaling: z = (x − center) / scale. */
export interface Scaling {
  readonly kind: ScalingKind;
  readonly center: number;
  readonly scale: number;
}

function checkValues(name: string, x: ArrayLike<number>): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number' || x.length === 0) {
    throw new InvalidInputError(name, 'expected a non-empty array of numbers');
  }
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== 'number' || !Number.isFinite(x[i])) throw new InvalidInputError(name, `entry ${i} is ${x[i]}; expected a finite number`);
  }
}

/** Fits a scaling of `kind` to the values `x` (`name` names them in errors). Taught in Part III. */
export function fitScaling(x: ArrayLike<number>, kind: ScalingKind, name = 'x'): Scaling {
  checkValues(name, x);
  const n = x.length;
  if (kind === 'none') return { kind, center: 0, scale: 1 };
  if (kind === 'maxAbs') {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(x[i]));
    if (m === 0) throw new InvalidInputError(name, 'all values are 0: there is no scale to divide by (a channel never used carries no information)');
    return { kind, center: 0, scale: m };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  if (kind === 'mean') {
    if (!(mean > 0)) throw new InvalidInputError(name, `mean scaling needs a positive mean, got ${mean}`);
    return { kind, center: 0, scale: mean };
  }
  if (kind === 'standard') {
    if (n < 2) throw new InvalidInputError(name, 'standardizing needs at least two values');
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
    const sd = Math.sqrt(ss / (n - 1));
    if (!(sd > 0)) throw new InvalidInputError(name, 'the values are constant: they cannot be standardized (and are collinear with the intercept)');
    return { kind, center: mean, scale: sd };
  }
  throw new InvalidInputError('kind', `expected 'maxAbs', 'mean', 'standard' or 'none', got '${kind}'`);
}

function checkScaling(s: Scaling): void {
  if (!s || !(Number.isFinite(s.scale) && s.scale > 0) || !Number.isFinite(s.center)) {
    throw new InvalidInputError('scaling', 'expected a scaling with a finite center and a positive scale (from fitScaling)');
  }
}

/** z = (x − center) / scale. Taught in Part III. */
export function applyScaling(x: ArrayLike<number>, scaling: Scaling, name = 'x'): Float64Array {
  checkScaling(scaling);
  checkValues(name, x);
  const { center, scale } = scaling;
  return Float64Array.from(x, (v) => (v - center) / scale);
}

/**
 * x = z · scale + center: back to original units (one rounding for 'maxAbs' and 'mean', so x is
 * recovered to within an ulp). Taught in Part III.
 */
export function invertScaling(z: ArrayLike<number>, scaling: Scaling, name = 'z'): Float64Array {
  checkScaling(scaling);
  checkValues(name, z);
  const { center, scale } = scaling;
  return center === 0 ? Float64Array.from(z, (v) => v * scale) : Float64Array.from(z, (v) => v * scale + center);
}

/** Scales several named columns with the same kind; returns the scaled columns and each scaling. */
export function scaleColumns(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  kind: ScalingKind,
): { columns: Record<string, Float64Array>; scalings: Record<string, Scaling> } {
  const out: Record<string, Float64Array> = {};
  const scalings: Record<string, Scaling> = {};
  for (const name of Object.keys(columns)) {
    scalings[name] = fitScaling(columns[name], kind, name);
    out[name] = applyScaling(columns[name], scalings[name], name);
  }
  return { columns: out, scalings };
}

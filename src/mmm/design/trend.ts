/**
 * Trend columns of the regression design: a straight line in scaled time t ∈ [0, 1], optionally bent at
 * changepoints s_k by hinge columns (t − s_k)₊. With coefficients k (base slope) and δ_k (change of slope
 * at s_k) the trend k t + Σ δ_k (t − s_k)₊ is Prophet's continuous piecewise-linear trend with fixed
 * changepoints (Taylor & Letham 2018, eq. 3, with γ_k = −s_k δ_k folded into the hinge).
 *
 * Taught in Part III ("The first fit").
 */
import { InvalidInputError } from '../../errors';

/** Named design columns. */
export interface DesignColumns {
  names: string[];
  columns: Float64Array[];
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * `count` changepoints placed as Prophet places them: at evenly spaced rows of the first `range`
 * (default 0.8) of the history, excluding the first row. Returns their trend times. Taught in Part III.
 */
export function changepointTimes(time: ArrayLike<number>, count: number, range = 0.8): number[] {
  if (!Number.isInteger(count) || count < 0) throw new InvalidInputError('changepoints', `expected a whole number, got ${count}`);
  if (!(range > 0 && range <= 1)) throw new InvalidInputError('changepointRange', `expected a number in (0, 1], got ${range}`);
  if (count === 0) return [];
  const history = Math.floor(time.length * range);
  if (history < count + 1) {
    throw new InvalidInputError('changepoints', `${count} changepoints need more than ${count} rows in the first ${range * 100}% of the data, which has ${history}`);
  }
  // numpy's linspace(0, history − 1, count + 1) rounded half to even, as Prophet does.
  const out: number[] = [];
  for (let k = 1; k <= count; k++) out.push(time[roundHalfEven((k * (history - 1)) / count)]);
  return out;
}

/**
 * Trend columns: `trend` = t and, for each changepoint s_k (trend time in (0, 1)), `trend_cp{k}` =
 * max(0, t − s_k). Taught in Part III.
 */
export function trendColumns(time: ArrayLike<number>, changepoints: readonly number[] = []): DesignColumns {
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i])) throw new InvalidInputError('time', `entry ${i} is ${time[i]}; expected a finite number`);
  }
  changepoints.forEach((s, k) => {
    if (!Number.isFinite(s)) throw new InvalidInputError('changepoints', `entry ${k} is ${s}; expected a finite trend time`);
    if (k > 0 && s <= changepoints[k - 1]) throw new InvalidInputError('changepoints', 'expected increasing changepoints');
  });
  const names = ['trend'];
  const columns = [Float64Array.from(time)];
  changepoints.forEach((s, k) => {
    names.push(`trend_cp${k + 1}`);
    columns.push(Float64Array.from(time, (t) => Math.max(0, t - s)));
  });
  return { names, columns };
}

/**
 * Fourier seasonality: a smooth periodic function of time with period P written as the first K harmonics,
 * s(t) = Σ_{k=1}^{K} a_k sin(2πkt/P) + b_k cos(2πkt/P). Any periodic function with a square-integrable
 * period is the limit of such sums; K sets how wiggly the seasonal shape may be (2K coefficients).
 * Prophet (Taylor & Letham 2018, eq. 5) and pymc-marketing use the same columns.
 *
 * Taught in Part III ("The first fit").
 */
import { InvalidInputError } from '../../errors';
import type { DesignColumns } from './trend';

/** Options of `fourierColumns`. */
export interface FourierOptions {
  /** Period, in the units of `time` (365.25 days, 52.18 weeks, ...). */
  period: number;
  /** Number of harmonics K: 2K columns. */
  order: number;
  /** Prefix of the column names (default 'season'): `season_sin1`, `season_cos1`, ... */
  name?: string;
}

/**
 * Columns sin(2πkt/P), cos(2πkt/P) for k = 1..K, interleaved by harmonic as Prophet orders them.
 * Taught in Part III.
 */
export function fourierColumns(time: ArrayLike<number>, options: FourierOptions): DesignColumns {
  const { period, order } = options;
  const name = options.name ?? 'season';
  if (!(Number.isFinite(period) && period > 0)) throw new InvalidInputError('period', `expected a positive number, got ${period}`);
  if (!Number.isInteger(order) || order < 1) throw new InvalidInputError('order', `expected a positive whole number of harmonics, got ${order}`);
  let step = Infinity;
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i])) throw new InvalidInputError('time', `entry ${i} is ${time[i]}; expected a finite number`);
    if (i > 0 && time[i] > time[i - 1]) step = Math.min(step, time[i] - time[i - 1]);
  }
  if (step < Infinity && 2 * order * step >= period) {
    // Sampled every Δ, harmonic k is only distinguishable from lower ones while k/P < 1/(2Δ) (Nyquist).
    throw new InvalidInputError('order', `order ${order} needs 2KΔ < period, with sampling step Δ = ${step} and period ${period}: higher harmonics alias`);
  }
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (let k = 1; k <= order; k++) {
    const omega = (2 * Math.PI * k) / period;
    names.push(`${name}_sin${k}`, `${name}_cos${k}`);
    columns.push(Float64Array.from(time, (t) => Math.sin(omega * t)), Float64Array.from(time, (t) => Math.cos(omega * t)));
  }
  return { names, columns };
}

/**
 * Mediation in a linear structural equation model (Baron & Kenny 1986; the product of coefficients):
 *   M = a₀ + a X + e_M,   Y = b₀ + c′ X + b M + e_Y,
 * direct effect c′, indirect effect a·b, total effect c′ + a·b (which equals the slope of Y on X alone, an
 * identity of least squares). Confidence intervals by the nonparametric (row) bootstrap, percentile
 * method, as Preacher & Hayes (2008) recommend for a·b, whose sampling distribution is skewed.
 * Taught in the chapter "Learning causal structure".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { matrix, ols } from '../../linalg/index';
import { resampleIndices, toRng, type Rng } from '../../random/index';
import { quantile } from '../../stats/index';

export interface MediationData {
  /** The cause (e.g. TV spend). */
  readonly treatment: ArrayLike<number>;
  /** The mediator (e.g. branded search). */
  readonly mediator: ArrayLike<number>;
  /** The outcome (e.g. sales). */
  readonly outcome: ArrayLike<number>;
}

export interface EffectInterval {
  readonly estimate: number;
  /** Percentile bootstrap interval at the requested level. */
  readonly lower: number;
  readonly upper: number;
  /** Bootstrap standard deviation of the estimate. */
  readonly standardError: number;
}

export interface LinearMediation {
  /** Slope of M on X. */
  readonly a: number;
  /** Slope of Y on M given X. */
  readonly b: number;
  readonly direct: EffectInterval;
  readonly indirect: EffectInterval;
  readonly total: EffectInterval;
  /** Share of the total effect that goes through the mediator, a·b / (c′ + a·b). */
  readonly proportionMediated: number;
  readonly level: number;
  readonly bootstrap: number;
  readonly warnings: string[];
}

/** Validated copies of the three columns (equal lengths, finite, at least `min` rows). Taught in the chapter "Learning causal structure". */
export function readMediationData(data: MediationData, min = 5): { x: Float64Array; m: Float64Array; y: Float64Array } {
  if (typeof data !== 'object' || data === null) throw new InvalidInputError('data', 'expected { treatment, mediator, outcome }');
  const cols: Float64Array[] = [];
  for (const key of ['treatment', 'mediator', 'outcome'] as const) {
    const v = data[key];
    if (v === undefined || typeof v.length !== 'number') throw new InvalidInputError(`data.${key}`, 'expected an array of numbers');
    const c = Float64Array.from(v);
    c.forEach((value, t) => {
      if (!Number.isFinite(value)) throw new InvalidInputError(`data.${key}`, `value ${t} is ${v[t]}; expected a finite number`);
    });
    cols.push(c);
  }
  const n = cols[0].length;
  if (cols[1].length !== n) throw new DimensionMismatchError('data.mediator', `has ${cols[1].length} values but treatment has ${n}`);
  if (cols[2].length !== n) throw new DimensionMismatchError('data.outcome', `has ${cols[2].length} values but treatment has ${n}`);
  if (n < min) throw new InvalidInputError('data.treatment', `has ${n} rows; at least ${min} are needed`);
  return { x: cols[0], m: cols[1], y: cols[2] };
}

/** Throws unless `bootstrap` is an integer ≥ 2 and `level` is in (0, 1). Taught in the chapter "Learning causal structure". */
export function checkBootstrapOptions(bootstrap: number, level: number): void {
  if (!Number.isInteger(bootstrap) || bootstrap < 2) throw new InvalidInputError('bootstrap', `expected an integer ≥ 2, got ${bootstrap}`);
  if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a number in (0, 1), got ${level}`);
}

/** Summarizes bootstrap replicates of an estimate as a percentile interval and a standard error. Taught in the chapter "Learning causal structure". */
export function effectInterval(estimate: number, replicates: readonly number[], level: number): EffectInterval {
  const mean = replicates.reduce((s, v) => s + v, 0) / replicates.length;
  const sd = Math.sqrt(replicates.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (replicates.length - 1));
  return {
    estimate,
    lower: quantile(replicates, (1 - level) / 2),
    upper: quantile(replicates, (1 + level) / 2),
    standardError: sd,
  };
}

function linearPaths(x: Float64Array, m: Float64Array, y: Float64Array, rows: ArrayLike<number> | null): { a: number; b: number; direct: number } {
  const n = rows ? rows.length : x.length;
  const X1 = matrix(n, 2), X2 = matrix(n, 3);
  const mm = new Float64Array(n), yy = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const t = rows ? rows[r] : r;
    X1.data[2 * r] = 1; X1.data[2 * r + 1] = x[t];
    X2.data[3 * r] = 1; X2.data[3 * r + 1] = x[t]; X2.data[3 * r + 2] = m[t];
    mm[r] = m[t]; yy[r] = y[t];
  }
  const fitM = ols(X1, mm, { refine: false });
  const fitY = ols(X2, yy, { refine: false });
  return { a: fitM.coefficients[1], b: fitY.coefficients[2], direct: fitY.coefficients[1] };
}

/**
 * Direct, indirect (a·b) and total effects of the treatment on the outcome through the mediator in a
 * linear SEM, with percentile bootstrap intervals (rows resampled with replacement; for time series with
 * strong autocorrelation the intervals are too narrow, a block bootstrap would be needed).
 * Taught in the chapter "Learning causal structure".
 */
export function linearMediation(
  data: MediationData, options: { seed: number | string | Rng; bootstrap?: number; level?: number },
): LinearMediation {
  const { bootstrap = 1000, level = 0.95 } = options;
  checkBootstrapOptions(bootstrap, level);
  const { x, m, y } = readMediationData(data);
  const rng = toRng(options.seed);
  const warnings: string[] = [];
  const fit = linearPaths(x, m, y, null);
  const direct: number[] = [], indirect: number[] = [], total: number[] = [];
  let failed = 0;
  for (let k = 0; k < bootstrap; k++) {
    const rows = resampleIndices(rng, x.length);
    try {
      const f = linearPaths(x, m, y, rows);
      direct.push(f.direct); indirect.push(f.a * f.b); total.push(f.direct + f.a * f.b);
    } catch {
      failed++; // a resample in which X or M is constant (collinear design): skipped, and counted
    }
  }
  if (failed > 0) warnings.push(`bootstrap: ${failed} of ${bootstrap} resamples had a singular design and were skipped`);
  if (direct.length < 2) throw new InvalidInputError('data', 'almost every bootstrap resample was singular; the treatment or mediator hardly varies');
  const ind = fit.a * fit.b;
  const tot = fit.direct + ind;
  return {
    a: fit.a, b: fit.b,
    direct: effectInterval(fit.direct, direct, level),
    indirect: effectInterval(ind, indirect, level),
    total: effectInterval(tot, total, level),
    proportionMediated: ind / tot,
    level, bootstrap, warnings,
  };
}

/**
 * Granger causality by the F-test on nested least-squares regressions (Granger 1969): x Granger-causes y
 * when x's past improves the prediction of y beyond y's own past (and, conditionally, beyond the past of
 * the other variables). The statistic is the "ssr-based F" of statsmodels' `grangercausalitytests` and
 * of R's `lmtest::grangertest`. Taught in the chapter "Learning causal structure".
 */
import { InvalidInputError } from '../../errors';
import { ols } from '../../linalg/index';
import { regularizedIncompleteBeta } from '../../stats/index';
import { checkLag, lagDesign, readSeries, type MultivariateSeries } from './var';

/** P(F > f) for F ~ F(d1, d2): I_{d2/(d2 + d1 f)}(d2/2, d1/2). Taught in the chapter "Learning causal structure". */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) throw new InvalidInputError('df', `expected positive degrees of freedom, got (${d1}, ${d2})`);
  if (Number.isNaN(f)) throw new InvalidInputError('f', 'is NaN');
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  const x = d2 / (d2 + d1 * f);
  // 1 − x computed as d1 f/(d2 + d1 f) keeps its digits when x is near 1 (small f).
  return regularizedIncompleteBeta(x, d2 / 2, d1 / 2, (d1 * f) / (d2 + d1 * f));
}

export interface GrangerTest {
  readonly lag: number;
  /** F = ((RSS_r − RSS_u)/q) / (RSS_u/(n − k)), q = lag × (number of cause variables). */
  readonly fStatistic: number;
  readonly pValue: number;
  /** (q, n − k). */
  readonly df: [number, number];
  readonly rssRestricted: number;
  readonly rssUnrestricted: number;
  readonly observations: number;
  readonly warnings: string[];
}

export interface GrangerOptions {
  lag: number;
  /** Other series whose past enters both regressions (conditional Granger causality). Default none. */
  conditionOn?: MultivariateSeries;
  /** First row used (default `lag`; pass a larger value to compare lag orders on one sample). */
  start?: number;
  /**
   * Refine the least-squares fits in compensated arithmetic (default true; see `ols`). `grangerMatrix`
   * passes false: plain Householder QR is accurate to about 1e-13 for the well-conditioned lag designs of
   * a ranking, and several times faster.
   */
  refine?: boolean;
}

/**
 * Tests H0 "x does not Granger-cause y" at one lag order: restricted y ~ 1 + y(t−1..t−p) [+ z(t−1..t−p)],
 * unrestricted adds x(t−1..t−p); the first p rows are dropped, as statsmodels and lmtest do.
 * Taught in the chapter "Learning causal structure".
 */
export function grangerTest(y: ArrayLike<number>, x: ArrayLike<number>, options: GrangerOptions): GrangerTest {
  const { lag, conditionOn = [] } = options;
  checkLag(lag);
  const series = readSeries([Array.from(y), Array.from(x), ...conditionOn.map((s) => Array.from(s))], 'series', lag + 3);
  const start = options.start ?? lag;
  if (!Number.isInteger(start) || start < lag) throw new InvalidInputError('start', `expected an integer ≥ lag (${lag}), got ${start}`);
  const others = series.map((_, j) => j).filter((j) => j >= 2);
  const restricted = lagDesign(series, [0, ...others], lag, { start });
  const unrestricted = lagDesign(series, [0, ...others, 1], lag, { start });
  const n = unrestricted.rows, k = unrestricted.cols;
  if (n <= k) {
    throw new InvalidInputError('y', `${n} usable observations cannot fit ${k} coefficients; use fewer lags or a longer series`);
  }
  const target = series[0].subarray(start);
  const warnings: string[] = [];
  const refine = options.refine ?? true;
  const fitR = ols(restricted, target, { refine });
  const fitU = ols(unrestricted, target, { rankDeficient: 'drop', refine });
  warnings.push(...fitR.warnings, ...fitU.warnings);
  const q = lag;
  const df2 = n - k;
  const rssR = fitR.residualSumOfSquares, rssU = fitU.residualSumOfSquares;
  if (rssU === 0) throw new InvalidInputError('y', 'is fitted exactly by the unrestricted regression; the F statistic is undefined');
  // Least squares guarantees RSS_r ≥ RSS_u; rounding can leave a difference of −ε, which is 0.
  const fStatistic = Math.max(0, (rssR - rssU) / q) / (rssU / df2);
  return {
    lag, fStatistic, pValue: fSurvival(fStatistic, q, df2), df: [q, df2],
    rssRestricted: rssR, rssUnrestricted: rssU, observations: n, warnings,
  };
}

/**
 * The Granger F-test at every lag order 1..maxLag, each on its own sample (the first p rows dropped), as
 * statsmodels' `grangercausalitytests` reports them. Taught in the chapter "Learning causal structure".
 */
export function grangerTests(y: ArrayLike<number>, x: ArrayLike<number>, options: { maxLag: number; conditionOn?: MultivariateSeries }): GrangerTest[] {
  checkLag(options.maxLag, 'maxLag');
  const out: GrangerTest[] = [];
  for (let p = 1; p <= options.maxLag; p++) out.push(grangerTest(y, x, { lag: p, conditionOn: options.conditionOn }));
  return out;
}

export interface GrangerMatrix {
  /** statistic[i][j]: the F statistic of "series i Granger-causes series j" (0 on the diagonal). */
  readonly fStatistic: number[][];
  /** pValue[i][j] (1 on the diagonal). */
  readonly pValue: number[][];
  /** score[i][j] = −log10 p: larger means stronger evidence of an edge i → j (0 on the diagonal). */
  readonly score: number[][];
  readonly lag: number;
  readonly conditional: boolean;
  readonly warnings: string[];
}

/**
 * Granger tests between every ordered pair of series, as a score matrix for graph recovery. With
 * `conditional: true` (default) the test of i → j conditions on the past of all other series (the
 * multivariate Granger test of a VAR); with false it is the bivariate test of each pair alone.
 * Taught in the chapter "Learning causal structure".
 */
export function grangerMatrix(
  seriesIn: MultivariateSeries, options: { lag: number; conditional?: boolean },
): GrangerMatrix {
  const { lag, conditional = true } = options;
  checkLag(lag);
  const series = readSeries(seriesIn, 'series', lag + 3);
  const K = series.length;
  const fStatistic = series.map(() => new Array<number>(K).fill(0));
  const pValue = series.map(() => new Array<number>(K).fill(1));
  const score = series.map(() => new Array<number>(K).fill(0));
  const warnings: string[] = [];
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) {
      if (i === j) continue;
      const conditionOn = conditional ? series.filter((_, k) => k !== i && k !== j) : [];
      const test = grangerTest(series[j], series[i], { lag, conditionOn, refine: false });
      for (const w of test.warnings) warnings.push(`series ${i} -> ${j}: ${w}`);
      fStatistic[i][j] = test.fStatistic;
      pValue[i][j] = test.pValue;
      // −log10 p, floored at the smallest double so that p = 0 still ranks (by its F) above every p > 0.
      score[i][j] = test.pValue > 0 ? -Math.log10(test.pValue) : 324 + Math.log10(1 + test.fStatistic);
    }
  }
  return { fStatistic, pValue, score, lag, conditional, warnings };
}

/**
 * Testing a causal diagram against data: conditional-independence tests (Fisher's z on the partial
 * correlation for roughly Gaussian, linear data; Pearson's X² or the likelihood-ratio G² stratified
 * over the conditioning variables for discrete or discretized data), and the test of every implied
 * independence of a graph, with a Holm correction across them. Taught in the chapter "Causal diagrams".
 *
 * A rejected implication says the data contradict the diagram (or the test's assumptions); a passed
 * one never proves the diagram: many diagrams imply the same independences.
 */
import jStat from 'jstat';
import { InvalidInputError, SingularMatrixError } from '../../errors';
import { leastSquares } from '../../linalg/index';
import { impliedIndependences, formatIndependence, type ImpliedIndependence } from './implications';
import type { CausalGraph } from './dag';

/** Data by column: `{ name: values }`. */
export type DataColumns = Readonly<Record<string, ArrayLike<number>>>;
/** Data by row: records with numeric fields (as read from a CSV file). */
export type DataRows = readonly Readonly<Record<string, unknown>>[];
/** Either form. */
export type CIData = DataColumns | DataRows;

/** The result of one conditional-independence test of x ⊥ y | given. */
export interface CITestResult {
  test: 'fisher-z' | 'pearson-chi-squared' | 'g-squared';
  x: string;
  y: string;
  given: string[];
  /** Rows used. */
  n: number;
  /** Fisher's z (standard normal under independence) or X² / G² (chi-squared with `df`). */
  statistic: number;
  /** Degrees of freedom of the chi-squared reference; null for Fisher's z, whose reference is N(0, 1). */
  df: number | null;
  pValue: number;
  /** The partial correlation for Fisher's z; null for the chi-squared tests. */
  estimate: number | null;
  warnings: string[];
}

/** Reads the named columns as finite numbers of equal length. Internal. */
export function readColumns(data: CIData, names: readonly string[]): Float64Array[] {
  if (typeof data !== 'object' || data === null) throw new InvalidInputError('data', 'expected columns { name: values } or an array of records');
  const rows = Array.isArray(data) ? (data as DataRows) : null;
  const cols = names.map((name) => {
    let out: Float64Array;
    if (rows) {
      out = new Float64Array(rows.length);
      rows.forEach((r, i) => {
        const v = r[name];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new InvalidInputError(`data[${i}].${name}`, `expected a finite number, got ${v === undefined ? 'no such field' : JSON.stringify(v)}`);
        }
        out[i] = v;
      });
    } else {
      const column = (data as DataColumns)[name];
      if (column === undefined || typeof column.length !== 'number') throw new InvalidInputError(`data.${name}`, `no column "${name}" in the data`);
      out = Float64Array.from(column as ArrayLike<number>);
      for (let i = 0; i < out.length; i++) {
        if (!Number.isFinite(out[i])) throw new InvalidInputError(`data.${name}`, `row ${i} is ${(column as ArrayLike<number>)[i]}; expected a finite number`);
      }
    }
    return out;
  });
  for (let k = 1; k < cols.length; k++) {
    if (cols[k].length !== cols[0].length) {
      throw new InvalidInputError(`data.${names[k]}`, `has ${cols[k].length} rows but ${names[0]} has ${cols[0].length}`);
    }
  }
  return cols;
}

function checkNames(x: string, y: string, given: readonly string[]): void {
  const all = [x, y, ...given];
  for (const [k, v] of all.entries()) {
    if (typeof v !== 'string') throw new InvalidInputError(k === 0 ? 'x' : k === 1 ? 'y' : 'given', 'expected column names');
    if (all.indexOf(v) !== k) throw new InvalidInputError('given', `column "${v}" appears twice among x, y and given`);
  }
}

/** Residuals of v after least-squares regression on an intercept and the columns of zs (QR). */
function residuals(v: Float64Array, zs: readonly Float64Array[]): Float64Array {
  const n = v.length;
  const p = zs.length + 1;
  const design = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    design[i * p] = 1;
    for (let j = 0; j < zs.length; j++) design[i * p + j + 1] = zs[j][i];
  }
  const b = leastSquares({ rows: n, cols: p, data: design }, v, { refine: true });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += design[i * p + j] * b[j];
    out[i] = v[i] - fit;
  }
  return out;
}

/**
 * The partial correlation of x and y given the `given` columns: the correlation of their residuals after
 * least-squares regression on the given columns and an intercept (QR, so it stays accurate when the
 * columns are nearly collinear). Throws for a constant column or linearly dependent columns. Chapter
 * "Causal diagrams".
 */
export function partialCorrelation(data: CIData, x: string, y: string, given: readonly string[] = []): number {
  checkNames(x, y, given);
  const [vx, vy, ...zs] = readColumns(data, [x, y, ...given]);
  const n = vx.length;
  if (n < given.length + 3) throw new InvalidInputError('data', `has ${n} rows; a partial correlation given ${given.length} variables needs at least ${given.length + 3}`);
  const names = [x, y, ...given];
  [vx, vy, ...zs].forEach((col, k) => {
    if (col.every((v) => v === col[0])) throw new InvalidInputError(`data.${names[k]}`, 'is constant; its correlation with anything is undefined');
  });
  let ex: Float64Array, ey: Float64Array;
  try {
    ex = residuals(vx, zs);
    ey = residuals(vy, zs);
  } catch (e) {
    if (e instanceof SingularMatrixError) {
      throw new SingularMatrixError('given', `the columns ${given.join(', ')} are linearly dependent (with the intercept); drop the redundant ones`);
    }
    throw e;
  }
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ex[i] * ey[i];
    sxx += ex[i] * ex[i];
    syy += ey[i] * ey[i];
  }
  if (sxx === 0 || syy === 0) {
    const which = sxx === 0 ? x : y;
    throw new InvalidInputError(`data.${which}`, `is an exact linear function of ${given.join(', ')}; its partial correlation is undefined`);
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** P(|Z| > |z|) for a standard normal Z (jStat). Internal. */
export function normalTwoSidedPValue(z: number): number {
  return Math.min(1, 2 * jStat.normal.cdf(-Math.abs(z), 0, 1));
}

/** P(χ²_df > x) (jStat's regularized incomplete gamma). Internal. */
export function chiSquaredUpperTail(x: number, df: number): number {
  if (x <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - jStat.chisquare.cdf(x, df)));
}

/**
 * Fisher's z test of x ⊥ y | given: with r the partial correlation and n rows,
 * z = √(n − |given| − 3) · atanh(r) is approximately N(0, 1) under independence for Gaussian data
 * (Fisher 1924). Two-sided p-value. Chapter "Causal diagrams".
 */
export function fisherZTest(data: CIData, x: string, y: string, given: readonly string[] = []): CITestResult {
  const r = partialCorrelation(data, x, y, given);
  const n = readColumns(data, [x])[0].length;
  const dof = n - given.length - 3;
  if (dof < 1) throw new InvalidInputError('data', `has ${n} rows; Fisher's z given ${given.length} variables needs at least ${given.length + 4}`);
  const warnings: string[] = [];
  let statistic: number;
  if (Math.abs(r) === 1) {
    warnings.push(`the residuals of ${x} and ${y} are perfectly correlated (r = ${r}); z is infinite`);
    statistic = r > 0 ? Infinity : -Infinity;
  } else {
    statistic = Math.sqrt(dof) * Math.atanh(r);
  }
  return { test: 'fisher-z', x, y, given: given.slice(), n, statistic, df: null, pValue: normalTwoSidedPValue(statistic), estimate: r, warnings };
}

/** Options of `chiSquaredCITest`. */
export interface ChiSquaredOptions {
  /** `'pearson'` (X² = Σ (O − E)² / E, default) or `'g'` (G² = 2 Σ O log(O / E)). */
  statistic?: 'pearson' | 'g';
}

/**
 * The chi-squared test of x ⊥ y | given for category codes (integers): a contingency table of x by y in
 * every stratum of the given variables, X² (or G²) summed over strata, degrees of freedom
 * Σ (rows − 1)(columns − 1) over the levels present in each stratum. Warns when expected counts are
 * small (Cochran's rule) or there is nothing to test. Chapter "Causal diagrams".
 */
export function chiSquaredCITest(data: CIData, x: string, y: string, given: readonly string[] = [], options: ChiSquaredOptions = {}): CITestResult {
  checkNames(x, y, given);
  const kind = options.statistic ?? 'pearson';
  if (kind !== 'pearson' && kind !== 'g') throw new InvalidInputError('options.statistic', `expected 'pearson' or 'g', got ${String(kind)}`);
  const names = [x, y, ...given];
  const cols = readColumns(data, names);
  cols.forEach((col, k) => {
    for (let i = 0; i < col.length; i++) {
      if (!Number.isInteger(col[i])) {
        throw new InvalidInputError(`data.${names[k]}`, `row ${i} is ${col[i]}; expected integer category codes (discretize continuous columns with quantileBins)`);
      }
    }
  });
  const n = cols[0].length;
  if (n === 0) throw new InvalidInputError('data', 'has no rows');
  const strata = new Map<string, Map<string, number>>();
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let k = 2; k < cols.length; k++) key += `${cols[k][i]},`;
    let table = strata.get(key);
    if (!table) strata.set(key, (table = new Map()));
    const cell = `${cols[0][i]}|${cols[1][i]}`;
    table.set(cell, (table.get(cell) ?? 0) + 1);
  }
  let statistic = 0;
  let df = 0;
  let cells = 0;
  let smallCells = 0;
  for (const table of Array.from(strata.values())) {
    const rowTotals = new Map<string, number>();
    const colTotals = new Map<string, number>();
    let total = 0;
    for (const [cell, count] of Array.from(table.entries())) {
      const [a, b] = cell.split('|');
      rowTotals.set(a, (rowTotals.get(a) ?? 0) + count);
      colTotals.set(b, (colTotals.get(b) ?? 0) + count);
      total += count;
    }
    if (rowTotals.size < 2 || colTotals.size < 2) continue; // no information about dependence here
    df += (rowTotals.size - 1) * (colTotals.size - 1);
    for (const [a, ra] of Array.from(rowTotals.entries())) {
      for (const [b, cb] of Array.from(colTotals.entries())) {
        const expected = (ra * cb) / total;
        const observed = table.get(`${a}|${b}`) ?? 0;
        cells++;
        if (expected < 5) smallCells++;
        if (kind === 'pearson') statistic += ((observed - expected) * (observed - expected)) / expected;
        else if (observed > 0) statistic += 2 * observed * Math.log(observed / expected);
      }
    }
  }
  const warnings: string[] = [];
  if (df === 0) {
    warnings.push(`no degrees of freedom: every stratum of ${given.length > 0 ? given.join(', ') : 'the data'} has a single level of ${x} or ${y}; nothing is tested`);
    return { test: kind === 'pearson' ? 'pearson-chi-squared' : 'g-squared', x, y, given: given.slice(), n, statistic: 0, df: 0, pValue: 1, estimate: null, warnings };
  }
  if (smallCells > 0.2 * cells) {
    warnings.push(`${smallCells} of ${cells} expected counts are below 5; the chi-squared approximation may be poor (use fewer bins or more data)`);
  }
  statistic = Math.max(0, statistic);
  return {
    test: kind === 'pearson' ? 'pearson-chi-squared' : 'g-squared', x, y, given: given.slice(), n, statistic, df,
    pValue: chiSquaredUpperTail(statistic, df), estimate: null, warnings,
  };
}

/**
 * Category codes 0 … bins − 1 by empirical quantiles (a value equal to a cut point goes to the lower
 * bin; heavy ties can leave bins empty). Chapter "Causal diagrams".
 */
export function quantileBins(values: ArrayLike<number>, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new InvalidInputError('bins', `expected an integer of at least 2, got ${bins}`);
  const v = Array.from(values);
  v.forEach((value, i) => {
    if (!Number.isFinite(value)) throw new InvalidInputError('values', `entry ${i} is ${value}; expected a finite number`);
  });
  if (v.length === 0) throw new InvalidInputError('values', 'is empty');
  const sorted = v.slice().sort((a, b) => a - b);
  // Cut points at the k/bins quantiles, linear interpolation between order statistics (R's type 7).
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const h = ((sorted.length - 1) * k) / bins;
    const lo = Math.floor(h);
    cuts.push(sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]));
  }
  return v.map((value) => {
    let code = 0;
    while (code < cuts.length && value > cuts[code]) code++;
    return code;
  });
}

/** Options of `testImplications`. */
export interface ImplicationTestOptions {
  /** `'fisher-z'` (default) or `'chi-squared'` (on quantile bins of every column unless `bins` is null). */
  test?: 'fisher-z' | 'chi-squared';
  /** Family-wise level for `rejected` (Holm-adjusted p-values). Default 0.05. */
  alpha?: number;
  /** Quantile bins per column for the chi-squared test; null if the data are already category codes. Default 3. */
  bins?: number | null;
  /** For the chi-squared test: `'pearson'` (default) or `'g'`. */
  statistic?: 'pearson' | 'g';
}

/** One implied independence, its test, and whether the data reject it. */
export interface ImplicationTest extends CITestResult {
  implication: ImpliedIndependence;
  /** The implication written out, e.g. `TV ⊥ Competitor | Season`. */
  text: string;
  /** Holm-adjusted p-value across all the implications tested. */
  pAdjusted: number;
  /** pAdjusted < alpha: the data contradict this implication of the graph. */
  rejected: boolean;
}

/** All implied independences of a graph tested against data. */
export interface ImplicationTestReport {
  results: ImplicationTest[];
  /** The rejected ones (empty when the data are consistent with the graph at `alpha`). */
  rejected: ImplicationTest[];
  alpha: number;
  warnings: string[];
}

/**
 * Tests every implied independence of `graph` (the 'missing-edge' list: one bivariate statement per
 * minimal separator of each non-adjacent observed pair) against `data`, which must hold a column per
 * observed node involved. Holm's step-down correction keeps the chance of rejecting a correct graph at
 * most `alpha`. Chapter "Causal diagrams".
 */
export function testImplications(graph: CausalGraph, data: CIData, options: ImplicationTestOptions = {}): ImplicationTestReport {
  const test = options.test ?? 'fisher-z';
  if (test !== 'fisher-z' && test !== 'chi-squared') throw new InvalidInputError('options.test', `expected 'fisher-z' or 'chi-squared', got ${String(test)}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError('options.alpha', `expected a level in (0, 1), got ${alpha}`);
  const bins = options.bins === undefined ? 3 : options.bins;
  const implications = impliedIndependences(graph);
  const warnings: string[] = [];
  if (implications.length === 0) warnings.push('the graph implies no testable independence among its observed variables: the data cannot contradict it this way');
  const involved = Array.from(new Set(implications.flatMap((ci) => [...ci.x, ...ci.y, ...ci.given])));
  let source: CIData = data;
  if (test === 'chi-squared' && bins !== null && involved.length > 0) {
    const cols = readColumns(data, involved);
    const coded: Record<string, number[]> = {};
    involved.forEach((name, k) => (coded[name] = quantileBins(cols[k], bins)));
    source = coded;
  }
  if (test === 'chi-squared' && bins !== null && implications.some((ci) => ci.given.length > 0)) {
    warnings.push(
      `conditioning on ${bins} quantile bins of a continuous variable does not remove all of its influence: ` +
        'with enough data the chi-squared test rejects true implications; prefer fisher-z for continuous data',
    );
  }
  const raw = implications.map((ci) => {
    const result = test === 'fisher-z'
      ? fisherZTest(source, ci.x[0], ci.y[0], ci.given)
      : chiSquaredCITest(source, ci.x[0], ci.y[0], ci.given, { statistic: options.statistic });
    return { ci, result };
  });
  // Holm (1979): sort p ascending, multiply the k-th smallest by (m − k), keep the running maximum.
  const m = raw.length;
  const order = raw.map((_, i) => i).sort((a, b) => raw[a].result.pValue - raw[b].result.pValue);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * raw[i].result.pValue));
    adjusted[i] = running;
  });
  const results: ImplicationTest[] = raw.map(({ ci, result }, i) => {
    const text = formatIndependence(ci);
    for (const w of result.warnings) warnings.push(`${text}: ${w}`);
    return { ...result, implication: ci, text, pAdjusted: adjusted[i], rejected: adjusted[i] < alpha };
  });
  return { results, rejected: results.filter((r) => r.rejected), alpha, warnings };
}

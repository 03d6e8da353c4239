/**
 * Synthetic control in the manner of Abadie, Diamond & Hainmueller (2010, "ADH"): a weighted average of
 * untreated units (donors), with weights on the simplex, that reproduces the treated unit's predictors and
 * pre-treatment path; the effect is the gap after treatment, judged against in-space placebos. Taught in
 * the chapter "The causal ladder on real data", section "Synthetic control: Proposition 99".
 *
 * The nested optimization (ADH 2010, §2.3; Abadie, Diamond & Hainmueller 2011, the Synth package):
 *   inner:  W*(V) = argmin_{W ∈ simplex} (X₁ − X₀W)ᵀ V (X₁ − X₀W), X rows standardized by their standard
 *           deviation across all units, V diagonal with Σ V = 1 (solved exactly: `simplexLeastSquares`);
 *   outer:  V* = argmin_V  Σ_{t ∈ fitTimes} (Z₁t − Z₀t W*(V))², the pre-treatment outcome fit.
 * The outer problem is not convex and W*(V) is only piecewise smooth in V, so V is searched from several
 * starts (equal weights, Synth's regression-based start, and seeded random draws on the simplex), each
 * refined by L-BFGS on a softmax parametrization V = exp(θ)/Σ exp(θ) with central-difference gradients;
 * the best fit wins. This mirrors Synth, which runs `optim` from the equal and regression starts.
 */
import { InvalidInputError } from '../../errors';
import { crossProduct, matrix, solve, type Matrix } from '../../linalg/index';
import { lbfgs } from '../../optimize/lbfgs';
import { simplexLeastSquares } from '../../optimize/simplexLeastSquares';
import { createRng, dirichlet } from '../../random/index';
import { checkRows, type Row } from './shared';

/** One predictor: `column` averaged over `times` (ADH's "special predictors" are single times). */
export interface SyntheticControlPredictor {
  column: string;
  times: readonly number[];
  aggregate?: 'mean';
  /** Name in the results; default `column` with its time range, e.g. "beer 1984–1988". */
  label?: string;
}

export interface SyntheticControlOptions {
  /** Column naming the unit (state, market, region). */
  unit: string;
  /** Column holding the time (a number: year, week index). */
  time: string;
  /** Column holding the outcome. */
  outcome: string;
  /** The treated unit's name. */
  treated: string;
  /** Names of the donor units (the untreated pool). */
  donors: readonly string[];
  predictors: readonly SyntheticControlPredictor[];
  /** Pre-treatment times whose outcome fit chooses V. */
  fitTimes: readonly number[];
  /** First treated time; default the first panel time after the last of `fitTimes`. */
  treatmentTime?: number;
  /**
   * Random points V drawn uniformly on the simplex and screened by their fit before the local searches.
   * Default 200 (each costs one inner solve).
   */
  randomStarts?: number;
  /** Lower bound on every predictor weight in the V search. Default 0. */
  minPredictorWeight?: number;
  /** Local searches (L-BFGS): from the equal and regression starts, then the best screened draws. Default 4. */
  localSearches?: number;
  /** Seed of those random starts. Default 1. */
  seed?: number;
  /** Fix V instead of searching for it (one weight per predictor, normalized to sum 1). */
  predictorWeights?: readonly number[];
}

export interface PredictorBalance {
  predictor: string;
  treated: number;
  synthetic: number;
  /** Unweighted mean over the donors, for comparison. */
  donorMean: number;
}

export interface SyntheticControlResult {
  /** Donor name → weight (non-negative, summing to 1). */
  weights: Record<string, number>;
  /** Predictor label → V weight (summing to 1). */
  predictorWeights: Record<string, number>;
  balance: PredictorBalance[];
  /** All panel times, ascending; the series below are aligned with them. */
  times: number[];
  treatedSeries: number[];
  syntheticSeries: number[];
  /** treated − synthetic. */
  gap: number[];
  treatmentTime: number;
  /** Root mean squared gap before and after `treatmentTime`, and their ratio (ADH 2010, §3). */
  preRmspe: number;
  postRmspe: number;
  rmspeRatio: number;
  /** Mean gap over the post-treatment times. */
  averagePostGap: number;
  /** Mean squared outcome gap over `fitTimes` (the outer objective at the chosen V). */
  fitMspe: number;
  /** Predictor loss (X₁ − X₀W)ᵀV(X₁ − X₀W) on the standardized predictors. */
  predictorLoss: number;
  /** How V was found, for the record: starts tried and the loss of each. */
  search: { start: string; fitMspe: number }[];
  warnings: string[];
}

interface Panel {
  times: number[];
  /** unit → time → row */
  byUnit: Map<string, Map<number, Row>>;
}

function readPanel(rows: readonly Row[], options: SyntheticControlOptions): Panel {
  checkRows(rows);
  const { unit, time } = options;
  const byUnit = new Map<string, Map<number, Row>>();
  const timeSet = new Set<number>();
  rows.forEach((r, i) => {
    const u = r[unit];
    const t = r[time];
    if (typeof u !== 'string' && typeof u !== 'number') throw new InvalidInputError(unit, `row ${i} has unit ${JSON.stringify(u)}`);
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new InvalidInputError(time, `row ${i} has time ${JSON.stringify(t)}; expected a number`);
    const name = String(u);
    let m = byUnit.get(name);
    if (!m) byUnit.set(name, (m = new Map()));
    if (m.has(t)) throw new InvalidInputError(time, `unit "${name}" has two rows for time ${t}`);
    m.set(t, r);
    timeSet.add(t);
  });
  return { times: Array.from(timeSet).sort((a, b) => a - b), byUnit };
}

function valueAt(panel: Panel, unitName: string, t: number, column: string): number {
  const row = panel.byUnit.get(unitName)?.get(t);
  if (!row) throw new InvalidInputError(column, `unit "${unitName}" has no row for time ${t}: synthetic control needs a balanced panel`);
  const v = row[column];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidInputError(column, `unit "${unitName}" at time ${t} has ${JSON.stringify(v)}; expected a finite number`);
  }
  return v;
}

function labelOf(p: SyntheticControlPredictor): string {
  if (p.label) return p.label;
  const lo = Math.min(...p.times), hi = Math.max(...p.times);
  return lo === hi ? `${p.column} ${lo}` : `${p.column} ${lo}–${hi}`;
}

function checkOptions(panel: Panel, options: SyntheticControlOptions): void {
  const { treated, donors, predictors, fitTimes } = options;
  if (!panel.byUnit.has(treated)) throw new InvalidInputError('treated', `unit "${treated}" is not in the panel (column "${options.unit}")`);
  if (!Array.isArray(donors) || donors.length < 2) throw new InvalidInputError('donors', 'expected at least two donor units');
  const seen = new Set<string>();
  for (const d of donors) {
    if (!panel.byUnit.has(d)) throw new InvalidInputError('donors', `donor "${d}" is not in the panel`);
    if (d === treated) throw new InvalidInputError('donors', `the treated unit "${treated}" cannot be its own donor`);
    if (seen.has(d)) throw new InvalidInputError('donors', `donor "${d}" is listed twice`);
    seen.add(d);
  }
  if (!Array.isArray(predictors) || predictors.length === 0) throw new InvalidInputError('predictors', 'expected at least one predictor');
  for (const p of predictors) {
    if (!p || typeof p.column !== 'string') throw new InvalidInputError('predictors', 'each predictor needs a column');
    if (!Array.isArray(p.times) || p.times.length === 0) throw new InvalidInputError('predictors', `predictor "${p.column}" has no times`);
    if (p.aggregate !== undefined && p.aggregate !== 'mean') {
      throw new InvalidInputError('predictors', `predictor "${p.column}": aggregate "${p.aggregate}" is not supported (use 'mean')`);
    }
  }
  if (!Array.isArray(fitTimes) || fitTimes.length === 0) throw new InvalidInputError('fitTimes', 'expected at least one pre-treatment time');
  for (const t of fitTimes) {
    if (panel.times.indexOf(t) < 0) throw new InvalidInputError('fitTimes', `time ${t} is not in the panel`);
  }
}

/** Standardized predictor matrix (predictors × units) and the scale used, as Synth does. */
function predictorMatrix(panel: Panel, options: SyntheticControlOptions, units: readonly string[]): { X: Matrix; raw: Matrix; labels: string[] } {
  const k = options.predictors.length, n = units.length;
  const raw = matrix(k, n);
  options.predictors.forEach((p, i) => {
    units.forEach((u, j) => {
      let s = 0;
      for (const t of p.times) s += valueAt(panel, u, t, p.column);
      raw.data[i * n + j] = s / p.times.length;
    });
  });
  const X = matrix(k, n);
  for (let i = 0; i < k; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) m += raw.data[i * n + j];
    m /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (raw.data[i * n + j] - m) ** 2;
    const sd = Math.sqrt(v / (n - 1));
    if (!(sd > 0)) throw new InvalidInputError('predictors', `predictor "${labelOf(options.predictors[i])}" is constant across units: it cannot discriminate donors`);
    for (let j = 0; j < n; j++) X.data[i * n + j] = raw.data[i * n + j] / sd;
  }
  return { X, raw, labels: options.predictors.map(labelOf) };
}

/** Columns 1.. of a predictors × units matrix as the donor block X₀ (the treated unit is column 0). */
function split(M: Matrix): { first: Float64Array; rest: Matrix } {
  const n = M.cols - 1;
  const first = new Float64Array(M.rows);
  const rest = matrix(M.rows, n);
  for (let i = 0; i < M.rows; i++) {
    first[i] = M.data[i * M.cols];
    for (let j = 0; j < n; j++) rest.data[i * n + j] = M.data[i * M.cols + j + 1];
  }
  return { first, rest };
}

/** V = floor + (1 − k·floor)·softmax(θ): every predictor keeps at least `floor` of the weight. */
function predictorWeightsOf(theta: ArrayLike<number>, floor: number): Float64Array {
  const s = softmax(theta);
  const k = s.length;
  for (let i = 0; i < k; i++) s[i] = floor + (1 - k * floor) * s[i];
  return s;
}

function softmax(theta: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < theta.length; i++) max = Math.max(max, theta[i]);
  const out = new Float64Array(theta.length);
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += (out[i] = Math.exp(theta[i] - max));
  for (let i = 0; i < theta.length; i++) out[i] /= s;
  return out;
}

/**
 * Synth's regression-based starting V: regress every unit's fit-period outcomes on its standardized
 * predictors (with an intercept) and weight each predictor by the sum of its squared coefficients.
 */
function regressionStart(X: Matrix, Z: Matrix): Float64Array | null {
  const k = X.rows, n = X.cols, T = Z.rows;
  const D = matrix(n, k + 1);
  for (let j = 0; j < n; j++) {
    D.data[j * (k + 1)] = 1;
    for (let i = 0; i < k; i++) D.data[j * (k + 1) + i + 1] = X.data[i * n + j];
  }
  try {
    const G = crossProduct(D);
    const v = new Float64Array(k);
    for (let t = 0; t < T; t++) {
      const rhs = new Float64Array(k + 1);
      for (let j = 0; j < n; j++) {
        const z = Z.data[t * n + j];
        for (let c = 0; c <= k; c++) rhs[c] += D.data[j * (k + 1) + c] * z;
      }
      const beta = solve(G, rhs);
      for (let i = 0; i < k; i++) v[i] += beta[i + 1] ** 2;
    }
    let s = 0;
    for (let i = 0; i < k; i++) s += v[i];
    if (!(s > 0)) return null;
    for (let i = 0; i < k; i++) v[i] = Math.max(v[i] / s, 1e-8);
    return v;
  } catch {
    return null; // more predictors than units, or collinear predictors: skip this start
  }
}

/**
 * Fits a synthetic control for `treated` from `donors` (ADH 2010). Returns the donor weights, the
 * predictor weights V, the synthetic series, the gap and its pre/post RMSPE. Chapter: "The causal ladder
 * on real data".
 */
export function syntheticControl(rows: readonly Row[], options: SyntheticControlOptions): SyntheticControlResult {
  const panel = readPanel(rows, options);
  checkOptions(panel, options);
  const { treated, donors, outcome, fitTimes } = options;
  const units = [treated, ...donors];
  const { X, raw, labels } = predictorMatrix(panel, options, units);
  const { first: X1, rest: X0 } = split(X);
  const k = X.rows, J = donors.length;

  // Outcomes over all panel times (units in columns), and the fit-period block.
  const times = panel.times;
  const Y = matrix(times.length, units.length);
  times.forEach((t, r) => units.forEach((u, j) => (Y.data[r * units.length + j] = valueAt(panel, u, t, outcome))));
  const Zfit = matrix(fitTimes.length, units.length);
  fitTimes.forEach((t, r) => units.forEach((u, j) => (Zfit.data[r * units.length + j] = valueAt(panel, u, t, outcome))));
  const { first: Z1, rest: Z0 } = split(Zfit);

  const innerWeights = (v: ArrayLike<number>) => simplexLeastSquares(X0, X1, { rowWeights: v });
  const fitLoss = (w: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < Z1.length; t++) {
      let synth = 0;
      for (let j = 0; j < J; j++) synth += Z0.data[t * J + j] * w[j];
      s += (Z1[t] - synth) ** 2;
    }
    return s / Z1.length;
  };

  const warnings: string[] = [];
  const search: { start: string; fitMspe: number }[] = [];
  let bestV: Float64Array;
  if (options.predictorWeights !== undefined) {
    const pw = options.predictorWeights;
    if (pw.length !== k) throw new InvalidInputError('predictorWeights', `has ${pw.length} entries; there are ${k} predictors`);
    let s = 0;
    for (let i = 0; i < k; i++) {
      if (!(pw[i] >= 0) || !Number.isFinite(pw[i])) throw new InvalidInputError('predictorWeights', `entry ${i} is ${pw[i]}; expected ≥ 0`);
      s += pw[i];
    }
    if (!(s > 0)) throw new InvalidInputError('predictorWeights', 'are all zero');
    bestV = Float64Array.from(pw, (x) => x / s);
    search.push({ start: 'given', fitMspe: fitLoss(innerWeights(bestV).x) });
  } else {
    const randomStarts = options.randomStarts ?? 200;
    const localSearches = options.localSearches ?? 4;
    const floor = options.minPredictorWeight ?? 0;
    if (!(floor >= 0 && floor < 1 / k)) throw new InvalidInputError('minPredictorWeight', `expected a number in [0, 1/${k}), got ${floor}`);
    if (!Number.isInteger(randomStarts) || randomStarts < 0) throw new InvalidInputError('randomStarts', `expected an integer ≥ 0, got ${randomStarts}`);
    if (!Number.isInteger(localSearches) || localSearches < 1) throw new InvalidInputError('localSearches', `expected an integer ≥ 1, got ${localSearches}`);
    // Screen: the equal and regression starts always, then the best of the random draws by their loss.
    const fixed: { name: string; v: Float64Array }[] = [{ name: 'equal', v: new Float64Array(k).fill(1 / k) }];
    const reg = regressionStart(X, Zfit);
    if (reg) fixed.push({ name: 'regression', v: reg });
    const rng = createRng(options.seed ?? 1);
    const drawn: { name: string; v: Float64Array; loss: number }[] = [];
    for (let s = 0; s < randomStarts; s++) {
      const v = predictorWeightsOf(Float64Array.from(dirichlet(rng, new Float64Array(k).fill(1)), Math.log), floor);
      drawn.push({ name: `random ${s + 1}`, v, loss: fitLoss(innerWeights(v).x) });
    }
    drawn.sort((a, b) => a.loss - b.loss);
    const starts = fixed.concat(drawn.slice(0, Math.max(0, localSearches - fixed.length)));
    const objective = (theta: Float64Array) => fitLoss(innerWeights(predictorWeightsOf(theta, floor)).x);
    let bestLoss = Infinity;
    bestV = starts[0].v;
    for (const start of starts) {
      const theta0 = Float64Array.from(start.v, (x) => Math.log(Math.max((x - floor) / (1 - k * floor), 1e-12)));
      const run = lbfgs(objective, theta0, { maxIterations: 100, gradientTolerance: 1e-7, valueTolerance: 1e-10 });
      const v = predictorWeightsOf(run.x, floor);
      const loss = fitLoss(innerWeights(v).x);
      search.push({ start: start.name, fitMspe: loss });
      if (loss < bestLoss) [bestLoss, bestV] = [loss, v];
    }
  }

  const inner = innerWeights(bestV);
  warnings.push(...inner.warnings.map((w) => `donor weights: ${w}`));
  const w = inner.x;
  const weights: Record<string, number> = {};
  donors.forEach((d, j) => (weights[d] = w[j]));
  const predictorWeights: Record<string, number> = {};
  labels.forEach((l, i) => (predictorWeights[l] = bestV[i]));
  const n = units.length;
  const balance = labels.map((predictor, i) => {
    let synthetic = 0, donorMean = 0;
    for (let j = 0; j < J; j++) {
      synthetic += raw.data[i * n + j + 1] * w[j];
      donorMean += raw.data[i * n + j + 1] / J;
    }
    return { predictor, treated: raw.data[i * n], synthetic, donorMean };
  });

  const treatedSeries: number[] = [], syntheticSeries: number[] = [], gap: number[] = [];
  times.forEach((_, r) => {
    let s = 0;
    for (let j = 0; j < J; j++) s += Y.data[r * n + j + 1] * w[j];
    treatedSeries.push(Y.data[r * n]);
    syntheticSeries.push(s);
    gap.push(Y.data[r * n] - s);
  });
  const lastFit = Math.max(...fitTimes);
  const treatmentTime = options.treatmentTime ?? times.find((t) => t > lastFit);
  if (treatmentTime === undefined) throw new InvalidInputError('treatmentTime', `no panel time after the last fit time ${lastFit}: there is no post-treatment period`);
  let pre = 0, nPre = 0, post = 0, nPost = 0, postSum = 0;
  times.forEach((t, r) => {
    if (t < treatmentTime) [pre, nPre] = [pre + gap[r] ** 2, nPre + 1];
    else [post, nPost, postSum] = [post + gap[r] ** 2, nPost + 1, postSum + gap[r]];
  });
  if (nPre === 0 || nPost === 0) throw new InvalidInputError('treatmentTime', `${treatmentTime} leaves no ${nPre === 0 ? 'pre' : 'post'}-treatment times`);
  const preRmspe = Math.sqrt(pre / nPre), postRmspe = Math.sqrt(post / nPost);
  let predictorLoss = 0;
  for (let i = 0; i < k; i++) {
    let s = X1[i];
    for (let j = 0; j < J; j++) s -= X0.data[i * J + j] * w[j];
    predictorLoss += bestV[i] * s * s;
  }
  return {
    weights, predictorWeights, balance, times, treatedSeries, syntheticSeries, gap, treatmentTime,
    preRmspe, postRmspe, rmspeRatio: postRmspe / preRmspe, averagePostGap: postSum / nPost,
    fitMspe: fitLoss(w), predictorLoss, search, warnings,
  };
}

export interface PlaceboRun {
  unit: string;
  gap: number[];
  preRmspe: number;
  postRmspe: number;
  rmspeRatio: number;
}

export interface SyntheticControlPlaceboResult {
  /** The actual treated unit's fit. */
  treatedFit: SyntheticControlResult;
  /** One run per donor, each treated as if it had been treated, with the other donors as its pool. */
  placebos: PlaceboRun[];
  times: number[];
  /** Rank of the treated unit's post/pre RMSPE ratio among all J + 1 units (1 = largest). */
  rank: number;
  /** rank / (J + 1): the permutation p-value of ADH (2010, §3). */
  pValue: number;
  warnings: string[];
}

/**
 * In-space placebo tests (ADH 2010, §3): refit the synthetic control for every donor as if it had been
 * treated (its pool: the other donors; the treated unit is left out), and rank the treated unit's
 * post/pre RMSPE ratio among all. The p-value is that rank over J + 1. `placeboSearch` may lighten the V
 * search of the J placebo fits (each is a full synthetic control). Chapter: "The causal ladder on
 * real data".
 */
export function syntheticControlPlacebos(
  rows: readonly Row[],
  options: SyntheticControlOptions & { placeboSearch?: { randomStarts?: number; localSearches?: number } },
): SyntheticControlPlaceboResult {
  const { placeboSearch, ...base } = options;
  const treatedFit = syntheticControl(rows, base);
  const placebos: PlaceboRun[] = [];
  const warnings: string[] = [];
  for (const d of options.donors) {
    const fit = syntheticControl(rows, { ...base, ...placeboSearch, treated: d, donors: options.donors.filter((x) => x !== d), predictorWeights: undefined });
    placebos.push({ unit: d, gap: fit.gap, preRmspe: fit.preRmspe, postRmspe: fit.postRmspe, rmspeRatio: fit.rmspeRatio });
    warnings.push(...fit.warnings.map((w) => `placebo ${d}: ${w}`));
  }
  const rank = 1 + placebos.filter((p) => p.rmspeRatio >= treatedFit.rmspeRatio).length;
  return { treatedFit, placebos, times: treatedFit.times, rank, pValue: rank / (placebos.length + 1), warnings };
}

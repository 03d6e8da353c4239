/**
 * A CausalMMM-style learner (after Gong et al., "CausalMMM: Learning Causal Structure for Marketing Mix
 * Modeling", WSDM 2024) in a penalized, convex form: for each target series, a regression on its own
 * past (unpenalized) and, for each candidate source channel, a group of lagged, adstocked and saturated
 * versions of that source (a small dictionary of carryover and saturation shapes whose combination is
 * the learned response of the target to the source). A group lasso (Yuan & Lin 2006), penalizing each
 * group's fitted values ‖X_g β_g‖ (Simon & Tibshirani 2012), makes whole sources enter or leave together:
 * an edge i → j is a non-zero group. The path over the penalty is solved by block coordinate descent,
 * each block update being the exact proximal (group soft-threshold) step of its orthonormalized group.
 * An edge's score is the largest penalty at which its group is (or would be, by the KKT condition) in
 * the model. Deterministic: no randomness at all. Taught in the chapter "Learning causal structure".
 */
import { InvalidInputError } from '../../errors';
import { matrix, ols, qr, svd, thinQ, type Matrix } from '../../linalg/index';
import { readSeries, type MultivariateSeries } from './var';

export interface ChannelGraphLearnerOptions {
  /** Own lags of the target, unpenalized (default 2). */
  ownLags?: number;
  /** Carryover (geometric decay) rates of the dictionary; 0 is the plain one-step lag (default [0, 0.2, 0.4, 0.6, 0.8]). */
  decays?: readonly number[];
  /**
   * Saturation shapes of the dictionary, applied to each adstocked source: Hill slopes with the
   * half-saturation at the median of the adstocked series (default [2]); the linear (unsaturated) input
   * is always included.
   */
  hillSlopes?: readonly number[];
  /**
   * How each source's carryover and saturation are learned. `'profile'` (default): one input per source,
   * the dictionary shape that best explains all the other series at once (the sum over targets of its
   * squared partial correlation with each target, given the target's own past), shared by every edge
   * out of the source, as a channel's carryover and saturation are in an MMM; groups then have one
   * column. `'dictionary'`: every shape enters, and the group lasso weighs them per edge.
   */
  shapes?: 'profile' | 'dictionary';
  /**
   * Adaptive group lasso weights 1/‖β̂_g‖ from the unpenalized fit (default false). They make selection
   * consistent as the series grows (the BIC graph of a long series is then nearly exact), but on short
   * series the noisy unpenalized fit ranks edges worse: over 100 held-out simulated shops of 100 steps,
   * mean AUROC 0.860 with against 0.877 without (chapter "Learning causal structure").
   */
  adaptive?: boolean;
  /**
   * Also compute exact posterior edge probabilities by enumerating every parent set of each target
   * (default false; at most 12 candidate sources per target).
   */
  posterior?: boolean;
  /** Number of penalties on the path (default 30), geometric from λ_max down to `minRatio` λ_max. */
  pathLength?: number;
  /** Smallest penalty as a fraction of the largest (default 0.01). */
  minRatio?: number;
  /** Block-coordinate sweeps per penalty at most (default 500), until the largest coefficient change < `tolerance` (default 1e-6, on the unit-variance target's scale). */
  maxSweeps?: number;
  tolerance?: number;
  /** Sources allowed for each target: candidate(i, j) false excludes the edge i → j (default: all i ≠ j). */
  candidate?: (i: number, j: number) => boolean;
}

export interface ChannelGraphFit {
  /**
   * With `posterior: true`: logit of the posterior probability of each edge i → j, by exact Bayesian model
   * averaging over every set of sources of target j (Zellner g-prior with g = max(n, G²), Fernández, Ley &
   * Steel 2001; beta-binomial prior on the number of parents, Scott & Berger 2010). Otherwise null.
   */
  readonly edgeLogOdds: number[][] | null;
  /** score[i][j]: the penalty at which source i enters the model of target j (0 on the diagonal and for excluded pairs). */
  readonly score: number[][];
  /** selected[i][j] = 1 for an edge in the model chosen by BIC along each target's path. */
  readonly selected: number[][];
  /** The penalty chosen by BIC for each target. */
  readonly penalty: number[];
  /** Columns per source group (before orthonormalization). */
  readonly groupSize: number;
  /** With shapes 'profile': the chosen carryover (decay) of each source and whether its input is saturated (Hill). */
  readonly decay: number[];
  readonly saturated: boolean[];
  readonly warnings: string[];
}

/** Geometric adstock normalized to unit gain, a_t = λ a_{t−1} + (1 − λ) x_t, started at a_0 = x_0. */
function adstockSeries(x: Float64Array, decay: number): Float64Array {
  const a = new Float64Array(x.length);
  a[0] = x[0];
  for (let t = 1; t < x.length; t++) a[t] = decay * a[t - 1] + (1 - decay) * x[t];
  return a;
}

function median(v: Float64Array): number {
  const s = Array.from(v).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The dictionary of source i: columns (rows t = start..n−1) of adstock(x)_{t−1} and Hill(adstock(x)_{t−1}). */
function sourceDictionary(x: Float64Array, start: number, decays: readonly number[], slopes: readonly number[]): Float64Array[] {
  const n = x.length;
  const columns: Float64Array[] = [];
  let shift = Infinity;
  for (let t = 0; t < n; t++) if (x[t] < shift) shift = x[t];
  for (const d of decays) {
    const a = adstockSeries(x, d);
    columns.push(a.slice(start - 1, n - 1));
    // Hill needs a non-negative input: shift by the series minimum (0 for spend).
    const pos = a.map((v) => v - Math.min(0, shift));
    const k = median(pos);
    for (const s of slopes) {
      const h = new Float64Array(n - start);
      for (let t = start; t < n; t++) {
        const v = pos[t - 1];
        h[t - start] = v > 0 && k > 0 ? 1 / (1 + Math.pow(k / v, s)) : 0;
      }
      columns.push(h);
    }
  }
  return columns;
}

/** An orthonormal basis of [1, x_{t−1}, …, x_{t−p}] over rows t = start..n−1. */
export function ownPastBasis(x: Float64Array, start: number, ownLags: number, n: number): Matrix {
  const Z = matrix(n, 1 + ownLags);
  for (let r = 0; r < n; r++) {
    Z.data[r * Z.cols] = 1;
    for (let l = 1; l <= ownLags; l++) Z.data[r * Z.cols + l] = x[start + r - l];
  }
  return thinQ(qr(Z));
}

/** v scaled to unit length, or null when it is (numerically) zero. */
function unit(v: Float64Array): Float64Array | null {
  let s = 0;
  for (const x of v) s += x * x;
  if (!(s > 1e-24)) return null;
  const k = 1 / Math.sqrt(s);
  return v.map((x) => x * k);
}

/** Residuals of each column on the orthonormal basis Q (n × q): v − Q Qᵀ v. */
export function residualize(Q: Matrix, v: Float64Array): Float64Array {
  const out = Float64Array.from(v);
  for (let c = 0; c < Q.cols; c++) {
    let s = 0;
    for (let t = 0; t < Q.rows; t++) s += Q.data[t * Q.cols + c] * v[t];
    for (let t = 0; t < Q.rows; t++) out[t] -= s * Q.data[t * Q.cols + c];
  }
  return out;
}

/** An orthogonal basis of the group's columns, scaled so that BᵀB = n I (numerically dependent directions dropped). */
function groupBasis(columns: Float64Array[], n: number): Float64Array[] {
  const X = matrix(n, columns.length);
  for (let t = 0; t < n; t++) for (let c = 0; c < columns.length; c++) X.data[t * columns.length + c] = columns[c][t];
  const { U, singularValues } = svd(X);
  const top = singularValues[0];
  const basis: Float64Array[] = [];
  if (!(top > 0)) return basis;
  for (let c = 0; c < singularValues.length; c++) {
    if (singularValues[c] <= 1e-8 * top) continue;
    const b = new Float64Array(n);
    for (let t = 0; t < n; t++) b[t] = U.data[t * U.cols + c] * Math.sqrt(n);
    basis.push(b);
  }
  return basis;
}

/** Per source, the dictionary column that best explains all other series at once (see `shapes: 'profile'`). */
function chooseProfiles(
  dictionaries: Float64Array[][], ownBases: Matrix[], series: Float64Array[], start: number,
  decays: readonly number[], hillSlopes: readonly number[],
): { inputs: Float64Array[]; decay: number[]; saturated: boolean[] } {
  const V = series.length, n = series[0].length - start;
  const targets = series.map((x, j) => unit(residualize(ownBases[j], x.subarray(start))));
  const decay: number[] = [], saturated: boolean[] = [];
  const inputs = dictionaries.map((columns, i) => {
    let best = 0, bestValue = -Infinity;
    columns.forEach((c, k) => {
      let value = 0;
      for (let j = 0; j < V; j++) {
        if (j === i || targets[j] === null) continue;
        const f = unit(residualize(ownBases[j], c));
        if (f === null) continue;
        let r = 0;
        for (let t = 0; t < n; t++) r += f[t] * (targets[j] as Float64Array)[t];
        value += r * r;
      }
      if (value > bestValue) { bestValue = value; best = k; }
    });
    const perDecay = 1 + hillSlopes.length;
    decay.push(decays[Math.floor(best / perDecay)]);
    saturated.push(best % perDecay !== 0);
    return columns[best];
  });
  return { inputs, decay, saturated };
}

export interface ProfileInputs {
  /** inputs[i][t − start]: source i's chosen carryover-and-saturation input h(adstock(x_i))_{t−1}, rows t = start..T−1. */
  readonly inputs: Float64Array[];
  /** The first row used (max(1, ownLags)). */
  readonly start: number;
  readonly decay: number[];
  readonly saturated: boolean[];
}

/**
 * The per-source inputs of `learnChannelGraph` with `shapes: 'profile'`: for each source the dictionary
 * shape (carryover, linear or Hill) that best explains all other series given their own past, lagged one
 * step. Shared with the pooled learner (`fitEdgePrior`, `pooledEdgePosterior`). Taught in the chapter
 * "Learning causal structure".
 */
export function profileInputs(
  seriesIn: MultivariateSeries,
  options: { ownLags?: number; decays?: readonly number[]; hillSlopes?: readonly number[] } = {},
): ProfileInputs {
  const { ownLags = 2, decays = [0, 0.2, 0.4, 0.6, 0.8], hillSlopes = [2] } = options;
  if (!Number.isInteger(ownLags) || ownLags < 0) throw new InvalidInputError('ownLags', `expected an integer ≥ 0, got ${ownLags}`);
  if (decays.length === 0 || decays.some((d) => !(d >= 0 && d < 1))) throw new InvalidInputError('decays', 'expected a non-empty list of rates in [0, 1)');
  if (hillSlopes.some((s) => !(s > 0))) throw new InvalidInputError('hillSlopes', 'expected positive slopes');
  const series = readSeries(seriesIn, 'series', 10);
  const start = Math.max(1, ownLags);
  const n = series[0].length - start;
  if (n <= 2 + ownLags) throw new InvalidInputError('series', `${series[0].length} steps are too few for ${ownLags} own lags`);
  const dictionaries = series.map((x) => sourceDictionary(x, start, decays, hillSlopes));
  const ownBases = series.map((x) => ownPastBasis(x, start, ownLags, n));
  return { start, ...chooseProfiles(dictionaries, ownBases, series, start, decays, hillSlopes) };
}

function logSumExp(v: number[]): number {
  let m = -Infinity;
  for (const x of v) if (x > m) m = x;
  if (m === -Infinity) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

/**
 * Log posterior odds of inclusion of each group, by enumerating all 2^G subsets. y has unit mean square
 * and, like every group, the target's own past partialled out, leaving `dof` residual degrees of freedom.
 * Under Zellner's g-prior the marginal likelihood of subset S with k columns and fit R²_S is
 * ∝ (1 + g)^{(dof − k)/2} (1 + g(1 − R²_S))^{−dof/2} (Liang et al. 2008, eq. 5, with dof for n − 1).
 */
function modelAveragedEdges(groups: Float64Array[][], y: Float64Array, dof: number): number[] {
  const G = groups.length, n = y.length;
  const columns: Float64Array[] = [];
  const owner: number[] = [];
  groups.forEach((g, k) => g.forEach((c) => { columns.push(c); owner.push(k); }));
  const P = columns.length;
  const gram = new Float64Array(P * P), xty = new Float64Array(P);
  let yty = 0;
  for (let t = 0; t < n; t++) yty += y[t] * y[t];
  for (let a = 0; a < P; a++) {
    for (let t = 0; t < n; t++) xty[a] += columns[a][t] * y[t];
    for (let b = 0; b <= a; b++) {
      let v = 0;
      for (let t = 0; t < n; t++) v += columns[a][t] * columns[b][t];
      gram[a * P + b] = gram[b * P + a] = v;
    }
  }
  const g = Math.max(n, G * G);
  const logPrior = (k: number): number => {
    // beta-binomial(1, 1): p(S) = 1 / ((G + 1) · C(G, k)).
    let logChoose = 0;
    for (let i = 1; i <= k; i++) logChoose += Math.log((G - k + i) / i);
    return -Math.log(G + 1) - logChoose;
  };
  const included: number[][] = groups.map(() => []), excluded: number[][] = groups.map(() => []);
  for (let mask = 0; mask < 1 << G; mask++) {
    const cols: number[] = [];
    let k = 0;
    for (let c = 0; c < P; c++) if (mask & (1 << owner[c])) cols.push(c);
    for (let q = 0; q < G; q++) if (mask & (1 << q)) k++;
    let r2 = 0;
    if (cols.length > 0) {
      // R² = yᵀX(XᵀX)⁻¹Xᵀy / yᵀy by a Cholesky solve of the subset's Gram matrix.
      const m = cols.length;
      const L = new Float64Array(m * m);
      let ok = true;
      for (let a = 0; a < m && ok; a++) {
        for (let b = 0; b <= a; b++) {
          let v = gram[cols[a] * P + cols[b]];
          for (let c = 0; c < b; c++) v -= L[a * m + c] * L[b * m + c];
          if (a === b) {
            if (!(v > 1e-10 * gram[cols[a] * P + cols[a]])) { ok = false; break; }
            L[a * m + a] = Math.sqrt(v);
          } else L[a * m + b] = v / L[b * m + b];
        }
      }
      if (!ok) continue; // a collinear subset carries no posterior mass of its own
      const z = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        let v = xty[cols[a]];
        for (let c = 0; c < a; c++) v -= L[a * m + c] * z[c];
        z[a] = v / L[a * m + a];
      }
      let explained = 0;
      for (let a = 0; a < m; a++) explained += z[a] * z[a];
      r2 = Math.min(explained / yty, 1 - 1e-12);
    }
    const logMarginal = ((dof - cols.length) / 2) * Math.log(1 + g) - (dof / 2) * Math.log(1 + g * (1 - r2));
    const logPost = logMarginal + logPrior(k);
    for (let q = 0; q < G; q++) (mask & (1 << q) ? included : excluded)[q].push(logPost);
  }
  return groups.map((_, q) => logSumExp(included[q]) - logSumExp(excluded[q]));
}

/**
 * Learns a sparse Granger-causal graph between series (channels and outcome) jointly with each source's
 * carryover and saturation, by a group lasso path (see the module comment). Returns edge scores for
 * ranking (AUROC) and the BIC-selected graph. Taught in the chapter "Learning causal structure".
 */
export function learnChannelGraph(seriesIn: MultivariateSeries, options: ChannelGraphLearnerOptions = {}): ChannelGraphFit {
  const {
    ownLags = 2, decays = [0, 0.2, 0.4, 0.6, 0.8], hillSlopes = [2], shapes = 'profile', adaptive = false, posterior = false, pathLength = 30, minRatio = 0.01,
    maxSweeps = 500, tolerance = 1e-6, candidate,
  } = options;
  if (!Number.isInteger(ownLags) || ownLags < 0) throw new InvalidInputError('ownLags', `expected an integer ≥ 0, got ${ownLags}`);
  if (decays.length === 0 || decays.some((d) => !(d >= 0 && d < 1))) throw new InvalidInputError('decays', 'expected a non-empty list of rates in [0, 1)');
  if (hillSlopes.some((s) => !(s > 0))) throw new InvalidInputError('hillSlopes', 'expected positive slopes');
  if (!Number.isInteger(pathLength) || pathLength < 2) throw new InvalidInputError('pathLength', `expected an integer ≥ 2, got ${pathLength}`);
  if (!(minRatio > 0 && minRatio < 1)) throw new InvalidInputError('minRatio', `expected a number in (0, 1), got ${minRatio}`);
  const series = readSeries(seriesIn, 'series', 10);
  const V = series.length;
  const start = Math.max(1, ownLags);
  const n = series[0].length - start;
  if (shapes !== 'profile' && shapes !== 'dictionary') throw new InvalidInputError('shapes', `expected "profile" or "dictionary", got ${String(shapes)}`);
  const groupSize = shapes === 'profile' ? 1 : decays.length * (1 + hillSlopes.length);
  if (n <= 1 + ownLags + groupSize) throw new InvalidInputError('series', `${series[0].length} steps are too few for ${ownLags} own lags and ${groupSize} columns per source`);
  const warnings: string[] = [];
  let dictionaries = series.map((x) => sourceDictionary(x, start, decays, hillSlopes));
  const ownBases = series.map((_, j) => ownPastBasis(series[j], start, ownLags, n));
  const decay: number[] = [], saturatedInput: boolean[] = [];
  if (shapes === 'profile') {
    const chosen = chooseProfiles(dictionaries, ownBases, series, start, decays, hillSlopes);
    dictionaries = chosen.inputs.map((c) => [c]);
    decay.push(...chosen.decay);
    saturatedInput.push(...chosen.saturated);
  }
  const score = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  const selected = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  const penalty: number[] = [];
  const edgeLogOdds = posterior ? Array.from({ length: V }, () => new Array<number>(V).fill(-Infinity)) : null;

  for (let j = 0; j < V; j++) {
    // Frisch–Waugh: partial the unpenalized intercept and own lags out of the target and every group.
    const Qz = ownBases[j];
    const yRaw = residualize(Qz, series[j].subarray(start));
    let ss = 0;
    for (let t = 0; t < n; t++) ss += yRaw[t] * yRaw[t];
    const sd = Math.sqrt(ss / n);
    if (!(sd > 0)) {
      warnings.push(`series[${j}]: fitted exactly by its own past; no edges into it can be scored`);
      penalty.push(0);
      continue;
    }
    const y = yRaw.map((v) => v / sd); // unit scale, so that penalties are comparable across targets
    const sources: number[] = [];
    const groups: Float64Array[][] = [];
    for (let i = 0; i < V; i++) {
      if (i === j || (candidate && !candidate(i, j))) continue;
      const basis = groupBasis(dictionaries[i].map((c) => residualize(Qz, c)), n);
      if (basis.length === 0) { warnings.push(`series[${i}] -> series[${j}]: the source is constant after removing the target's own past; scored 0`); continue; }
      sources.push(i);
      groups.push(basis);
    }
    const G = groups.length;
    if (G === 0) { penalty.push(0); continue; }
    if (edgeLogOdds) {
      if (G > 12) throw new InvalidInputError('posterior', `enumerating parent sets needs at most 12 candidate sources per target; series[${j}] has ${G}`);
      const logOdds = modelAveragedEdges(groups, y, n - 1 - ownLags);
      for (let g = 0; g < G; g++) edgeLogOdds[sources[g]][j] = logOdds[g];
    }
    const beta = groups.map((g) => new Float64Array(g.length));
    const r = Float64Array.from(y);
    const corr = (g: number): Float64Array => {
      const basis = groups[g];
      const z = new Float64Array(basis.length);
      for (let c = 0; c < basis.length; c++) {
        let s = 0;
        const b = basis[c];
        for (let t = 0; t < n; t++) s += b[t] * r[t];
        z[c] = s / n + beta[g][c];
      }
      return z;
    };
    let weight = groups.map((g) => Math.sqrt(g.length));
    if (adaptive) {
      // Adaptive group lasso (Wang & Leng 2008): penalty weights 1/‖β̂_g‖ from the unpenalized fit with
      // every source, so that groups with a strong conditional effect are shrunk less; this restores
      // consistent selection when sources are correlated (as a parent and its own parents are).
      const cols = groups.reduce((c, g) => c + g.length, 0);
      if (n > cols + 1) {
        const X = matrix(n, cols);
        let c0 = 0;
        for (const g of groups) {
          for (const b of g) { for (let t = 0; t < n; t++) X.data[t * cols + c0] = b[t]; c0++; }
        }
        try {
          const full = ols(X, y, { refine: false, intercept: false });
          let c1 = 0;
          weight = groups.map((g) => {
            let nb = 0;
            for (let c = 0; c < g.length; c++, c1++) nb += full.coefficients[c1] * full.coefficients[c1];
            return Math.sqrt(g.length) / Math.max(Math.sqrt(nb), 1e-8);
          });
        } catch {
          warnings.push(`series[${j}]: the sources are collinear; the adaptive weights were not used for this target`);
        }
      } else {
        warnings.push(`series[${j}]: too few observations for the unpenalized fit; the adaptive weights were not used for this target`);
      }
    }
    let lambdaMax = 0;
    for (let g = 0; g < G; g++) {
      const z = corr(g);
      let nz = 0;
      for (const v of z) nz += v * v;
      lambdaMax = Math.max(lambdaMax, Math.sqrt(nz) / weight[g]);
    }
    const best = new Float64Array(G);
    let bestBic = Infinity, bestLambda = lambdaMax, bestActive: boolean[] = new Array<boolean>(G).fill(false);
    for (let k = 0; k < pathLength; k++) {
      const lambda = lambdaMax * Math.pow(minRatio, k / (pathLength - 1));
      let sweep = 0;
      for (; sweep < maxSweeps; sweep++) {
        let change = 0;
        for (let g = 0; g < G; g++) {
          const z = corr(g);
          let nz = 0;
          for (const v of z) nz += v * v;
          const norm = Math.sqrt(nz);
          const shrink = norm > lambda * weight[g] ? 1 - (lambda * weight[g]) / norm : 0;
          const basis = groups[g];
          for (let c = 0; c < basis.length; c++) {
            const delta = shrink * z[c] - beta[g][c];
            if (delta === 0) continue;
            change = Math.max(change, Math.abs(delta));
            beta[g][c] += delta;
            const b = basis[c];
            for (let t = 0; t < n; t++) r[t] -= delta * b[t];
          }
        }
        if (change < tolerance) break;
      }
      if (sweep === maxSweeps) warnings.push(`series[${j}]: block coordinate descent stopped after ${maxSweeps} sweeps at penalty ${lambda.toPrecision(3)}`);
      let rss = 0, df = 0;
      const active: boolean[] = [];
      for (let t = 0; t < n; t++) rss += r[t] * r[t];
      for (let g = 0; g < G; g++) {
        const on = beta[g].some((v) => v !== 0);
        active.push(on);
        if (on) df += beta[g].length;
        // The entry score: λ while the group is in; otherwise the KKT quantity ‖X_gᵀr‖/(n w_g) < λ, the
        // penalty at which it would enter were the others held fixed.
        let s: number;
        if (on) s = lambda;
        else {
          const z = corr(g);
          let nz = 0;
          for (const v of z) nz += v * v;
          s = Math.sqrt(nz) / weight[g];
        }
        if (s > best[g]) best[g] = s;
      }
      const bic = n * Math.log(rss / n) + Math.log(n) * df;
      if (bic < bestBic) { bestBic = bic; bestLambda = lambda; bestActive = active; }
      // Once every group is in, no score can change further along the path.
      if (active.every(Boolean)) break;
    }
    for (let g = 0; g < G; g++) {
      score[sources[g]][j] = best[g];
      selected[sources[g]][j] = bestActive[g] ? 1 : 0;
    }
    penalty.push(bestLambda);
  }
  return { score, edgeLogOdds, selected, penalty, groupSize, decay, saturated: saturatedInput, warnings };
}

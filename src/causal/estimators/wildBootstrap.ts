/**
 * The restricted wild cluster bootstrap (WCR) of a cluster-robust Wald test of R b = r in a linear model:
 * Cameron, Gelbach & Miller (2008), MacKinnon & Webb (2017, "Wild bootstrap inference for wildly
 * different cluster sizes"), computed as in Roodman, MacKinnon, Nielsen & Webb (2019, "Fast and wild:
 * bootstrap inference in Stata using boottest"). Taught in the chapter "The causal ladder", section
 * "Geo experiment, difference-in-differences".
 *
 * Why: the clustered Wald statistic referred to F(q, G − 1) assumes the clustered covariance is close to
 * the truth. With few clusters, or few treated ones, or many restrictions beside G, it is not, and the test
 * over-rejects a true null. The bootstrap instead builds the statistic's null distribution from the data:
 * impose H0, keep each cluster's restricted residuals together, flip their sign (or scale them) by one
 * random weight per cluster, and recompute the same statistic.
 *
 * The algebra that makes each replication cost O(G² q) rather than a refit: with B = (XᵀX)⁻¹, restricted
 * coefficients β̃ and residuals ũ, and y* = Xβ̃ + v ∘ ũ (one weight v_g per cluster),
 *   R b* − r = Σ_g v_g c_g,                    c_g = R B X_gᵀ ũ_g,
 *   R B s*_h = Σ_g v_g (δ_hg c_g − R B X_hᵀX_h B X_gᵀ ũ_g)   (s*_h the bootstrap score of cluster h),
 * so the bootstrap Wald statistic W* = (R b* − r)ᵀ (factor · Σ_h (R B s*_h)(R B s*_h)ᵀ)⁻¹ (R b* − r) needs
 * only G² q-vectors computed once.
 */
import jStat from 'jstat';
import { DimensionMismatchError, InvalidInputError, SingularMatrixError } from '../../errors';
import { cholesky, choleskySolve, matrix, type Matrix } from '../../linalg/index';
import { integer } from '../../random/variates';
import { createRng } from '../../random/generator';
import { linearFit, type ClusterAdjustment, type LinearFit } from './regression';

/** Bootstrap weight distributions: Rademacher ±1 (each 1/2); Webb's six points ±√½, ±1, ±√(3/2) (each 1/6). */
export type WildWeights = 'rademacher' | 'webb';

export interface WildClusterBootstrapOptions {
  /** Cluster label of every row. */
  clusters: readonly (string | number)[];
  /** R: the q × p restriction matrix, as q rows of p numbers (or a Matrix). */
  restrictions: readonly (readonly number[])[] | Matrix;
  /** r: the q restricted values; default all zero. */
  values?: readonly number[];
  /** Bootstrap replications B; default 999. When (number of weight values)^G ≤ B every weight vector is enumerated instead. */
  replications?: number;
  /** Default 'rademacher'; 'webb' is recommended with fewer than 12 clusters (Webb 2023). */
  weights?: WildWeights;
  seed?: number | string;
  /**
   * Small-sample factor of the clustered covariance; default 'stata', the CR1 factor G/(G − 1)·(n − 1)/(n − K)
   * of sandwich::vcovCL(type = "HC1"). The bootstrap p-value does not depend on it (W and every W* scale
   * alike); the Wald statistic and its F test do.
   */
  clusterAdjustment?: ClusterAdjustment;
}

export interface WildClusterBootstrapResult {
  /** Cluster-robust Wald statistic (R b − r)ᵀ (R V Rᵀ)⁻¹ (R b − r). */
  wald: number;
  /** Number of restrictions. */
  q: number;
  /** Number of clusters. */
  clusters: number;
  /** The asymptotic reference: F = W/q against F(q, G − 1), as fixest and Stata do. */
  f: number;
  df1: number;
  df2: number;
  fPValue: number;
  /** The WCR bootstrap p-value: share of bootstrap statistics ≥ the observed one. */
  pValue: number;
  /** Bootstrap statistics computed (2^G, or 6^G, when enumerated). */
  replications: number;
  /** Every weight vector was used: the p-value is exact for the bootstrap distribution, with no seed effect. */
  enumerated: boolean;
  weights: WildWeights;
  /** The bootstrap Wald statistics, in draw (or enumeration) order. */
  statistics: Float64Array;
  coefficients: Float64Array;
  /** The fit under H0 (R β̃ = r exactly, up to rounding), whose residuals the bootstrap perturbs. */
  restrictedCoefficients: Float64Array;
  warnings: string[];
}

const RADEMACHER = [1, -1];
// Webb (2023): six points, mean 0, variance 1, fourth moment 7/6; breaks the ±v symmetry's coarseness.
const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

/**
 * Bootstrap statistics within this relative distance of the observed one are ties and count as ≥. W* is
 * unchanged when v is multiplied by any constant (numerator and covariance are both quadratic in v), so
 * every constant weight vector (±1, and Webb's ±√½, ±√(3/2)) reproduces W exactly in exact arithmetic
 * but only up to rounding in floating point; the tolerance makes such ties count whatever the rounding.
 * Other statistics lie this close to W with negligible probability. The R reference uses the same rule.
 */
const TIE = 1e-9;

/** Below this many clusters Rademacher weights give coarse p-values (at most 2^(G−1) distinct statistics). */
const SMALL_G_RADEMACHER = 12;
const SMALL_G_WEBB = 5;

function restrictionMatrix(R: WildClusterBootstrapOptions['restrictions'], p: number): Matrix {
  let rows: number, data: Float64Array;
  if (R !== null && typeof R === 'object' && 'data' in R && 'rows' in R && 'cols' in R) {
    const m = R as Matrix;
    if (m.cols !== p) throw new DimensionMismatchError('restrictions', `has ${m.cols} columns; X has ${p}`);
    rows = m.rows;
    data = Float64Array.from(m.data);
  } else {
    if (!Array.isArray(R)) throw new InvalidInputError('restrictions', 'expected q rows of p numbers, or a Matrix');
    const list = R as readonly (readonly number[])[];
    rows = list.length;
    data = new Float64Array(rows * p);
    list.forEach((row, i) => {
      if (!row || row.length !== p) throw new DimensionMismatchError('restrictions', `row ${i} has ${row ? row.length : 0} entries; X has ${p} columns`);
      for (let j = 0; j < p; j++) data[i * p + j] = row[j];
    });
  }
  if (rows === 0) throw new InvalidInputError('restrictions', 'has no rows (q = 0): there is no hypothesis to test');
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) throw new InvalidInputError('restrictions', `entry (${Math.floor(k / p)}, ${k % p}) is ${data[k]}; expected a finite number`);
  }
  return { rows, cols: p, data };
}

/** x ᵀ A⁻¹ x for symmetric positive definite A (q × q, row-major) by an in-place Cholesky; null if not PD. */
function quadraticInverse(A: Float64Array, x: Float64Array, q: number, work: Float64Array): number | null {
  // work holds L (lower triangle) then z = L⁻¹ x.
  let scale = 0;
  for (let i = 0; i < q; i++) scale = Math.max(scale, Math.abs(A[i * q + i]));
  const tiny = q * Number.EPSILON * scale;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * q + j];
      for (let k = 0; k < j; k++) s -= work[i * q + k] * work[j * q + k];
      if (i === j) {
        if (!(s > tiny)) return null;
        work[i * q + i] = Math.sqrt(s);
      } else {
        work[i * q + j] = s / work[j * q + j];
      }
    }
  }
  let out = 0;
  for (let i = 0; i < q; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= work[i * q + k] * work[q * q + k];
    const z = s / work[i * q + i];
    work[q * q + i] = z;
    out += z * z;
  }
  return out;
}

/**
 * Tests H0: R β = r in y = Xβ + ε with a cluster-robust (CR1 by default) Wald statistic, and gets its
 * p-value from the restricted wild cluster bootstrap: fit under H0, multiply each cluster's restricted
 * residuals by one weight (Rademacher or Webb), recompute the Wald statistic, count how often it reaches
 * the observed one. Enumerates every weight vector when there are no more than `replications` of them
 * (as boottest does), so the p-value is then exact and seed-free. Also returns the F(q, G − 1) test for
 * comparison. Chapter "The causal ladder".
 */
export function wildClusterBootstrap(X: Matrix, y: Float64Array, options: WildClusterBootstrapOptions): WildClusterBootstrapResult {
  return run(X, y, options, null);
}

/**
 * `wildClusterBootstrap` for an estimator that has already fitted y on X with `linearFit` clustered by
 * `options.clusters` with `options.clusterAdjustment` (as `eventStudy` has), so the design is factored
 * once. Chapter "The causal ladder".
 */
export function wildClusterBootstrapWithFit(X: Matrix, y: Float64Array, fit: LinearFit, options: WildClusterBootstrapOptions): WildClusterBootstrapResult {
  if (fit.coefficients.length !== X.cols || fit.residuals.length !== X.rows || fit.clusters === undefined) {
    throw new DimensionMismatchError('fit', 'is not a clustered linearFit of this X');
  }
  return run(X, y, options, fit);
}

function run(X: Matrix, y: Float64Array, options: WildClusterBootstrapOptions, given: LinearFit | null): WildClusterBootstrapResult {
  const n = X.rows, p = X.cols;
  if (y.length !== n) throw new DimensionMismatchError('y', `X has ${n} rows but y has ${y.length} entries`);
  const labels = options.clusters;
  if (!labels || labels.length !== n) throw new DimensionMismatchError('clusters', `has ${labels ? labels.length : 0} labels; X has ${n} rows`);
  const index = new Map<string | number, number>();
  labels.forEach((l) => index.has(l) || index.set(l, index.size));
  const G = index.size;
  if (G < 2) throw new InvalidInputError('clusters', `has ${G} cluster; a cluster-robust test needs at least two (and the bootstrap far more)`);
  const cluster = Int32Array.from(labels, (l) => index.get(l) as number);
  const Rm = restrictionMatrix(options.restrictions, p);
  const q = Rm.rows;
  const r = options.values === undefined ? new Float64Array(q) : Float64Array.from(options.values);
  if (r.length !== q) throw new DimensionMismatchError('values', `has ${r.length} entries; there are ${q} restrictions`);
  r.forEach((v, i) => { if (!Number.isFinite(v)) throw new InvalidInputError('values', `entry ${i} is ${v}; expected a finite number`); });
  const B = options.replications ?? 999;
  if (!Number.isInteger(B) || B < 1) throw new InvalidInputError('replications', `expected a positive integer, got ${B}`);
  const weights = options.weights ?? 'rademacher';
  if (weights !== 'rademacher' && weights !== 'webb') throw new InvalidInputError('weights', `expected 'rademacher' or 'webb', got ${JSON.stringify(weights)}`);
  const adjust = options.clusterAdjustment ?? 'stata';
  // The unrestricted fit (a rank-deficient X is a SingularMatrixError from ols) and its clustered covariance.
  const fit = given ?? linearFit(X, y, { clusters: labels, clusterAdjustment: adjust });
  if (fit.clusters !== G) throw new DimensionMismatchError('fit', `was clustered into ${fit.clusters} groups; clusters has ${G}`);
  return bootstrapFromFit(X, y, fit, cluster, G, Rm, r, B, weights, adjust, options.seed);
}

/**
 * The bootstrap given the unrestricted fit `fit` of y on X, clustered by `cluster` (indices 0..G−1 in order
 * of first appearance) with adjustment `adjust`; inputs already checked.
 */
function bootstrapFromFit(
  X: Matrix, y: Float64Array, fit: LinearFit, cluster: Int32Array, G: number, Rm: Matrix, r: Float64Array,
  B: number, weights: WildWeights, adjust: ClusterAdjustment, seed: number | string | undefined,
): WildClusterBootstrapResult {
  const n = X.rows, p = X.cols, q = Rm.rows;
  const b = fit.coefficients, Bd = fit.bread.data;
  const factor = adjust === 'none' ? 1 : adjust === 'clusters' ? G / (G - 1) : (G / (G - 1)) * ((n - 1) / (n - p));

  // RB = R (XᵀX)⁻¹ (q × p); d = R b − r.
  const RB = new Float64Array(q * p);
  for (let i = 0; i < q; i++) for (let l = 0; l < p; l++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += Rm.data[i * p + j] * Bd[j * p + l];
    RB[i * p + l] = s;
  }
  const d = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = -r[i];
    for (let j = 0; j < p; j++) s += Rm.data[i * p + j] * b[j];
    d[i] = s;
  }
  const RBRt = matrix(q, q);
  for (let i = 0; i < q; i++) for (let k = 0; k < q; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += RB[i * p + j] * Rm.data[k * p + j];
    RBRt.data[i * q + k] = s;
  }
  symmetrize(RBRt);
  let LB: Matrix;
  try { LB = cholesky(RBRt); } catch (e) {
    throw new SingularMatrixError('restrictions', 'the rows of R are linearly dependent (R (XᵀX)⁻¹ Rᵀ is singular): drop the redundant restrictions');
  }

  // Restricted fit: β̃ = b − B Rᵀ (R B Rᵀ)⁻¹ (R b − r), the least squares fit subject to R β = r.
  const lambda = choleskySolve(LB, d);
  const restricted = Float64Array.from(b);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < q; i++) s += RB[i * p + j] * lambda[i];
    restricted[j] -= s;
  }
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let j = 0; j < p; j++) s -= X.data[i * p + j] * restricted[j];
    u[i] = s;
  }

  // Per cluster: Xgᵀ ũ_g (p), a_g = B Xgᵀ ũ_g, c_g = R a_g; M_h = R B X_hᵀ X_h (q × p).
  const Xu = new Float64Array(G * p);
  const M = new Float64Array(G * q * p);
  const z = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const g = cluster[i], row = i * p;
    for (let j = 0; j < p; j++) Xu[g * p + j] += X.data[row + j] * u[i];
    for (let k = 0; k < q; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += RB[k * p + j] * X.data[row + j];
      z[k] = s;
    }
    for (let k = 0; k < q; k++) {
      const zk = z[k];
      if (zk === 0) continue;
      const base = (g * q + k) * p;
      for (let j = 0; j < p; j++) M[base + j] += zk * X.data[row + j];
    }
  }
  const a = new Float64Array(G * p);
  const c = new Float64Array(G * q);
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += Bd[j * p + l] * Xu[g * p + l];
      a[g * p + j] = s;
    }
    for (let k = 0; k < q; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += RB[k * p + j] * Xu[g * p + j];
      c[g * q + k] = s;
    }
  }
  // E[h][g] = δ_hg c_g − M_h a_g: the score of cluster h (premultiplied by R B) per unit weight on cluster g.
  const E = new Float64Array(G * G * q);
  for (let h = 0; h < G; h++) for (let g = 0; g < G; g++) {
    const base = (h * G + g) * q;
    for (let k = 0; k < q; k++) {
      let s = h === g ? c[g * q + k] : 0;
      const mb = (h * q + k) * p;
      for (let j = 0; j < p; j++) s -= M[mb + j] * a[g * p + j];
      E[base + k] = s;
    }
  }

  const num = new Float64Array(q), t = new Float64Array(q), S = new Float64Array(q * q), work = new Float64Array(q * q + q);
  let singular = 0;
  const statistic = (v: Float64Array): number => {
    num.fill(0);
    S.fill(0);
    for (let g = 0; g < G; g++) for (let k = 0; k < q; k++) num[k] += v[g] * c[g * q + k];
    for (let h = 0; h < G; h++) {
      t.fill(0);
      for (let g = 0; g < G; g++) {
        const vg = v[g], base = (h * G + g) * q;
        for (let k = 0; k < q; k++) t[k] += vg * E[base + k];
      }
      for (let i = 0; i < q; i++) for (let k = 0; k <= i; k++) S[i * q + k] += t[i] * t[k];
    }
    for (let i = 0; i < q; i++) for (let k = 0; k <= i; k++) S[i * q + k] *= factor;
    const w = quadraticInverse(S, num, q, work);
    if (w === null) { singular++; return Infinity; }
    return w;
  };

  // The observed statistic through the same arithmetic (v = 1 gives y* = y, and the scores s_h of the
  // data): the identity draw and its mirror then tie with it bit for bit (they count as ≥, as in
  // boottest), and `wald` uses `adjust` whatever covariance a given fit carries.
  const ones = new Float64Array(G).fill(1);
  const wald = statistic(ones);
  if (!Number.isFinite(wald)) {
    throw new SingularMatrixError('restrictions', `the clustered covariance of R b is singular: q = ${q} restrictions cannot be tested with ${G} clusters (its rank is at most G − 1, less with fixed effects the clusters share)`);
  }
  singular = 0;

  const support = weights === 'rademacher' ? RADEMACHER : WEBB;
  const m = support.length;
  const total = Math.pow(m, G);
  const enumerated = total <= B;
  const count = enumerated ? total : B;
  const statistics = new Float64Array(count);
  const v = new Float64Array(G);
  if (enumerated) {
    // Vector k: digit g of k in base m picks support[digit] for cluster g (clusters in order of first appearance).
    for (let k = 0; k < count; k++) {
      let x = k;
      for (let g = 0; g < G; g++) { v[g] = support[x % m]; x = Math.floor(x / m); }
      statistics[k] = statistic(v);
    }
  } else {
    const rng = createRng(seed ?? 'wildClusterBootstrap');
    for (let k = 0; k < count; k++) {
      for (let g = 0; g < G; g++) v[g] = support[integer(rng, m)];
      statistics[k] = statistic(v);
    }
  }
  let exceed = 0;
  const threshold = wald * (1 - TIE);
  for (let k = 0; k < count; k++) if (statistics[k] >= threshold) exceed++;

  const warnings = [...fit.warnings];
  if (weights === 'rademacher' && G < SMALL_G_RADEMACHER) {
    warnings.push(`clusters: only ${G}; Rademacher weights give at most 2^${G - 1} = ${2 ** (G - 1)} distinct bootstrap statistics, so the p-value is coarse (steps of 1/${2 ** G}, never below ${2}/${2 ** G}); with fewer than ${SMALL_G_RADEMACHER} clusters use weights: 'webb' (Webb 2023)`);
  } else if (weights === 'webb' && G < SMALL_G_WEBB) {
    warnings.push(`clusters: only ${G}; even Webb's six-point weights give at most ${total / 2} distinct bootstrap statistics, so the p-value is coarse`);
  }
  if (singular > 0) {
    warnings.push(`${singular} of ${count} bootstrap draws gave a singular clustered covariance of R b*; they were counted as exceeding the observed statistic (conservative)`);
  }
  const f = wald / q;
  return {
    wald, q, clusters: G, f, df1: q, df2: G - 1, fPValue: 1 - jStat.centralF.cdf(f, q, G - 1),
    pValue: exceed / count, replications: count, enumerated, weights, statistics,
    coefficients: Float64Array.from(b), restrictedCoefficients: restricted, warnings,
  };
}

function symmetrize(A: Matrix): void {
  const q = A.rows;
  for (let i = 0; i < q; i++) for (let k = 0; k < i; k++) {
    const s = 0.5 * (A.data[i * q + k] + A.data[k * q + i]);
    A.data[i * q + k] = s;
    A.data[k * q + i] = s;
  }
}

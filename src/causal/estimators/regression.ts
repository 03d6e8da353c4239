/**
 * Least squares with the variances the causal ladder needs: classical, heteroskedasticity-robust
 * (White's HC0 and its HC1–HC3 variants, MacKinnon & White 1985) and clustered (Liang & Zeger 1986)
 * sandwiches, with optional row weights. The fit itself is `ols` from src/linalg (pivoted QR).
 * Taught in the chapter "The causal ladder on real data".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { matrix, multiply, ols, type Matrix } from '../../linalg/index';

export type VarianceType = 'classical' | 'HC0' | 'HC1' | 'HC2' | 'HC3';

/**
 * Small-sample factor for clustered variances, applied to the CR0 sandwich:
 * `'none'` 1; `'clusters'` G/(G − 1) (R's sandwich::vcovCL with type HC0, cadjust TRUE);
 * `'stata'` G/(G − 1) · (n − 1)/(n − K) with K every estimated coefficient (Stata's `regress, cluster`).
 */
export type ClusterAdjustment = 'none' | 'clusters' | 'stata';

export interface LinearFitOptions {
  variance?: VarianceType;
  /** Cluster label of every row: gives the clustered (CR) variance instead of `variance`. */
  clusters?: readonly (string | number)[];
  clusterAdjustment?: ClusterAdjustment;
  /** Non-negative row weights (weighted least squares); the sandwich uses the weighted scores. */
  weights?: ArrayLike<number>;
}

export interface LinearFit {
  coefficients: Float64Array;
  covariance: Matrix;
  standardErrors: Float64Array;
  /** y − Xb (unweighted). */
  residuals: Float64Array;
  /** Residual degrees of freedom n − p (or G − 1 for a clustered variance, the t reference of fixest and Stata). */
  df: number;
  n: number;
  /** Number of clusters, when clustered. */
  clusters?: number;
  /** (XᵀWX)⁻¹. */
  bread: Matrix;
  warnings: string[];
}

/** Fits y = Xb by (weighted) least squares and returns b with the chosen variance. */
export function linearFit(X: Matrix, y: Float64Array, options: LinearFitOptions = {}): LinearFit {
  const n = X.rows, p = X.cols;
  if (y.length !== n) throw new DimensionMismatchError('y', `X has ${n} rows but y has ${y.length} entries`);
  if (n <= p) throw new InvalidInputError('rows', `${n} observations cannot estimate ${p} coefficients with a variance`);
  const w = options.weights;
  let Xw = X, yw = y;
  if (w !== undefined) {
    if (w.length !== n) throw new DimensionMismatchError('weights', `has ${w.length} entries; there are ${n} rows`);
    Xw = matrix(n, p);
    yw = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new InvalidInputError('weights', `entry ${i} is ${w[i]}; expected a finite number ≥ 0`);
      const s = Math.sqrt(w[i]);
      yw[i] = s * y[i];
      for (let j = 0; j < p; j++) Xw.data[i * p + j] = s * X.data[i * p + j];
    }
  }
  const fit = ols(Xw, yw);
  const b = fit.coefficients;
  const bread = fit.unscaledCovariance;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let j = 0; j < p; j++) s -= X.data[i * p + j] * b[j];
    residuals[i] = s;
  }
  const weightOf = (i: number) => (w === undefined ? 1 : w[i]);
  let covariance: Matrix;
  let df = n - p;
  let G: number | undefined;
  if (options.clusters !== undefined) {
    const labels = options.clusters;
    if (labels.length !== n) throw new DimensionMismatchError('clusters', `has ${labels.length} labels; there are ${n} rows`);
    const index = new Map<string | number, number>();
    labels.forEach((l) => index.has(l) || index.set(l, index.size));
    G = index.size;
    if (G < 2) throw new InvalidInputError('clusters', 'a clustered variance needs at least two clusters');
    const scores = matrix(G, p);
    for (let i = 0; i < n; i++) {
      const g = index.get(labels[i]) as number;
      const u = weightOf(i) * residuals[i];
      for (let j = 0; j < p; j++) scores.data[g * p + j] += u * X.data[i * p + j];
    }
    const adjust = options.clusterAdjustment ?? 'clusters';
    const factor = adjust === 'none' ? 1 : adjust === 'clusters' ? G / (G - 1) : (G / (G - 1)) * ((n - 1) / (n - p));
    covariance = sandwich(bread, scores, factor);
    df = G - 1;
  } else {
    const type = options.variance ?? 'classical';
    if (type === 'classical') {
      let rss = 0;
      for (let i = 0; i < n; i++) rss += weightOf(i) * residuals[i] ** 2;
      const s2 = rss / (n - p);
      covariance = matrix(p, p, bread.data.map((v) => v * s2));
    } else {
      const scores = matrix(n, p);
      for (let i = 0; i < n; i++) {
        let scale = weightOf(i) * residuals[i];
        if (type === 'HC2' || type === 'HC3') {
          // Leverage h_ii = w_i x_iᵀ (XᵀWX)⁻¹ x_i.
          let h = 0;
          for (let j = 0; j < p; j++) {
            let s = 0;
            for (let l = 0; l < p; l++) s += bread.data[j * p + l] * X.data[i * p + l];
            h += X.data[i * p + j] * s;
          }
          h *= weightOf(i);
          scale /= type === 'HC2' ? Math.sqrt(1 - h) : 1 - h;
        }
        for (let j = 0; j < p; j++) scores.data[i * p + j] = scale * X.data[i * p + j];
      }
      covariance = sandwich(bread, scores, type === 'HC1' ? n / (n - p) : 1);
    }
  }
  const standardErrors = new Float64Array(p);
  for (let j = 0; j < p; j++) standardErrors[j] = Math.sqrt(covariance.data[j * p + j]);
  return { coefficients: b, covariance, standardErrors, residuals, df, n, clusters: G, bread, warnings: [...fit.warnings] };
}

/** factor · B (SᵀS) B, the sandwich with bread B and score rows S. */
export function sandwich(bread: Matrix, scores: Matrix, factor: number): Matrix {
  const p = bread.rows;
  const meat = matrix(p, p);
  for (let r = 0; r < scores.rows; r++) {
    for (let j = 0; j < p; j++) {
      const a = scores.data[r * p + j];
      if (a === 0) continue;
      for (let l = 0; l < p; l++) meat.data[j * p + l] += a * scores.data[r * p + l];
    }
  }
  const out = multiply(multiply(bread, meat), bread);
  return matrix(p, p, out.data.map((v) => v * factor));
}

/** The design matrix [1, columns...] from numeric columns. */
export function designMatrix(columns: readonly Float64Array[], intercept = true): Matrix {
  const n = columns.length ? columns[0].length : 0;
  const p = columns.length + (intercept ? 1 : 0);
  const X = matrix(n, p);
  for (let i = 0; i < n; i++) {
    let j = 0;
    if (intercept) X.data[i * p + j++] = 1;
    for (const c of columns) X.data[i * p + j++] = c[i];
  }
  return X;
}

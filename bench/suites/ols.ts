// Least squares on a seeded 10,000 × 50 design (an intercept and 49 correlated Gaussian predictors):
// ours (the bare pivoted Householder solve, and the full `ols` with refinement, standard errors and R²)
// against ml-matrix's QrDecomposition(X).solve(y) of the same problem, timed in the same run.
import { Matrix as MlMatrix, QrDecomposition } from 'ml-matrix';
import { createRng, leastSquares, matrix, ols, standardNormal } from '../../src/index';
import { report, time } from '../timing';

export default function olsBench(): void {
  const n = 10_000, p = 50;
  const rng = createRng(20240601);
  const X = matrix(n, p);
  const y = new Float64Array(n);
  const beta = Float64Array.from({ length: p }, (_, j) => (j % 7) - 3);
  for (let i = 0; i < n; i++) {
    const common = standardNormal(rng);
    X.data[i * p] = 1;
    for (let j = 1; j < p; j++) X.data[i * p + j] = 0.5 * common + standardNormal(rng);
    let s = 0;
    for (let j = 0; j < p; j++) s += X.data[i * p + j] * beta[j];
    y[i] = s + standardNormal(rng);
  }
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.data.subarray(i * p, (i + 1) * p)));
  const mlX = new MlMatrix(rows);
  const mlY = MlMatrix.columnVector(Array.from(y));

  // Same answer first (all three solve the same well-conditioned problem).
  const ours = leastSquares(X, y);
  const full = ols(X, y);
  const theirs = new QrDecomposition(mlX).solve(mlY).getColumn(0);
  let diff = 0;
  for (let j = 0; j < p; j++) diff = Math.max(diff, Math.abs(ours[j] - theirs[j]), Math.abs(full.coefficients[j] - theirs[j]));
  console.log(`${n} × ${p}: max |b_ours − b_ml-matrix| = ${diff.toExponential(2)}; ols refinement used ${full.refinement.iterations} corrections`);

  const peer = time(() => new QrDecomposition(mlX).solve(mlY));
  report('leastSquares (pivoted Householder QR solve)', time(() => leastSquares(X, y)), peer, 'ml-matrix QrDecomposition.solve');
  report('ols (QR + refinement + covariance + summary)', time(() => ols(X, y)), peer, 'ml-matrix QrDecomposition.solve');
}

/**
 * Hamiltonian dynamics with a Euclidean metric, diagonal or dense, and the leapfrog integrator.
 *
 * H(q, p) = V(q) + K(p), with potential V(q) = -log π(q) and kinetic energy K(p) = ½ pᵀ M⁻¹ p, where
 * the inverse metric M⁻¹ is the estimated posterior covariance (Neal 2011, "MCMC using Hamiltonian
 * dynamics"; Betancourt 2017, "A conceptual introduction to HMC", §4). It is passed as one
 * Float64Array whose length says which metric it is (Stan's `diag_e` and `dense_e`):
 *
 * - d values: a diagonal M⁻¹ = diag(inverseMetric), the posterior variances;
 * - d × d values: a dense M⁻¹ = Σ (row-major, symmetric positive definite), the posterior covariance.
 *   With Σ = L Lᵀ (Cholesky), the momentum is p = L⁻ᵀ ξ with ξ ~ N(0, I), so p ~ N(0, Σ⁻¹); the
 *   velocity is M⁻¹ p = Σ p. In the coordinates x = L⁻¹ q the posterior is then (near) white, which is
 *   what a diagonal metric cannot achieve when the parameters are correlated.
 *
 * (For d = 1 the two coincide.) Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 *
 * Everything here works in place on preallocated arrays: one leapfrog step costs one gradient
 * evaluation and no allocation, with either metric.
 */
import { cholesky } from '../linalg/index';
import { standardNormal, type Rng } from '../random/index';
import type { Target } from './target';

/** A point of phase space: position q, momentum p, and the log density and its gradient at q. */
export interface PhasePoint {
  q: Float64Array;
  p: Float64Array;
  gradient: Float64Array;
  logDensity: number;
}

export function createPhasePoint(dimension: number): PhasePoint {
  return {
    q: new Float64Array(dimension),
    p: new Float64Array(dimension),
    gradient: new Float64Array(dimension),
    logDensity: -Infinity,
  };
}

/** Copies `from` into `to` (no allocation). */
export function copyPhasePoint(to: PhasePoint, from: PhasePoint): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.gradient.set(from.gradient);
  to.logDensity = from.logDensity;
}

/** Evaluates the log density and gradient at z.q, in place. */
export function updatePotential(target: Target, z: PhasePoint): void {
  z.logDensity = target.logDensityGradient(z.q, z.gradient);
}

/** True when `inverseMetric` is a dense d × d covariance for momenta of length d (d > 1). Chapter "Hamiltonian Monte Carlo and NUTS". */
export function isDenseMetric(inverseMetric: Float64Array, dimension: number): boolean {
  return dimension > 1 && inverseMetric.length === dimension * dimension;
}

/**
 * The lower Cholesky factor L of a dense inverse metric Σ = L Lᵀ (row-major), or undefined for a
 * diagonal one. Σ's lower triangle is used (Welford's running sums are symmetric only up to rounding).
 * Throws `NotPositiveDefiniteError` when Σ is not positive definite. Chapter "Hamiltonian Monte Carlo and NUTS".
 */
export function metricFactor(inverseMetric: Float64Array, dimension: number): Float64Array | undefined {
  if (!isDenseMetric(inverseMetric, dimension)) return undefined;
  const n = dimension;
  const symmetric = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      symmetric[i * n + j] = inverseMetric[i * n + j];
      symmetric[j * n + i] = inverseMetric[i * n + j];
    }
  }
  return cholesky({ rows: n, cols: n, data: symmetric }).data;
}

/**
 * A kernel's cache of the dense metric's Cholesky factor: `factor(inverseMetric)` refactors only when
 * the values change (compared element by element, O(d²), so that an array changed in place is never
 * used with a stale factor). Allocation happens only then, not per transition. Chapter "Hamiltonian Monte
 * Carlo and NUTS".
 */
export function createMetricCache(dimension: number): (inverseMetric: Float64Array) => Float64Array | undefined {
  let seen: Float64Array | undefined;
  let factor: Float64Array | undefined;
  return (inverseMetric) => {
    if (!isDenseMetric(inverseMetric, dimension)) return undefined;
    let same = seen !== undefined && seen.length === inverseMetric.length;
    for (let i = 0; same && i < inverseMetric.length; i++) same = seen![i] === inverseMetric[i];
    if (!same) {
      factor = metricFactor(inverseMetric, dimension);
      seen = Float64Array.from(inverseMetric);
    }
    return factor;
  };
}

/**
 * Draws p ~ N(0, M). Diagonal: p_i = ξ_i / sqrt(inverseMetric_i). Dense: p = L⁻ᵀ ξ, solving Lᵀ p = ξ
 * in place by back substitution, with `factor` = L (from `metricFactor`; computed here when absent).
 * Either way exactly d standard normals are drawn, in order. Chapter "Hamiltonian Monte Carlo and NUTS".
 */
export function sampleMomentum(rng: Rng, inverseMetric: Float64Array, p: Float64Array, factor?: Float64Array): void {
  const n = p.length;
  if (!isDenseMetric(inverseMetric, n)) {
    for (let i = 0; i < n; i++) p[i] = standardNormal(rng) / Math.sqrt(inverseMetric[i]);
    return;
  }
  const L = factor ?? metricFactor(inverseMetric, n)!;
  for (let i = 0; i < n; i++) p[i] = standardNormal(rng);
  // (Lᵀ)_{ij} = L_{ji}: row i of Lᵀ is column i of L, nonzero for j ≥ i.
  for (let i = n - 1; i >= 0; i--) {
    let s = p[i];
    for (let j = i + 1; j < n; j++) s -= L[j * n + i] * p[j];
    p[i] = s / L[i * n + i];
  }
}

/** K(p) = ½ pᵀ M⁻¹ p: ½ Σ inverseMetric_i p_i² (diagonal) or ½ pᵀ Σ p (dense). Chapter "Hamiltonian Monte Carlo and NUTS". */
export function kineticEnergy(inverseMetric: Float64Array, p: Float64Array): number {
  const n = p.length;
  let k = 0;
  if (!isDenseMetric(inverseMetric, n)) {
    for (let i = 0; i < n; i++) k += inverseMetric[i] * p[i] * p[i];
    return 0.5 * k;
  }
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += inverseMetric[row + j] * p[j];
    k += p[i] * s;
  }
  return 0.5 * k;
}

/** H = -log π(q) + K(p); NaN (an overflowed trajectory) is reported as +Infinity, as Stan does. */
export function hamiltonian(inverseMetric: Float64Array, z: PhasePoint): number {
  const h = -z.logDensity + kineticEnergy(inverseMetric, z.p);
  return Number.isNaN(h) ? Infinity : h;
}

/** The velocity dq/dt = ∂K/∂p = M⁻¹ p (Stan's `dtau_dp`, "p sharp"), into `out` (not aliasing p). Chapter "Hamiltonian Monte Carlo and NUTS". */
export function velocity(inverseMetric: Float64Array, p: Float64Array, out: Float64Array): void {
  const n = p.length;
  if (!isDenseMetric(inverseMetric, n)) {
    for (let i = 0; i < n; i++) out[i] = inverseMetric[i] * p[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += inverseMetric[row + j] * p[j];
    out[i] = s;
  }
}

/**
 * One leapfrog step of size ε (negative ε integrates backwards in time), in place:
 * p ← p + ε/2 ∇log π(q);  q ← q + ε M⁻¹ p;  p ← p + ε/2 ∇log π(q).
 * It is symplectic and time-reversible, so its energy error stays bounded (O(ε²)) instead of drifting.
 */
export function leapfrog(target: Target, inverseMetric: Float64Array, z: PhasePoint, epsilon: number): void {
  const { q, p, gradient } = z;
  const half = 0.5 * epsilon;
  const n = q.length;
  for (let i = 0; i < n; i++) p[i] += half * gradient[i];
  if (!isDenseMetric(inverseMetric, n)) {
    for (let i = 0; i < n; i++) q[i] += epsilon * inverseMetric[i] * p[i];
  } else {
    // q ← q + ε Σ p, row by row: p is not changed meanwhile, so no scratch vector is needed.
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += inverseMetric[row + j] * p[j];
      q[i] += epsilon * s;
    }
  }
  z.logDensity = target.logDensityGradient(q, gradient);
  for (let i = 0; i < n; i++) p[i] += half * gradient[i];
}

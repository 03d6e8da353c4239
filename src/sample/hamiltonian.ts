/**
 * Hamiltonian dynamics with a diagonal ("Euclidean") metric, and the leapfrog integrator.
 *
 * H(q, p) = V(q) + K(p), with potential V(q) = -log π(q) and kinetic energy K(p) = ½ pᵀ M⁻¹ p, where
 * M⁻¹ = diag(inverseMetric) is the estimated posterior variance (Neal 2011, "MCMC using Hamiltonian
 * dynamics"; Betancourt 2017, "A conceptual introduction to HMC", §4). Taught in the chapter
 * "Hamiltonian Monte Carlo and NUTS".
 *
 * Everything here works in place on preallocated arrays: one leapfrog step costs one gradient
 * evaluation and no allocation.
 */
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

/** Draws p ~ N(0, M): p_i = ξ_i / sqrt(inverseMetric_i). */
export function sampleMomentum(rng: Rng, inverseMetric: Float64Array, p: Float64Array): void {
  for (let i = 0; i < p.length; i++) p[i] = standardNormal(rng) / Math.sqrt(inverseMetric[i]);
}

/** K(p) = ½ Σ inverseMetric_i p_i². */
export function kineticEnergy(inverseMetric: Float64Array, p: Float64Array): number {
  let k = 0;
  for (let i = 0; i < p.length; i++) k += inverseMetric[i] * p[i] * p[i];
  return 0.5 * k;
}

/** H = -log π(q) + K(p); NaN (an overflowed trajectory) is reported as +Infinity, as Stan does. */
export function hamiltonian(inverseMetric: Float64Array, z: PhasePoint): number {
  const h = -z.logDensity + kineticEnergy(inverseMetric, z.p);
  return Number.isNaN(h) ? Infinity : h;
}

/** The velocity dq/dt = ∂K/∂p = M⁻¹ p (Stan's `dtau_dp`, "p sharp"), written into `out`. */
export function velocity(inverseMetric: Float64Array, p: Float64Array, out: Float64Array): void {
  for (let i = 0; i < p.length; i++) out[i] = inverseMetric[i] * p[i];
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
  for (let i = 0; i < n; i++) q[i] += epsilon * inverseMetric[i] * p[i];
  z.logDensity = target.logDensityGradient(q, gradient);
  for (let i = 0; i < n; i++) p[i] += half * gradient[i];
}

/**
 * A chain's start from the Laplace approximation at a mode, in the spirit of Pathfinder (Zhang, Carpenter,
 * Gelman & Vehtari 2022, "Pathfinder: parallel quasi-Newton variational inference", JMLR 23(306)), in its
 * simplest form: from the chain's own uniform starting point, L-BFGS climbs to a mode of the log density
 * (on the unconstrained space, where the sampler works); there the posterior is approximated by
 * Normal(mode, H⁻¹), with H the negative Hessian, taken by central differences of the exact gradient. The
 * chain starts at a draw from that Normal, and H⁻¹ is its first inverse metric.
 *
 * Why: Stan's uniform starts on (−2, 2) put a chain far from the posterior, and with the unit metric the
 * first 100 warm-up iterations spend most of their leapfrog steps crossing to it with a tiny step size
 * (chapter 11 measures it on the MMM). A start inside the posterior, with a metric at the posterior's
 * scales, skips that transient; the warm-up windows then adapt as usual. Each chain climbs from its own
 * point and draws its own start, so chains still start apart, and a chain that finds another mode says so
 * through R-hat as it would otherwise.
 *
 * Not for every model: a funnel (centered hierarchical model) has no useful mode, and the Normal
 * approximation can be poor for strongly skewed posteriors. When L-BFGS does not converge or H is not
 * positive definite, the chain keeps its uniform start and the unit metric, with a warning.
 *
 * Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 */
import { cholesky, choleskyInverse } from '../linalg/cholesky';
import { matrix, type Matrix } from '../linalg/matrix';
import { solveLowerTriangularTranspose } from '../linalg/triangular';
import { lbfgs } from '../optimize/lbfgs';
import { normal, type Rng } from '../random/index';
import { isFinitePoint, type Target } from './target';

export interface LaplaceStart {
  /** The chain's starting point: a draw from Normal(mode, H⁻¹). */
  position: Float64Array;
  /** The mode L-BFGS found. */
  mode: Float64Array;
  /** H⁻¹, row-major d × d: the Laplace approximation's covariance. */
  covariance: Float64Array;
  /** Gradient evaluations spent (L-BFGS and the Hessian). */
  gradientEvaluations: number;
}

/** L-BFGS stops when the log density's gradient has infinity norm below this (its units: per unconstrained unit). */
const GRADIENT_TOLERANCE = 1e-3;
/** Central-difference step for the Hessian: the gradient is exact, so the error is O(h²) plus rounding ε/h. */
const HESSIAN_STEP = 1e-5;

/**
 * The Laplace start of a chain from `from` (chapter 11). Returns the start, or a reason why there is none
 * (the caller then keeps `from`). Consumes d normal variates of `rng` only on success.
 */
export function laplaceStart(target: Target, from: Float64Array, rng: Rng): LaplaceStart | { failure: string } {
  const d = target.dimension;
  const gradient = new Float64Array(d);
  let evaluations = 0;
  const result = lbfgs(
    {
      valueAndGradient(x: Float64Array) {
        evaluations++;
        const lp = target.logDensityGradient(x, gradient);
        const g = new Float64Array(d);
        for (let i = 0; i < d; i++) g[i] = -gradient[i];
        return { value: Number.isNaN(lp) ? Infinity : -lp, gradient: g };
      },
    },
    from,
    { gradientTolerance: GRADIENT_TOLERANCE, maxIterations: 100 * d + 500 },
  );
  if (!result.converged) return { failure: `L-BFGS found no mode (${result.message})` };
  const mode = result.x;
  // −∂²log p/∂x_i∂x_j by central differences of the gradient, column by column, then symmetrized.
  const hessian = new Float64Array(d * d);
  const plus = new Float64Array(d);
  const minus = new Float64Array(d);
  const x = Float64Array.from(mode);
  for (let j = 0; j < d; j++) {
    x[j] = mode[j] + HESSIAN_STEP;
    const lpPlus = target.logDensityGradient(x, plus);
    x[j] = mode[j] - HESSIAN_STEP;
    const lpMinus = target.logDensityGradient(x, minus);
    x[j] = mode[j];
    evaluations += 2;
    if (!isFinitePoint(lpPlus, plus) || !isFinitePoint(lpMinus, minus)) return { failure: 'the log density is not finite next to the mode' };
    for (let i = 0; i < d; i++) hessian[i * d + j] = -(plus[i] - minus[i]) / (2 * HESSIAN_STEP);
  }
  const symmetric = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) symmetric[i * d + j] = 0.5 * (hessian[i * d + j] + hessian[j * d + i]);
  // H = L Lᵀ (Cholesky, L lower triangular); H⁻¹ = L⁻ᵀ L⁻¹, and mode + L⁻ᵀ z with z ~ Normal(0, I) is a draw.
  let factor: Matrix;
  try {
    factor = cholesky(matrix(d, d, symmetric));
  } catch {
    return { failure: 'the negative Hessian at the mode is not positive definite' };
  }
  const covariance = choleskyInverse(factor).data;
  if (!covariance.every(Number.isFinite)) return { failure: 'the Laplace covariance is not finite' };
  const z = Float64Array.from({ length: d }, () => normal(rng, 0, 1));
  const offset = solveLowerTriangularTranspose(factor, z);
  const position = Float64Array.from(mode, (m, i) => m + offset[i]);
  evaluations++;
  // A draw far in a tail can leave the support the log density is finite on: start at the mode instead.
  if (!isFinitePoint(target.logDensityGradient(position, gradient), gradient)) return { position: mode, mode, covariance, gradientEvaluations: evaluations };
  return { position, mode, covariance, gradientEvaluations: evaluations };
}

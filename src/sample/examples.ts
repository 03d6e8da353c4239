/**
 * Targets the chapters of Part V sample: a multivariate normal with any covariance, Neal's funnel, and
 * the eight schools in both parameterizations. Each is a plain function of plain data, so a worker
 * thread can rebuild it (`sampleOnWorkers({ module: 'src/sample/examples.ts', exportName, data })`).
 */
import { InvalidInputError } from '../errors';
import type { Target } from './target';

/**
 * N(mean, covariance) on R^d: log π(x) = −½ (x − μ)ᵀ Σ⁻¹ (x − μ) (constants dropped). Σ is given by rows
 * and factored once (Cholesky); a gradient costs O(d²). Chapters "Monte Carlo and Metropolis" and
 * "Hamiltonian Monte Carlo and NUTS".
 */
export function gaussianTarget(data: { mean: readonly number[]; covariance: readonly (readonly number[])[] }): Target {
  const d = data.mean.length;
  if (d < 1 || data.covariance.length !== d || data.covariance.some((row) => row.length !== d)) {
    throw new InvalidInputError('covariance', `expected a ${d} × ${d} matrix (one row per coordinate of the mean)`);
  }
  // Precision P = Σ⁻¹ by Cholesky: Σ = LLᵀ, then solve for each column of the identity.
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = data.covariance[j][j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
    if (!(s > 0)) throw new InvalidInputError('covariance', `not positive definite (pivot ${j} is ${s})`);
    L[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = data.covariance[i][j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / L[j * d + j];
    }
  }
  const P = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) {
      let t = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) t -= L[i * d + k] * col[k];
      col[i] = t / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = col[i];
      for (let k = i + 1; k < d; k++) t -= L[k * d + i] * col[k];
      col[i] = t / L[i * d + i];
    }
    for (let i = 0; i < d; i++) P[i * d + c] = col[i];
  }
  const mu = Float64Array.from(data.mean);
  const r = new Float64Array(d);
  return {
    dimension: d,
    logDensityGradient(x, g) {
      for (let i = 0; i < d; i++) r[i] = x[i] - mu[i];
      let q = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += P[i * d + j] * r[j];
        g[i] = -s;
        q += r[i] * s;
      }
      return -0.5 * q;
    },
  };
}

/**
 * Neal's funnel (Neal 2003, "Slice sampling", §8): v ~ N(0, 3), x_i | v ~ N(0, e^{v/2}), i = 1..d−1.
 * Coordinates (v, x₁, ..., x_{d−1}). Its scale changes by orders of magnitude along v, as the
 * hierarchical scale τ of a centered model does. Chapters "Monte Carlo and Metropolis", "Diagnostics".
 */
export function funnelTarget(data: { dimension: number }): Target {
  const d = data.dimension;
  if (!Number.isInteger(d) || d < 2) throw new InvalidInputError('dimension', `expected an integer >= 2, got ${d}`);
  return {
    dimension: d,
    parameterNames: ['v', ...Array.from({ length: d - 1 }, (_, i) => `x[${i + 1}]`)],
    logDensityGradient(x, g) {
      const v = x[0];
      const precision = Math.exp(-v);
      let ss = 0;
      for (let i = 1; i < d; i++) {
        ss += x[i] * x[i];
        g[i] = -x[i] * precision;
      }
      g[0] = -v / 9 - 0.5 * (d - 1) + 0.5 * ss * precision;
      return (-v * v) / 18 - 0.5 * (d - 1) * v - 0.5 * ss * precision;
    },
  };
}

export interface EightSchoolsData {
  /** Estimated treatment effects. */
  y: readonly number[];
  /** Their standard errors. */
  sigma: readonly number[];
  /** true: sample θ directly (centered); false: θ = μ + τη with η ~ N(0, 1). */
  centered: boolean;
}

/**
 * The eight schools (Rubin 1981; BDA3 §5.5): y_j ~ N(θ_j, σ_j), θ_j ~ N(μ, τ), μ ~ N(0, 5),
 * τ ~ HalfCauchy(0, 5); sampled on (θ or η, μ, log τ) and reported as θ₁..θ_J, μ, τ. Both
 * parameterizations define the same posterior; only their geometry differs. Chapter "Diagnostics".
 */
export function eightSchoolsTarget(data: EightSchoolsData): Target {
  const { y, sigma, centered } = data;
  const J = y.length;
  if (sigma.length !== J) throw new InvalidInputError('sigma', `expected ${J} standard errors, got ${sigma.length}`);
  const names = [...Array.from({ length: J }, (_, j) => `theta[${j + 1}]`), 'mu', 'tau'];
  return {
    dimension: J + 2,
    parameterNames: names,
    logDensityGradient(x, g) {
      const mu = x[J];
      const u = x[J + 1];
      const tau = Math.exp(u);
      // priors on μ and τ, and log|dτ/du| = u
      let lp = -0.5 * (mu / 5) ** 2 - Math.log1p((tau / 5) ** 2) + u;
      let dmu = -mu / 25;
      let du = (-2 * tau * tau) / (25 + tau * tau) + 1;
      for (let j = 0; j < J; j++) {
        if (centered) {
          const z = (x[j] - mu) / tau;
          const r = (y[j] - x[j]) / sigma[j];
          lp += -0.5 * z * z - u - 0.5 * r * r;
          g[j] = -z / tau + r / sigma[j];
          dmu += z / tau;
          du += z * z - 1;
        } else {
          const eta = x[j];
          const r = (y[j] - mu - tau * eta) / sigma[j];
          lp += -0.5 * eta * eta - 0.5 * r * r;
          g[j] = -eta + (r * tau) / sigma[j];
          dmu += r / sigma[j];
          du += (r * eta * tau) / sigma[j];
        }
      }
      g[J] = dmu;
      g[J + 1] = du;
      return lp;
    },
    constrain(x) {
      const tau = Math.exp(x[J + 1]);
      const theta = Array.from({ length: J }, (_, j) => (centered ? x[j] : x[J] + tau * x[j]));
      return [...theta, x[J], tau];
    },
  };
}

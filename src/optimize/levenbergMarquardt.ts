/**
 * Levenberg–Marquardt for nonlinear least squares, min ½‖r(x)‖², as a scaled trust-region method, with
 * standard errors from the Jacobian at the solution. Taught in the chapter "Optimization from first
 * principles", section "Nonlinear least squares".
 *
 * The algorithm is Moré's (1978), "The Levenberg–Marquardt algorithm: implementation and theory", Lecture
 * Notes in Mathematics 630, as in MINPACK's lmder: each step solves
 *
 *   min ‖r + J p‖²  subject to  ‖D p‖ ≤ Δ,
 *
 * i.e. (JᵀJ + λ DᵀD) p = −Jᵀr with λ ≥ 0 chosen so that ‖Dp‖ ≈ Δ (within 10%) unless the Gauss–Newton step
 * is already inside; D holds the largest column norms of J seen so far (invariance to the units of x); Δ
 * grows or shrinks with the ratio of actual to predicted reduction. The stopping tests are MINPACK's.
 *
 * One difference of implementation: MINPACK solves the damped system by a QR factorization updated with
 * Givens rotations for each λ; here the scaled Jacobian J D⁻¹ = U Σ Vᵀ is decomposed once per Jacobian (by
 * linalg's one-sided Jacobi SVD), after which every λ costs O(n²):
 *
 *   D p(λ) = −Σᵢ vᵢ σᵢ (uᵢᵀr) / (σᵢ² + λ),   ‖D p(λ)‖² = Σᵢ (σᵢ uᵢᵀr)² / (σᵢ² + λ)²,
 *
 * so Moré's safeguarded Newton iteration on φ(λ) = ‖Dp(λ)‖ − Δ has φ and φ′ in closed form, and a
 * rank-deficient J is handled by the pseudo-inverse at λ = 0.
 *
 * Optional geodesic acceleration (Transtrum & Sethna 2012, "Improvements to the Levenberg–Marquardt
 * algorithm for nonlinear least-squares minimization", arXiv:1201.5885): add half the second-order
 * correction a, solving the same damped system with r replaced by the directional second derivative
 * r_vv ≈ (2/h)((r(x + h v) − r(x))/h − J v), accepted when 2‖Da‖ ≤ 0.75 ‖Dv‖.
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { matrix, matVec, svd, toMatrix, type Matrix, type MatrixLike } from '../linalg/index';
import { numericalJacobian } from './numerical';
import { checkStart, nonFiniteError, record } from './problem';
import type { IterationRecord, OptimizationResult } from './types';
import { allFinite, norm2, normInf } from './vector';

const EPS = 2.220446049250313e-16;
/**
 * A stopping test counts as convergence only if the Gauss–Newton step from x is at most this fraction of
 * ‖Dx‖ (or predicts at most this fraction of ‖r‖ as gain). On the 27 NIST problems the step left at a true
 * minimum is below 1e-6 of ‖Dx‖; where the model has flattened instead it is of order 1 or more.
 */
const STATIONARITY = 1e-4;

export interface LevenbergMarquardtOptions {
  /** The m × n Jacobian ∂r/∂x. Without it, central differences (2n residual evaluations per Jacobian). */
  jacobian?: (x: Float64Array) => MatrixLike;
  /**
   * Stop when both the actual and the predicted relative reduction of ‖r‖² in a step are at most this
   * (MINPACK's ftol). Default 1e-15: iterate until ‖r‖² stops moving in floating point.
   */
  valueTolerance?: number;
  /** Stop when the trust radius is at most this times ‖Dx‖ (MINPACK's xtol). Default 1e-15. */
  stepTolerance?: number;
  /**
   * Stop when the largest cosine between r and a column of J, |Jⱼᵀr| / (‖Jⱼ‖ ‖r‖), is at most this
   * (MINPACK's gtol): the residual is orthogonal to every direction the model can move in. Default 1e-15.
   */
  gradientTolerance?: number;
  /** Jacobian evaluations allowed. Default 1000. */
  maxIterations?: number;
  /** Residual evaluations allowed (numerical Jacobians included). Default 1000 × (n + 1). */
  maxEvaluations?: number;
  /** Initial trust radius, as a multiple of ‖D x₀‖ (MINPACK's factor). Default 100. */
  initialTrustRadius?: number;
  /** Add the geodesic acceleration correction. Default false. */
  geodesicAcceleration?: boolean;
  /** Names of the parameters, used in warnings. */
  parameterNames?: readonly string[];
  /** Record every accepted iterate in `trace`. */
  trace?: boolean;
}

export interface LeastSquaresResult extends OptimizationResult {
  /** ½‖r‖² at x (so that `gradient` = Jᵀr is its gradient). */
  value: number;
  /** r(x). */
  residuals: Float64Array;
  /** ‖r(x)‖². */
  residualSumOfSquares: number;
  /** J at x. */
  jacobian: Matrix;
  /** m − n. */
  degreesOfFreedom: number;
  /** s = sqrt(‖r‖² / (m − n)), or null when m ≤ n. */
  residualStandardDeviation: number | null;
  /**
   * s² (JᵀJ)⁻¹, the usual large-sample covariance of the estimates; null when m ≤ n. Entries along a
   * direction the data do not determine (a zero singular value of J) are Infinity.
   */
  covariance: Matrix | null;
  /** Square roots of the covariance's diagonal; Infinity for a parameter the data do not pin down. */
  standardErrors: Float64Array | null;
  /** Singular values of J D⁻¹ at x, D the column norms of J: their spread measures how well x is determined. */
  scaledSingularValues: Float64Array;
  jacobianEvaluations: number;
  /**
   * max_j |J_jᵀr| / (‖J_j‖ ‖r‖) at x: the largest cosine between the residual and a column of J. Zero at a
   * stationary point; MINPACK's gnorm.
   */
  largestCosine: number;
}

interface Scaled {
  /** Uᵀr. */
  b: Float64Array;
  sigma: Float64Array;
  /** V, n × k row-major. */
  V: Matrix;
  U: Matrix;
  /** Singular values at or below this count as zero. */
  rankTolerance: number;
}

/**
 * Fits x by minimizing ½‖r(x)‖² with Levenberg–Marquardt (Moré 1978), then reports standard errors
 * s·sqrt(diag (JᵀJ)⁻¹) at the solution. Chapter: "Optimization from first principles".
 */
export function levenbergMarquardt(
  residualFunction: (x: Float64Array) => ArrayLike<number>,
  x0: ArrayLike<number>,
  options: LevenbergMarquardtOptions = {},
): LeastSquaresResult {
  if (typeof residualFunction !== 'function') throw new InvalidInputError('residuals', 'expected a function x => r(x)');
  let x = checkStart(x0);
  const n = x.length;
  const ftol = options.valueTolerance ?? 1e-15;
  const xtol = options.stepTolerance ?? 1e-15;
  const gtol = options.gradientTolerance ?? 1e-15;
  for (const [name, v] of [['valueTolerance', ftol], ['stepTolerance', xtol], ['gradientTolerance', gtol]] as const) {
    if (!(v >= 0)) throw new InvalidInputError(name, `expected a non-negative number, got ${v}`);
  }
  const maxIterations = options.maxIterations ?? 1000;
  const maxEvaluations = options.maxEvaluations ?? 1000 * (n + 1);
  const factor = options.initialTrustRadius ?? 100;
  if (!(factor > 0)) throw new InvalidInputError('initialTrustRadius', `expected a positive number, got ${factor}`);
  const names = options.parameterNames ?? Array.from({ length: n }, (_, j) => `x[${j}]`);
  const warnings: string[] = [];
  if (!options.jacobian) warnings.push('no Jacobian supplied: using central differences (2n residual evaluations per Jacobian)');

  let evaluations = 0;
  let jacobianEvaluations = 0;
  let m = -1;
  const evaluate = (point: Float64Array): Float64Array => {
    evaluations++;
    const r = residualFunction(Float64Array.from(point));
    if (r == null || typeof r.length !== 'number') throw new InvalidInputError('residuals', 'expected the function to return an array of numbers');
    if (m >= 0 && r.length !== m) throw new DimensionMismatchError('residuals', `returned ${r.length} values; earlier ${m}`);
    return Float64Array.from(r);
  };
  const jacobianAt = (point: Float64Array, iteration: number): Matrix => {
    jacobianEvaluations++;
    let J: Matrix;
    if (options.jacobian) {
      const raw = options.jacobian(Float64Array.from(point));
      const data = (raw as Matrix).data ?? null;
      const rows = data ? (raw as Matrix).rows : (raw as readonly ArrayLike<number>[]).length;
      const entries = data ?? Float64Array.from(([] as number[]).concat(...(raw as readonly ArrayLike<number>[]).map((row) => Array.from(row))));
      if (!allFinite(entries)) {
        const k = Array.from(entries).findIndex((v) => !Number.isFinite(v));
        throw nonFiniteError('jacobian', `${entries[k]} in entry (${Math.floor(k / n)}, ${k % n})`, iteration, point);
      }
      J = toMatrix(raw, 'jacobian');
      if (rows !== m || J.cols !== n) throw new DimensionMismatchError('jacobian', `returned a ${J.rows} × ${J.cols} matrix; expected ${m} × ${n}`);
    } else {
      J = numericalJacobian((p) => evaluate(p), point);
    }
    return J;
  };

  let r = evaluate(x);
  m = r.length;
  if (m === 0) throw new InvalidInputError('residuals', 'returned no values');
  if (!allFinite(r)) throw nonFiniteError('residuals', `a non-finite value in entry ${Array.from(r).findIndex((v) => !Number.isFinite(v))}`, 0, x);
  let fnorm = norm2(r);
  let J = jacobianAt(x, 0);
  let jacobianIsCurrent = true;
  const D = new Float64Array(n);
  let delta = 0;
  let lambda = 0;
  let iteration = 0;
  let converged = false;
  let message = '';
  let firstStep = true;
  const trace: IterationRecord[] = [];
  if (options.trace) trace.push(record(0, x, 0.5 * fnorm * fnorm, normInf(matVecT(J, r)), 0, evaluations));

  outer: for (;;) {
    if (!jacobianIsCurrent) {
      J = jacobianAt(x, iteration);
      jacobianIsCurrent = true;
    }
    iteration++;
    const columnNorms = columnNormsOf(J);
    for (let j = 0; j < n; j++) {
      // MINPACK mode 1: D_j = max over iterations of ‖J_j‖ (1 for a column that has always been zero).
      const c = columnNorms[j] === 0 ? 1 : columnNorms[j];
      D[j] = iteration === 1 ? c : Math.max(D[j], columnNorms[j]);
    }
    const xnormStart = scaledNorm(D, x);
    if (iteration === 1) delta = xnormStart === 0 ? factor : factor * xnormStart;

    // The cosine test, before any step (MINPACK's gnorm).
    const g = matVecT(J, r);
    let gnorm = 0;
    if (fnorm > 0) for (let j = 0; j < n; j++) if (columnNorms[j] > 0) gnorm = Math.max(gnorm, Math.abs(g[j]) / (columnNorms[j] * fnorm));
    if (gnorm <= gtol) {
      converged = true;
      message = `the residual is orthogonal to the columns of J: largest cosine ${gnorm.toExponential(2)} ≤ gradientTolerance`;
      break;
    }
    if (iteration > maxIterations) {
      message = `maxIterations (${maxIterations} Jacobians) reached; largest cosine ${gnorm.toExponential(2)}`;
      break;
    }

    const scaled = decompose(J, D, r);
    for (;;) {
      const step = lmStep(scaled, D, delta, lambda);
      lambda = step.lambda;
      let p = step.p;
      let pnorm = step.pnorm;
      // MINPACK: on the very first step, the trust radius shrinks to the step if the step is shorter.
      if (firstStep) delta = Math.min(delta, pnorm);
      firstStep = false;
      let trialX = addVectors(x, p);
      let rTrial = evaluate(trialX);
      if (options.geodesicAcceleration && allFinite(rTrial)) {
        const accelerated = accelerate(x, r, J, p, scaled, D, lambda, evaluate);
        if (accelerated) {
          p = accelerated.step;
          pnorm = scaledNorm(D, p);
          trialX = addVectors(x, p);
          rTrial = evaluate(trialX);
        }
      }
      const fnorm1 = allFinite(rTrial) ? norm2(rTrial) : Infinity;
      // Moré's scaled reductions: actual, predicted by the linear model, and the directional derivative.
      const actred = 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) ** 2 : -1;
      const Jp = matVec(J, p);
      const temp1 = norm2(Jp) / fnorm;
      const temp2 = (Math.sqrt(lambda) * pnorm) / fnorm;
      const prered = temp1 * temp1 + 2 * temp2 * temp2;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      const ratio = prered !== 0 ? actred / prered : 0;

      if (ratio <= 0.25) {
        let temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || temp < 0.1) temp = 0.1;
        delta = temp * Math.min(delta, pnorm / 0.1);
        lambda = lambda / temp;
      } else if (lambda === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        lambda = 0.5 * lambda;
      }
      const accepted = ratio >= 1e-4;
      if (accepted) {
        x = trialX;
        r = rTrial;
        fnorm = fnorm1;
        jacobianIsCurrent = false;
        if (options.trace) trace.push(record(iteration, x, 0.5 * fnorm * fnorm, NaN, normInf(p), evaluations));
      }
      const xnorm = scaledNorm(D, x);
      if (Math.abs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1) {
        converged = true;
        message = 'the relative reduction of ‖r‖², actual and predicted, is at most valueTolerance';
      }
      if (delta <= xtol * xnorm) {
        converged = true;
        message = message ? `${message}; the trust radius is at most stepTolerance × ‖Dx‖` : 'the trust radius is at most stepTolerance × ‖Dx‖';
      }
      if (fnorm === 0) {
        converged = true;
        message = 'the residuals are exactly zero';
      }
      if (converged) break outer;
      if (evaluations >= maxEvaluations) {
        message = `maxEvaluations (${maxEvaluations}) reached`;
        break outer;
      }
      // MINPACK's "tolerance too small" cases: nothing more can be gained in floating point.
      if (Math.abs(actred) <= EPS && prered <= EPS && 0.5 * ratio <= 1) {
        converged = true;
        message = 'no further reduction of ‖r‖² is possible in floating point';
        break outer;
      }
      if (delta <= EPS * xnorm) {
        converged = true;
        message = 'no further improvement of x is possible in floating point (trust radius at rounding level)';
        break outer;
      }
      if (accepted) break;
    }
  }

  // The Jacobian, gradient and standard errors at the final point.
  if (!jacobianIsCurrent) J = jacobianAt(x, iteration);
  const gradient = matVecT(J, r);
  const rss = fnorm * fnorm;
  const dof = m - n;
  const columnNorms = columnNormsOf(J);
  let largestCosine = 0;
  if (fnorm > 0) for (let j = 0; j < n; j++) if (columnNorms[j] > 0) largestCosine = Math.max(largestCosine, Math.abs(gradient[j]) / (columnNorms[j] * fnorm));
  const Dfinal = Float64Array.from(columnNorms, (c) => (c === 0 ? 1 : c));
  const finalScaled = decompose(J, Dfinal, r);
  const zeroColumns = names.filter((_, j) => columnNorms[j] === 0);
  if (converged && zeroColumns.length > 0) {
    converged = false;
    message = `stopped (${message}) where the residuals do not depend on ${zeroColumns.join(', ')} at all (zero Jacobian column): the model is flat there, as when a parameter has run off towards infinity`;
  }
  if (converged) {
    // Every stopping test above watches the step or the decrease, so each can also be met where the model
    // has flattened rather than reached a minimum (a parameter drifting to infinity, as BoxBOD's b₂ from
    // NIST's start 1). Check stationarity directly: the Gauss–Newton step from x, D p = −(J D⁻¹)⁺ r, must be
    // small against D x, or the model must predict no gain from it (‖J p‖ against ‖r‖).
    const z = scaledStep(finalScaled, 0);
    let predicted = 0;
    for (let c = 0; c < finalScaled.sigma.length; c++) if (finalScaled.sigma[c] > finalScaled.rankTolerance) predicted += finalScaled.b[c] ** 2;
    const stepRatio = norm2(z) / scaledNorm(Dfinal, x);
    const gainRatio = fnorm > 0 ? Math.sqrt(predicted) / fnorm : 0;
    if (!(stepRatio <= STATIONARITY) && !(gainRatio <= STATIONARITY)) {
      converged = false;
      const drifting = Array.from(z, (v, j) => ({ j, v: Math.abs(v / Dfinal[j]) / Math.max(Math.abs(x[j]), Number.MIN_VALUE) }))
        .sort((a, b) => b.v - a.v)
        .slice(0, 2)
        .map(({ j }) => names[j]);
      message =
        `stopped (${message}) where x is not stationary: the Gauss–Newton step from x is ${stepRatio.toExponential(1)} of ‖Dx‖ ` +
        `and would remove ${(100 * gainRatio * gainRatio).toFixed(1)}% of ‖r‖²; the model has flattened (${drifting.join(', ')} may be drifting towards infinity)`;
    }
  }
  const final = standardErrorsAt(finalScaled, Dfinal, rss, dof, J.rows, names, warnings);
  return {
    x,
    value: 0.5 * rss,
    gradient,
    iterations: iteration,
    evaluations,
    gradientEvaluations: jacobianEvaluations,
    jacobianEvaluations,
    converged,
    message,
    warnings,
    ...(options.trace ? { trace } : {}),
    residuals: r,
    residualSumOfSquares: rss,
    jacobian: J,
    degreesOfFreedom: dof,
    residualStandardDeviation: dof > 0 ? Math.sqrt(rss / dof) : null,
    covariance: final.covariance,
    standardErrors: final.standardErrors,
    scaledSingularValues: finalScaled.sigma,
    largestCosine,
  };
}

function matVecT(J: Matrix, r: Float64Array): Float64Array {
  const out = new Float64Array(J.cols);
  for (let i = 0; i < J.rows; i++) {
    const ri = r[i];
    for (let j = 0; j < J.cols; j++) out[j] += J.data[i * J.cols + j] * ri;
  }
  return out;
}

function columnNormsOf(J: Matrix): Float64Array {
  const out = new Float64Array(J.cols);
  const column = new Float64Array(J.rows);
  for (let j = 0; j < J.cols; j++) {
    for (let i = 0; i < J.rows; i++) column[i] = J.data[i * J.cols + j];
    out[j] = norm2(column);
  }
  return out;
}

function scaledNorm(D: Float64Array, x: ArrayLike<number>): number {
  const v = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) v[j] = D[j] * x[j];
  return norm2(v);
}

function addVectors(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** SVD of J D⁻¹ and Uᵀr. */
function decompose(J: Matrix, D: Float64Array, r: Float64Array): Scaled {
  const Js = matrix(J.rows, J.cols);
  for (let i = 0; i < J.rows; i++) for (let j = 0; j < J.cols; j++) Js.data[i * J.cols + j] = J.data[i * J.cols + j] / D[j];
  const { U, singularValues, V } = svd(Js);
  const k = singularValues.length;
  const b = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < J.rows; i++) s += U.data[i * k + c] * r[i];
    b[c] = s;
  }
  const rankTolerance = (singularValues[0] ?? 0) * Math.max(J.rows, J.cols) * EPS;
  return { b, sigma: singularValues, V, U, rankTolerance };
}

/** D p(λ) = −Σ vᵢ σᵢ bᵢ / (σᵢ² + λ), dropping σᵢ at or below the rank tolerance (pseudo-inverse at λ = 0). */
function scaledStep(s: Scaled, lambda: number, b: Float64Array = s.b): Float64Array {
  const n = s.V.rows;
  const k = s.sigma.length;
  const z = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    const sigma = s.sigma[c];
    if (sigma <= s.rankTolerance) continue;
    const w = (sigma * b[c]) / (sigma * sigma + lambda);
    for (let j = 0; j < n; j++) z[j] -= s.V.data[j * k + c] * w;
  }
  return z;
}

/** ‖D p(λ)‖ and its derivative with respect to λ, in closed form. */
function phiAndSlope(s: Scaled, lambda: number): { norm: number; slope: number } {
  let sumSquares = 0;
  let sumCubes = 0;
  for (let c = 0; c < s.sigma.length; c++) {
    const sigma = s.sigma[c];
    if (sigma <= s.rankTolerance) continue;
    const q = sigma * s.b[c];
    const d = sigma * sigma + lambda;
    sumSquares += (q * q) / (d * d);
    sumCubes += (q * q) / (d * d * d);
  }
  const norm = Math.sqrt(sumSquares);
  return { norm, slope: norm > 0 ? -sumCubes / norm : 0 };
}

/**
 * Moré's (1978) λ: zero when the Gauss–Newton step lies within 1.1 Δ, else a root of φ(λ) = ‖Dp(λ)‖ − Δ to
 * within 0.1 Δ by the safeguarded Newton iteration λ⁺ = λ − ((φ + Δ)/Δ)(φ/φ′), his eq. 5.5, kept inside
 * bounds [l, u] that bracket the root (his §5).
 */
function lmStep(s: Scaled, D: Float64Array, delta: number, lambdaPrevious: number): { p: Float64Array; lambda: number; pnorm: number } {
  const finish = (lambda: number) => {
    const z = scaledStep(s, lambda);
    const p = new Float64Array(z.length);
    for (let j = 0; j < z.length; j++) p[j] = z[j] / D[j];
    return { p, lambda, pnorm: phiAndSlope(s, lambda).norm };
  };
  const gaussNewton = phiAndSlope(s, 0);
  let phi = gaussNewton.norm - delta;
  if (phi <= 0.1 * delta) return finish(0);
  const fullRank = s.sigma.length === s.V.rows && s.sigma[s.sigma.length - 1] > s.rankTolerance;
  let lower = fullRank ? -phi / gaussNewton.slope : 0;
  let gradientNorm = 0;
  for (let c = 0; c < s.sigma.length; c++) gradientNorm += (s.sigma[c] * s.b[c]) ** 2;
  gradientNorm = Math.sqrt(gradientNorm);
  let upper = gradientNorm / delta;
  if (upper === 0) upper = Number.MIN_VALUE / Math.min(delta, 0.1);
  let lambda = Math.min(Math.max(lambdaPrevious, lower), upper);
  if (lambda === 0) lambda = gradientNorm / gaussNewton.norm;
  for (let iteration = 0; iteration < 10; iteration++) {
    if (lambda === 0) lambda = Math.max(Number.MIN_VALUE, 0.001 * upper);
    const at = phiAndSlope(s, lambda);
    const previousPhi = phi;
    phi = at.norm - delta;
    if (Math.abs(phi) <= 0.1 * delta || (lower === 0 && phi <= previousPhi && previousPhi < 0)) break;
    const correction = -((phi + delta) / delta) * (phi / at.slope);
    if (phi > 0) lower = Math.max(lower, lambda);
    if (phi < 0) upper = Math.min(upper, lambda);
    lambda = Math.max(lower, lambda + correction);
  }
  return finish(lambda);
}

/** The geodesic-acceleration step v + a/2, or null when the correction is too large to trust. */
function accelerate(
  x: Float64Array,
  r: Float64Array,
  J: Matrix,
  v: Float64Array,
  s: Scaled,
  D: Float64Array,
  lambda: number,
  evaluate: (x: Float64Array) => Float64Array,
): { step: Float64Array } | null {
  const h = 0.1;
  const shifted = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) shifted[j] = x[j] + h * v[j];
  const rh = evaluate(shifted);
  if (!allFinite(rh)) return null;
  const Jv = matVec(J, v);
  const k = s.sigma.length;
  const rvv = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) rvv[i] = (2 / h) * ((rh[i] - r[i]) / h - Jv[i]);
  const bvv = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let t = 0;
    for (let i = 0; i < r.length; i++) t += s.U.data[i * k + c] * rvv[i];
    bvv[c] = t;
  }
  const za = scaledStep(s, lambda, bvv);
  const a = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) a[j] = za[j] / D[j];
  if (2 * norm2(za) > 0.75 * scaledNorm(D, v)) return null;
  const step = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) step[j] = v[j] + 0.5 * a[j];
  return { step };
}

/**
 * s²(JᵀJ)⁻¹ from the SVD of the column-scaled Jacobian J D⁻¹ = U Σ Vᵀ: Cov = s² D⁻¹ V Σ⁻² Vᵀ D⁻¹. Scaling
 * the columns first makes the small singular values meaningful (they measure real near-dependence of the
 * columns, not their units).
 */
function standardErrorsAt(s: Scaled, D: Float64Array, rss: number, dof: number, m: number, names: readonly string[], warnings: string[]) {
  const n = D.length;
  const k = s.sigma.length;
  if (dof <= 0) {
    warnings.push(`no standard errors: ${m} residuals for ${n} parameters leave no degrees of freedom`);
    return { covariance: null, standardErrors: null };
  }
  const s2 = rss / dof;
  const covariance = matrix(n, n);
  const undetermined = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const sigma = c < k ? s.sigma[c] : 0;
    if (c >= k) {
      undetermined.fill(1);
      continue;
    }
    if (sigma <= s.rankTolerance) {
      for (let j = 0; j < n; j++) if (Math.abs(s.V.data[j * k + c]) > 1e-8) undetermined[j] = 1;
      continue;
    }
    const w = s2 / (sigma * sigma);
    for (let a = 0; a < n; a++) {
      const va = s.V.data[a * k + c] / D[a];
      for (let b = 0; b < n; b++) covariance.data[a * n + b] += va * w * (s.V.data[b * k + c] / D[b]);
    }
  }
  const standardErrors = new Float64Array(n);
  const lost: string[] = [];
  for (let j = 0; j < n; j++) {
    if (undetermined[j]) {
      standardErrors[j] = Infinity;
      lost.push(names[j]);
      for (let b = 0; b < n; b++) {
        covariance.data[j * n + b] = Infinity;
        covariance.data[b * n + j] = Infinity;
      }
    } else standardErrors[j] = Math.sqrt(covariance.data[j * n + j]);
  }
  if (lost.length > 0) {
    warnings.push(`the Jacobian is rank-deficient at the solution: the data do not determine ${lost.join(', ')} (standard error Infinity)`);
  }
  return { covariance, standardErrors };
}

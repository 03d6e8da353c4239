/**
 * L-BFGS-B: limited-memory BFGS with bounds l ≤ x ≤ u. Taught in the chapter "Optimization from first
 * principles", section "Bounds".
 *
 * This is the algorithm of Byrd, Lu, Nocedal & Zhu (1995), "A limited memory algorithm for bound
 * constrained optimization", SIAM J. Sci. Comput. 16(5), with the subspace step of version 3.0 (Morales &
 * Nocedal 2011): each iteration
 *   1. finds the generalized Cauchy point x^c, the first minimizer of the quadratic model along the
 *      projected steepest-descent path (this fixes the active set: coordinates at a bound there);
 *   2. minimizes the model over the remaining free coordinates, from x^c, by the direct primal method
 *      (§5.1, the reduced system solved with the Sherman–Morrison–Woodbury formula), projects the result
 *      into the box, and falls back to the longest feasible step along it if the projection is not a
 *      descent direction;
 *   3. searches along d = x̄ − x for the strong Wolfe conditions (c₁ = 1e-3, c₂ = 0.9, as the Fortran code),
 *      never past the boundary of the box.
 * It stops when the projected gradient ‖P(x − ∇f) − x‖∞ is small: that is zero exactly at a point that
 * satisfies the Karush–Kuhn–Tucker conditions of the box-constrained problem.
 */
import { InvalidInputError, NotPositiveDefiniteError, SingularMatrixError } from '../errors';
import { cholesky, choleskySolve, identity, matrix, solve } from '../linalg/index';
import { applyM, compactBfgs, compactBfgsDroppingOld, generalizedCauchyPoint, rowOfW, type CompactBfgs } from './cauchyPoint';
import { strongWolfeLineSearch, type LinePoint } from './lineSearch';
import {
  checkStart,
  createEvaluator,
  createStallMonitor,
  ROUNDING,
  STALL_ITERATIONS,
  STALLED_MESSAGE,
  project,
  projectedGradientNorm,
  projectStart,
  record,
  requireFinite,
  resolveBounds,
  resolveStopping,
  smallDecrease,
  type Box,
  type Evaluator,
} from './problem';
import type { BoundsOptions, IterationRecord, ObjectiveLike, OptimizationResult, StoppingOptions } from './types';
import { allFinite, difference, dot, norm2, normInf } from './vector';

export interface LbfgsbOptions extends StoppingOptions, BoundsOptions {
  /** Number of (s, y) pairs kept. Default 10. */
  memory?: number;
}

const EPS = 2.220446049250313e-16;

/**
 * Minimizes f subject to lower ≤ x ≤ upper by L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995). A start outside
 * the bounds is projected onto them, with a warning. Chapter: "Optimization from first principles".
 */
export function lbfgsb(objective: ObjectiveLike, x0: ArrayLike<number>, options: LbfgsbOptions = {}): OptimizationResult {
  const memory = options.memory ?? 10;
  if (!Number.isInteger(memory) || memory < 1) throw new InvalidInputError('memory', `expected a positive integer, got ${memory}`);
  const start = checkStart(x0);
  const n = start.length;
  const box = resolveBounds(n, options);
  const stopping = resolveStopping(options, 1000);
  const warnings: string[] = [];
  const evaluator = createEvaluator(objective, n);
  if (!evaluator.analyticGradient) warnings.push('no gradient supplied: using central differences (2n evaluations per gradient)');
  let x = projectStart(start, box, warnings);
  let current = evaluator.valueAndGradient(x);
  requireFinite(current, 0, x);
  let f = current.value;
  let g = current.gradient;
  let iteration = 0;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let theta = 1;
  let B = compactBfgs(S, Y, theta, n);
  const boxed = Array.from(box.lower).every((l, i) => Number.isFinite(l) && Number.isFinite(box.upper[i]));
  const trace: IterationRecord[] = [];
  if (stopping.trace) trace.push(record(0, x, f, projectedGradientNorm(x, g, box), 0, evaluator.evaluations));
  const stalled = createStallMonitor(f);

  const finish = (converged: boolean, message: string): OptimizationResult => ({
    x,
    value: f,
    gradient: g,
    iterations: iteration,
    evaluations: evaluator.evaluations,
    gradientEvaluations: evaluator.gradientEvaluations,
    converged,
    message,
    warnings,
    ...(stopping.trace ? { trace } : {}),
  });
  const resetMemory = () => {
    const had = S.length > 0;
    S.length = 0;
    Y.length = 0;
    theta = 1;
    B = compactBfgs(S, Y, theta, n);
    return had;
  };

  for (;;) {
    const pg = projectedGradientNorm(x, g, box);
    if (pg <= stopping.gradientTolerance) return finish(true, `projected gradient norm ${pg.toExponential(2)} ≤ gradientTolerance`);
    if (iteration >= stopping.maxIterations) return finish(false, `maxIterations (${stopping.maxIterations}) reached; projected gradient norm ${pg.toExponential(2)}`);
    if (evaluator.evaluations >= stopping.maxEvaluations) return finish(false, `maxEvaluations (${stopping.maxEvaluations}) reached; projected gradient norm ${pg.toExponential(2)}`);

    let accepted = searchFrom(x, f, g, box, B, evaluator, iteration === 0 && !boxed);
    if (accepted === null && resetMemory()) accepted = searchFrom(x, f, g, box, B, evaluator, !boxed);
    if (accepted === null) {
      return finish(false, `the line search found no lower value (projected gradient norm ${pg.toExponential(2)}): f cannot be lowered further in floating point, or the gradient is wrong`);
    }
    iteration++;
    requireFinite({ value: accepted.value, gradient: accepted.gradient }, iteration, accepted.x);
    const s = difference(accepted.x, x);
    const y = difference(accepted.gradient, g);
    const fOld = f;
    x = accepted.x;
    f = accepted.value;
    g = accepted.gradient;
    const sy = dot(s, y);
    const yy = dot(y, y);
    // Skip pairs without safely positive curvature: B must stay positive definite (BLNZ 1995, §4).
    if (sy > EPS * yy) {
      S.push(s);
      Y.push(y);
      // More than n pairs cannot be independent in ℝⁿ: keep at most min(memory, n).
      while (S.length > Math.min(memory, n)) {
        S.shift();
        Y.shift();
      }
      theta = yy / sy;
      B = compactBfgsDroppingOld(S, Y, theta, n);
    }
    if (stopping.trace) trace.push(record(iteration, x, f, projectedGradientNorm(x, g, box), normInf(s), evaluator.evaluations));
    const pgNew = projectedGradientNorm(x, g, box);
    if (pgNew > stopping.gradientTolerance && stalled(f)) {
      return finish(false, `${STALLED_MESSAGE} in ${STALL_ITERATIONS} iterations (projected gradient norm ${pgNew.toExponential(2)} > gradientTolerance): the tolerance asks for more than floating point resolves here`);
    }
    if (pgNew > stopping.gradientTolerance && smallDecrease(fOld, f, stopping.valueTolerance)) {
      return finish(true, `relative decrease of f ≤ valueTolerance (projected gradient norm ${projectedGradientNorm(x, g, box).toExponential(2)})`);
    }
  }
}

interface Trial extends LinePoint {
  x: Float64Array;
  gradient: Float64Array;
}

/** One L-BFGS-B step from x: Cauchy point, subspace minimization, line search. Null if no decrease. */
function searchFrom(
  x: Float64Array,
  f: number,
  g: Float64Array,
  box: Box,
  B: CompactBfgs,
  evaluator: Evaluator,
  unitFirstStep: boolean,
): Trial | null {
  const cauchy = generalizedCauchyPoint(x, g, box, B);
  let target = subspaceMinimum(x, g, box, B, cauchy.x, cauchy.c, cauchy.atBound);
  let d = difference(target, x);
  if (!(dot(d, g) < 0)) {
    // The subspace step lost descent (rounding, or a badly scaled B): the Cauchy point never does.
    target = cauchy.x;
    d = difference(target, x);
    if (!(dot(d, g) < 0)) return null;
  }
  // Longest step along d that stays in the box (x̄ is feasible, so it is at least 1).
  let maxStep = Infinity;
  if (box.bounded) {
    for (let i = 0; i < d.length; i++) {
      if (d[i] < 0 && box.lower[i] > -Infinity) maxStep = Math.min(maxStep, (box.lower[i] - x[i]) / d[i]);
      else if (d[i] > 0 && box.upper[i] < Infinity) maxStep = Math.min(maxStep, (box.upper[i] - x[i]) / d[i]);
    }
    maxStep = Math.max(maxStep, 1);
  }
  // The Fortran code's first step: unit length when the first direction is the raw gradient of an
  // unbounded problem, the full step to x̄ otherwise.
  const initialStep = unitFirstStep ? Math.min(1 / norm2(d), maxStep) : 1;
  const phi = (alpha: number): Trial => {
    const xt = project(addStep(x, alpha, d), box);
    const e = evaluator.valueAndGradient(xt);
    const ok = Number.isFinite(e.value) && allFinite(e.gradient);
    return { step: alpha, x: xt, value: e.value, gradient: e.gradient, derivative: ok ? dot(e.gradient, d) : NaN };
  };
  const start: Trial = { step: 0, x, value: f, gradient: g, derivative: dot(g, d) };
  const r = strongWolfeLineSearch(phi, start, { initialStep, maxStep, sufficientDecrease: 1e-3, curvature: 0.9, maxEvaluations: 20, valueNoise: ROUNDING * Math.abs(f) });
  return r.sufficientDecrease || r.approximateWolfe ? r.point : null;
}

function addStep(x: Float64Array, alpha: number, d: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + alpha * d[i];
  return out;
}

/**
 * Direct primal subspace minimization (BLNZ 1995, §5.1): minimize the model over the free coordinates F
 * from x^c. With Z selecting F, the reduced gradient is r = Zᵀ(g + θ(x^c − x) − W M c) and the reduced
 * Hessian θI − W_F M W_Fᵀ is inverted by Sherman–Morrison–Woodbury:
 *   d = −r/θ − W_F (I − M W_FᵀW_F/θ)⁻¹ M W_Fᵀ r / θ².
 * The unconstrained subspace minimizer is then projected into the box (Morales & Nocedal 2011); if that
 * is not a descent direction from x, the step is cut back to the box instead (the 1995 rule).
 */
/**
 * d = −B_F⁻¹ r on the free coordinates F, where B_F = θI − W_F M W_Fᵀ. With few free coordinates (|F| ≤ 2k)
 * B_F is formed and factored directly (it is symmetric positive definite when B is); otherwise the
 * Sherman–Morrison–Woodbury form of BLNZ (1995) eq. 5.11 works with the 2k × 2k matrix
 * N = I − M W_FᵀW_F / θ:  d = −r/θ − W_F N⁻¹ M W_Fᵀ r / θ². Null when the system is singular to working precision.
 */
export function reducedNewtonStep(B: CompactBfgs, free: readonly number[], r: Float64Array): Float64Array | null {
  const m = 2 * B.pairs;
  const theta = B.theta;
  const t = free.length;
  if (m === 0) return r.map((v) => -v / theta);
  try {
    if (t <= m) {
      const BF = matrix(t, t);
      const Mw = free.map((i) => applyM(B, rowOfW(B, i)));
      for (let a = 0; a < t; a++) {
        const wa = rowOfW(B, free[a]);
        for (let b = 0; b <= a; b++) {
          let v = a === b ? theta : 0;
          for (let j = 0; j < m; j++) v -= wa[j] * Mw[b][j];
          BF.data[a * t + b] = v;
          BF.data[b * t + a] = v;
        }
      }
      const d = choleskySolve(cholesky(BF), r);
      return d.map((v) => -v);
    }
    const wr = new Float64Array(m);
    const WtW = matrix(m, m);
    free.forEach((i, a) => {
      const w = rowOfW(B, i);
      for (let j = 0; j < m; j++) {
        wr[j] += w[j] * r[a];
        for (let l = 0; l < m; l++) WtW.data[j * m + l] += w[j] * w[l];
      }
    });
    const v = applyM(B, wr);
    const N = identity(m);
    for (let j = 0; j < m; j++) {
      for (let l = 0; l < m; l++) {
        let s = 0;
        for (let q = 0; q < m; q++) s += B.M.data[j * m + q] * WtW.data[q * m + l];
        N.data[j * m + l] -= s / theta;
      }
    }
    const u = solve(N, v);
    const d = r.map((x) => -x / theta);
    free.forEach((i, a) => {
      const w = rowOfW(B, i);
      let wu = 0;
      for (let j = 0; j < m; j++) wu += w[j] * u[j];
      d[a] -= wu / (theta * theta);
    });
    return d;
  } catch (error) {
    if (error instanceof SingularMatrixError || error instanceof NotPositiveDefiniteError) return null;
    throw error;
  }
}

function subspaceMinimum(
  x: Float64Array,
  g: Float64Array,
  box: Box,
  B: CompactBfgs,
  xc: Float64Array,
  c: Float64Array,
  atBound: Uint8Array,
): Float64Array {
  const n = x.length;
  const m = 2 * B.pairs;
  const theta = B.theta;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (!atBound[i]) free.push(i);
  if (free.length === 0) return xc;
  const Mc = m > 0 ? applyM(B, c) : new Float64Array(0);
  const r = new Float64Array(free.length);
  free.forEach((i, a) => {
    const w = rowOfW(B, i);
    let wMc = 0;
    for (let j = 0; j < m; j++) wMc += w[j] * Mc[j];
    r[a] = g[i] + theta * (xc[i] - x[i]) - wMc;
  });
  const du = reducedNewtonStep(B, free, r);
  // A reduced system singular to working precision (nearly dependent pairs): the Cauchy point alone is
  // still a step with the convergence guarantee of the method (BLNZ 1995, §6).
  if (du === null) return xc;
  const projected = Float64Array.from(xc);
  free.forEach((i, a) => {
    projected[i] = Math.min(box.upper[i], Math.max(box.lower[i], xc[i] + du[a]));
  });
  let descent = 0;
  for (let i = 0; i < n; i++) descent += (projected[i] - x[i]) * g[i];
  if (descent < 0) return projected;
  // Longest α ≤ 1 with x^c + α d feasible on the free coordinates.
  let alpha = 1;
  free.forEach((i, a) => {
    if (du[a] < 0 && box.lower[i] > -Infinity) alpha = Math.min(alpha, (box.lower[i] - xc[i]) / du[a]);
    else if (du[a] > 0 && box.upper[i] < Infinity) alpha = Math.min(alpha, (box.upper[i] - xc[i]) / du[a]);
  });
  const cut = Float64Array.from(xc);
  free.forEach((i, a) => {
    cut[i] = xc[i] + Math.max(alpha, 0) * du[a];
  });
  return project(cut, box);
}

/**
 * Line searches: given a point x and a descent direction d, choose a step α along φ(α) = f(x + α d).
 * Taught in the chapter "Optimization from first principles", section "Line searches and the Wolfe
 * conditions".
 *
 * A line search works on φ alone, so both are written against a callback `phi(α)` that returns the value
 * φ(α) and, for the strong-Wolfe search, the slope φ'(α) = ∇f(x + α d)ᵀ d. The callback may attach
 * anything else it computed (the new point, its gradient): the search hands back the point it accepted,
 * whole, so the caller never evaluates twice.
 *
 * A trial step whose value is NaN or infinite is treated as "too far" (the search shortens the step), so
 * that an objective defined only on part of the space (a log of a parameter, say) can be searched safely.
 */
import { InvalidInputError } from '../errors';

/** φ at one step. `derivative` is φ'(α); the backtracking search does not need it. */
export interface LinePoint {
  step: number;
  value: number;
  derivative?: number;
}

export interface LineSearchResult<P extends LinePoint> {
  /** The accepted point (the start, with step 0, if no acceptable step was found). */
  point: P;
  /** Calls of `phi` made by the search. */
  evaluations: number;
  /** Whether the accepted step satisfies the sufficient-decrease (Armijo) condition. */
  sufficientDecrease: boolean;
  /** Whether it satisfies the strong Wolfe conditions (always false for backtracking). */
  strongWolfe: boolean;
  /**
   * Whether it was accepted by the approximate Wolfe test instead (Hager & Zhang 2005): f no higher than
   * φ(0) + `valueNoise` and the curvature condition met. Only with `valueNoise` > 0.
   */
  approximateWolfe: boolean;
  message: string;
}

export interface BacktrackingOptions {
  /** First trial step. Default 1 (the natural step of Newton and quasi-Newton directions). */
  initialStep?: number;
  /** c₁ in φ(α) ≤ φ(0) + c₁ α φ'(0). Default 1e-4 (Nocedal & Wright 2006, §3.1). */
  sufficientDecrease?: number;
  /** Calls of `phi` allowed. Default 60 (enough to shrink a step by 2⁻⁶⁰). */
  maxEvaluations?: number;
}

export interface StrongWolfeOptions {
  /** First trial step. Default 1. */
  initialStep?: number;
  /** c₁ of the sufficient-decrease condition. Default 1e-4. */
  sufficientDecrease?: number;
  /** c₂ of the curvature condition |φ'(α)| ≤ c₂ |φ'(0)|. Default 0.9 (quasi-Newton); use 0.1 for conjugate-gradient-like accuracy. */
  curvature?: number;
  /** Largest step allowed (L-BFGS-B uses it to stay inside the box). Default Infinity. */
  maxStep?: number;
  /** Calls of `phi` allowed. Default 40. */
  maxEvaluations?: number;
  /**
   * Rounding noise in φ (absolute). When positive, a step is also accepted if φ(α) ≤ φ(0) + valueNoise and
   * the curvature condition holds: near a minimizer f changes by less than its rounding error, and the
   * slope, which is still accurate, must then judge progress (Hager & Zhang 2005, "approximate Wolfe").
   * Default 0 (off).
   */
  valueNoise?: number;
}

function checkStartSlope(start: LinePoint): number {
  const d0 = start.derivative;
  if (typeof d0 !== 'number' || !Number.isFinite(start.value) || !Number.isFinite(d0)) {
    throw new InvalidInputError('start', `expected a finite value and slope at step 0, got φ(0) = ${start.value}, φ'(0) = ${d0}`);
  }
  if (d0 >= 0) throw new InvalidInputError('direction', `is not a descent direction: φ'(0) = ${d0} ≥ 0`);
  return d0;
}

function checkConstants(c1: number, c2: number): void {
  if (!(c1 > 0 && c1 < 1)) throw new InvalidInputError('sufficientDecrease', `expected 0 < c₁ < 1, got ${c1}`);
  if (!(c2 >= c1 && c2 < 1)) throw new InvalidInputError('curvature', `expected c₁ ≤ c₂ < 1, got c₂ = ${c2} with c₁ = ${c1}`);
}

/**
 * Backtracking (Armijo) line search, Nocedal & Wright (2006) Algorithm 3.1: try α, and while
 * φ(α) > φ(0) + c₁ α φ'(0) replace α by the minimizer of the quadratic through φ(0), φ'(0) and φ(α),
 * kept within [0.1 α, 0.5 α] (their §3.5, eq. 3.57).
 */
export function backtrackingLineSearch<P extends LinePoint>(
  phi: (step: number) => P,
  start: P,
  options: BacktrackingOptions = {},
): LineSearchResult<P> {
  const d0 = checkStartSlope(start);
  const c1 = options.sufficientDecrease ?? 1e-4;
  checkConstants(c1, Math.max(0.9, (1 + c1) / 2));
  const maxEvaluations = options.maxEvaluations ?? 60;
  let step = options.initialStep ?? 1;
  if (!(step > 0) || !Number.isFinite(step)) throw new InvalidInputError('initialStep', `expected a positive finite step, got ${step}`);
  for (let k = 1; k <= maxEvaluations; k++) {
    const p = phi(step);
    if (Number.isFinite(p.value) && p.value <= start.value + c1 * step * d0) {
      return { point: p, evaluations: k, sufficientDecrease: true, strongWolfe: false, approximateWolfe: false, message: 'sufficient decrease' };
    }
    let next = 0.5 * step;
    if (Number.isFinite(p.value)) {
      const quadratic = (-d0 * step * step) / (2 * (p.value - start.value - d0 * step));
      if (Number.isFinite(quadratic)) next = Math.min(0.5 * step, Math.max(0.1 * step, quadratic));
    }
    step = next;
  }
  return {
    point: start,
    evaluations: maxEvaluations,
    sufficientDecrease: false,
    strongWolfe: false,
    approximateWolfe: false,
    message: `no step with sufficient decrease after ${maxEvaluations} trials (last step ${step})`,
  };
}

/**
 * The minimizer of the cubic interpolating φ and φ' at a and b (Nocedal & Wright 2006, eq. 3.59), or
 * NaN when the cubic has none.
 */
export function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const denom = db - da + 2 * d2;
  if (denom === 0) return NaN;
  return b - ((b - a) * (db + d2 - d1)) / denom;
}

/**
 * Line search for the strong Wolfe conditions, Nocedal & Wright (2006) Algorithms 3.5 (bracketing) and
 * 3.6 (zoom), with safeguarded cubic interpolation:
 *
 *   φ(α) ≤ φ(0) + c₁ α φ'(0)   (sufficient decrease)      |φ'(α)| ≤ c₂ |φ'(0)|   (curvature).
 *
 * The curvature condition keeps steps from being uselessly short and guarantees sᵀy > 0, which BFGS
 * updates need. If the conditions cannot be met within `maxEvaluations` the best point with sufficient
 * decrease is returned (`strongWolfe: false`); if none, the start (`sufficientDecrease: false`).
 */
export function strongWolfeLineSearch<P extends LinePoint>(
  phi: (step: number) => P,
  start: P,
  options: StrongWolfeOptions = {},
): LineSearchResult<P> {
  const d0 = checkStartSlope(start);
  const c1 = options.sufficientDecrease ?? 1e-4;
  const c2 = options.curvature ?? 0.9;
  checkConstants(c1, c2);
  const maxStep = options.maxStep ?? Infinity;
  const maxEvaluations = options.maxEvaluations ?? 40;
  const valueNoise = options.valueNoise ?? 0;
  if (!(valueNoise >= 0)) throw new InvalidInputError('valueNoise', `expected a non-negative number, got ${valueNoise}`);
  if (!(maxStep > 0)) throw new InvalidInputError('maxStep', `expected a positive step, got ${maxStep}`);
  let step = Math.min(options.initialStep ?? 1, maxStep);
  if (!(step > 0) || !Number.isFinite(step)) throw new InvalidInputError('initialStep', `expected a positive finite step, got ${step}`);

  let evaluations = 0;
  const armijo = (p: P) => Number.isFinite(p.value) && p.value <= start.value + c1 * p.step * d0;
  const curvatureHolds = (p: P) => Math.abs(p.derivative as number) <= -c2 * d0;
  const slope = (p: P) => {
    const d = p.derivative;
    return typeof d === 'number' && Number.isFinite(d) ? d : NaN;
  };
  const done = (point: P, strongWolfe: boolean, message: string): LineSearchResult<P> => ({
    point,
    evaluations,
    sufficientDecrease: point.step > 0 && armijo(point),
    strongWolfe,
    approximateWolfe: false,
    message,
  });
  // The approximate Wolfe test, checked at every trial before the exact conditions.
  const approximate = (p: P): LineSearchResult<P> | null =>
    valueNoise > 0 && !armijo(p) && Number.isFinite(p.value) && p.value <= start.value + valueNoise && Number.isFinite(slope(p)) && curvatureHolds(p)
      ? { point: p, evaluations, sufficientDecrease: false, strongWolfe: false, approximateWolfe: true, message: 'approximate Wolfe conditions hold (f is flat to rounding here)' }
      : null;

  // Zoom (Algorithm 3.6). Invariants: lo satisfies sufficient decrease and has the lowest value so far
  // among such points; φ'(lo)(hi − lo) < 0, so an acceptable step lies between them.
  const zoom = (lo: P, hi: P): LineSearchResult<P> => {
    // Widths of the last two intervals: if two trials did not shrink the interval to 2/3, bisect
    // (the safeguard of Moré & Thuente 1994, §4), so that interpolation cannot stall at one end.
    let widthBefore = Infinity;
    let widthBeforeThat = Infinity;
    while (evaluations < maxEvaluations) {
      const width = hi.step - lo.step;
      if (Math.abs(width) <= 1e-15 * Math.max(Math.abs(lo.step), Math.abs(hi.step))) break;
      // The cubic through both ends when both are usable, if it falls strictly inside the interval.
      let trial = NaN;
      const dHi = slope(hi);
      const dLo = slope(lo);
      if (Number.isFinite(hi.value) && Number.isFinite(dHi)) {
        trial = cubicMinimizer(lo.step, lo.value, dLo, hi.step, hi.value, dHi);
      }
      const margin = 1e-6 * Math.abs(width);
      const a = Math.min(lo.step, hi.step) + margin;
      const b = Math.max(lo.step, hi.step) - margin;
      const stalled = Math.abs(width) > (2 / 3) * widthBeforeThat;
      if (!Number.isFinite(trial) || trial < a || trial > b || stalled) trial = lo.step + 0.5 * width;
      widthBeforeThat = widthBefore;
      widthBefore = Math.abs(width);
      const p = phi(trial);
      evaluations++;
      const flat = approximate(p);
      if (flat) return flat;
      if (!armijo(p) || p.value >= lo.value) {
        hi = p;
      } else {
        if (curvatureHolds(p)) return done(p, true, 'strong Wolfe conditions hold');
        if (!Number.isFinite(slope(p))) return done(p, false, 'sufficient decrease; slope not finite');
        if (slope(p) * (hi.step - lo.step) >= 0) hi = lo;
        lo = p;
      }
    }
    return done(lo, false, lo.step > 0 ? 'sufficient decrease only: the interval of acceptable steps became too small to resolve' : 'no step with sufficient decrease');
  };

  let previous = start;
  for (let i = 1; evaluations < maxEvaluations; i++) {
    const p = phi(step);
    evaluations++;
    const flat = approximate(p);
    if (flat) return flat;
    if (!armijo(p) || (i > 1 && p.value >= previous.value)) return zoom(previous, p);
    const d = slope(p);
    if (!Number.isFinite(d)) return done(p, false, 'sufficient decrease; slope not finite');
    if (curvatureHolds(p)) return done(p, true, 'strong Wolfe conditions hold');
    if (d >= 0) return zoom(p, previous);
    if (step >= maxStep) return done(p, false, 'sufficient decrease at the largest step allowed');
    // Still descending: extrapolate, by the cubic's minimizer when it lies 1.1 to 4 times further out.
    const width = step - previous.step;
    let next = cubicMinimizer(previous.step, previous.value, slope(previous), step, p.value, d);
    if (!Number.isFinite(next) || next < step + 1.1 * width || next > step + 4 * width) next = step + 4 * width;
    previous = p;
    step = Math.min(next, maxStep);
  }
  return done(previous, false, previous.step > 0 ? 'sufficient decrease only: evaluation limit reached' : 'no acceptable step within the evaluation limit');
}

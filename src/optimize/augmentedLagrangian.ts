/**
 * Constrained minimization by the augmented Lagrangian method: minimize f(x) subject to equalities
 * h(x) = 0, inequalities c(x) ≥ 0 and bounds l ≤ x ≤ u, for objectives that do not separate. Taught in the
 * chapter "Optimization from first principles", section "Constraints: the augmented Lagrangian"; used by
 * the budget allocator.
 *
 * The method is the Powell–Hestenes–Rockafellar augmented Lagrangian as in ALGENCAN (Birgin & Martínez
 * 2014, "Practical Augmented Lagrangian Methods for Constrained Optimization", SIAM, Algorithm 4.1): the
 * bounds stay with the inner solver (L-BFGS-B), the other constraints move into
 *
 *   L_ρ(x; λ, μ) = f(x) + (ρ/2) [ Σᵢ (hᵢ(x) − λᵢ/ρ)² + Σⱼ max(0, μⱼ/ρ − cⱼ(x))² ],
 *
 * which is minimized over the box; then the multipliers are updated, λ ← λ − ρ h(x), μ ← max(0, μ − ρ c(x)),
 * and ρ grows tenfold when the infeasibility did not halve. With the updated multipliers, ∇L_ρ is exactly
 * the gradient of the Lagrangian f − λᵀh − μᵀc, so the inner solver's stopping test is the KKT stationarity
 * test. At the solution the multipliers satisfy ∇f = Σ λᵢ∇hᵢ + Σ μⱼ∇cⱼ (plus bound multipliers), μ ≥ 0.
 */
import { InvalidInputError } from '../errors';
import { lbfgsb } from './lbfgsb';
import { checkStart, createEvaluator, projectStart, resolveBounds, STALLED_MESSAGE, type Evaluator } from './problem';
import type { BoundsOptions, ObjectiveLike, OptimizationResult } from './types';
import { normInf } from './vector';

/** A constraint function: its value, and optionally its gradient (else central differences). */
export interface Constraint {
  value(x: Float64Array): number;
  gradient?(x: Float64Array): ArrayLike<number>;
}

export type ConstraintLike = Constraint | ((x: Float64Array) => number);

export interface AugmentedLagrangianOptions extends BoundsOptions {
  /** Functions h with h(x) = 0 at a solution. */
  equalities?: readonly ConstraintLike[];
  /** Functions c with c(x) ≥ 0 at a solution. */
  inequalities?: readonly ConstraintLike[];
  /** Largest constraint violation accepted at the solution. Default 1e-8. */
  constraintTolerance?: number;
  /** Largest projected gradient of the Lagrangian accepted at the solution. Default 1e-8. */
  optimalityTolerance?: number;
  /** Outer (multiplier) iterations allowed. Default 50. */
  maxOuterIterations?: number;
  /** Iterations allowed to each inner L-BFGS-B run. Default 2000. */
  maxInnerIterations?: number;
  /** Starting penalty ρ₀. Default: Birgin & Martínez's scale-aware choice (their eq. 12.1). */
  initialPenalty?: number;
  /** Starting multipliers (e.g. from a previous, similar problem). Default 0. */
  initialMultipliers?: { equalities?: ArrayLike<number>; inequalities?: ArrayLike<number> };
}

export interface ConstrainedResult extends OptimizationResult {
  /** λ for the equalities and μ ≥ 0 for the inequalities, with ∇f = Σ λᵢ∇hᵢ + Σ μⱼ∇cⱼ at the solution. */
  multipliers: { equalities: Float64Array; inequalities: Float64Array };
  /** h(x) and c(x) at the returned point. */
  constraintValues: { equalities: Float64Array; inequalities: Float64Array };
  /** max(‖h(x)‖∞, max(0, −c(x))∞). */
  constraintViolation: number;
  /** The final penalty ρ. */
  penalty: number;
  /** Multiplier updates made (the inner L-BFGS-B iterations are in `iterations`). */
  outerIterations: number;
}

/**
 * Minimizes f subject to equalities, inequalities (c(x) ≥ 0) and bounds by the PHR augmented Lagrangian
 * with L-BFGS-B inside. Chapter: "Optimization from first principles".
 */
export function augmentedLagrangian(objective: ObjectiveLike, x0: ArrayLike<number>, options: AugmentedLagrangianOptions = {}): ConstrainedResult {
  const start = checkStart(x0);
  const n = start.length;
  const box = resolveBounds(n, options);
  const warnings: string[] = [];
  let x = projectStart(start, box, warnings);
  const f = createEvaluator(objective, n);
  const toEvaluator = (c: ConstraintLike, i: number, kind: string) => {
    if (typeof c !== 'function' && (c == null || typeof c.value !== 'function')) {
      throw new InvalidInputError(kind, `entry ${i} is not a function or an object with a value function`);
    }
    return createEvaluator(typeof c === 'function' ? c : { value: c.value, gradient: c.gradient }, n);
  };
  const H = (options.equalities ?? []).map((c, i) => toEvaluator(c, i, 'equalities'));
  const C = (options.inequalities ?? []).map((c, i) => toEvaluator(c, i, 'inequalities'));
  const feasibilityTolerance = options.constraintTolerance ?? 1e-8;
  const optimalityTolerance = options.optimalityTolerance ?? 1e-8;
  const maxOuter = options.maxOuterIterations ?? 50;
  const maxInner = options.maxInnerIterations ?? 2000;
  for (const [name, v] of [['constraintTolerance', feasibilityTolerance], ['optimalityTolerance', optimalityTolerance]] as const) {
    if (!(v > 0)) throw new InvalidInputError(name, `expected a positive number, got ${v}`);
  }
  if (!f.analyticGradient) warnings.push('no gradient supplied for the objective: using central differences');
  if ([...H, ...C].some((c) => !c.analyticGradient)) warnings.push('a constraint has no gradient: using central differences for it');

  const lambda = multipliersFrom(options.initialMultipliers?.equalities, H.length, 'initialMultipliers.equalities');
  const mu = multipliersFrom(options.initialMultipliers?.inequalities, C.length, 'initialMultipliers.inequalities');
  for (let j = 0; j < mu.length; j++) {
    if (mu[j] < 0) throw new InvalidInputError('initialMultipliers.inequalities', `entry ${j} is ${mu[j]}; inequality multipliers must be ≥ 0`);
  }
  const valuesAt = (point: Float64Array, list: Evaluator[]) => Float64Array.from(list, (c) => c.value(point));
  const violation = (h: Float64Array, c: Float64Array) => Math.max(normInf(h), ...Array.from(c, (v) => Math.max(0, -v)), 0);

  let hx = valuesAt(x, H);
  let cx = valuesAt(x, C);
  let rho = options.initialPenalty ?? initialPenalty(f.value(x), hx, cx);
  if (!(rho > 0)) throw new InvalidInputError('initialPenalty', `expected a positive number, got ${rho}`);

  let innerIterations = 0;
  let previousMeasure = Infinity;
  let outer = 0;
  let converged = false;
  let message = '';
  let fx = NaN;
  let gx: Float64Array = new Float64Array(n);
  for (; outer < maxOuter; ) {
    outer++;
    // Inner tolerance tightens with the outer iterations, down to the optimality tolerance.
    const schedule = Math.pow(10, -(outer + 1));
    const finalTolerance = schedule <= optimalityTolerance;
    const innerTolerance = finalTolerance ? optimalityTolerance : schedule;
    const penalty = rho;
    const lagrangian = {
      valueAndGradient(point: Float64Array) {
        const e = f.valueAndGradient(point);
        let value = e.value;
        const gradient = e.gradient;
        H.forEach((h, i) => {
          const he = h.valueAndGradient(point);
          const shifted = he.value - lambda[i] / penalty;
          value += 0.5 * penalty * shifted * shifted;
          for (let k = 0; k < n; k++) gradient[k] += penalty * shifted * he.gradient[k];
        });
        C.forEach((c, j) => {
          const ce = c.valueAndGradient(point);
          const active = Math.max(0, mu[j] / penalty - ce.value);
          value += 0.5 * penalty * active * active;
          if (active > 0) for (let k = 0; k < n; k++) gradient[k] -= penalty * active * ce.gradient[k];
        });
        return { value, gradient };
      },
    };
    const inner = lbfgsb(lagrangian, x, { lower: box.lower, upper: box.upper, gradientTolerance: innerTolerance, maxIterations: maxInner });
    innerIterations += inner.iterations;
    x = inner.x;
    hx = valuesAt(x, H);
    cx = valuesAt(x, C);
    // Multiplier updates (first-order), safeguarded as in ALGENCAN.
    for (let i = 0; i < lambda.length; i++) lambda[i] = clamp(lambda[i] - rho * hx[i], -1e20, 1e20);
    let measure = normInf(hx);
    for (let j = 0; j < mu.length; j++) {
      measure = Math.max(measure, Math.abs(Math.min(cx[j], mu[j] / rho)));
      mu[j] = clamp(mu[j] - rho * cx[j], 0, 1e20);
    }
    // ALGENCAN's measure: infeasibility, and complementarity (an inequality with a multiplier left must be
    // active), both at once.
    const feasible = measure <= feasibilityTolerance;
    const e = f.valueAndGradient(x);
    fx = e.value;
    gx = e.gradient;
    if (feasible && inner.converged && finalTolerance) {
      converged = true;
      message = `KKT conditions hold: constraint violation ${violation(hx, cx).toExponential(2)}, Lagrangian projected gradient ≤ ${optimalityTolerance}`;
      break;
    }
    if (feasible && !inner.converged && finalTolerance && inner.message.startsWith(STALLED_MESSAGE)) {
      // The inner problem cannot be solved more finely in floating point: accept, saying so.
      converged = true;
      message = `feasible (violation ${violation(hx, cx).toExponential(2)}); the inner solver stopped at the limit of floating point: ${inner.message}`;
      break;
    }
    if (outer > 1 && measure > feasibilityTolerance && measure > 0.5 * previousMeasure) rho = Math.min(10 * rho, 1e20);
    previousMeasure = measure;
  }
  if (!converged) {
    message = `${maxOuter} outer iterations without meeting the KKT tests: constraint violation ${violation(hx, cx).toExponential(2)}, penalty ${rho.toExponential(1)}`;
    if (violation(hx, cx) > feasibilityTolerance) warnings.push('the returned point violates the constraints: the problem may be infeasible, or ill-posed at the solution');
  }
  return {
    x,
    value: fx,
    gradient: gx,
    iterations: innerIterations,
    evaluations: f.evaluations,
    gradientEvaluations: f.gradientEvaluations,
    converged,
    message,
    warnings,
    multipliers: { equalities: lambda, inequalities: mu },
    constraintValues: { equalities: hx, inequalities: cx },
    constraintViolation: violation(hx, cx),
    penalty: rho,
    outerIterations: outer,
  };
}

function multipliersFrom(values: ArrayLike<number> | undefined, count: number, name: string): Float64Array {
  if (values === undefined) return new Float64Array(count);
  if (values.length !== count) throw new InvalidInputError(name, `has ${values.length} entries for ${count} constraints`);
  const out = Float64Array.from(values);
  for (let i = 0; i < count; i++) if (!Number.isFinite(out[i])) throw new InvalidInputError(name, `entry ${i} is ${out[i]}`);
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * ρ₀ = max(1e-8, min(10 max(1, |f(x₀)|) / max(1, ½(‖h(x₀)‖² + ‖min(0, c(x₀))‖²)), 1e8)) — Birgin & Martínez
 * (2014), §12.4: penalty and objective start on comparable scales.
 */
function initialPenalty(f0: number, h: Float64Array, c: Float64Array): number {
  let infeasibility = 0;
  for (const v of h) infeasibility += v * v;
  for (const v of c) infeasibility += Math.min(0, v) ** 2;
  const scale = Number.isFinite(f0) ? Math.max(1, Math.abs(f0)) : 1;
  return Math.max(1e-8, Math.min((10 * scale) / Math.max(1, 0.5 * infeasibility), 1e8));
}

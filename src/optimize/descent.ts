/**
 * The loop shared by the line-search methods (gradient descent, Newton, L-BFGS): evaluate, test for
 * convergence, ask the method for a direction, search along it, accept, repeat. Each method supplies
 * only its direction rule. Internal to the optimize layer; taught in "Optimization from first principles".
 */
import { InvalidInputError } from '../errors';
import { backtrackingLineSearch, strongWolfeLineSearch, type LinePoint } from './lineSearch';
import {
  checkStart,
  createEvaluator,
  createStallMonitor,
  ROUNDING,
  STALL_ITERATIONS,
  STALLED_MESSAGE,
  record,
  requireFinite,
  resolveStopping,
  smallDecrease,
  smallStep,
  type Evaluator,
} from './problem';
import type { IterationRecord, ObjectiveLike, OptimizationResult, StoppingOptions } from './types';
import { addScaled, allFinite, dot, normInf } from './vector';

export interface DescentState {
  iteration: number;
  x: Float64Array;
  value: number;
  gradient: Float64Array;
}

export interface Direction {
  direction: Float64Array;
  /** The step the line search tries first. */
  initialStep: number;
}

export interface DirectionRule {
  /** A descent direction at `state` (gᵀd < 0), or null when the rule cannot give one. */
  next(state: DescentState, evaluator: Evaluator): Direction | null;
  /** Called after each accepted step (quasi-Newton methods update their memory here). */
  accepted?(previous: DescentState, current: DescentState): void;
  /** Forget curvature information; returns false when there was none to forget. */
  reset?(): boolean;
}

export type LineSearchKind = 'strongWolfe' | 'backtracking' | 'none';

export interface DescentSettings {
  lineSearch: LineSearchKind;
  /** c₂ for the strong-Wolfe search. */
  curvature: number;
  /** Fixed step used when lineSearch is 'none'. */
  fixedStep?: number;
  defaultMaxIterations: number;
}

interface TrialPoint extends LinePoint {
  x: Float64Array;
  gradient?: Float64Array;
}

export function descend(
  objective: ObjectiveLike,
  x0: ArrayLike<number>,
  options: StoppingOptions,
  rule: (evaluator: Evaluator) => DirectionRule,
  settings: DescentSettings,
): OptimizationResult {
  let x = checkStart(x0);
  const stopping = resolveStopping(options, settings.defaultMaxIterations);
  const evaluator = createEvaluator(objective, x.length);
  const method = rule(evaluator);
  const warnings: string[] = [];
  if (!evaluator.analyticGradient) warnings.push('no gradient supplied: using central differences (2n evaluations per gradient)');

  let current = evaluator.valueAndGradient(x);
  requireFinite(current, 0, x);
  let state: DescentState = { iteration: 0, x, value: current.value, gradient: current.gradient };
  const trace: IterationRecord[] = [];
  if (stopping.trace) trace.push(record(0, x, state.value, normInf(state.gradient), 0, evaluator.evaluations));
  const stalled = createStallMonitor(state.value);

  const finish = (converged: boolean, message: string): OptimizationResult => ({
    x: state.x,
    value: state.value,
    gradient: state.gradient,
    iterations: state.iteration,
    evaluations: evaluator.evaluations,
    gradientEvaluations: evaluator.gradientEvaluations,
    converged,
    message,
    warnings,
    ...(stopping.trace ? { trace } : {}),
  });

  for (;;) {
    const gNorm = normInf(state.gradient);
    if (gNorm <= stopping.gradientTolerance) return finish(true, `gradient norm ${gNorm.toExponential(2)} ≤ gradientTolerance`);
    if (state.iteration >= stopping.maxIterations) return finish(false, `maxIterations (${stopping.maxIterations}) reached; gradient norm ${gNorm.toExponential(2)}`);
    if (evaluator.evaluations >= stopping.maxEvaluations) return finish(false, `maxEvaluations (${stopping.maxEvaluations}) reached; gradient norm ${gNorm.toExponential(2)}`);

    let step = method.next(state, evaluator);
    if (step === null || !(dot(step.direction, state.gradient) < 0)) {
      if (method.reset && method.reset()) step = method.next(state, evaluator);
      if (step === null || !(dot(step.direction, state.gradient) < 0)) {
        step = { direction: state.gradient.map((g) => -g), initialStep: 1 / Math.max(1, gNorm) };
      }
    }
    let accepted = search(state, step, evaluator, settings);
    if (accepted === null && method.reset && method.reset()) {
      // A failed search along a quasi-Newton direction is often stale curvature: retry from scratch.
      const retry = method.next(state, evaluator);
      if (retry !== null && dot(retry.direction, state.gradient) < 0) accepted = search(state, retry, evaluator, settings);
    }
    if (accepted === null) {
      return finish(false, `the line search found no lower value (gradient norm ${gNorm.toExponential(2)}): f cannot be lowered further in floating point, or the gradient is wrong`);
    }
    const iteration = state.iteration + 1;
    const gradient = accepted.gradient ?? evaluator.valueAndGradient(accepted.x).gradient;
    const next: DescentState = { iteration, x: accepted.x, value: accepted.value, gradient };
    requireFinite({ value: next.value, gradient }, iteration, next.x);
    const stepVector = addScaled(next.x, -1, state.x);
    if (method.accepted) method.accepted(state, next);
    const previousValue = state.value;
    state = next;
    if (stopping.trace) trace.push(record(iteration, state.x, state.value, normInf(gradient), normInf(stepVector), evaluator.evaluations));
    if (normInf(gradient) <= stopping.gradientTolerance) continue; // reported at the top of the loop
    if (stalled(state.value)) {
      return finish(false, `${STALLED_MESSAGE} in ${STALL_ITERATIONS} iterations (gradient norm ${normInf(gradient).toExponential(2)} > gradientTolerance): the tolerance asks for more than floating point resolves here`);
    }
    if (smallDecrease(previousValue, state.value, stopping.valueTolerance)) {
      return finish(true, `relative decrease of f ≤ valueTolerance (gradient norm ${normInf(gradient).toExponential(2)})`);
    }
    if (smallStep(stepVector, state.x, stopping.stepTolerance)) {
      return finish(true, `relative step ≤ stepTolerance (gradient norm ${normInf(gradient).toExponential(2)})`);
    }
  }
}

function search(state: DescentState, step: Direction, evaluator: Evaluator, settings: DescentSettings): TrialPoint | null {
  const d = step.direction;
  const needSlope = settings.lineSearch === 'strongWolfe';
  const phi = (alpha: number): TrialPoint => {
    const x = addScaled(state.x, alpha, d);
    if (!needSlope) return { step: alpha, x, value: evaluator.value(x) };
    const e = evaluator.valueAndGradient(x);
    const slope = Number.isFinite(e.value) && allFinite(e.gradient) ? dot(e.gradient, d) : NaN;
    return { step: alpha, x, value: e.value, derivative: slope, gradient: e.gradient };
  };
  const start: TrialPoint = { step: 0, x: state.x, value: state.value, derivative: dot(state.gradient, d), gradient: state.gradient };
  if (settings.lineSearch === 'none') {
    const p = phi(settings.fixedStep ?? 1);
    // A fixed step is taken as is (that is the point of showing it), unless it leaves the domain of f.
    return Number.isFinite(p.value) ? p : null;
  }
  const result =
    settings.lineSearch === 'strongWolfe'
      ? strongWolfeLineSearch(phi, start, { initialStep: step.initialStep, curvature: settings.curvature, valueNoise: ROUNDING * Math.abs(state.value) })
      : backtrackingLineSearch(phi, start, { initialStep: step.initialStep });
  return result.sufficientDecrease || result.approximateWolfe ? result.point : null;
}

export function checkLineSearch(kind: string | undefined, fallback: LineSearchKind): LineSearchKind {
  const k = kind ?? fallback;
  if (k !== 'strongWolfe' && k !== 'backtracking' && k !== 'none') {
    throw new InvalidInputError('lineSearch', `expected 'strongWolfe', 'backtracking' or 'none', got ${String(kind)}`);
  }
  return k;
}

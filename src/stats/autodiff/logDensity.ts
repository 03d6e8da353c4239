/**
 * From a model written on the tape to what a sampler calls: `createLogDensity(dimension, model)` returns
 * an object with `logDensity(θ)` and `logDensityGradient(θ, gradient)`, the `Target` shape of the
 * `sample` layer. One tape is kept inside and reused on every call.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { createTape, type Tape, type Var } from './tape';

/** A model: given the tape and the unconstrained parameter vector θ (a variable), its log density. */
export type LogDensityModel = (tape: Tape, theta: Var) => Var;

export interface LogDensityOptions {
  /** Names of the reported quantities (passed through for the samplers). */
  parameterNames?: readonly string[];
  /** Maps θ to the reported quantities (passed through for the samplers). */
  constrain?(theta: Float64Array): ArrayLike<number>;
}

export interface LogDensity {
  readonly dimension: number;
  /** log p(θ), without the reverse pass. */
  logDensity(theta: ArrayLike<number>): number;
  /**
   * log p(θ), writing ∇ log p(θ) into `gradient` (length `dimension`). When log p(θ) is not finite
   * (−∞ outside a support, NaN after an overflow) the value is returned as is and `gradient` is filled
   * with NaN, which the samplers treat as a divergence.
   */
  logDensityGradient(theta: ArrayLike<number>, gradient: Float64Array): number;
  readonly parameterNames?: readonly string[];
  constrain?(theta: Float64Array): ArrayLike<number>;
}

function checkTheta(theta: ArrayLike<number>, dimension: number): void {
  if (theta.length !== dimension) {
    throw new DimensionMismatchError('theta', `expected ${dimension} values, got ${theta.length}`);
  }
}

/** Records the model at θ on the (reset) tape; returns the variable θ and the scalar output. */
function evaluate(tape: Tape, model: LogDensityModel, theta: ArrayLike<number>): { variable: Var; output: Var } {
  tape.reset();
  const variable = tape.variable(theta);
  const output = model(tape, variable);
  if (output.size !== 1) throw new DimensionMismatchError('model', `expected a scalar log density, got ${output.size} entries`);
  return { variable, output };
}

/**
 * A log density with exact gradients from a model written on the tape.
 *
 * @example
 * const target = createLogDensity(2, (t, theta) => t.logDensity(normalFamily, y, t.index(theta, 0), t.exp(t.index(theta, 1))));
 * const g = new Float64Array(2);
 * const lp = target.logDensityGradient([0.5, 0], g);
 */
export function createLogDensity(dimension: number, model: LogDensityModel, options: LogDensityOptions = {}): LogDensity {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new InvalidInputError('dimension', `expected a positive integer, got ${dimension}`);
  }
  if (typeof model !== 'function') throw new InvalidInputError('model', 'expected a function (tape, theta) => log density');
  const tape = createTape();
  const result: LogDensity = {
    dimension,
    logDensity(theta) {
      checkTheta(theta, dimension);
      return evaluate(tape, model, theta).output.value[0];
    },
    logDensityGradient(theta, gradient) {
      checkTheta(theta, dimension);
      if (gradient.length !== dimension) {
        throw new DimensionMismatchError('gradient', `expected ${dimension} entries, got ${gradient.length}`);
      }
      const { variable, output } = evaluate(tape, model, theta);
      const value = output.value[0];
      if (!Number.isFinite(value)) {
        gradient.fill(NaN);
        return value;
      }
      tape.backward(output);
      gradient.set(tape.gradient(variable));
      return value;
    },
  };
  if (options.parameterNames) (result as { parameterNames?: readonly string[] }).parameterNames = options.parameterNames;
  if (options.constrain) result.constrain = options.constrain;
  return result;
}

/**
 * The value and gradient of f at x in one call, on a fresh tape: for exploring and for tests. A sampler
 * should use `createLogDensity`, which reuses its tape.
 */
export function valueAndGradient(f: (tape: Tape, x: Var) => Var, x: ArrayLike<number>): { value: number; gradient: Float64Array } {
  const tape = createTape();
  const { variable, output } = evaluate(tape, f, x);
  tape.backward(output);
  return { value: output.value[0], gradient: Float64Array.from(tape.gradient(variable)) };
}

/**
 * Central finite differences (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ with hᵢ = step · max(1, |xᵢ|): the check on
 * every exact gradient. Its error is O(h²) plus rounding of order ε|f|/h, about 1e-10 relative at the
 * default step.
 */
export function centralDifferenceGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, step = 1e-5): Float64Array {
  const point = Float64Array.from(x);
  const out = new Float64Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const xi = point[i];
    const h = step * Math.max(1, Math.abs(xi));
    point[i] = xi + h;
    const up = f(point);
    point[i] = xi - h;
    const down = f(point);
    point[i] = xi;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

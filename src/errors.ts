/**
 * Typed errors shared by every layer of the library.
 *
 * Each error names the input that caused it and says what would have been valid, so that a reader who
 * passes a bad column, a singular matrix or a cyclic graph learns which one and why, instead of
 * receiving NaN three functions later.
 */

/** Base class of every error the library throws on purpose. */
export class MMMError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument is malformed: wrong length, out of its domain, non-finite, and so on. */
export class InvalidInputError extends MMMError {
  /** Name of the offending argument or field, e.g. `"alpha"` or `"X"`. */
  readonly input: string;
  constructor(input: string, message: string) {
    super(`${input}: ${message}`);
    this.input = input;
  }
}

/** Two arguments that must agree in size do not. */
export class DimensionMismatchError extends InvalidInputError {}

/** A matrix that had to be symmetric positive definite is not (Cholesky met a non-positive pivot). */
export class NotPositiveDefiniteError extends InvalidInputError {
  /** Zero-based index of the pivot at which the factorization failed. */
  readonly pivot: number;
  constructor(input: string, pivot: number, message: string) {
    super(input, message);
    this.pivot = pivot;
  }
}

/** A matrix that had to be invertible (or of full column rank) is singular to working precision. */
export class SingularMatrixError extends InvalidInputError {}

/** An iterative method stopped without meeting its convergence criterion. */
export class ConvergenceError extends MMMError {}

/** Throws `InvalidInputError` unless `value` is a finite number. */
export function assertFinite(input: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite number, got ${value}`);
  }
}

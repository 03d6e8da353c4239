/**
 * The optimize layer: line searches, unconstrained and bound-constrained minimizers, nonlinear least
 * squares, and constrained minimization by augmented Lagrangian. Taught in the chapter "Optimization
 * from first principles".
 */
export type { Objective, ObjectiveLike, OptimizationResult, IterationRecord, StoppingOptions, BoundsOptions } from './types';
export { numericalGradient, numericalJacobian, numericalHessian, type DifferenceOptions } from './numerical';
export {
  backtrackingLineSearch,
  strongWolfeLineSearch,
  cubicMinimizer,
  type LinePoint,
  type LineSearchResult,
  type BacktrackingOptions,
  type StrongWolfeOptions,
} from './lineSearch';
export { gradientDescent, type GradientDescentOptions } from './gradientDescent';
export { newtonMethod, shiftedCholesky, type NewtonOptions, type ShiftedCholesky } from './newton';
export { lbfgs, lbfgsTwoLoop, type LbfgsOptions } from './lbfgs';
export { lbfgsb, type LbfgsbOptions } from './lbfgsb';
export {
  augmentedLagrangian,
  type AugmentedLagrangianOptions,
  type ConstrainedResult,
  type Constraint,
  type ConstraintLike,
} from './augmentedLagrangian';
export { levenbergMarquardt, type LevenbergMarquardtOptions, type LeastSquaresResult } from './levenbergMarquardt';
export { simplexLeastSquares, type SimplexLeastSquaresOptions, type SimplexLeastSquaresResult } from './simplexLeastSquares';
export * from './budget/index';

/**
 * Budget allocation: channels are response functions of weekly spend; the allocator maximizes the total
 * response under a budget and bounds, exactly for concave curves, globally for S-shaped ones, and for any
 * smooth joint objective. Taught in the chapters "Constrained optimization" and "Optimizing the budget".
 */
export {
  InfeasibleBudgetError,
  type BudgetChannel,
  type BudgetKktReport,
  type BudgetMethod,
  type BudgetOptions,
  type BudgetResult,
  type BoundStatus,
  type JointObjective,
} from './types';
export { optimizeBudget, boundsRelativeTo } from './optimize';
export { brentRoot } from './roots';
export {
  budgetFrontier,
  expectedChannels,
  meanMinusSdObjective,
  expectedShortfallObjective,
  optimizeBudgetUnderUncertainty,
  planResponse,
  type DrawChannel,
  type FrontierPoint,
  type PlanSummary,
  type PosteriorBudgetResult,
  type RiskMeasure,
} from './uncertainty';

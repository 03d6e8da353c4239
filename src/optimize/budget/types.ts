/**
 * Shapes of the budget allocator: a channel is a response function of weekly spend, nothing more, so the
 * allocator serves a fitted MMM, a simulation's truth or a textbook curve alike. Taught in the chapters
 * "Constrained optimization" and "Optimizing the budget".
 */
import { InvalidInputError } from '../../errors';

/** One channel as the allocator sees it: the expected response to a weekly spend (chapter 15). */
export interface BudgetChannel {
  readonly name: string;
  /** Expected response (e.g. weekly sales) to spending `spend`. */
  response(spend: number): number;
  /** d response / d spend; central differences when absent. */
  marginal?(spend: number): number;
  /**
   * The spend levels over which the response function is backed by data, [lowest, highest]. An allocation
   * outside it is flagged in the result's warnings: there the curve is assumption (chapter 16).
   */
  readonly observedRange?: readonly [number, number];
}

/** A non-separable objective of the whole allocation, maximized instead of Σ responseᵢ(xᵢ) (chapter 16). */
export interface JointObjective {
  value(allocation: Float64Array): number;
  /** ∂value/∂xᵢ; central differences when absent. */
  gradient?(allocation: Float64Array): ArrayLike<number>;
}

/**
 * 'concave': equal marginal returns by bisection on the multiplier (exact for concave responses);
 * 'global': dynamic programming on a grid refined locally (S-shaped responses);
 * 'general': augmented Lagrangian over L-BFGS-B (any smooth objective, a local optimum);
 * 'auto': 'general' with a joint objective, else 'concave' when every response is concave on its range,
 * else 'global'.
 */
export type BudgetMethod = 'auto' | 'concave' | 'global' | 'general';

export interface BudgetOptions {
  /** The total to allocate (≥ 0): Σ xᵢ = total, fixed channels included. */
  total: number;
  /** Lowest spend per channel, in channel order (or one number for all). Default 0. */
  lower?: ArrayLike<number> | number;
  /** Highest spend per channel, in channel order (or one number for all). Default Infinity. */
  upper?: ArrayLike<number> | number;
  /** Channels whose spend is set, by name; they take their share of `total` first. */
  fixed?: Readonly<Record<string, number>>;
  method?: BudgetMethod;
  /** Maximize this instead of Σ responseᵢ(xᵢ) (forces the general solver). */
  objective?: JointObjective;
  /** Grid intervals of the global solver's first pass. Default 1000. */
  gridPoints?: number;
  /** Starting allocation for the general solver (default: the separable optimum of the channels). */
  start?: ArrayLike<number>;
  /** Largest relative KKT violation reported as satisfied. Default 1e-7 (1e-5 for 'general'). */
  kktTolerance?: number;
}

/** Where each channel sits at the solution. */
export type BoundStatus = 'free' | 'lower' | 'upper' | 'fixed';

/**
 * The first-order (Karush–Kuhn–Tucker) conditions at the returned allocation (chapter 15): free channels
 * share one marginal return λ, channels at their lower bound have marginal ≤ λ, at their upper bound ≥ λ.
 */
export interface BudgetKktReport {
  /** λ, the marginal return of the last unit of budget (the shadow price of the total). */
  multiplier: number;
  /** ∂objective/∂xᵢ at the allocation. */
  marginal: Float64Array;
  status: BoundStatus[];
  /** Σ xᵢ − total, as summed in channel order. */
  budgetResidual: number;
  /** max over channels of max(lowerᵢ − xᵢ, xᵢ − upperᵢ, 0). */
  boundViolation: number;
  /** max over free channels of |marginalᵢ − λ|, relative to the largest |marginal| among them and |λ|. */
  stationarity: number;
  /** Worst wrong-signed marginal at an active bound (relative, as stationarity). */
  complementarity: number;
  /** max(stationarity, complementarity, |budgetResidual| / max(total, 1), boundViolation / max(total, 1)). */
  maxViolation: number;
  /** maxViolation ≤ the tolerance. */
  satisfied: boolean;
}

export interface BudgetResult {
  channels: string[];
  allocation: Float64Array;
  /** The allocation by channel name. */
  byChannel: Record<string, number>;
  /** responseᵢ(xᵢ) for each channel. */
  channelResponse: Float64Array;
  /** Σ responseᵢ(xᵢ): the expected response of the allocation. */
  response: number;
  /** The maximized objective (equals `response` unless a joint objective was given). */
  objective: number;
  method: 'concave' | 'global' | 'general';
  kkt: BudgetKktReport;
  /** Channels whose allocation lies outside their observed range. */
  outsideObservedRange: string[];
  warnings: string[];
}

/** The total cannot be allocated within the bounds (minima above it, maxima below it). */
export class InfeasibleBudgetError extends InvalidInputError {}

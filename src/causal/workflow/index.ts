/**
 * The four-step causal workflow in the spirit of DoWhy: model, identify, estimate, refute; with the
 * graph's testable implications, an overlap check and the partial-R² sensitivity analysis. Taught in the
 * chapter "The causal ladder" (Part VII).
 */
export {
  causalModel, identifyEffect,
  type CausalModel, type CausalModelInput, type IdentifiedEstimand, type WorkflowData,
} from './model';
export {
  estimateEffect, pointOf,
  type CausalEstimate, type EstimateOptions, type EstimationMethod, type EffectEstimator, type EstimatorContext,
} from './estimate';
export {
  refute, bootstrapEffect,
  type RefutationKind, type RefuteOptions, type Refutation, type ConfounderGridPoint,
} from './refute';
export {
  omittedVariableSensitivity, biasAdjustedEstimate, type OmittedVariableInput, type OmittedVariableSensitivity,
} from './sensitivity';
export { testModelImplications, overlapCheck, type OverlapCheckOptions, type OverlapCheck } from './checks';

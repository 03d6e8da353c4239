/**
 * The causal ladder's estimators: experiment, regression adjustment, propensity scores, difference-in-
 * differences, synthetic control, instrumental variables and regression discontinuity. Taught in the
 * chapter "The causal ladder on real data" (Part VII).
 */
export type { EffectEstimate, Row } from './shared';
export { linearFit, type LinearFit, type LinearFitOptions, type VarianceType, type ClusterAdjustment } from './regression';
export {
  differenceInMeans, regressionAdjustment,
  type DifferenceInMeansOptions, type DifferenceInMeansResult, type RegressionAdjustmentOptions, type RegressionAdjustmentResult,
} from './experiment';
export {
  twoWayFixedEffects, eventStudy,
  type TwoWayFixedEffectsOptions, type TwoWayFixedEffectsResult, type EventStudyOptions, type EventStudyResult, type EventStudyTerm, type PreTrendTest,
} from './did';
export {
  wildClusterBootstrap, wildClusterBootstrapWithFit, type WildClusterBootstrapOptions, type WildClusterBootstrapResult, type WildWeights,
} from './wildBootstrap';
export {
  syntheticControl, syntheticControlPlacebos,
  type SyntheticControlOptions, type SyntheticControlPredictor, type SyntheticControlResult, type PredictorBalance,
  type SyntheticControlPlaceboResult, type PlaceboRun,
} from './syntheticControl';
export {
  twoStageLeastSquares, type TwoStageLeastSquaresOptions, type TwoStageLeastSquaresResult, type FirstStage,
} from './iv';
export {
  logisticRegression, propensityScores, inverseProbabilityWeighting, propensityMatching, overlapReport,
  type LogisticRegressionOptions, type LogisticRegressionResult, type PropensityScoreOptions, type PropensityScoreResult,
  type WeightingOptions, type WeightingResult, type MatchingOptions, type MatchingResult, type OverlapBin, type OverlapReport,
} from './propensity';
export {
  rdWindow, localLinearRd, imbensKalyanaramanBandwidth, densityTest,
  type RdWindowOptions, type RdWindowResult, type LocalLinearRdOptions, type LocalLinearRdResult, type BandwidthResult,
  type DensityTestOptions, type DensityTestResult,
} from './rd';

// The first fit (chapter 7): the point-estimate MMM, its hyperparameter search and its diagnostics.
export { fitPointMMM, fitPreparedMMM, type PointFitOptions, type PointMMM } from './point';
export {
  buildProblem,
  residualVector,
  residualJacobian,
  lossAndGradient,
  type MMMProblem,
  type ChannelFormOverride,
  type ChannelModel,
} from './model';
export { adstockForm, saturationForm, type AdstockForm, type SaturationForm, type FormParameter } from './forms';
export { solveLinearPart, type LinearSolution } from './linear';
export {
  searchHyperparameters,
  nrmse,
  decompRssd,
  paretoFront,
  type HyperparameterSearchOptions,
  type HyperparameterSearchResult,
  type HyperparameterTrial,
} from './search';
export {
  residualDiagnostics,
  rollingOriginError,
  profileLikelihood,
  rssSurface,
  CHI_SQUARE_1_95,
  type ResidualDiagnostics,
  type RollingOriginOptions,
  type RollingOriginFold,
  type RollingOriginResult,
  type ProfileLikelihood,
  type RssSurface,
} from './diagnostics';

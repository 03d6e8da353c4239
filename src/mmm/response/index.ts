/**
 * Reading a fitted MMM: contributions, returns on spend, response curves with intervals, and adapters from
 * a fit to the budget allocator. Taught in the chapters "Reading the model" and "Optimizing the budget".
 */
export {
  adstockGains,
  immediateResponse,
  observedSpendRange,
  packSaturation,
  packedSaturationAt,
  packedSaturationSlopeAt,
  type PackedSaturation,
  responseCurve,
  responseFunctions,
  saturationAt,
  saturationSlopeAt,
  steadyStateResponse,
  type ResponseCurve,
  type ResponseCurvePoint,
  type ResponseKind,
} from './curves';
export { contributions, decompositionRows, waterfallRows, type ComponentContribution, type ContributionDecomposition } from './contributions';
export { returnsOnSpend, type ChannelReturns } from './returns';
export { summarizeDraws, type DrawSummary } from './summaries';
export { fittedFromTruth, syntheticPosterior } from './truth';
export { budgetChannels, currentWeeklySpend } from './budget';

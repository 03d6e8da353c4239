// Learning causal structure between series (chapter "Learning causal structure"): VARs and lag choice,
// Granger F-tests, a CausalMMM-style group-sparse learner, the simulator it is evaluated on, and ROC/AUROC.
export {
  readSeries, lagDesign, fitVAR, selectVARLag, type MultivariateSeries, type VARResult, type LagSelection,
} from './var';
export {
  fSurvival, grangerTest, grangerTests, grangerMatrix, type GrangerTest, type GrangerOptions, type GrangerMatrix,
} from './granger';
export { auroc, rocCurve, edgeScores, edgeAUROC, type RocPoint } from './roc';
export {
  simulateChannelGraph, type ChannelGraphOptions, type ChannelGraphSimulation,
} from './simulate';
export { learnChannelGraph, profileInputs, type ChannelGraphLearnerOptions, type ChannelGraphFit, type ProfileInputs } from './learner';
export {
  edgeEvidence, fitEdgePrior, pooledEdgePosterior, CHANNEL_TO_CHANNEL, CHANNEL_TO_OUTCOME, OUTCOME_TO_CHANNEL,
  type EdgeEvidenceOptions, type SourceInputs, type ShopEvidence, type EdgePrior, type EdgePriorOptions, type EdgePriorFit,
  type PooledEdgePosterior,
} from './pooled';

/**
 * The causal ladder on simulated data: one simulation per rung with a known effect and a switch that
 * breaks its assumption, the rung's analysis, and the table of which estimator recovers the truth under
 * which violation. Taught in the chapter "The causal ladder" (Part VII).
 */
export {
  simulateExperiment, simulateGeoExperiment, simulateSyntheticControl, simulateInstrument, simulateDiscontinuity, simulateObservational,
  type LadderData, type ExperimentViolation, type ExperimentOptions, type GeoViolation, type GeoExperimentOptions, type GeoExperimentData,
  type SyntheticViolation, type SyntheticControlSimOptions, type SyntheticControlSimData, type InstrumentViolation, type InstrumentSimOptions,
  type DiscontinuityViolation, type DiscontinuitySimOptions, type DiscontinuitySimData, type ObservationalViolation, type ObservationalSimOptions,
} from './simulate';
export {
  analyseExperiment, analyseGeoExperiment, analyseSyntheticControl, analyseInstrument, analyseDiscontinuity, analyseObservational,
  observationalGraph, preTrendSlope, type LadderRow,
} from './analyse';
export { ladderTable, type LadderTableOptions } from './table';

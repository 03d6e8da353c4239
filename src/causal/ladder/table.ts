/**
 * The ladder table: every rung, with its assumption holding and violated, on simulated data with a known
 * effect: which estimator recovers the truth under which violation. Taught in the chapter "The causal
 * ladder" (Part VII).
 */
import { InvalidInputError } from '../../errors';
import {
  simulateExperiment, simulateGeoExperiment, simulateSyntheticControl, simulateInstrument, simulateDiscontinuity, simulateObservational,
} from './simulate';
import {
  analyseExperiment, analyseGeoExperiment, analyseSyntheticControl, analyseInstrument, analyseDiscontinuity, analyseObservational,
  type LadderRow,
} from './analyse';

export interface LadderTableOptions {
  /** Seed of every simulation (each rung and violation draws its own data from it). Default 1. */
  seed?: number | string;
  level?: number;
}

/**
 * Runs the six rungs, each with its assumption holding and with each of its violations, and returns one
 * row per run (11 rows). Same seed, same table. Chapter "The causal ladder".
 */
export function ladderTable(options: LadderTableOptions = {}): LadderRow[] {
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a level in (0, 1), got ${level}`);
  const s = (name: string) => `${seed}/${name}`;
  return [
    analyseExperiment(simulateExperiment({ seed: s('experiment') }), level),
    analyseExperiment(simulateExperiment({ seed: s('experiment'), violation: 'selection' }), level),
    analyseGeoExperiment(simulateGeoExperiment({ seed: s('geo') }), level),
    analyseGeoExperiment(simulateGeoExperiment({ seed: s('geo'), violation: 'nonParallelTrends' }), level),
    analyseSyntheticControl(simulateSyntheticControl({ seed: s('synth') }), level),
    analyseSyntheticControl(simulateSyntheticControl({ seed: s('synth'), violation: 'noMatchingDonor' }), level),
    analyseInstrument(simulateInstrument({ seed: s('iv') }), level),
    analyseInstrument(simulateInstrument({ seed: s('iv'), violation: 'weakInstrument' }), level),
    analyseInstrument(simulateInstrument({ seed: s('iv'), violation: 'invalidInstrument' }), level),
    analyseDiscontinuity(simulateDiscontinuity({ seed: s('rd') }), level),
    analyseDiscontinuity(simulateDiscontinuity({ seed: s('rd'), violation: 'manipulation' }), level),
    analyseObservational(simulateObservational({ seed: s('observational') }), level),
    analyseObservational(simulateObservational({ seed: s('observational'), violation: 'unobservedConfounder' }), level),
  ];
}

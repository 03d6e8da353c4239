// Causal diagrams: validation and family relations, d-separation, adjustment sets, instruments, the
// front-door criterion, testable implications and their tests against data. Taught in the chapter
// "Causal diagrams" (Part VII).
export {
  causalGraph, parents, children, ancestors, descendants, topologicalOrder, CyclicGraphError,
  type CausalGraph, type Edge, type FamilyOptions,
} from './dag';
export { parseDagitty, toDagitty } from './syntax';
export {
  dSeparated, moralize, listPaths,
  type DSeparationOptions, type UndirectedGraph, type MoralizeOptions, type PathStep, type GraphPath,
  type ListPathsOptions, type PathListing,
} from './dseparation';
export { minimalSeparators, nearestSeparator, type SeparatorOptions } from './separators';
export {
  forbiddenNodes, properBackdoorGraph, isAdjustmentSet, satisfiesBackdoor, minimalAdjustmentSets,
  canonicalAdjustmentSet, type AdjustmentOptions,
} from './adjustment';
export { instrumentalVariables, type Instrument } from './instruments';
export { checkFrontdoor, satisfiesFrontdoor, type FrontdoorCheck } from './frontdoor';
export {
  impliedIndependences, formatIndependence, type ImpliedIndependence, type ImpliedIndependenceOptions,
} from './implications';
export {
  partialCorrelation, fisherZTest, chiSquaredCITest, quantileBins, testImplications,
  type DataColumns, type DataRows, type CIData, type CITestResult, type ChiSquaredOptions,
  type ImplicationTestOptions, type ImplicationTest, type ImplicationTestReport,
} from './independence';
export {
  linearSemCovariance, linearSemTotalEffect, linearSemRegression, simulateLinearSem,
  type LinearSem, type SimulateSemOptions,
} from './sem';

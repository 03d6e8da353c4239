// What a worker thread needs to rebuild the Bayesian MMM's target (functions cannot cross threads): the
// data, the spec, the lift tests, and the priors as plain { name, parameters }. Isomorphic; used by
// `./node` (fitMMMOnWorkers). Taught in chapter 13, "The Bayesian MMM".
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import {
  Beta,
  Cauchy,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  LogNormal,
  Normal,
  StudentT,
  Uniform,
  type Distribution,
} from '../../stats/index';
import type { Target } from '../../sample/index';
import type { LiftTest } from '../calibration/liftTest';
import { prepareMMM, type MMMSpec } from '../spec';
import { mmmReportingTarget } from './fit';
import type { MMMCoordinates } from './model';
import { prepareLiftTests } from './liftTests';
import { resolveMMMPriors, type MMMPriors } from './priors';

export type SerializedPriors = Partial<Record<keyof MMMPriors, { name: string; parameters: number[] }>>;

const CONSTRUCTORS: Record<string, (...p: number[]) => Distribution> = {
  Normal: (a, b) => Normal(a, b),
  HalfNormal: (a) => HalfNormal(a),
  HalfCauchy: (a) => HalfCauchy(a),
  Cauchy: (a, b) => Cauchy(a, b),
  StudentT: (a, b, c) => StudentT(a, b, c),
  Gamma: (a, b) => Gamma(a, b),
  InverseGamma: (a, b) => InverseGamma(a, b),
  Beta: (a, b) => Beta(a, b),
  LogNormal: (a, b) => LogNormal(a, b),
  Exponential: (a) => Exponential(a),
  Uniform: (a, b) => Uniform(a, b),
};

/** Priors as plain data, parameters in the family's order (chapter 13). */
export function serializePriors(priors: Partial<MMMPriors> | undefined): SerializedPriors {
  const out: SerializedPriors = {};
  for (const [role, d] of Object.entries(priors ?? {}) as [keyof MMMPriors, Distribution][]) {
    if (!d || !d.family) throw new InvalidInputError(`priors.${role}`, 'expected a distribution such as Normal(0, 2)');
    if (!(d.name in CONSTRUCTORS)) throw new InvalidInputError(`priors.${role}`, `${d.name} cannot be sent to a worker thread`);
    out[role] = { name: d.name, parameters: d.family.parameters.map((p) => (d.parameters as Record<string, number>)[p]) };
  }
  return out;
}

/** The inverse of `serializePriors`. */
export function deserializePriors(priors: SerializedPriors | undefined): Partial<MMMPriors> {
  const out: Partial<MMMPriors> = {};
  for (const [role, d] of Object.entries(priors ?? {}) as [keyof MMMPriors, { name: string; parameters: number[] }][]) {
    const make = CONSTRUCTORS[d.name];
    if (!make) throw new InvalidInputError(`priors.${role}`, `unknown distribution '${d.name}'`);
    out[role] = make(...d.parameters);
  }
  return out;
}

export interface MMMWorkerData {
  columns: Columns;
  spec: MMMSpec;
  liftTests?: readonly LiftTest[];
  priors?: SerializedPriors;
  coordinates?: MMMCoordinates;
}

/** The reporting target of `fitMMM`, rebuilt from plain data inside a worker (chapter 13). */
export function mmmWorkerTarget(data: MMMWorkerData): Target {
  const prepared = prepareMMM(data.columns, data.spec);
  const priors = resolveMMMPriors(deserializePriors(data.priors));
  return mmmReportingTarget(prepared, priors, prepareLiftTests(data.liftTests, prepared), data.coordinates).reporting;
}

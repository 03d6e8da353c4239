/**
 * The causal ladder on simulated data: one data-generating process per rung, each with a known effect and
 * a switch that breaks the rung's identifying assumption. Every simulation returns the rows (as a reader
 * would get them), the true effect, and the design facts the analysis needs. Marketing stories: a
 * randomized holdout, a geo experiment, one market launched alone, media cost shocks, a budget rule with
 * a threshold, and the everyday observational MMM. Taught in the chapter "The causal ladder" (Part VII).
 */
import { InvalidInputError } from '../../errors';
import { createRng, normal, uniform, dirichlet, type Rng } from '../../random/index';
import type { Row } from '../estimators/shared';

function seedOf(seed: number | string | undefined): Rng {
  return createRng(seed ?? 1);
}

function positiveInteger(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new InvalidInputError(name, `expected an integer ≥ ${min}, got ${v}`);
  return v;
}

function finite(name: string, v: number): number {
  if (!Number.isFinite(v)) throw new InvalidInputError(name, `expected a finite number, got ${v}`);
  return v;
}

function violationOf<V extends string>(value: V | undefined, allowed: readonly V[]): V {
  const v = value ?? allowed[0];
  if (allowed.indexOf(v) < 0) throw new InvalidInputError('violation', `expected one of ${allowed.join(', ')}, got ${String(v)}`);
  return v;
}

/** What every ladder simulation returns. */
export interface LadderData<V extends string> {
  rows: Row[];
  /** The true causal effect the rung's estimator targets. */
  truth: number;
  violation: V;
}

// ---------------------------------------------------------------------------------------------------
// Rung 1: the randomized experiment.

export type ExperimentViolation = 'none' | 'selection';

export interface ExperimentOptions {
  /** Customers (or stores) in the test. Default 400. */
  n?: number;
  /** Sales lift from seeing the campaign. Default 5. */
  effect?: number;
  /** 'selection': the campaign is shown to those with high baseline demand instead of at random. */
  violation?: ExperimentViolation;
  seed?: number | string;
}

/**
 * A randomized holdout: y = 50 + 10 u + effect · D + e, u baseline demand ~ N(0, 1), e ~ N(0, 5²).
 * D ~ Bernoulli(1/2) independently of u; with 'selection', D = 1{u + N(0, 0.5²) > 0} (targeting by
 * predicted demand), so treated customers would have bought more anyway. Rows: customer, exposed, sales
 * and pastSales (= 50 + 10 u + N(0, 5²), measured before the test: the balance check). Chapter "The
 * causal ladder".
 */
export function simulateExperiment(options: ExperimentOptions = {}): LadderData<ExperimentViolation> {
  const n = positiveInteger('n', options.n ?? 400, 4);
  const effect = finite('effect', options.effect ?? 5);
  const violation = violationOf(options.violation, ['none', 'selection'] as const);
  const rng = seedOf(options.seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const u = normal(rng);
    const assign = uniform(rng);
    const d = violation === 'none' ? (assign < 0.5 ? 1 : 0) : u + 0.5 * normal(rng) > 0 ? 1 : 0;
    const pastSales = 50 + 10 * u + 5 * normal(rng);
    rows.push({ customer: i, exposed: d, pastSales, sales: 50 + 10 * u + effect * d + 5 * normal(rng) });
  }
  return { rows, truth: effect, violation };
}

// ---------------------------------------------------------------------------------------------------
// Rung 2: the geo experiment, analysed by difference-in-differences.

export type GeoViolation = 'none' | 'nonParallelTrends';

export interface GeoExperimentOptions {
  /** Number of geos (half treated). Default 20. */
  geos?: number;
  /** Number of weeks. Default 20. */
  weeks?: number;
  /** First treated week (0-based). Default 12. */
  startWeek?: number;
  /** Weekly sales lift per treated geo. Default 10. */
  effect?: number;
  /** 'nonParallelTrends': the treated geos were chosen because they were growing (1 unit/week faster). */
  violation?: GeoViolation;
  seed?: number | string;
}

export interface GeoExperimentData extends LadderData<GeoViolation> {
  treatedGeos: string[];
  startWeek: number;
  weeks: number[];
}

/**
 * Geo panel y_gt = α_g + λ_t + effect · D_gt + e_gt with α_g ~ N(100, 20²), a common season-and-growth
 * path λ_t, e ~ N(0, 3²); the first half of the geos is treated from `startWeek`. With
 * 'nonParallelTrends' the treated geos also grow by `1 · t` more per week, which DiD attributes to the
 * campaign. Rows: geo, week, sales, treated (D_gt). Chapter "The causal ladder".
 */
export function simulateGeoExperiment(options: GeoExperimentOptions = {}): GeoExperimentData {
  const G = positiveInteger('geos', options.geos ?? 20, 4);
  const T = positiveInteger('weeks', options.weeks ?? 20, 4);
  const start = positiveInteger('startWeek', options.startWeek ?? 12, 2);
  if (start >= T) throw new InvalidInputError('startWeek', `is ${start}; there are only ${T} weeks`);
  const effect = finite('effect', options.effect ?? 10);
  const violation = violationOf(options.violation, ['none', 'nonParallelTrends'] as const);
  const rng = seedOf(options.seed);
  const treatedGeos: string[] = [];
  const rows: Row[] = [];
  const levels = Array.from({ length: G }, () => 100 + 20 * normal(rng));
  for (let g = 0; g < G; g++) {
    const name = `geo${String(g + 1).padStart(2, '0')}`;
    const treated = g < G / 2;
    if (treated) treatedGeos.push(name);
    for (let t = 0; t < T; t++) {
      const common = 5 * Math.sin((2 * Math.PI * t) / 52) + 0.5 * t;
      const d = treated && t >= start ? 1 : 0;
      const drift = violation === 'nonParallelTrends' && treated ? 1 * t : 0;
      rows.push({ geo: name, week: t, sales: levels[g] + common + drift + effect * d + 3 * normal(rng), treated: d });
    }
  }
  return { rows, truth: effect, violation, treatedGeos, startWeek: start, weeks: Array.from({ length: T }, (_, t) => t) };
}

// ---------------------------------------------------------------------------------------------------
// Rung 3: synthetic control.

export type SyntheticViolation = 'none' | 'noMatchingDonor';

export interface SyntheticControlSimOptions {
  /** Number of donor markets. Default 10. */
  donors?: number;
  weeks?: number;
  /** First treated week. Default 30 of 40. */
  startWeek?: number;
  /** Weekly lift in the treated market. Default 15. */
  effect?: number;
  /** 'noMatchingDonor': the treated market loads on the common factors beyond every donor. */
  violation?: SyntheticViolation;
  seed?: number | string;
}

export interface SyntheticControlSimData extends LadderData<SyntheticViolation> {
  treated: string;
  donors: string[];
  startWeek: number;
  weeks: number[];
}

/**
 * A factor model y_jt = 100 μ_j + 20 μ_j f_t + 15 θ_j g_t + e_jt (f a growth-and-season path, g a cycle,
 * e ~ N(0, 1)), with donor loadings μ ~ U(0.5, 1.5), θ ~ U(0, 1). The treated market's loadings are a
 * convex combination of three donors' (so a synthetic control exists); with 'noMatchingDonor' they are
 * (2, 1.5), outside the donors' hull. The campaign adds `effect` from `startWeek`. Chapter "The causal
 * ladder".
 */
export function simulateSyntheticControl(options: SyntheticControlSimOptions = {}): SyntheticControlSimData {
  const J = positiveInteger('donors', options.donors ?? 10, 3);
  const T = positiveInteger('weeks', options.weeks ?? 40, 4);
  const start = positiveInteger('startWeek', options.startWeek ?? 30, 2);
  if (start >= T) throw new InvalidInputError('startWeek', `is ${start}; there are only ${T} weeks`);
  const effect = finite('effect', options.effect ?? 15);
  const violation = violationOf(options.violation, ['none', 'noMatchingDonor'] as const);
  const rng = seedOf(options.seed);
  const mu = Array.from({ length: J }, () => uniform(rng, 0.5, 1.5));
  const theta = Array.from({ length: J }, () => uniform(rng, 0, 1));
  const w = dirichlet(rng, [1, 1, 1]);
  let mu0 = 0, theta0 = 0;
  for (let k = 0; k < 3; k++) { mu0 += w[k] * mu[k]; theta0 += w[k] * theta[k]; }
  if (violation === 'noMatchingDonor') { mu0 = 2; theta0 = 1.5; }
  const f = Array.from({ length: T }, (_, t) => t / 10 + Math.sin((2 * Math.PI * t) / 13));
  const g = Array.from({ length: T }, (_, t) => Math.cos((2 * Math.PI * t) / 7));
  const donors = Array.from({ length: J }, (_, j) => `market${String(j + 1).padStart(2, '0')}`);
  const rows: Row[] = [];
  const units = [{ name: 'launch', mu: mu0, theta: theta0, treated: true }, ...donors.map((name, j) => ({ name, mu: mu[j], theta: theta[j], treated: false }))];
  for (const u of units) {
    for (let t = 0; t < T; t++) {
      const lift = u.treated && t >= start ? effect : 0;
      rows.push({ market: u.name, week: t, sales: 100 * u.mu + 20 * u.mu * f[t] + 15 * u.theta * g[t] + lift + normal(rng) });
    }
  }
  return { rows, truth: effect, violation, treated: 'launch', donors, startWeek: start, weeks: Array.from({ length: T }, (_, t) => t) };
}

// ---------------------------------------------------------------------------------------------------
// Rung 4: instrumental variables.

export type InstrumentViolation = 'none' | 'weakInstrument' | 'invalidInstrument';

export interface InstrumentSimOptions {
  /** Weeks (or markets). Default 300. */
  n?: number;
  /** Sales per unit of spend. Default 2. */
  effect?: number;
  /** 'weakInstrument': cost shocks barely move spend; 'invalidInstrument': they also move sales directly. */
  violation?: InstrumentViolation;
  seed?: number | string;
}

/**
 * Media cost shocks as an instrument for spend. u ~ N(0, 1) is demand (unobserved), z ~ N(0, 1) the
 * media cost index: spend = 50 − π z + 5 u + N(0, 3²) with π = 4 (π = 0.3 when 'weakInstrument'), and
 * sales = 200 + effect · spend + 20 u + φ z + N(0, 10²) with φ = 0 (φ = −8 when 'invalidInstrument': the
 * cost shocks come with an economic shock that lowers sales directly). Rows: week, costIndex, spend,
 * sales. Chapter "The causal ladder".
 */
export function simulateInstrument(options: InstrumentSimOptions = {}): LadderData<InstrumentViolation> {
  const n = positiveInteger('n', options.n ?? 300, 10);
  const effect = finite('effect', options.effect ?? 2);
  const violation = violationOf(options.violation, ['none', 'weakInstrument', 'invalidInstrument'] as const);
  const rng = seedOf(options.seed);
  const pi = violation === 'weakInstrument' ? 0.3 : 4;
  const phi = violation === 'invalidInstrument' ? -8 : 0;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const u = normal(rng), z = normal(rng);
    const spend = 50 - pi * z + 5 * u + 3 * normal(rng);
    rows.push({ week: i, costIndex: z, spend, sales: 200 + effect * spend + 20 * u + phi * z + 10 * normal(rng) });
  }
  return { rows, truth: effect, violation };
}

// ---------------------------------------------------------------------------------------------------
// Rung 5: regression discontinuity.

export type DiscontinuityViolation = 'none' | 'manipulation';

export interface DiscontinuitySimOptions {
  /** Stores. Default 1000. */
  n?: number;
  /** Sales lift from the extra budget. Default 8. */
  effect?: number;
  /** 'manipulation': managers of good stores just below the cutoff get their score pushed over it. */
  violation?: DiscontinuityViolation;
  seed?: number | string;
}

export interface DiscontinuitySimData extends LadderData<DiscontinuityViolation> {
  cutoff: number;
}

/**
 * A budget rule: stores whose score x ~ U(−1, 1) is at least 0 get extra spend. Sales
 * = 100 + 20 x + 10 x² + effect · 1{x ≥ 0} + 6 q + N(0, 4²), q ~ N(0, 1) store quality. With
 * 'manipulation', stores with x in (−0.25, 0) and q > 0 move to x ~ U(0, 0.05): the density of x jumps
 * at the cutoff and the stores just above it are better. Rows: store, score, budget (0/1), sales.
 * Chapter "The causal ladder".
 */
export function simulateDiscontinuity(options: DiscontinuitySimOptions = {}): DiscontinuitySimData {
  const n = positiveInteger('n', options.n ?? 1000, 20);
  const effect = finite('effect', options.effect ?? 8);
  const violation = violationOf(options.violation, ['none', 'manipulation'] as const);
  const rng = seedOf(options.seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    let x = uniform(rng, -1, 1);
    const q = normal(rng);
    const nudge = uniform(rng, 0, 0.05);
    if (violation === 'manipulation' && x > -0.25 && x < 0 && q > 0) x = nudge;
    const d = x >= 0 ? 1 : 0;
    rows.push({ store: i, score: x, budget: d, sales: 100 + 20 * x + 10 * x * x + effect * d + 6 * q + 4 * normal(rng) });
  }
  return { rows, truth: effect, violation, cutoff: 0 };
}

// ---------------------------------------------------------------------------------------------------
// Rung 6: observational regression (the MMM's own rung).

export type ObservationalViolation = 'none' | 'unobservedConfounder';

export interface ObservationalSimOptions {
  /** Weeks. Default 300. */
  n?: number;
  /** Sales per unit of spend. Default 1.5. */
  effect?: number;
  /** 'unobservedConfounder': planners also react to a demand shock the analyst does not see. */
  violation?: ObservationalViolation;
  seed?: number | string;
}

/**
 * Weekly spend planned on an observed season index s ~ N(0, 1) and, with 'unobservedConfounder', on a
 * demand shock u ~ N(0, 1) that also raises sales: spend = 20 + 5 s + 4 u' + N(0, 4²),
 * sales = 100 + effect · spend + 10 s + 15 u' + N(0, 5²), u' = u under the violation and 0 otherwise.
 * Rows: week, season, spend, sales (demand is not a column: it is unobserved). The analyst's graph is
 * season → spend → sales ← season. Chapter "The causal ladder".
 */
export function simulateObservational(options: ObservationalSimOptions = {}): LadderData<ObservationalViolation> & { demand: Float64Array } {
  const n = positiveInteger('n', options.n ?? 300, 10);
  const effect = finite('effect', options.effect ?? 1.5);
  const violation = violationOf(options.violation, ['none', 'unobservedConfounder'] as const);
  const rng = seedOf(options.seed);
  const rows: Row[] = [];
  const demand = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = normal(rng), u = normal(rng);
    const uu = violation === 'unobservedConfounder' ? u : 0;
    demand[i] = uu;
    const spend = 20 + 5 * s + 4 * uu + 4 * normal(rng);
    rows.push({ week: i, season: s, spend, sales: 100 + effect * spend + 10 * s + 15 * uu + 5 * normal(rng) });
  }
  return { rows, truth: effect, violation, demand };
}

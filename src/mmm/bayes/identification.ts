// What the data decide and what the prior decides, parameter by parameter, following Betancourt (2018),
// "Towards a principled Bayesian workflow", §1.3 (and Schad, Betancourt and Vasishth 2021): the posterior
// contraction c = 1 − Var_post/Var_prior says how much the data narrowed the prior; the posterior z-score
// says how far the posterior moved, in posterior standard deviations. Betancourt's z-score measures the
// distance to the true value in a simulation; on real data the truth is unknown, so by default we measure
// the distance to the prior mean (how far the data pulled the parameter), and to the truth when given.
// Taught in chapter 13, "The Bayesian MMM", section "Identification".
import { InvalidInputError } from '../../errors';
import { mean as sampleMean, sd as sampleSd, type Distribution } from '../../stats/index';
import type { BayesianMMM } from './fit';

export type IdentificationVerdict = 'informed by data' | 'prior and data both matter' | 'decided by the prior';

/** One row of the identification report. */
export type IdentificationRow = {
  parameter: string;
  prior: string;
  priorMean: number;
  priorSd: number;
  posteriorMean: number;
  posteriorSd: number;
  /** 1 − Var_post / Var_prior: 0 when the data taught nothing, near 1 when they decided. */
  contraction: number;
  /** |mean_post − mean_prior| / sd_post (or |mean_post − truth| / sd_post when the truth is given). */
  zScore: number;
  verdict: IdentificationVerdict;
  /** Set when the posterior sits more than 3 posterior sds from the prior mean (or the truth): a conflict to look at. */
  note: string;
};

export interface IdentificationOptions {
  /** True parameter values by name (a simulation's truth, on the model's scale): the z-score then measures the error. */
  truth?: Record<string, number>;
  /** Contraction at or above which a parameter is "informed by data" (default 0.5). */
  informed?: number;
  /** Contraction below which it is "decided by the prior" (default 0.1). */
  priorDecided?: number;
}

function describe(d: { name: string; parameters: Readonly<Record<string, number>> }): string {
  return `${d.name}(${Object.values(d.parameters).join(', ')})`;
}

/**
 * Mean and variance of a prior truncated above at `upper` (the delayed adstock's peak, truncated to the
 * window): E[X^m | X ≤ upper] = (1/F(upper)) ∫_0^{F(upper)} Q(p)^m dp, by the midpoint rule in p, which
 * needs no density and copes with one that is infinite at the lower end.
 */
function truncatedMoments(prior: Distribution, upper: number): { mean: number; variance: number } {
  const top = prior.cdf(upper);
  const n = 2000;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const q = prior.quantile((top * (i + 0.5)) / n);
    s1 += q;
    s2 += q * q;
  }
  const mean = s1 / n;
  return { mean, variance: Math.max(0, s2 / n - mean * mean) };
}

/**
 * Per model parameter: prior and posterior mean and sd, contraction, z-score and a plain-words verdict
 * (chapter 13). Priors without a finite variance (a half-Cauchy) count as fully contracted.
 *
 * @example
 * showTable(identificationReport(fit)); // which parameters the data inform, which the prior decides
 */
export function identificationReport(fit: BayesianMMM, options: IdentificationOptions = {}): IdentificationRow[] {
  const informed = options.informed ?? 0.5;
  const priorDecided = options.priorDecided ?? 0.1;
  if (!(informed > priorDecided && priorDecided >= 0 && informed <= 1)) {
    throw new InvalidInputError('informed', `expected 0 ≤ priorDecided < informed ≤ 1, got ${priorDecided} and ${informed}`);
  }
  const truth = options.truth ?? {};
  for (const name of Object.keys(truth)) {
    if (fit.parameterNames.indexOf(name) < 0) throw new InvalidInputError(`truth.${name}`, `no parameter '${name}'; the names are ${fit.parameterNames.join(', ')}`);
    if (!Number.isFinite(truth[name])) throw new InvalidInputError(`truth.${name}`, `expected a finite number, got ${truth[name]}`);
  }
  return fit.parameterNames.map((parameter, j) => {
    const prior = fit.layout.priors[j];
    const upper = fit.layout.upper ? fit.layout.upper[j] : Infinity;
    const draws = fit.draws(parameter);
    const posteriorMean = sampleMean(draws);
    const posteriorSd = sampleSd(draws);
    let priorMean: number;
    let priorVariance: number;
    try {
      if (upper < prior.support.upper) {
        ({ mean: priorMean, variance: priorVariance } = truncatedMoments(prior, upper));
      } else {
        priorMean = prior.mean();
        priorVariance = prior.variance();
      }
    } catch {
      priorMean = prior.quantile(0.5);
      priorVariance = Infinity;
    }
    const contraction = priorVariance === Infinity ? 1 : 1 - (posteriorSd * posteriorSd) / priorVariance;
    const reference = parameter in truth ? truth[parameter] : priorMean;
    const zScore = posteriorSd > 0 ? Math.abs(posteriorMean - reference) / posteriorSd : Infinity;
    const verdict: IdentificationVerdict =
      contraction >= informed ? 'informed by data' : contraction < priorDecided ? 'decided by the prior' : 'prior and data both matter';
    let note = '';
    if (zScore > 3) {
      note = parameter in truth
        ? 'posterior far from the truth: bias or over-fitting'
        : contraction < informed
          ? 'posterior far from the prior yet not narrow: prior-data conflict?'
          : 'the data moved it far from the prior mean';
    }
    const priorName = upper < prior.support.upper ? `${describe(prior)} truncated at ${upper}` : describe(prior);
    return { parameter, prior: priorName, priorMean, priorSd: Math.sqrt(priorVariance), posteriorMean, posteriorSd, contraction, zScore, verdict, note };
  });
}

// The Bayesian MMM's priors, on the model's scale (target and spend divided by their maxima, chapter 7).
// Defaults follow PyMC-Marketing's example MMM and the Stan peer (/work/shared/peers/mmm_example.stan), so that
// the book's fit and Stan's sample the same posterior. Taught in chapter 13, "The Bayesian MMM".
import { InvalidInputError } from '../../errors';
import { Beta, Gamma, HalfNormal, Normal, type Distribution } from '../../stats/index';

/** One prior per role; every coefficient of a role gets the same prior. All on the model's (scaled) units. */
export interface MMMPriors {
  /** Baseline level of the scaled target. Default Normal(0, 2). */
  intercept: Distribution;
  /** Slope(s) of the trend over the whole period (trend time runs 0 → 1). Default Normal(0, 1). */
  trend: Distribution;
  /** Fourier coefficients. Default Normal(0, 1). */
  seasonality: Distribution;
  /** Controls and events (scaled by their maximum absolute value). Default Normal(0, 2). */
  controls: Distribution;
  /** Channel coefficient β_c ≥ 0: the effect of a saturated channel on the scaled target. Default HalfNormal(2). */
  channel: Distribution;
  /** Geometric and delayed adstock retention α_c ∈ (0, 1). Default Beta(1, 3): most mass on short carryover. */
  adstockAlpha: Distribution;
  /**
   * Delayed adstock peak lag θ_c ≥ 0 in weeks. Default HalfNormal(1) (PyMC-Marketing's DelayedAdstock); the
   * model truncates it to [0, lMax − 1], the window in which a peak means something.
   */
  adstockTheta: Distribution;
  /** Weibull adstock shape k_c > 0. Default Gamma(9, 3), i.e. mean 3 and sd 1 (PyMC-Marketing's WeibullCDF/PDFAdstock). */
  weibullShape: Distribution;
  /** Weibull adstock scale λ_c > 0 in weeks. Default Gamma(4, 2), i.e. mean 2 and sd 1 (PyMC-Marketing's WeibullCDF/PDFAdstock). */
  weibullScale: Distribution;
  /** Logistic saturation rate λ_c > 0. Default Gamma(3, 1). */
  saturationLambda: Distribution;
  /** Hill half-saturation K_c > 0 on adstocked scaled spend. Default HalfNormal(1.5) (PyMC-Marketing's HillSaturation). */
  hillHalfSaturation: Distribution;
  /** Hill slope s_c > 0. Default HalfNormal(1.5). */
  hillSlope: Distribution;
  /** Noise scale σ on the scaled target. Default HalfNormal(2). */
  sigma: Distribution;
  /** Student-t degrees of freedom ν. Default Gamma(2, 0.1) (Juárez and Steel 2010). */
  nu: Distribution;
}

/** The default priors (chapter 13). A fresh object each call, so a caller may change it freely. */
export function defaultMMMPriors(): MMMPriors {
  return {
    intercept: Normal(0, 2),
    trend: Normal(0, 1),
    seasonality: Normal(0, 1),
    controls: Normal(0, 2),
    channel: HalfNormal(2),
    adstockAlpha: Beta(1, 3),
    adstockTheta: HalfNormal(1),
    weibullShape: Gamma(9, 3),
    weibullScale: Gamma(4, 2),
    saturationLambda: Gamma(3, 1),
    hillHalfSaturation: HalfNormal(1.5),
    hillSlope: HalfNormal(1.5),
    sigma: HalfNormal(2),
    nu: Gamma(2, 0.1),
  };
}

/** Where a role's parameter must live for the model to make sense. */
const REQUIRED_SUPPORT: Partial<Record<keyof MMMPriors, { lower: number; upper: number }>> = {
  adstockAlpha: { lower: 0, upper: 1 },
  adstockTheta: { lower: 0, upper: Infinity },
  weibullShape: { lower: 0, upper: Infinity },
  weibullScale: { lower: 0, upper: Infinity },
  saturationLambda: { lower: 0, upper: Infinity },
  hillHalfSaturation: { lower: 0, upper: Infinity },
  hillSlope: { lower: 0, upper: Infinity },
  sigma: { lower: 0, upper: Infinity },
  nu: { lower: 0, upper: Infinity },
};

/** The defaults overridden by `priors`, each checked to be a distribution on the right set (chapter 13). */
export function resolveMMMPriors(priors: Partial<MMMPriors> | undefined): MMMPriors {
  const out = defaultMMMPriors();
  if (priors === undefined) return out;
  if (priors === null || typeof priors !== 'object') throw new InvalidInputError('priors', 'expected an object of distributions by role');
  for (const key of Object.keys(priors) as (keyof MMMPriors)[]) {
    if (!(key in out)) throw new InvalidInputError(`priors.${key}`, `unknown role; expected one of ${Object.keys(out).join(', ')}`);
    const d = priors[key];
    if (!d || typeof d !== 'object' || typeof d.logDensity !== 'function' || !d.family || !d.bijection) {
      throw new InvalidInputError(`priors.${key}`, 'expected a distribution such as Normal(0, 2) from the stats layer');
    }
    const need = REQUIRED_SUPPORT[key];
    if (need && (d.support.lower < need.lower || d.support.upper > need.upper)) {
      throw new InvalidInputError(
        `priors.${key}`,
        `${d.name} lives on (${d.support.lower}, ${d.support.upper}) but this parameter must lie in (${need.lower}, ${need.upper})`,
      );
    }
    out[key] = d;
  }
  return out;
}

/**
 * Sensitivity of a regression coefficient to an omitted confounder, in the partial-R² parameterization of
 * Cinelli & Hazlett (2020), "Making sense of sensitivity: extending omitted variable bias", JRSS B 82(1)
 * (the R package sensemakr). Everything follows from the estimate, its standard error and the residual
 * degrees of freedom of the regression that omits the confounder Z:
 *
 *   |bias| = se · √(df · R²_{Y~Z|D,X} · R²_{D~Z|X} / (1 − R²_{D~Z|X}))                 (their eq. 11)
 *   partial R² of the treatment  R²_{Y~D|X} = t² / (t² + df)
 *   robustness value  RV_q = ½ (√(f_q⁴ + 4 f_q²) − f_q²),  f_q = q |t| / √df             (their eq. 18)
 *   RV_{q,α}: the same with f_q − f*_{α,df−1}, f* = |t*_{α,df−1}| / √(df − 1)              (their eq. 20)
 *   (and (f_q² − f*²)/(1 + f_q²) when f_q > 1/f*, as sensemakr's robustness_value does)
 *
 * RV_q is the strength (equal partial R² with treatment and with outcome) a confounder needs to move the
 * estimate by q·100 % of itself; RV_{q,α}, to make it statistically indistinguishable from that value.
 * Taught in the chapter "The causal ladder" (Part VII).
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';

export interface OmittedVariableInput {
  estimate: number;
  standardError: number;
  /** Residual degrees of freedom of the regression. */
  df: number;
  /** Fraction of the estimate to explain away (1: bring it to zero). Default 1. */
  q?: number;
  /** Level of the RV_{q,α}. Default 0.05. */
  alpha?: number;
}

export interface OmittedVariableSensitivity {
  estimate: number;
  standardError: number;
  df: number;
  tStatistic: number;
  /** R²_{Y~D|X}: the share of the outcome's residual variance the treatment explains. */
  partialR2: number;
  /** RV_q. */
  robustnessValue: number;
  /** RV_{q,α}. */
  robustnessValueAlpha: number;
  q: number;
  alpha: number;
}

function check(input: OmittedVariableInput): void {
  if (!Number.isFinite(input.estimate)) throw new InvalidInputError('estimate', `expected a finite number, got ${input.estimate}`);
  if (!(input.standardError > 0) || !Number.isFinite(input.standardError)) throw new InvalidInputError('standardError', `expected a positive number, got ${input.standardError}`);
  if (!(input.df >= 2) || !Number.isFinite(input.df)) throw new InvalidInputError('df', `expected residual degrees of freedom ≥ 2, got ${input.df}`);
}

const rvOf = (f: number) => (f <= 0 ? 0 : 0.5 * (Math.sqrt(f ** 4 + 4 * f * f) - f * f));

/** Partial R² and robustness values of a coefficient (Cinelli & Hazlett 2020). Chapter "The causal ladder". */
export function omittedVariableSensitivity(input: OmittedVariableInput): OmittedVariableSensitivity {
  check(input);
  const q = input.q ?? 1;
  const alpha = input.alpha ?? 0.05;
  if (!(q > 0) || !Number.isFinite(q)) throw new InvalidInputError('q', `expected a positive number, got ${q}`);
  if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError('alpha', `expected a level in (0, 1), got ${alpha}`);
  const { estimate, standardError, df } = input;
  const t = estimate / standardError;
  const fq = (q * Math.abs(t)) / Math.sqrt(df);
  const fCrit = Math.abs(jStat.studentt.inv(1 - alpha / 2, df - 1)) / Math.sqrt(df - 1);
  const fqa = fq - fCrit;
  // Their eq. 20 (the bound binds) unless the confounder would need no association with the outcome
  // beyond the extreme scenario: when f_q > 1/f*, RV_{q,α} = (f_q² − f*²)/(1 + f_q²) instead.
  const rvAlpha = fqa <= 0 ? 0 : fq > 1 / fCrit ? (fq * fq - fCrit * fCrit) / (1 + fq * fq) : rvOf(fqa);
  return {
    estimate, standardError, df, tStatistic: t,
    partialR2: (t * t) / (t * t + df),
    robustnessValue: rvOf(fq),
    robustnessValueAlpha: rvAlpha,
    q, alpha,
  };
}

/**
 * The estimate after removing the bias of a confounder with partial R² `r2TreatmentConfounder` with the
 * treatment (given the covariates) and `r2OutcomeConfounder` with the outcome (given treatment and
 * covariates), assuming it pushes the estimate away from zero (eq. 11). Chapter "The causal ladder".
 */
export function biasAdjustedEstimate(input: OmittedVariableInput, r2TreatmentConfounder: number, r2OutcomeConfounder: number): { estimate: number; bias: number; standardError: number } {
  check(input);
  for (const [name, v] of [['r2TreatmentConfounder', r2TreatmentConfounder], ['r2OutcomeConfounder', r2OutcomeConfounder]] as const) {
    if (!(v >= 0 && v < 1)) throw new InvalidInputError(name, `expected a partial R² in [0, 1), got ${v}`);
  }
  const { estimate, standardError, df } = input;
  const bias = standardError * Math.sqrt((df * r2OutcomeConfounder * r2TreatmentConfounder) / (1 - r2TreatmentConfounder));
  // Their eq. 13: the adjusted standard error, with df − 1 for the confounder's degree of freedom.
  const se = standardError * Math.sqrt(((1 - r2OutcomeConfounder) / (1 - r2TreatmentConfounder)) * (df / (df - 1)));
  return { estimate: Math.sign(estimate) * (Math.abs(estimate) - bias), bias, standardError: se };
}

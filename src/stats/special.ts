/**
 * Special functions the log densities and their gradients need: log Γ, the digamma function ψ = (log Γ)',
 * log B, and the numerically safe forms of softplus, logistic and logit.
 *
 * Why not jStat's `gammaln`: it is the six-term Lanczos formula of Numerical Recipes, accurate to about
 * 2e-10, which would cap every Gamma, Beta and Student-t log density at ten digits; and jStat has no
 * digamma, which the gradients with respect to shape parameters need. Both are computed here by the
 * textbook route: shift the argument up with the recurrence until it is at least 10, then sum the Stirling
 * (de Moivre) asymptotic series, whose first omitted term at x = 10 is below 1e-17 (Abramowitz and Stegun
 * 6.1.40 and 6.3.18).
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { InvalidInputError } from '../errors';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Shift threshold: the asymptotic series is used only for x >= 10. */
const SHIFT = 10;

/**
 * log Γ(x) for x > 0, accurate to a few units in the last place of the larger of |log Γ(x)| and 1.
 *
 * Stirling's series (A&S 6.1.40): log Γ(x) = (x − ½) log x − x + ½ log 2π + Σ B₂ₖ / (2k(2k−1) x^(2k−1)).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new InvalidInputError('x', `logGamma needs x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  let shift = 0;
  if (x < SHIFT) {
    // Γ(x) = Γ(x + k) / (x (x + 1) ... (x + k − 1)); the product of at most ten terms cannot overflow.
    let product = 1;
    while (x < SHIFT) {
      product *= x;
      x += 1;
    }
    shift = Math.log(product);
  }
  const r = 1 / x;
  const r2 = r * r;
  // Coefficients B₂ₖ / (2k (2k − 1)) for k = 1..8, evaluated by Horner's rule in 1/x².
  const series =
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - shift;
}

/**
 * The digamma function ψ(x) = d log Γ(x) / dx for x > 0.
 *
 * Asymptotic series (A&S 6.3.18): ψ(x) = log x − 1/(2x) − Σ B₂ₖ / (2k x^(2k)), after the recurrence
 * ψ(x) = ψ(x + 1) − 1/x has moved x to at least 10.
 */
export function digamma(x: number): number {
  if (!(x > 0)) throw new InvalidInputError('x', `digamma needs x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / x;
    x += 1;
  }
  const r2 = 1 / (x * x);
  // B₂ₖ / (2k) for k = 1..7.
  const series =
    r2 * (1 / 12 + r2 * (-1 / 120 + r2 * (1 / 252 + r2 * (-1 / 240 + r2 * (1 / 132 + r2 * (-691 / 32760 + r2 * (1 / 12)))))));
  return Math.log(x) - 0.5 / x - series - shift;
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * softplus(x) = log(1 + eˣ), without overflow for large x or loss of digits for very negative x.
 * Its derivative is the logistic function.
 */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The logistic (sigmoid) function 1 / (1 + e⁻ˣ), computed so that neither tail overflows. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** logit(p) = log(p / (1 − p)), the inverse of `logistic`, for p in [0, 1]. */
export function logit(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError('p', `logit needs a probability in [0, 1], got ${p}`);
  return Math.log(p) - Math.log1p(-p);
}

/** log Σ exp(vᵢ), shifted by the maximum so that no term overflows. Empty input gives −∞. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity || max === Infinity) return max;
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.exp(values[i] - max);
  return max + Math.log(total);
}

export const LOG_TWO_PI = Math.log(2 * Math.PI);
export const LOG_PI = Math.log(Math.PI);

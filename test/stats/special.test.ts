// Special functions against 40-digit mpmath values (test/fixtures/stats/special.json, made by
// make_special.py), and against identities that hold exactly.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../../src/errors';
import {
  digamma,
  logBeta,
  logGamma,
  logistic,
  logit,
  logSumExp,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  softplus,
} from '../../src/stats/index';

const fixture = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/stats/special.json'), 'utf8')) as {
  logGamma: [number, number][];
  digamma: [number, number][];
  gammaP: [number, number, number, number][];
  incompleteBeta: [number, number, number, number][];
};
const scaled = (ours: number, ref: number) => Math.abs(ours - ref) / Math.max(1, Math.abs(ref));

describe('log Γ and ψ', () => {
  it('log Γ to 4e-15 of max(1, |log Γ|) from 1e-300 to 1e15', () => {
    // Near the zeros of log Γ (x = 1, 2) the recurrence leaves an absolute error of a few ε: a relative
    // bound there would be meaningless, hence max(1, |value|).
    for (const [x, ref] of fixture.logGamma) expect(scaled(logGamma(x), ref), `x = ${x}`).toBeLessThan(4e-15);
  });
  it('ψ to 2e-15 of max(1, |ψ|)', () => {
    for (const [x, ref] of fixture.digamma) expect(scaled(digamma(x), ref), `x = ${x}`).toBeLessThan(2e-15);
  });
  it('exact identities: Γ(n) = (n−1)!, Γ(½) = √π, ψ(1) = −γ, log B(1, b) = −log b', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(scaled(logGamma(n), Math.log(factorial))).toBeLessThan(4e-15);
      factorial *= n;
    }
    expect(scaled(logGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(4e-15);
    expect(Math.abs(digamma(1) + 0.5772156649015329)).toBeLessThan(2e-15);
    expect(scaled(logBeta(1, 7.5), -Math.log(7.5))).toBeLessThan(4e-15);
  });
  it('rejects arguments outside their domain', () => {
    expect(() => logGamma(0)).toThrow(InvalidInputError);
    expect(() => digamma(-1)).toThrow(InvalidInputError);
    expect(() => logGamma(NaN)).toThrow(InvalidInputError);
    expect(() => logit(1.5)).toThrow(InvalidInputError);
  });
});

describe('incomplete gamma and beta', () => {
  // The front factor exp(a log x − x − log Γ(a)) turns the rounding of its exponent, about
  // ε (|a log x| + x + |log Γ(a)|), into the same relative error of the result: the tolerance is 8 times
  // that bound (1e-15 for small a, 1e-12 at a = 10⁴); where a value is got as 1 − the other, the
  // cancellation multiplies its relative error by (other / value).
  it('P and Q to their conditioning (each computed directly where it is small), up to a = 10⁴', () => {
    for (const [a, x, p, q] of fixture.gammaP) {
      const tolerance = 8 * Number.EPSILON * (1 + Math.abs(a * Math.log(x)) + x + Math.abs(logGamma(a)));
      expect(Math.abs(regularizedGammaP(a, x) - p) / p, `P(${a}, ${x})`).toBeLessThan(tolerance * Math.max(1, q / p));
      expect(Math.abs(regularizedGammaQ(a, x) - q) / q, `Q(${a}, ${x})`).toBeLessThan(tolerance * Math.max(1, p / q));
    }
  });
  it('I_x(a, b) to its conditioning', () => {
    // Likewise, the front factor exp(a log x + b log(1 − x) − log B(a, b)) sums terms up to 850 in size
    // at a = b = 200 (the log Γ terms of log B): error ε · that sum.
    for (const [x, a, b, ref] of fixture.incompleteBeta) {
      const size = 1 + Math.abs(a * Math.log(x)) + Math.abs(b * Math.log1p(-x)) + logGamma(a) + logGamma(b) + logGamma(a + b);
      expect(Math.abs(regularizedIncompleteBeta(x, a, b) - ref) / Math.max(ref, 1e-300), `I(${x}; ${a}, ${b})`).toBeLessThan(8 * Number.EPSILON * Math.abs(size));
    }
  });
});

describe('stable elementary forms', () => {
  it('softplus, logistic and logit in both tails', () => {
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(Math.abs(softplus(-40) - Math.exp(-40)) / Math.exp(-40)).toBeLessThan(1e-15);
    expect(logistic(-800)).toBe(0);
    expect(logistic(800)).toBe(1);
    expect(Math.abs(logistic(-40) - Math.exp(-40)) / Math.exp(-40)).toBeLessThan(1e-15);
    expect(Math.abs(logit(logistic(3.25)) - 3.25)).toBeLessThan(1e-14);
  });
  it('logSumExp does not overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([])).toBe(-Infinity);
  });
});

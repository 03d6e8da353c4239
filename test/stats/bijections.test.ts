// Bijections to the unconstrained space: round trips, the Jacobian and the gradient of log |J| against
// central differences, and the change of variables checked by quadrature: the density a sampler sees on
// u, p_X(forward(u)) · |J(u)|, must integrate to 1 and give back E[X].
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import {
  Beta,
  bijectionFor,
  Gamma,
  HalfNormal,
  identityBijection,
  intervalBijection,
  InverseGamma,
  logBijection,
  lowerBoundBijection,
  Normal,
  Uniform,
  upperBoundBijection,
  type Bijection,
  type Distribution,
} from '../../src/stats/index';

const bijections: Bijection[] = [
  identityBijection(),
  logBijection(),
  lowerBoundBijection(-3),
  upperBoundBijection(2.5),
  intervalBijection(0, 1),
  intervalBijection(-2, 10),
];
const us = [-6, -2.5, -0.3, 0, 0.4, 1.7, 5];

describe.each(bijections.map((b) => [b.name, b] as const))('%s', (_name, b) => {
  it('round-trips u → x → u to 1e-12 (and lands inside the support)', () => {
    for (const u of us) {
      const x = b.forward(u);
      expect(x).toBeGreaterThan(b.support.lower);
      expect(x).toBeLessThan(b.support.upper);
      // log(x − a) after x = a + eᵘ loses |a|/eᵘ · ε relative: within 1e-12 for these u and bounds.
      expect(Math.abs(b.inverse(x) - u)).toBeLessThan(1e-12 * Math.max(1, Math.abs(u)));
    }
  });
  it('derivative, log |J| and its gradient agree with central differences (1e-7)', () => {
    for (const u of us) {
      const h = 1e-5;
      const fd = (b.forward(u + h) - b.forward(u - h)) / (2 * h);
      expect(Math.abs(fd - b.derivative(u)) / Math.max(1e-300, Math.abs(b.derivative(u)))).toBeLessThan(1e-7);
      expect(Math.abs(b.logAbsJacobian(u) - Math.log(Math.abs(b.derivative(u))))).toBeLessThan(1e-13 * Math.max(1, Math.abs(u)));
      const fdLog = (b.logAbsJacobian(u + h) - b.logAbsJacobian(u - h)) / (2 * h);
      expect(Math.abs(fdLog - b.gradLogAbsJacobian(u))).toBeLessThan(1e-7);
    }
  });
});

/** ∫ f(u) du by the trapezoid rule on [−L, L]: spectrally accurate for smooth integrands that vanish at ±L. */
function integrate(f: (u: number) => number, L = 40, steps = 40_000): number {
  const h = (2 * L) / steps;
  let total = 0.5 * (f(-L) + f(L));
  for (let k = 1; k < steps; k++) total += f(-L + k * h);
  return total * h;
}

describe('change of variables by quadrature', () => {
  const cases: [string, Distribution, Bijection][] = [
    ['HalfNormal(1) on log', HalfNormal(1), logBijection()],
    ['Gamma(2, 3) on log', Gamma(2, 3), logBijection()],
    ['InverseGamma(4, 2) on log', InverseGamma(4, 2), logBijection()],
    ['Beta(2, 5) on logit', Beta(2, 5), intervalBijection(0, 1)],
    ['Uniform(-1, 3) on scaled logit', Uniform(-1, 3), intervalBijection(-1, 3)],
    ['Normal(1, 2) on identity', Normal(1, 2), identityBijection()],
  ];
  for (const [name, d, b] of cases) {
    it(`${name}: p(forward(u))·|J(u)| integrates to 1 and gives E[X] (1e-9)`, () => {
      const density = (u: number) => Math.exp(d.logDensity(b.forward(u)) + b.logAbsJacobian(u));
      // Tails beyond |u| = 40 hold less than 1e-15 of the mass for these laws.
      expect(Math.abs(integrate(density) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(integrate((u) => b.forward(u) * density(u)) - d.mean())).toBeLessThan(1e-9 * Math.max(1, d.mean()));
    });
  }
  it('without the Jacobian the density on u is not a density of anything like X', () => {
    const d = HalfNormal(1);
    const b = logBijection();
    const forgot = integrate((u) => Math.exp(d.logDensity(b.forward(u))));
    // ∫ p(eᵘ) du = ∫ p(x)/x dx diverges at 0 for the half-normal: the quadrature returns a large number.
    expect(forgot).toBeGreaterThan(10);
  });
});

describe('bijectionFor and errors', () => {
  it('picks the transform from the support', () => {
    expect(bijectionFor({ lower: -Infinity, upper: Infinity }).name).toBe('identity');
    expect(bijectionFor({ lower: 0, upper: Infinity }).name).toBe('log');
    expect(bijectionFor({ lower: 0, upper: 1 }).name).toBe('logit');
    expect(bijectionFor({ lower: -Infinity, upper: 4 }).name).toBe('upperBound(4)');
  });
  it('rejects points outside the support and bad bounds', () => {
    expect(() => logBijection().inverse(0)).toThrow(InvalidInputError);
    expect(() => intervalBijection(0, 1).inverse(1)).toThrow(InvalidInputError);
    expect(() => intervalBijection(1, 1)).toThrow(InvalidInputError);
    expect(() => lowerBoundBijection(NaN)).toThrow(InvalidInputError);
  });
});

// Line searches against the test functions of Moré & Thuente (1994), "Line search algorithms with
// guaranteed sufficient decrease", ACM TOMS 20(3), 286–307, Tables 1–6: each function, its (μ, η) = (c₁, c₂)
// and the four initial steps 1e-3, 1e-1, 1e1, 1e3. The reference fact checked is the definition: the
// returned step satisfies the strong Wolfe conditions (their acceptable set), and where that set is a
// short interval around one point (their function 2, α ≈ 1.6) the step lies in it.
import { describe, expect, it } from 'vitest';
import { backtrackingLineSearch, cubicMinimizer, strongWolfeLineSearch, type LinePoint } from '../../src/optimize/lineSearch';
import { InvalidInputError } from '../../src/errors';

type Phi = { f: (a: number) => number; df: (a: number) => number; c1: number; c2: number; name: string };

const gamma = (b: number) => Math.sqrt(1 + b * b) - b;
const yanai = (b1: number, b2: number, c: number): Phi => ({
  name: `Yanai–Ozawa–Kaneko (β₁ = ${b1}, β₂ = ${b2})`,
  f: (a) => gamma(b1) * Math.sqrt((1 - a) ** 2 + b2 * b2) + gamma(b2) * Math.sqrt(a * a + b1 * b1),
  df: (a) => (gamma(b1) * (a - 1)) / Math.sqrt((1 - a) ** 2 + b2 * b2) + (gamma(b2) * a) / Math.sqrt(a * a + b1 * b1),
  c1: c,
  c2: c,
});
const B3 = 0.01;
const L3 = 39;
const functions: Phi[] = [
  { name: 'φ(α) = −α/(α² + 2)', f: (a) => -a / (a * a + 2), df: (a) => (a * a - 2) / (a * a + 2) ** 2, c1: 0.001, c2: 0.1 },
  { name: 'φ(α) = (α + 0.004)⁵ − 2(α + 0.004)⁴', f: (a) => (a + 0.004) ** 5 - 2 * (a + 0.004) ** 4, df: (a) => 5 * (a + 0.004) ** 4 - 8 * (a + 0.004) ** 3, c1: 0.1, c2: 0.1 },
  {
    name: 'φ₀(α) + 2(1−β)/(lπ) sin(lπα/2), β = 0.01, l = 39',
    f: (a) => {
      const p0 = a <= 1 - B3 ? 1 - a : a >= 1 + B3 ? a - 1 : (a - 1) ** 2 / (2 * B3) + B3 / 2;
      return p0 + ((2 * (1 - B3)) / (L3 * Math.PI)) * Math.sin((L3 * Math.PI * a) / 2);
    },
    df: (a) => {
      const d0 = a <= 1 - B3 ? -1 : a >= 1 + B3 ? 1 : (a - 1) / B3;
      return d0 + (1 - B3) * Math.cos((L3 * Math.PI * a) / 2);
    },
    c1: 0.1,
    c2: 0.1,
  },
  yanai(0.001, 0.001, 0.001),
  yanai(0.01, 0.001, 0.001),
  yanai(0.001, 0.01, 0.001),
];

const pointOf = (fn: Phi) => (a: number): LinePoint => ({ step: a, value: fn.f(a), derivative: fn.df(a) });

describe('strongWolfeLineSearch on the Moré–Thuente test functions', () => {
  for (const fn of functions) {
    for (const initialStep of [1e-3, 1e-1, 1e1, 1e3]) {
      it(`${fn.name}, α₀ = ${initialStep}`, () => {
        const phi = pointOf(fn);
        const start = phi(0);
        const r = strongWolfeLineSearch(phi, start, { initialStep, sufficientDecrease: fn.c1, curvature: fn.c2 });
        const a = r.point.step;
        expect(r.strongWolfe).toBe(true);
        // The two conditions, evaluated afresh (not trusting the search's own bookkeeping).
        expect(fn.f(a)).toBeLessThanOrEqual(fn.f(0) + fn.c1 * a * fn.df(0));
        expect(Math.abs(fn.df(a))).toBeLessThanOrEqual(fn.c2 * Math.abs(fn.df(0)));
      });
    }
  }
  it('function 2 has one short acceptable interval, around α ≈ 1.6 (Moré & Thuente, Table 2)', () => {
    for (const initialStep of [1e-3, 1e-1, 1e1, 1e3]) {
      const r = strongWolfeLineSearch(pointOf(functions[1]), pointOf(functions[1])(0), { initialStep, sufficientDecrease: 0.1, curvature: 0.1 });
      expect(r.point.step).toBeCloseTo(1.6, 1);
    }
  });
});

describe('strongWolfeLineSearch safeguards', () => {
  it('respects maxStep', () => {
    const phi = (a: number): LinePoint => ({ step: a, value: -a, derivative: -1 });
    const r = strongWolfeLineSearch(phi, phi(0), { maxStep: 3 });
    expect(r.point.step).toBe(3);
    expect(r.sufficientDecrease).toBe(true);
    expect(r.strongWolfe).toBe(false);
  });
  it('shortens a step that leaves the domain of f (NaN beyond α = 0.9)', () => {
    const phi = (a: number): LinePoint => (a < 0.9 ? { step: a, value: (a - 0.5) ** 2, derivative: 2 * (a - 0.5) } : { step: a, value: NaN, derivative: NaN });
    const r = strongWolfeLineSearch(phi, phi(0), { initialStep: 5 });
    expect(r.strongWolfe).toBe(true);
    expect(r.point.step).toBeLessThan(0.9);
  });
  it('rejects an ascent direction with a typed error', () => {
    const phi = (a: number): LinePoint => ({ step: a, value: a, derivative: 1 });
    expect(() => strongWolfeLineSearch(phi, phi(0))).toThrow(InvalidInputError);
    expect(() => backtrackingLineSearch(phi, phi(0))).toThrow(/not a descent direction/);
  });
});

describe('backtrackingLineSearch', () => {
  it('returns a step with sufficient decrease on every Moré–Thuente function', () => {
    for (const fn of functions) {
      for (const initialStep of [1e-1, 1e1, 1e3]) {
        const r = backtrackingLineSearch(pointOf(fn), pointOf(fn)(0), { initialStep, sufficientDecrease: fn.c1 });
        expect(r.sufficientDecrease).toBe(true);
        const a = r.point.step;
        expect(a).toBeLessThanOrEqual(initialStep);
        expect(fn.f(a)).toBeLessThanOrEqual(fn.f(0) + fn.c1 * a * fn.df(0));
      }
    }
  });
  it('accepts the Newton step on a quadratic at once (α = 1 is exact there)', () => {
    const phi = (a: number): LinePoint => ({ step: a, value: (a - 1) ** 2, derivative: 2 * (a - 1) });
    const r = backtrackingLineSearch(phi, phi(0));
    expect(r.point.step).toBe(1);
    expect(r.evaluations).toBe(1);
  });
});

describe('cubicMinimizer', () => {
  it('recovers the minimizer of a cubic exactly (φ = α³ − 3α, minimum at 1)', () => {
    const f = (a: number) => a ** 3 - 3 * a;
    const df = (a: number) => 3 * a * a - 3;
    expect(cubicMinimizer(0, f(0), df(0), 2, f(2), df(2))).toBeCloseTo(1, 14);
    expect(cubicMinimizer(-0.5, f(-0.5), df(-0.5), 3, f(3), df(3))).toBeCloseTo(1, 14);
  });
});

describe('approximate Wolfe test (Hager & Zhang 2005)', () => {
  it('accepts a step that flattens the slope when f cannot resolve the decrease', () => {
    // φ(α) = 1e6 + tiny·(α − 1)² plus a rounding-like wobble of 3e-10 (about 3 ulps of 1e6) that is lowest
    // at α = 0: the true decrease, 1e-13, is far below the wobble, so no step shows sufficient decrease in
    // f, yet the slope (of the smooth part, as an exact gradient would give) says α = 1 is the minimizer.
    const tiny = 1e-13;
    const phi = (a: number): LinePoint => ({ step: a, value: 1e6 + tiny * (a - 1) ** 2 - 3e-10 * Math.cos(1e9 * a), derivative: 2 * tiny * (a - 1) });
    const exact = strongWolfeLineSearch(phi, phi(0));
    expect(exact.sufficientDecrease || exact.strongWolfe).toBe(false);
    const approximate = strongWolfeLineSearch(phi, phi(0), { valueNoise: 100 * 2.220446049250313e-16 * 1e6 });
    expect(approximate.approximateWolfe).toBe(true);
    expect(Math.abs(approximate.point.derivative!)).toBeLessThanOrEqual(0.9 * Math.abs(phi(0).derivative!));
  });
});

// The autodiff tape: every operation's gradient against central finite differences (1e-6 relative, the
// micrograd standard: central differences at h = 1e-5·max(1, |x|) err by O(h²) ≈ 1e-10 plus rounding
// ε|f|/h ≈ 1e-11), a whole linear-regression log posterior against its hand-derived gradient (both exact:
// 1e-12), fused log densities against the distributions' own log densities, tape reuse, and errors.
import { describe, expect, it } from 'vitest';
import { createRng, standardNormals } from '../../src/random/index';
import { DimensionMismatchError, InvalidInputError } from '../../src/errors';
import { matrix } from '../../src/linalg/index';
import {
  betaFamily,
  cauchyFamily,
  centralDifferenceGradient,
  createLogDensity,
  createTape,
  exponentialFamily,
  gammaFamily,
  halfCauchyFamily,
  halfNormalFamily,
  HalfNormal,
  identityBijection,
  intervalBijection,
  inverseGammaFamily,
  logBijection,
  logNormalFamily,
  lowerBoundBijection,
  Normal,
  normalFamily,
  studentTFamily,
  uniformFamily,
  upperBoundBijection,
  valueAndGradient,
  type DistributionFamily,
  type Tape,
  type Var,
} from '../../src/stats/index';

type Model = (t: Tape, x: Var) => Var;

/** Largest |ad − fd| / max(1, |fd|) over the components. */
function gradientError(f: Model, x: ArrayLike<number>): number {
  const { gradient } = valueAndGradient(f, x);
  const tape = createTape();
  const value = (p: Float64Array) => {
    tape.reset();
    return f(tape, tape.variable(p)).value[0];
  };
  const fd = centralDifferenceGradient(value, x);
  let worst = 0;
  for (let i = 0; i < fd.length; i++) worst = Math.max(worst, Math.abs(gradient[i] - fd[i]) / Math.max(1, Math.abs(fd[i])));
  return worst;
}

const rng = createRng(20240401);
const n = 7;
const weights = Float64Array.from(standardNormals(rng, n));
const point = Float64Array.from(standardNormals(rng, n), (z) => 0.8 * z);
const positivePoint = Float64Array.from(point, (z) => 0.3 + Math.abs(z));

/** A scalar from a vector op: Σ wᵢ yᵢ with fixed random weights, so every output entry matters. */
const weighted = (t: Tape, y: Var) => t.dot(y, weights.subarray(0, y.size));

describe('unary operations: gradient against central differences', () => {
  const cases: [string, (t: Tape, x: Var) => Var, Float64Array][] = [
    ['neg', (t, x) => t.neg(x), point],
    ['exp', (t, x) => t.exp(x), point],
    ['log', (t, x) => t.log(x), positivePoint],
    ['log1p', (t, x) => t.log1p(x), positivePoint],
    ['expm1', (t, x) => t.expm1(x), point],
    ['softplus', (t, x) => t.softplus(t.mul(x, 20)), point], // both branches of the stable form
    ['logistic', (t, x) => t.logistic(t.mul(x, 5)), point],
    ['square', (t, x) => t.square(x), point],
    ['sqrt', (t, x) => t.sqrt(x), positivePoint],
    ['pow', (t, x) => t.pow(x, 2.7), positivePoint],
  ];
  for (const [name, op, at] of cases) {
    it(name, () => expect(gradientError((t, x) => weighted(t, op(t, x)), at)).toBeLessThan(1e-6));
  }
});

describe('binary operations with broadcasting: gradient against central differences', () => {
  // x holds a vector a (entries 0..3), a vector b (4..5 twice over) and a scalar s (6).
  const ops: [string, (t: Tape, a: Var, b: Var) => Var][] = [
    ['add', (t, a, b) => t.add(a, b)],
    ['sub', (t, a, b) => t.sub(a, b)],
    ['mul', (t, a, b) => t.mul(a, b)],
    ['div', (t, a, b) => t.div(a, b)],
  ];
  for (const [name, op] of ops) {
    it(`${name}: vector–vector, vector–scalar, scalar–vector, scalar–scalar`, () => {
      const f: Model = (t, x) => {
        const a = t.slice(x, 0, 3);
        const b = t.add(t.slice(x, 3, 3), 2); // keeps the divisor away from 0
        const s = t.add(t.index(x, 6), 3);
        const r = t.index(x, 2);
        return t.add(
          t.add(weighted(t, op(t, a, b)), weighted(t, op(t, a, s))),
          t.add(weighted(t, op(t, s, b)), op(t, r, s)),
        );
      };
      expect(gradientError(f, point)).toBeLessThan(1e-6);
    });
  }
  it('mixes numbers and arrays as constants', () => {
    const c = [0.5, -1, 2];
    const f: Model = (t, x) => t.sum(t.mul(t.sub(t.slice(x, 0, 3), c), t.add(3, t.slice(x, 3, 3))));
    expect(gradientError(f, point)).toBeLessThan(1e-6);
  });
});

describe('reductions, products and structure: gradient against central differences', () => {
  const X = matrix(5, 3, standardNormals(createRng(5), 15));
  it('sum', () => expect(gradientError((t, x) => t.sum(t.square(x)), point)).toBeLessThan(1e-6));
  it('dot of two variables', () => expect(gradientError((t, x) => t.dot(t.slice(x, 0, 3), t.slice(x, 3, 3)), point)).toBeLessThan(1e-6));
  it('matVec', () => expect(gradientError((t, x) => weighted(t, t.matVec(X, t.slice(x, 1, 3))), point)).toBeLessThan(1e-6));
  it('slice, index and concat', () => {
    const f: Model = (t, x) => {
      const joined = t.concat([t.slice(x, 4, 3), t.index(x, 0), 1.5, t.slice(x, 1, 2)]);
      return weighted(t, t.mul(joined, joined));
    };
    expect(gradientError(f, point)).toBeLessThan(1e-6);
  });
  it('a variable used many times accumulates its adjoint', () => {
    const f: Model = (t, x) => {
      const a = t.index(x, 0);
      return t.add(t.mul(a, a), t.add(t.exp(a), t.mul(t.sum(x), a)));
    };
    expect(gradientError(f, point)).toBeLessThan(1e-6);
  });
});

describe('fused log densities', () => {
  // Parameters reached from the real line through exp or logistic, so that every point is valid.
  const families: [DistributionFamily, (t: Tape, x: Var) => Var, ((t: Tape, p: Var) => Var)[]][] = [
    [normalFamily, (t, x) => x, [(t, p) => p, (t, p) => t.exp(p)]],
    [halfNormalFamily, (t, x) => t.exp(x), [(t, p) => t.exp(p)]],
    [halfCauchyFamily, (t, x) => t.exp(x), [(t, p) => t.exp(p)]],
    [cauchyFamily, (t, x) => x, [(t, p) => p, (t, p) => t.exp(p)]],
    [studentTFamily, (t, x) => x, [(t, p) => t.exp(t.add(p, 1)), (t, p) => p, (t, p) => t.exp(p)]],
    [gammaFamily, (t, x) => t.exp(x), [(t, p) => t.exp(p), (t, p) => t.exp(p)]],
    [inverseGammaFamily, (t, x) => t.exp(x), [(t, p) => t.exp(p), (t, p) => t.exp(p)]],
    [betaFamily, (t, x) => t.logistic(x), [(t, p) => t.exp(p), (t, p) => t.exp(p)]],
    [logNormalFamily, (t, x) => t.exp(x), [(t, p) => p, (t, p) => t.exp(p)]],
    [exponentialFamily, (t, x) => t.exp(x), [(t, p) => t.exp(p)]],
  ];
  const m = 4;
  const data = Float64Array.from(standardNormals(createRng(9), 40), (z) => 0.7 * z);
  for (const [family, toX, toParameters] of families) {
    it(`${family.name}: scalar and vector parameters, gradient against central differences`, () => {
      const k = toParameters.length;
      // θ = [x (m), scalar parameters (k), vector parameters (k·m)]
      const scalar: Model = (t, th) => {
        const x = toX(t, t.slice(th, 0, m));
        return t.logDensity(family, x, ...toParameters.map((f, j) => f(t, t.index(th, m + j))));
      };
      const vector: Model = (t, th) => {
        const x = toX(t, t.slice(th, 0, m));
        return t.logDensity(family, x, ...toParameters.map((f, j) => f(t, t.slice(th, m + k + j * m, m))));
      };
      const mixed: Model = (t, th) => {
        // a scalar x against vector parameters
        return t.logDensity(family, toX(t, t.index(th, 0)), ...toParameters.map((f, j) => f(t, t.slice(th, m + k + j * m, m))));
      };
      const at = data.subarray(0, m + k + k * m);
      expect(gradientError(scalar, at)).toBeLessThan(1e-6);
      expect(gradientError(vector, at)).toBeLessThan(1e-6);
      expect(gradientError(mixed, at)).toBeLessThan(1e-6);
    });
  }
  it('Uniform: value is −m log(b − a) inside, −∞ outside', () => {
    const t = createTape();
    expect(t.logDensity(uniformFamily, [0.2, 0.5], -1, 3).value[0]).toBeCloseTo(-2 * Math.log(4), 14);
    expect(t.logDensity(uniformFamily, [0.2, 5], -1, 3).value[0]).toBe(-Infinity);
  });
  it('equals the sum of the Distribution log densities (1e-12: the same closed forms, summed)', () => {
    const t = createTape();
    const y = [0.3, -1.2, 2.5, 0.01];
    const ours = t.logDensity(normalFamily, y, 0.4, 1.7).value[0];
    const reference = y.reduce((s, v) => s + Normal(0.4, 1.7).logDensity(v), 0);
    expect(Math.abs(ours - reference)).toBeLessThan(1e-12 * Math.abs(reference));
    const mus = [0, 1, -1, 2];
    const sigmas = [1, 0.5, 2, 3];
    const vec = t.logDensity(normalFamily, y, mus, sigmas).value[0];
    const ref2 = y.reduce((s, v, i) => s + Normal(mus[i], sigmas[i]).logDensity(v), 0);
    expect(Math.abs(vec - ref2)).toBeLessThan(1e-12 * Math.abs(ref2));
    const prior = HalfNormal(2);
    expect(t.logDensity(prior, [0.5, 1]).value[0]).toBeCloseTo(prior.logDensity(0.5) + prior.logDensity(1), 14);
  });
  it('is −∞ for parameters outside their space (σ = 0 after exp underflows)', () => {
    const t = createTape();
    expect(t.logDensity(normalFamily, [1, 2], 0, t.exp(-800)).value[0]).toBe(-Infinity);
    expect(t.logDensity(gammaFamily, [1, 2], -1, 1).value[0]).toBe(-Infinity);
    expect(t.logDensity(halfNormalFamily, [-1], 1).value[0]).toBe(-Infinity);
  });
});

describe('bijection operations', () => {
  const bijections = [identityBijection(), logBijection(), lowerBoundBijection(-2), upperBoundBijection(3), intervalBijection(0, 1), intervalBijection(-1, 4)];
  for (const b of bijections) {
    it(`${b.name}: constrain and logAbsJacobian, gradient against central differences`, () => {
      const f: Model = (t, u) => t.add(weighted(t, t.constrain(b, u)), t.logAbsJacobian(b, u));
      expect(gradientError(f, point)).toBeLessThan(1e-6);
    });
  }
});

describe('customOp, the extension point', () => {
  // A cumulative sum with a decay, y_t = x_t + a·y_{t−1}: geometric adstock's recursion, with the VJP
  // derived by hand (x̄_t = ȳ_t + a·x̄_{t+1}; ā = Σ_t ȳ_t ∂y_t/∂a with ∂y_t/∂a = y_{t−1} + a ∂y_{t−1}/∂a).
  const forward = (inputs: readonly Float64Array[]) => {
    const [x, a] = inputs;
    const y = new Float64Array(x.length);
    for (let t = 0; t < x.length; t++) y[t] = x[t] + (t > 0 ? a[0] * y[t - 1] : 0);
    return y;
  };
  const vjp = (ybar: Float64Array, inputs: readonly Float64Array[], y: Float64Array) => {
    const [x, a] = inputs;
    const xbar = new Float64Array(x.length);
    let carry = 0;
    for (let t = x.length - 1; t >= 0; t--) {
      carry = ybar[t] + a[0] * carry;
      xbar[t] = carry;
    }
    let abar = 0;
    let dy = 0;
    for (let t = 1; t < x.length; t++) {
      dy = y[t - 1] + a[0] * dy;
      abar += ybar[t] * dy;
    }
    return [xbar, abar];
  };
  it('gradient against central differences', () => {
    const f: Model = (t, th) => weighted(t, t.customOp([t.slice(th, 0, 6), t.logistic(t.index(th, 6))], forward, vjp, 'decay'));
    expect(gradientError(f, point)).toBeLessThan(1e-6);
  });
  it('skips inputs that need no gradient and checks what the VJP returns', () => {
    const t = createTape();
    const x = t.variable([1, 2, 3]);
    const y = t.customOp([x, 0.5], forward, (ybar, inputs, out, needs) => {
      expect(needs).toEqual([true, false]);
      return [vjp(ybar, inputs, out)[0], null];
    });
    const out = t.sum(y);
    t.backward(out);
    expect(Array.from(t.gradient(x))).toEqual([1.75, 1.5, 1]);
    const bad = createTape();
    const v = bad.variable([1, 2]);
    const wrong = bad.sum(bad.customOp([v], (ins) => ins[0], () => [new Float64Array(3)], 'wrong'));
    expect(() => bad.backward(wrong)).toThrow(DimensionMismatchError);
  });
});

describe('a whole linear-regression log posterior against its hand-derived gradient', () => {
  // y ~ N(α + Xβ, σ), β ~ N(0, 2), α ~ N(0, 5), σ ~ HalfNormal(1), sampled as u = log σ (Jacobian u).
  const rows = 30;
  const p = 4;
  const r = createRng(77);
  const X = matrix(rows, p, standardNormals(r, rows * p));
  const y = Float64Array.from(standardNormals(r, rows), (e, i) => 1 + X.data[i * p] - 0.5 * X.data[i * p + 1] + 0.3 * e);
  const model: Model = (t, th) => {
    const beta = t.slice(th, 0, p);
    const alpha = t.index(th, p);
    const u = t.index(th, p + 1);
    const sigma = t.exp(u);
    const mu = t.add(t.matVec(X, beta), alpha);
    const likelihood = t.logDensity(normalFamily, y, mu, sigma);
    const priors = t.add(t.add(t.logDensity(normalFamily, beta, 0, 2), t.logDensity(normalFamily, alpha, 0, 5)), t.logDensity(halfNormalFamily, sigma, 1));
    return t.add(t.add(likelihood, priors), u);
  };
  function handGradient(th: Float64Array): Float64Array {
    const sigma = Math.exp(th[p + 1]);
    const g = new Float64Array(p + 2);
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      let mu = th[p];
      for (let j = 0; j < p; j++) mu += X.data[i * p + j] * th[j];
      const r = (y[i] - mu) / (sigma * sigma);
      for (let j = 0; j < p; j++) g[j] += r * X.data[i * p + j];
      g[p] += r;
      squares += (y[i] - mu) ** 2;
    }
    for (let j = 0; j < p; j++) g[j] -= th[j] / 4;
    g[p] -= th[p] / 25;
    // d/du of [−n u − S/(2σ²)] + [−σ²/2] + u, with σ = eᵘ.
    g[p + 1] = -rows + squares / (sigma * sigma) - sigma * sigma + 1;
    return g;
  }
  it('agrees to 1e-12 at several points, and the value to the closed form', () => {
    const target = createLogDensity(p + 2, model);
    const gradient = new Float64Array(p + 2);
    for (let k = 0; k < 5; k++) {
      const th = Float64Array.from(standardNormals(r, p + 2), (z) => 0.5 * z);
      const value = target.logDensityGradient(th, gradient);
      const hand = handGradient(th);
      for (let j = 0; j < p + 2; j++) expect(Math.abs(gradient[j] - hand[j])).toBeLessThan(1e-12 * Math.max(1, Math.abs(hand[j])));
      let reference = th[p + 1];
      const sigma = Math.exp(th[p + 1]);
      for (let i = 0; i < rows; i++) {
        let mu = th[p];
        for (let j = 0; j < p; j++) mu += X.data[i * p + j] * th[j];
        reference += Normal(mu, sigma).logDensity(y[i]);
      }
      for (let j = 0; j < p; j++) reference += Normal(0, 2).logDensity(th[j]);
      reference += Normal(0, 5).logDensity(th[p]) + HalfNormal(1).logDensity(sigma);
      expect(Math.abs(value - reference)).toBeLessThan(1e-12 * Math.abs(reference));
    }
  });
  it('reuses its tape: repeated calls give bit-identical results to a fresh tape', () => {
    const reused = createLogDensity(p + 2, model);
    const g1 = new Float64Array(p + 2);
    const g2 = new Float64Array(p + 2);
    const points = [0, 1, 2].map(() => Float64Array.from(standardNormals(r, p + 2), (z) => 0.5 * z));
    for (const th of [...points, ...points]) {
      const v1 = reused.logDensityGradient(th, g1);
      const v2 = createLogDensity(p + 2, model).logDensityGradient(th, g2);
      expect(v1).toBe(v2);
      expect(Array.from(g1)).toEqual(Array.from(g2));
    }
    expect(reused.logDensity(points[0])).toBe(reused.logDensityGradient(points[0], g1));
  });
});

describe('errors and edge cases', () => {
  it('rejects shapes that do not broadcast, and foreign or stale values', () => {
    const t = createTape();
    const x = t.variable([1, 2, 3]);
    expect(() => t.add(x, [1, 2])).toThrow(DimensionMismatchError);
    expect(() => t.dot(x, [1, 2])).toThrow(DimensionMismatchError);
    expect(() => t.matVec(matrix(2, 2), x)).toThrow(DimensionMismatchError);
    expect(() => t.slice(x, 2, 2)).toThrow(InvalidInputError);
    expect(() => t.logDensity(normalFamily, x, [0, 1], 1)).toThrow(DimensionMismatchError);
    expect(() => t.logDensity(normalFamily, x, 0)).toThrow(InvalidInputError);
    const other = createTape();
    expect(() => other.exp(x)).toThrow(InvalidInputError);
    t.reset();
    expect(() => t.exp(x)).toThrow(InvalidInputError);
    expect(() => t.pow(t.variable(1), NaN)).toThrow(InvalidInputError);
  });
  it('backward needs a finite scalar output', () => {
    const t = createTape();
    const x = t.variable([1, 2]);
    expect(() => t.backward(x)).toThrow(DimensionMismatchError);
    expect(() => t.backward(t.sum(t.log(t.sub(x, 5))))).toThrow(InvalidInputError);
  });
  it('a log density of −∞ is returned as is, with a NaN gradient the samplers treat as a divergence', () => {
    const target = createLogDensity(1, (t, th) => t.logDensity(normalFamily, 1, 0, t.exp(t.mul(th, 1000))));
    const g = new Float64Array(1);
    expect(target.logDensityGradient([-1], g)).toBe(-Infinity);
    expect(Number.isNaN(g[0])).toBe(true);
    expect(() => target.logDensityGradient([1, 2], g)).toThrow(DimensionMismatchError);
    expect(() => target.logDensityGradient([1], new Float64Array(2))).toThrow(DimensionMismatchError);
    expect(() => createLogDensity(0, (t, th) => th)).toThrow(InvalidInputError);
    expect(() => createLogDensity(2, (t, th) => th).logDensity([1, 2])).toThrow(DimensionMismatchError);
  });
  it('the gradient of a constant output is zero', () => {
    const t = createTape();
    const x = t.variable([1, 2]);
    t.backward(t.sum([3, 4]));
    expect(Array.from(t.gradient(x))).toEqual([0, 0]);
  });
});

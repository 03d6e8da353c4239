import { describe, expect, it } from 'vitest';
import jStat from 'jstat';
import {
  bernoulli,
  beta,
  createRng,
  dirichlet,
  exponential,
  gamma,
  integer,
  normal,
  permutation,
  poisson,
  shuffle,
  studentT,
} from '../../src/random';

/**
 * One-sample Kolmogorov–Smirnov statistic sqrt(n)·D against a CDF. Reference CDFs come from jStat, an
 * outside implementation. With n = 20,000 draws the 0.1% critical value of sqrt(n)·D is 1.95 (Kolmogorov
 * distribution), so a correct sampler fails a given check about once in a thousand seeds; the seeds are
 * fixed, so the test is deterministic.
 *
 * Ties are compared as what they are: doubles. Beta(0.02, 0.03) puts 14% of its mass within one ulp
 * of 1, which rounds to exactly 1, so a run of equal draws at v is compared with F(v) above it and with
 * F(the double below v) beneath it.
 */
function ksStatistic(draws: number[], cdf: (x: number) => number): number {
  const x = [...draws].sort((a, b) => a - b);
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && x[j] === x[i]) j++;
    const below = cdf(previousDouble(x[i]));
    d = Math.max(d, below - i / n, j / n - cdf(x[i]));
    i = j;
  }
  return Math.sqrt(n) * d;
}
function previousDouble(v: number): number {
  if (v === 0) return -Number.MIN_VALUE;
  const buffer = new Float64Array([v]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] += v > 0 ? -1n : 1n;
  return buffer[0];
}
const KS_CRITICAL_0_001 = 1.95;
const N = 20_000;

function draw(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe('continuous variates match their distributions (KS against jStat)', () => {
  const J = jStat as any;
  it('normal', () => {
    const rng = createRng(11);
    expect(ksStatistic(draw(N, () => normal(rng, 3, 2)), (x) => J.normal.cdf(x, 3, 2))).toBeLessThan(KS_CRITICAL_0_001);
  });
  it('exponential', () => {
    const rng = createRng(12);
    expect(ksStatistic(draw(N, () => exponential(rng, 0.5)), (x) => J.exponential.cdf(x, 0.5))).toBeLessThan(KS_CRITICAL_0_001);
  });
  for (const shape of [0.05, 0.7, 1, 3.5, 40]) {
    it(`gamma with shape ${shape}`, () => {
      const rng = createRng(`gamma-${shape}`);
      const x = draw(N, () => gamma(rng, shape, 2));
      expect(x.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      expect(ksStatistic(x, (v) => J.gamma.cdf(v, shape, 2))).toBeLessThan(KS_CRITICAL_0_001);
    });
  }
  for (const [a, b] of [[0.5, 0.5], [2, 5], [0.02, 0.03], [30, 10]]) {
    it(`beta(${a}, ${b})`, () => {
      const rng = createRng(`beta-${a}-${b}`);
      const x = draw(N, () => beta(rng, a, b));
      expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(ksStatistic(x, (v) => J.beta.cdf(v, a, b))).toBeLessThan(KS_CRITICAL_0_001);
    });
  }
  it('student-t with 3 degrees of freedom', () => {
    const rng = createRng(14);
    const x = draw(N, () => studentT(rng, 3, 1, 2));
    expect(ksStatistic(x, (v) => J.studentt.cdf((v - 1) / 2, 3))).toBeLessThan(KS_CRITICAL_0_001);
  });
});

describe('discrete variates', () => {
  it('integer(n) is uniform on 0..n-1 (chi-squared, 9 df, 0.1% critical value 27.88)', () => {
    const rng = createRng(21);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[integer(rng, 10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 5000) ** 2 / 5000, 0);
    expect(chi2).toBeLessThan(27.88);
  });
  it('poisson has mean and variance λ, for small and large λ', () => {
    for (const lambda of [0.3, 4, 75]) {
      const rng = createRng(22);
      const x = draw(N, () => poisson(rng, lambda));
      const mean = x.reduce((s, v) => s + v, 0) / N;
      const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (N - 1);
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / N));
      // sd of the sample variance of a Poisson ≈ sqrt((λ + 2λ²)/n).
      expect(Math.abs(variance - lambda)).toBeLessThan(5 * Math.sqrt((lambda + 2 * lambda * lambda) / N));
    }
  });
  it('bernoulli has mean p', () => {
    const rng = createRng(23);
    const m = draw(N, () => bernoulli(rng, 0.3)).reduce((s, v) => s + v, 0) / N;
    expect(Math.abs(m - 0.3)).toBeLessThan(5 * Math.sqrt(0.21 / N));
  });
  it('permutation and shuffle keep every element once and leave the input alone', () => {
    const rng = createRng(24);
    const p = Array.from(permutation(rng, 50));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const input = ['tv', 'search', 'social', 'radio'];
    const out = shuffle(rng, input);
    expect([...out].sort()).toEqual([...input].sort());
    expect(input).toEqual(['tv', 'search', 'social', 'radio']);
  });
});

describe('dirichlet', () => {
  it('sums to one and has mean α/Σα and Beta marginals', () => {
    const rng = createRng(31);
    const alpha = [0.5, 2, 7.5];
    const total = 10;
    const draws = draw(N, () => Array.from(dirichlet(rng, alpha)) as any) as unknown as number[][];
    for (const d of draws.slice(0, 100)) expect(Math.abs(d[0] + d[1] + d[2] - 1)).toBeLessThan(1e-15);
    // The marginal of component i is Beta(α_i, Σα − α_i).
    for (let i = 0; i < 3; i++) {
      const x = draws.map((d) => d[i]);
      expect(ksStatistic(x, (v) => (jStat as any).beta.cdf(v, alpha[i], total - alpha[i]))).toBeLessThan(KS_CRITICAL_0_001);
    }
  });
  it('works for tiny concentrations without producing NaN', () => {
    const rng = createRng(32);
    for (let i = 0; i < 1000; i++) {
      const d = dirichlet(rng, [0.01, 0.01, 0.01]);
      expect(Number.isFinite(d[0] + d[1] + d[2])).toBe(true);
      expect(Math.abs(d[0] + d[1] + d[2] - 1)).toBeLessThan(1e-12);
    }
  });
});

describe('bad parameters are rejected with the parameter named', () => {
  const rng = createRng(1);
  it.each([
    [() => gamma(rng, 0), /shape/],
    [() => gamma(rng, 1, -1), /scale/],
    [() => beta(rng, 1, Number.NaN), /b/],
    [() => normal(rng, 0, -1), /sd/],
    [() => dirichlet(rng, [1]), /alpha/],
    [() => dirichlet(rng, [1, -2]), /alpha\[1\]/],
    [() => integer(rng, 0), /n/],
    [() => bernoulli(rng, 1.5), /p/],
    [() => poisson(rng, -1), /lambda/],
  ])('%#', (f, message) => {
    expect(f).toThrow(message);
  });
});

// Conditional-independence tests of a graph against data. References: NIST StRD Longley certified
// regression (partial correlations follow exactly from certified t statistics), Agresti's published
// party-identification table (X², G²), closed forms of the chi-squared tail for even degrees of freedom,
// published normal quantiles, an independent numerical integration of the normal density, and the
// exact size of a test under a true null (simulated, with binomial bounds).
import { describe, expect, it } from 'vitest';
import {
  chiSquaredCITest, fisherZTest, parseDagitty, partialCorrelation, quantileBins, testImplications,
} from '../../src/causal/graph/index';
import { chiSquaredUpperTail, normalTwoSidedPValue } from '../../src/causal/graph/independence';
import { InvalidInputError, SingularMatrixError } from '../../src/errors';
import { inverse } from '../../src/linalg/index';
import { createRng, normal, uniform, type Rng } from '../../src/random';

// NIST StRD Longley (public domain): y, x1..x6, 16 rows, and the certified estimates and standard
// deviations of B1..B6 in y = B0 + Σ Bj xj.
const LONGLEY = [
  [60323, 83.0, 234289, 2356, 1590, 107608, 1947], [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
  [60171, 88.2, 258054, 3682, 1616, 109773, 1949], [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
  [63221, 96.2, 328975, 2099, 3099, 112075, 1951], [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
  [64989, 99.0, 365385, 1870, 3547, 115094, 1953], [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
  [66019, 101.2, 397469, 2904, 3048, 117388, 1955], [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
  [68169, 108.4, 442769, 2936, 2798, 120445, 1957], [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
  [68655, 112.6, 482704, 3813, 2552, 123366, 1959], [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
  [69331, 115.7, 518173, 4806, 2572, 127852, 1961], [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
];
const CERTIFIED = [
  [15.0618722713733, 84.9149257747669], [-0.358191792925910e-1, 0.334910077722432e-1],
  [-2.02022980381683, 0.488399681651699], [-1.03322686717359, 0.214274163161675],
  [-0.511041056535807e-1, 0.226073200069370], [1829.15146461355, 455.478499142212],
];
const longley: Record<string, number[]> = {};
['y', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'].forEach((name, k) => (longley[name] = LONGLEY.map((r) => r[k])));

const lre = (got: number, want: number) => -Math.log10(Math.abs(got - want) / Math.abs(want));

describe('partial correlation and Fisher z', () => {
  it('reproduces the partial correlations implied by the certified Longley regression (LRE ≥ 10)', () => {
    // In y = B0 + Σ Bj xj with ν = n − 7 = 9 residual df, the partial correlation of y and xj given the
    // other five predictors is tj / √(tj² + ν), tj = Bj / sd(Bj) (e.g. Greene, Econometric Analysis, 3.5).
    for (let j = 1; j <= 6; j++) {
      const t = CERTIFIED[j - 1][0] / CERTIFIED[j - 1][1];
      const want = t / Math.sqrt(t * t + 9);
      const others = [1, 2, 3, 4, 5, 6].filter((k) => k !== j).map((k) => `x${k}`);
      const got = partialCorrelation(longley, 'y', `x${j}`, others);
      // The certified values carry 15 digits; Longley's predictors are nearly collinear (condition
      // number ~ 10^8 unscaled), so 10 correct digits is what a backward-stable QR path can promise.
      expect(lre(got, want)).toBeGreaterThanOrEqual(10);
      const test = fisherZTest(longley, 'y', `x${j}`, others);
      expect(test.estimate).toBe(got);
      expect(test.statistic).toBeCloseTo(Math.sqrt(16 - 5 - 3) * Math.atanh(want), 8);
    }
  });

  it('agrees with the precision-matrix route and the one-variable recursion (1e-12)', () => {
    const rng = createRng(99);
    const n = 300;
    const z1 = Array.from({ length: n }, () => normal(rng));
    const z2 = Array.from({ length: n }, (_, i) => 0.5 * z1[i] + normal(rng));
    const x = z1.map((v, i) => v - 0.7 * z2[i] + normal(rng));
    const y = z1.map((v, i) => 2 * v + 0.3 * x[i] + normal(rng));
    const data = { x, y, z1, z2 };
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
      let sab = 0, saa = 0, sbb = 0;
      for (let i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) ** 2;
        sbb += (b[i] - mb) ** 2;
      }
      return sab / Math.sqrt(saa * sbb);
    };
    // Recursion for one conditioning variable: r_xy·z = (r_xy − r_xz r_yz) / √((1 − r_xz²)(1 − r_yz²)).
    const rxy = corr(x, y), rxz = corr(x, z1), ryz = corr(y, z1);
    const recursion = (rxy - rxz * ryz) / Math.sqrt((1 - rxz ** 2) * (1 - ryz ** 2));
    expect(Math.abs(partialCorrelation(data, 'x', 'y', ['z1']) - recursion)).toBeLessThan(1e-12);
    // Precision matrix of (x, y, z1, z2): r = −P_xy / √(P_xx P_yy).
    const cols = [x, y, z1, z2];
    const R = cols.map((a) => cols.map((b) => corr(a, b)));
    const P = inverse(R);
    const precision = -P.data[1] / Math.sqrt(P.data[0] * P.data[5]);
    expect(Math.abs(partialCorrelation(data, 'x', 'y', ['z1', 'z2']) - precision)).toBeLessThan(1e-12);
    expect(Math.abs(partialCorrelation(data, 'x', 'y') - rxy)).toBeLessThan(1e-14);
  });

  it('p-values: published normal quantiles and an independent integration of the density', () => {
    // qnorm(0.975) and qnorm(0.995) (Abramowitz & Stegun Table 26.5, to 16 digits).
    expect(Math.abs(normalTwoSidedPValue(1.959963984540054) - 0.05)).toBeLessThan(1e-13);
    expect(Math.abs(normalTwoSidedPValue(-2.5758293035489004) - 0.01)).toBeLessThan(1e-13);
    expect(normalTwoSidedPValue(0)).toBe(1);
    // 2∫_z^∞ φ by composite Simpson on [z, z + 12] with 20 000 panels: error ≪ 1e-14.
    const tail = (z: number) => {
      const m = 20000, h = 12 / m;
      let s = 0;
      for (let k = 0; k <= m; k++) {
        const t = z + k * h;
        s += (k === 0 || k === m ? 1 : k % 2 ? 4 : 2) * Math.exp(-0.5 * t * t);
      }
      return (2 * s * h) / 3 / Math.sqrt(2 * Math.PI);
    };
    for (const z of [0.3, 1, 2.2, 3.5, 5]) expect(Math.abs(normalTwoSidedPValue(z) - tail(z))).toBeLessThan(1e-13);
  });

  it('chi-squared tails: closed forms for 2 and 4 degrees of freedom, and χ²₁ = Z² (1e-9 relative + 1e-15)', () => {
    // jStat's regularized gamma uses a ten-digit log-gamma (hence 1e-9 relative), and p = 1 − P(a, x)
    // cancels to a few ulps of 1 in absolute terms (hence the 1e-15 floor for tiny tails).
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(1e-9 * want + 1e-15);
    for (const x of [0.1, 1, 3.5, 10, 25, 40, 80]) {
      close(chiSquaredUpperTail(x, 2), Math.exp(-x / 2));
      close(chiSquaredUpperTail(x, 4), Math.exp(-x / 2) * (1 + x / 2));
      close(chiSquaredUpperTail(x, 1), normalTwoSidedPValue(Math.sqrt(x)));
    }
    expect(chiSquaredUpperTail(0, 3)).toBe(1);
  });
});

describe('chi-squared tests on category codes', () => {
  // Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Table 2.5: gender by party
  // identification (GSS); published X² = 30.07 and G² = 30.02 on 2 df.
  const counts = [[762, 327, 468], [484, 239, 477]];
  const gender: number[] = [], party: number[] = [];
  counts.forEach((row, i) => row.forEach((c, j) => {
    for (let k = 0; k < c; k++) {
      gender.push(i);
      party.push(j);
    }
  }));
  it("reproduces Agresti's X² and G² (published to 2 decimals) with the exact 2-df p-value", () => {
    const pearson = chiSquaredCITest({ gender, party }, 'gender', 'party');
    expect(Math.abs(pearson.statistic - 30.07)).toBeLessThan(0.005);
    expect(pearson.df).toBe(2);
    expect(pearson.pValue / Math.exp(-pearson.statistic / 2) - 1).toBeCloseTo(0, 9);
    const g = chiSquaredCITest({ gender, party }, 'gender', 'party', [], { statistic: 'g' });
    expect(Math.abs(g.statistic - 30.02)).toBeLessThan(0.005);
    expect(g.test).toBe('g-squared');
  });
  it('sums over strata and counts only the levels present in each', () => {
    // Stratum 0 holds Agresti's table; stratum 1 a 2×2 table; stratum 2 a single x level (no information).
    const x = [...gender], y = [...party], s = gender.map(() => 0);
    const extraTable = [[30, 10], [10, 30]];
    extraTable.forEach((row, i) => row.forEach((c, j) => {
      for (let k = 0; k < c; k++) {
        x.push(i);
        y.push(j);
        s.push(1);
      }
    }));
    for (let k = 0; k < 20; k++) {
      x.push(0);
      y.push(k % 3);
      s.push(2);
    }
    const both = chiSquaredCITest({ x, y, s }, 'x', 'y', ['s']);
    const first = chiSquaredCITest({ gender, party }, 'gender', 'party');
    // 2×2 table [[30,10],[10,30]]: every expected count is 20, X² = 4·10²/20 = 20.
    expect(both.statistic).toBeCloseTo(first.statistic + 20, 10);
    expect(both.df).toBe(3);
    const none = chiSquaredCITest({ x: [0, 0, 1, 1], y: [0, 1, 0, 1], s: [0, 0, 1, 1] }, 'x', 'y', ['s']);
    expect(none).toMatchObject({ df: 0, pValue: 1 });
    expect(none.warnings[0]).toMatch(/no degrees of freedom/);
  });
  it('bins by quantiles like R (type 7) and rejects non-integer codes', () => {
    // quantile(1:9, c(1/3, 2/3)) = 3.667, 6.333 in R.
    expect(quantileBins([9, 1, 5, 2, 8, 3, 7, 4, 6], 3)).toEqual([2, 0, 1, 0, 2, 0, 2, 1, 1]);
    expect(() => quantileBins([1, 2], 1)).toThrow(InvalidInputError);
    expect(() => chiSquaredCITest({ a: [0.5, 1], b: [0, 1] }, 'a', 'b')).toThrow(/integer category codes/);
  });
});

describe('validation', () => {
  it('names the offending column or row', () => {
    expect(() => fisherZTest({ a: [1, 2, 3, 4, 5] }, 'a', 'b')).toThrow(/no column "b"/);
    expect(() => fisherZTest({ a: [1, 2, 3, 4, 5], b: [1, 2, NaN, 4, 5] }, 'a', 'b')).toThrow(/data\.b: row 2/);
    expect(() => fisherZTest([{ a: 1, b: 2 }, { a: 2, b: '3' }], 'a', 'b')).toThrow(/data\[1\]\.b/);
    expect(() => fisherZTest({ a: [1, 2, 3, 4, 5], b: [1, 2, 3] }, 'a', 'b')).toThrow(/3 rows/);
    expect(() => partialCorrelation({ a: [1, 2, 3, 4], b: [2, 2, 2, 2] }, 'a', 'b')).toThrow(/constant/);
    expect(() => fisherZTest({ a: [1, 2, 3], b: [3, 1, 2] }, 'a', 'b')).toThrow(/needs at least 4/);
    const c = [1, 2, 3, 4, 5, 7], d = c.map((v) => 2 * v - 1);
    expect(() => partialCorrelation({ a: [3, 1, 4, 1, 5, 9], b: [2, 7, 1, 8, 2, 8], c, d }, 'a', 'b', ['c', 'd'])).toThrow(SingularMatrixError);
    expect(() => partialCorrelation({ a: [1, 2, 3, 4] }, 'a', 'a')).toThrow(/twice/);
  });
});

// ---------------------------------------------------------------------------------------------------
// A graph against data simulated from it (and from a graph it gets wrong).

/** Linear-Gaussian data from a DAG given as ordered assignments. */
function simulate(rng: Rng, n: number, equations: [string, [string, number][]][]): Record<string, number[]> {
  const data: Record<string, number[]> = {};
  for (const [name] of equations) data[name] = [];
  for (let i = 0; i < n; i++) {
    for (const [name, terms] of equations) {
      data[name].push(terms.reduce((s, [parent, b]) => s + b * data[parent][i], normal(rng)));
    }
  }
  return data;
}

describe('testImplications', () => {
  const graph = parseDagitty('dag { season -> tv -> sales; season -> sales; competitor -> sales; season -> price -> sales }');
  it('Fisher z has the nominal size under a true implication (2000 simulated data sets, binomial 3-sigma band)', () => {
    const rng = createRng(2024);
    let rejections = 0;
    const reps = 2000;
    for (let r = 0; r < reps; r++) {
      const d = simulate(rng, 60, [['x', []], ['m', [['x', 0.8]]], ['y', [['m', 0.8]]]]);
      if (fisherZTest(d, 'x', 'y', ['m']).pValue < 0.05) rejections++;
    }
    // Under x -> m -> y, x ⊥ y | m holds exactly; the rate must be 0.05 ± 3·√(0.05·0.95/2000) = ±0.0146.
    expect(Math.abs(rejections / reps - 0.05)).toBeLessThan(0.0146);
  });

  it('the chi-squared test has the nominal size on truly discrete data (1000 data sets)', () => {
    const rng = createRng(77);
    let rejections = 0;
    const reps = 1000;
    const draw = (p: number[]) => {
      const u = uniform(rng);
      let k = 0, c = p[0];
      while (u >= c && k < p.length - 1) c += p[++k];
      return k;
    };
    for (let r = 0; r < reps; r++) {
      const x: number[] = [], m: number[] = [], y: number[] = [];
      for (let i = 0; i < 400; i++) {
        x.push(draw([0.3, 0.7]));
        m.push(draw(x[i] === 0 ? [0.6, 0.3, 0.1] : [0.2, 0.3, 0.5]));
        y.push(draw(m[i] === 0 ? [0.7, 0.3] : m[i] === 1 ? [0.5, 0.5] : [0.2, 0.8]));
      }
      if (chiSquaredCITest({ x, m, y }, 'x', 'y', ['m']).pValue < 0.05) rejections++;
    }
    // Binomial band 0.05 ± 3·√(0.05·0.95/1000) = ±0.0207 (the asymptotic χ² is a little liberal at this n, within it).
    expect(Math.abs(rejections / reps - 0.05)).toBeLessThan(0.0207);
  });

  it('passes data from the graph and rejects, by name, the implication a wrong graph breaks', () => {
    const rng = createRng(5);
    const equations: [string, [string, number][]][] = [
      ['season', []], ['competitor', []], ['price', [['season', 0.6]]], ['tv', [['season', 0.8]]],
      ['sales', [['tv', 0.5], ['season', 0.7], ['competitor', -0.6], ['price', -0.4]]],
    ];
    const good = testImplications(graph, simulate(rng, 800, equations));
    expect(good.results.map((r) => r.text)).toEqual([
      'season ⊥ competitor', 'tv ⊥ competitor', 'tv ⊥ price | season', 'competitor ⊥ price',
    ]);
    expect(good.rejected).toEqual([]);
    // The data now have competitor -> tv (a reactive TV budget) that the graph omits.
    const wrong = equations.map(([v, t]) => [v, v === 'tv' ? [...t, ['competitor', 0.5]] : t]) as typeof equations;
    const bad = testImplications(graph, simulate(rng, 800, wrong));
    expect(bad.rejected.map((r) => r.text)).toEqual(['tv ⊥ competitor']);
    // Holm by hand: sorted p times (m − k), running maximum.
    const ps = bad.results.map((r) => r.pValue);
    const order = ps.map((_, i) => i).sort((a, b) => ps[a] - ps[b]);
    let run = 0;
    for (const [k, i] of order.entries()) {
      run = Math.max(run, Math.min(1, (ps.length - k) * ps[i]));
      expect(bad.results[i].pAdjusted).toBe(run);
    }
    const chi = testImplications(graph, simulate(rng, 800, wrong), { test: 'chi-squared' });
    expect(chi.rejected.map((r) => r.text)).toContain('tv ⊥ competitor');
    expect(chi.results[0].df).toBe(4);
    expect(chi.warnings.some((w) => /quantile bins/.test(w))).toBe(true);
  });

  it('warns when a graph implies nothing testable', () => {
    const report = testImplications(parseDagitty('dag { a -> b }'), { a: [1, 2, 3, 4, 5], b: [2, 1, 4, 3, 5] });
    expect(report.results).toEqual([]);
    expect(report.warnings[0]).toMatch(/no testable independence/);
  });
});

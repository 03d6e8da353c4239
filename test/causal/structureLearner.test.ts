// AUROC against hand computations (ties included), the channel-graph simulator, and the CausalMMM-style
// learner against plain Granger on simulated graphs. Reference for the AUROC threshold: the measured
// distribution over seeds 1-100 of the default design (bench/suites/structure.ts; chapter 22).
import { describe, expect, it } from 'vitest';
import {
  auroc, edgeAUROC, edgeScores, grangerMatrix, learnChannelGraph, rocCurve, simulateChannelGraph,
} from '../../src/causal/structure/index';
import { causalGraph } from '../../src/causal/graph/index';
import { InvalidInputError } from '../../src/errors';
import { createRng, standardNormal } from '../../src/random/index';

describe('auroc and rocCurve', () => {
  it('equals the pair count by hand: P(score⁺ > score⁻) + ½ P(tie)', () => {
    // positives 0.9, 0.6, 0.4; negatives 0.6, 0.3. Pairs: (0.9 > 0.6) 1, (0.9 > 0.3) 1, (0.6 = 0.6) ½,
    // (0.6 > 0.3) 1, (0.4 < 0.6) 0, (0.4 > 0.3) 1 → 4.5 / 6 = 0.75.
    const scores = [0.9, 0.6, 0.4, 0.6, 0.3];
    const labels = [1, 1, 1, 0, 0];
    expect(auroc(scores, labels)).toBeCloseTo(0.75, 15);
    // all tied: ½; perfect separation: 1; reversed: 0
    expect(auroc([1, 1, 1, 1], [true, false, true, false])).toBe(0.5);
    expect(auroc([3, 2, 1], [1, 1, 0])).toBe(1);
    expect(auroc([1, 2, 3], [1, 1, 0])).toBe(0);
  });
  it('the trapezoid area under rocCurve equals auroc, ties moving the curve diagonally', () => {
    const scores = [0.9, 0.6, 0.4, 0.6, 0.3, 0.4, 0.1, 0.9];
    const labels = [1, 1, 1, 0, 0, 0, 1, 0];
    const roc = rocCurve(scores, labels);
    expect(roc[0]).toMatchObject({ falsePositiveRate: 0, truePositiveRate: 0 });
    expect(roc[roc.length - 1]).toMatchObject({ falsePositiveRate: 1, truePositiveRate: 1 });
    let area = 0;
    for (let k = 1; k < roc.length; k++) {
      area += (roc[k].falsePositiveRate - roc[k - 1].falsePositiveRate) * (roc[k].truePositiveRate + roc[k - 1].truePositiveRate) / 2;
    }
    expect(area).toBeCloseTo(auroc(scores, labels), 14);
    // by hand: 16 pairs; wins: 0.9⁺ beats 3 negatives and ties 0.9⁻ (3.5); 0.6⁺ beats 0.4⁻, 0.3⁻ and ties 0.6⁻ (2.5);
    // 0.4⁺ beats 0.3⁻, ties 0.4⁻ (1.5); 0.1⁺ 0 → 7.5/16
    expect(auroc(scores, labels)).toBeCloseTo(7.5 / 16, 15);
  });
  it('edgeScores drops the diagonal and excluded pairs', () => {
    const { scores, labels } = edgeScores([[0, 5, 1], [2, 0, 3], [0, 0, 0]], [[0, 1, 0], [0, 0, 1], [0, 0, 0]], (i) => i !== 2);
    expect(scores).toEqual([5, 1, 2, 3]);
    expect(labels).toEqual([true, false, false, true]);
  });
  it('rejects NaN scores, mismatched sizes and one-class labels', () => {
    expect(() => auroc([1, NaN], [1, 0])).toThrow(/scores/);
    expect(() => auroc([1, 2], [1])).toThrow(InvalidInputError);
    expect(() => auroc([1, 2], [1, 1])).toThrow(/positive and one negative/);
    expect(() => auroc([1, 2], [1, 2])).toThrow(/labels/);
  });
});

describe('simulateChannelGraph', () => {
  it('draws a DAG among channels, no edges out of sales, and is reproducible bit for bit', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const sim = simulateChannelGraph({ seed });
      const V = sim.names.length;
      expect(V).toBe(8);
      const directed: [string, string][] = [];
      for (let i = 0; i < V; i++) for (let j = 0; j < V; j++) if (sim.adjacency[i][j]) directed.push([sim.names[i], sim.names[j]]);
      expect(() => causalGraph({ nodes: sim.names, directed })).not.toThrow(); // acyclic
      expect(sim.adjacency[V - 1].every((v) => v === 0)).toBe(true);
      expect(sim.adjacency.some((row) => row[V - 1] === 1)).toBe(true);
      expect(sim.series.every((s) => s.length === 100 && s.every((v) => Number.isFinite(v) && v >= 0))).toBe(true);
    }
    const a = simulateChannelGraph({ seed: 3 }), b = simulateChannelGraph({ seed: 3 });
    expect(Array.from(a.series[7])).toEqual(Array.from(b.series[7]));
  });
  it('rejects bad options by name', () => {
    expect(() => simulateChannelGraph({ seed: 1, edgeProbability: 2 })).toThrow(/edgeProbability/);
    expect(() => simulateChannelGraph({ seed: 1, steps: 3 })).toThrow(/steps/);
    expect(() => simulateChannelGraph({ seed: 1, noiseSD: 0 })).toThrow(/noiseSD/);
  });
});

describe('learnChannelGraph', () => {
  it('recovers the graph on the default design over seeds 1-8 about as well as measured over 100 seeds', () => {
    // Measured over seeds 1-100 (bench/suites/structure.ts run on them while choosing the defaults):
    // learner mean AUROC 0.873, sd over seeds 0.074; conditional Granger (lag 1) mean 0.846, sd 0.089.
    // The mean of 8 seeds then has sd ≈ 0.074/√8 ≈ 0.026 (Granger 0.031): thresholds 3 sd below the
    // 100-seed means (0.79 and 0.75) fail on a real regression, not on seed noise. (These 8 seeds give
    // 0.872 and 0.868.)
    const learner: number[] = [], granger: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const sim = simulateChannelGraph({ seed });
      learner.push(edgeAUROC(learnChannelGraph(sim.series).score, sim.adjacency));
      granger.push(edgeAUROC(grangerMatrix(sim.series, { lag: 1 }).score, sim.adjacency));
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(learner)).toBeGreaterThan(0.79);
    expect(mean(granger)).toBeGreaterThan(0.75);
  });
  it('is consistent with adaptive weights: with a long series (1500 steps) the scores and the BIC-selected graph are (nearly) exact', () => {
    const sim = simulateChannelGraph({ seed: 2, steps: 1500 });
    const fit = learnChannelGraph(sim.series, { adaptive: true });
    expect(edgeAUROC(fit.score, sim.adjacency)).toBeGreaterThan(0.98);
    let errors = 0;
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) if (i !== j && fit.selected[i][j] !== sim.adjacency[i][j]) errors++;
    expect(errors).toBeLessThanOrEqual(2);
  });
  it('exact edge posteriors: over seeds 1-8 they rank edges as measured over 100 seeds', () => {
    // Measured over seeds 1-100: mean AUROC 0.886, sd 0.081 → sd of an 8-seed mean ≈ 0.029; threshold
    // 3 sd below the mean. Log-odds are finite where the pair is a candidate, −∞ on the diagonal.
    const v: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const sim = simulateChannelGraph({ seed });
      const fit = learnChannelGraph(sim.series, { posterior: true });
      const lo = fit.edgeLogOdds as number[][];
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(i === j ? lo[i][j] === -Infinity : Number.isFinite(lo[i][j])).toBe(true);
      v.push(edgeAUROC(lo, sim.adjacency));
    }
    expect(v.reduce((s, x) => s + x, 0) / v.length).toBeGreaterThan(0.8);
    expect(learnChannelGraph(simulateChannelGraph({ seed: 1 }).series).edgeLogOdds).toBeNull();
  });
  it('edge posterior of a lone source: strongly positive for a real driver, negative for an unrelated series', () => {
    const sim = simulateChannelGraph({ seed: 9, steps: 300 });
    const target = sim.series[7];
    const parent = sim.adjacency.findIndex((row) => row[7] === 1);
    const withParent = learnChannelGraph([sim.series[parent], target], { posterior: true }).edgeLogOdds as number[][];
    expect(withParent[0][1]).toBeGreaterThan(3); // posterior probability above 0.95
    // An unrelated series: its own AR(1) noise, independent of everything in the shop.
    const rng = createRng(99);
    const noise = new Float64Array(300);
    for (let t = 1; t < 300; t++) noise[t] = 0.5 * noise[t - 1] + standardNormal(rng);
    const unrelated = learnChannelGraph([noise, target], { posterior: true }).edgeLogOdds as number[][];
    expect(unrelated[0][1]).toBeLessThan(0);
  });
  it('scores 0 the pairs excluded by candidate (e.g. sales driving spend), and learns one shape per source', () => {
    const sim = simulateChannelGraph({ seed: 4 });
    const fit = learnChannelGraph(sim.series, { candidate: (i) => i !== 7 });
    expect(fit.score[7].every((v) => v === 0)).toBe(true);
    expect(fit.selected[7].every((v) => v === 0)).toBe(true);
    expect(fit.decay.length).toBe(8);
    expect(fit.decay.every((d) => [0, 0.2, 0.4, 0.6, 0.8].includes(d))).toBe(true);
    expect(fit.groupSize).toBe(1);
    expect(learnChannelGraph(sim.series, { shapes: 'dictionary' }).groupSize).toBe(10);
  });
  it('is deterministic, leaves its input alone, and rejects bad input by name', () => {
    const sim = simulateChannelGraph({ seed: 5 });
    const copy = sim.series.map((s) => Array.from(s));
    const a = learnChannelGraph(sim.series), b = learnChannelGraph(sim.series);
    expect(a.score).toEqual(b.score);
    expect(sim.series.map((s) => Array.from(s))).toEqual(copy);
    expect(() => learnChannelGraph([[1, 2, 3]])).toThrow(InvalidInputError);
    expect(() => learnChannelGraph(sim.series, { decays: [1.2] })).toThrow(/decays/);
    expect(() => learnChannelGraph(sim.series, { shapes: 'other' as 'profile' })).toThrow(/shapes/);
  });
});

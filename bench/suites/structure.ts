// Structure learning (chapter "Learning causal structure"): timing of the CausalMMM-style learner against
// plain conditional Granger (its peer, timed in the same run) on one simulated shop, then the AUROC of
// both over 100 shops of the default design (8 variables, 100 steps) and, as a pre-declared sensitivity
// analysis, over 100 shops with 200 and 400 steps. The shops are seeds 1001-1100: seeds 1-100 were used
// while choosing the learner's defaults, so these are held out. Reports the mean, the sd over shops, and
// the sd of means over batches of 10 shops (the kind of spread the CausalMMM paper reports). An "oracle"
// row ranks edges by the |t| of each parent's TRUE carryover-and-saturation input in a regression on all
// of them: what knowing every shape would give, a rough ceiling for the design.
import {
  edgeAUROC, grangerMatrix, learnChannelGraph, selectVARLag, simulateChannelGraph,
} from '../../src/causal/structure/index';
import { ols } from '../../src/linalg/index';
import { report, time } from '../timing';

type Shop = ReturnType<typeof simulateChannelGraph>;

/** |t| of each source's true input Hill(adstock_λ(x_i))_{t−1} in the regression of target j on all of them and its own lag. */
function oracleScores(sim: Shop): number[][] {
  const V = sim.series.length, n = sim.series[0].length;
  const inputs = sim.series.map((x, i) => {
    const a = new Float64Array(n);
    a[0] = x[0];
    for (let t = 1; t < n; t++) a[t] = sim.decay[i] * a[t - 1] + (1 - sim.decay[i]) * x[t];
    return a.map((v) => (v > 0 ? 1 / (1 + Math.pow(sim.halfSaturation[i] / v, sim.slope[i])) : 0));
  });
  const score = sim.series.map(() => new Array<number>(V).fill(0));
  for (let j = 0; j < V; j++) {
    const others = inputs.map((_, i) => i).filter((i) => i !== j);
    const rows: number[][] = [];
    for (let t = 1; t < n; t++) rows.push([1, sim.series[j][t - 1], ...others.map((i) => inputs[i][t - 1])]);
    const fit = ols(rows, sim.series[j].subarray(1));
    others.forEach((i, k) => (score[i][j] = Math.abs(fit.tStatistics[k + 2])));
  }
  return score;
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));

export default function structureBench(): void {
  const shop = simulateChannelGraph({ seed: 1 });
  report('learnChannelGraph vs grangerMatrix (8 series, 100 steps)',
    time(() => learnChannelGraph(shop.series)), time(() => grangerMatrix(shop.series, { lag: 1 })), 'conditional Granger (lag 1)');
  for (const steps of [100, 200, 400]) {
    const methods: Record<string, number[]> = { 'oracle (true shapes)': [], learner: [], 'learner, exact edge posterior': [], 'Granger, conditional, BIC lag': [], 'Granger, conditional, lag 1': [], 'Granger, pairwise, lag 1': [] };
    for (let seed = 1001; seed <= 1100; seed++) {
      const sim = simulateChannelGraph({ seed, steps });
      methods['oracle (true shapes)'].push(edgeAUROC(oracleScores(sim), sim.adjacency));
      const lag = selectVARLag(sim.series, { maxLag: 4 }).lag;
      const fit = learnChannelGraph(sim.series, { posterior: true });
      methods.learner.push(edgeAUROC(fit.score, sim.adjacency));
      methods['learner, exact edge posterior'].push(edgeAUROC(fit.edgeLogOdds as number[][], sim.adjacency));
      methods['Granger, conditional, BIC lag'].push(edgeAUROC(grangerMatrix(sim.series, { lag }).score, sim.adjacency));
      methods['Granger, conditional, lag 1'].push(edgeAUROC(grangerMatrix(sim.series, { lag: 1 }).score, sim.adjacency));
      methods['Granger, pairwise, lag 1'].push(edgeAUROC(grangerMatrix(sim.series, { lag: 1, conditional: false }).score, sim.adjacency));
    }
    for (const [name, v] of Object.entries(methods)) {
      const batches = Array.from({ length: 10 }, (_, b) => mean(v.slice(10 * b, 10 * b + 10)));
      console.log(`AUROC, ${steps} steps, 100 shops, ${name}: mean ${mean(v).toFixed(4)}, sd over shops ${sd(v).toFixed(4)}, sd of 10-shop means ${sd(batches).toFixed(4)}, min ${Math.min(...v).toFixed(3)}`);
    }
    const diff = methods.learner.map((x, k) => x - methods['Granger, conditional, BIC lag'][k]);
    console.log(`  learner − Granger (BIC lag), paired: ${mean(diff).toFixed(4)} ± ${(sd(diff) / 10).toFixed(4)} (se); learner ahead on ${diff.filter((d) => d > 0).length}/100 shops`);
  }
}

// Structure learning (chapter "Learning causal structure"): timing of the CausalMMM-style learner against
// plain conditional Granger (its peer, timed in the same run) on one simulated shop, then the AUROC of
// both over 100 shops (seeds 1-100) of the default design (8 variables, 100 steps) and, as a pre-declared
// sensitivity analysis, over 100 shops with 200 and 400 steps. Reports the mean, the sd over shops, and
// the sd of means over batches of 10 shops (the kind of spread the CausalMMM paper reports).
import {
  edgeAUROC, grangerMatrix, learnChannelGraph, selectVARLag, simulateChannelGraph,
} from '../../src/causal/structure/index';
import { report, time } from '../timing';

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));

export default function structureBench(): void {
  const shop = simulateChannelGraph({ seed: 1 });
  report('learnChannelGraph vs grangerMatrix (8 series, 100 steps)',
    time(() => learnChannelGraph(shop.series)), time(() => grangerMatrix(shop.series, { lag: 1 })), 'conditional Granger (lag 1)');
  for (const steps of [100, 200, 400]) {
    const methods: Record<string, number[]> = { learner: [], 'Granger, conditional, BIC lag': [], 'Granger, conditional, lag 1': [], 'Granger, pairwise, lag 1': [] };
    for (let seed = 1; seed <= 100; seed++) {
      const sim = simulateChannelGraph({ seed, steps });
      const lag = selectVARLag(sim.series, { maxLag: 4 }).lag;
      methods.learner.push(edgeAUROC(learnChannelGraph(sim.series).score, sim.adjacency));
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

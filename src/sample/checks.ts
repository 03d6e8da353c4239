/**
 * The warnings a run reports, each naming what to do (Stan's and ArviZ's thresholds). Taught in the
 * chapter "Diagnostics".
 */
import { diagnoseChains, ebfmi } from './diagnostics';
import { parameterDraws } from './draws';
import type { Samples } from './run';

/** Divergences, saturated trees, low E-BFMI, R-hat > 1.01, ESS below 100 per chain. */
export function samplerWarnings(samples: Samples): string[] {
  const warnings: string[] = [];
  const total = samples.chains.reduce((s, c) => s + c.divergent.length, 0);
  const divergent = samples.chains.reduce((s, c) => s + c.divergent.reduce((a, b) => a + b, 0), 0);
  if (divergent > 0) {
    warnings.push(
      `${divergent} of ${total} transitions after warm-up were divergent: the draws may be biased. ` +
        `Reparameterize (e.g. non-centered) or raise targetAcceptance towards 0.95.`,
    );
  }
  if (samples.maxTreeDepth !== undefined) {
    const max = samples.maxTreeDepth;
    const saturated = samples.chains.reduce((s, c) => s + c.treeDepth.filter((t) => t >= max).length, 0);
    if (saturated > 0) {
      warnings.push(
        `${saturated} of ${total} transitions hit the maximum tree depth ${max}: efficiency, not validity, ` +
          `is at stake. Reparameterize, or raise maxTreeDepth.`,
      );
    }
  }
  if (samples.sampler !== 'metropolis') {
    samples.chains.forEach((c, k) => {
      if (c.energy.length < 3) return;
      const e = ebfmi(c.energy);
      if (e < 0.3) {
        warnings.push(`chain ${k}: E-BFMI ${e.toFixed(3)} < 0.3: the chain explores the energy slowly (heavy tails or a funnel). Reparameterize.`);
      }
    });
  }
  const chains = samples.chains.length;
  const n = samples.chains[0]?.logDensity.length ?? 0;
  if (n >= 4) {
    samples.parameterNames.forEach((name, j) => {
      const draws = parameterDraws(samples, j);
      if (draws.some((c) => c.some((v) => !Number.isFinite(v)))) {
        warnings.push(`${name}: some draws are not finite`);
        return;
      }
      // One pass shares the sort and the rank normalization between R-hat and the ESS.
      const { rhat: r, essBulk: bulk, essTail: tail } = diagnoseChains(draws);
      if (Number.isNaN(r)) {
        warnings.push(`${name}: the draws do not vary within chains, so R-hat and ESS are undefined.`);
        return;
      }
      if (r > 1.01) warnings.push(`${name}: R-hat ${r.toFixed(3)} > 1.01: the chains disagree; run longer or reparameterize.`);
      if (bulk < 100 * chains) warnings.push(`${name}: bulk ESS ${bulk.toFixed(0)} < ${100 * chains} (100 per chain): run more draws.`);
      if (tail < 100 * chains) warnings.push(`${name}: tail ESS ${tail.toFixed(0)} < ${100 * chains} (100 per chain): tail quantiles are unreliable.`);
    });
  }
  return warnings;
}

// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and Gelman 2018, "Validating
// Bayesian inference algorithms with simulation-based calibration"): draw θ̃ from the prior, data from
// the model, then draws from the posterior by NUTS; the rank of θ̃ among L posterior draws is uniform
// on {0, ..., L} exactly when the sampler is correct. Tested with a chi-squared test.
import { describe, expect, it } from 'vitest';
import jStat from 'jstat';
import { createRng, independentStreams, normal } from '../../src/random/index';
import { nuts, type Target } from '../../src/sample/index';

// y_i ~ N(μ, σ), i = 1..10; μ ~ N(0, 1), log σ ~ N(0, 0.5). Sampled on (μ, log σ).
function normalModel(y: Float64Array): Target {
  const n = y.length;
  return {
    dimension: 2,
    parameterNames: ['mu', 'log_sigma'],
    logDensityGradient(x, g) {
      const m = x[0];
      const u = x[1];
      const precision = Math.exp(-2 * u);
      let ss = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const r = y[i] - m;
        ss += r * r;
        s += r;
      }
      g[0] = -m + s * precision;
      g[1] = -4 * u - n + ss * precision;
      return -0.5 * m * m - 2 * u * u - n * u - 0.5 * ss * precision;
    },
  };
}

describe('simulation-based calibration of NUTS', () => {
  it('ranks of the true μ and σ are uniform (χ² test at level 0.01, fixed seed)', () => {
    const replications = 300;
    const thin = 4;
    const L = 99; // posterior draws kept per replication: ranks take 100 values
    const bins = 10;
    const counts = [new Array(bins).fill(0), new Array(bins).fill(0)];
    const rng = createRng('sbc-normal');
    const seeds = independentStreams('sbc-normal-chains', 1)[0];
    for (let r = 0; r < replications; r++) {
      const truth = [normal(rng, 0, 1), normal(rng, 0, 0.5)];
      const y = Float64Array.from({ length: 10 }, () => normal(rng, truth[0], Math.exp(truth[1])));
      // Thinning by 4 brings the kept draws close to independent (SBC needs that, or the ranks
      // pile up at the ends even for a correct sampler).
      const fit = nuts(normalModel(y), { seed: seeds.nextUint32(), chains: 1, warmup: 300, draws: L * thin });
      const draws = fit.chains[0].draws;
      for (let k = 0; k < 2; k++) {
        let rank = 0;
        for (let i = 0; i < L; i++) if (draws[(i * thin + thin - 1) * 2 + k] < truth[k]) rank++;
        counts[k][Math.floor((rank * bins) / (L + 1))]++;
      }
    }
    const expected = replications / bins;
    for (const [k, name] of ['mu', 'log_sigma'].entries()) {
      const chi2 = counts[k].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      const p = 1 - jStat.chisquare.cdf(chi2, bins - 1);
      console.log(`SBC ${name}: rank counts ${counts[k].join(' ')}; χ²(${bins - 1}) = ${chi2.toFixed(2)}, p = ${p.toFixed(3)}`);
      expect(p, `${name}: ranks not uniform`).toBeGreaterThan(0.01);
    }
  });
});

/**
 * Export to the dictionaries that ArviZ's `az.from_dict(posterior=..., sample_stats=...)` reads:
 * every array is [chain][draw]. Save it with `JSON.stringify` and load it in Python with
 * `az.from_dict(**json.load(f))`. Taught in the chapter "Diagnostics".
 */
import { parameterDraws } from './draws';
import type { Samples } from './run';

export interface ArviZDict {
  posterior: Record<string, number[][]>;
  sample_stats: {
    diverging: boolean[][];
    tree_depth: number[][];
    n_steps: number[][];
    energy: number[][];
    lp: number[][];
    step_size: number[][];
    acceptance_rate: number[][];
  };
  attrs: { inference_library: string; sampler: string; warmup: number };
}

/**
 * The run as ArviZ `from_dict` input. Names such as `beta[1]` are kept as they are (one variable per
 * scalar); ArviZ's summary then lists them in this order.
 */
export function toArviZ(samples: Samples): ArviZDict {
  const posterior: Record<string, number[][]> = {};
  samples.parameterNames.forEach((name, j) => {
    posterior[name] = parameterDraws(samples, j).map((c) => Array.from(c));
  });
  const chains = samples.chains;
  return {
    posterior,
    sample_stats: {
      diverging: chains.map((c) => Array.from(c.divergent, (v) => v === 1)),
      tree_depth: chains.map((c) => Array.from(c.treeDepth)),
      n_steps: chains.map((c) => Array.from(c.leapfrogSteps)),
      energy: chains.map((c) => Array.from(c.energy)),
      lp: chains.map((c) => Array.from(c.logDensity)),
      step_size: chains.map((c) => Array.from(c.logDensity, () => c.stepSize)),
      acceptance_rate: chains.map((c) => Array.from(c.acceptanceRate)),
    },
    attrs: { inference_library: 'mmm-first-principles', sampler: samples.sampler, warmup: samples.warmup },
  };
}

/**
 * The posterior summary table under ArviZ's column names (az.summary): mean, sd, hdi_3%, hdi_97%,
 * mcse_mean, mcse_sd, ess_bulk, ess_tail, r_hat. Point summaries and the HDI come from the `stats`
 * layer, the Monte Carlo diagnostics from this one. Taught in the chapter "Diagnostics".
 */
import { highestDensityInterval, mean as sampleMean, sd as sampleSd } from '../stats/summaries';
import { diagnoseChains, type Chains } from './diagnostics';
import { parameterDraws } from './draws';
import type { Samples } from './run';

/** A type alias (not an interface) so that rows pass where `Record<string, unknown>` is expected (showTable). */
export type SummaryRow = {
  parameter: string;
  mean: number;
  sd: number;
  'hdi_3%': number;
  'hdi_97%': number;
  mcse_mean: number;
  mcse_sd: number;
  ess_bulk: number;
  ess_tail: number;
  r_hat: number;
};

/** The summary of one quantity's chains. NaN diagnostics mean the draws do not vary (see `samplerWarnings`). */
export function summarizeChains(parameter: string, chains: Chains): SummaryRow {
  const all = new Float64Array(chains.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chains) {
    all.set(Array.from(c), offset);
    offset += c.length;
  }
  const { lower, upper } = highestDensityInterval(all, 0.94);
  const d = diagnoseChains(chains);
  return {
    parameter,
    mean: sampleMean(all),
    sd: sampleSd(all),
    'hdi_3%': lower,
    'hdi_97%': upper,
    mcse_mean: d.mcseMean,
    mcse_sd: d.mcseSd,
    ess_bulk: d.essBulk,
    ess_tail: d.essTail,
    r_hat: d.rhat,
  };
}

/**
 * One row per reported quantity (all of them, or those named in `parameters`).
 *
 * @example
 * showTable(summarize(fit)); // as az.summary(idata) prints it
 */
export function summarize(samples: Samples, parameters: readonly string[] = samples.parameterNames): SummaryRow[] {
  return parameters.map((name) => summarizeChains(name, parameterDraws(samples, name)));
}

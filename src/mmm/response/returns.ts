// Returns on spend (chapter 14), per channel and draw, over the fitted window:
//   ROAS   = Σₜ contribution_t / Σₜ spend_t                      (the average dollar)
//   mROAS  = [C(spend · (1 + δ)) − C(spend)] / (δ Σₜ spend_t)     (the last dollar: spend raised by δ)
//   cost per incremental unit = Σₜ spend_t / Σₜ contribution_t  (1 / ROAS; CPIK when the target is a count)
// Contributions are counted within the window (carryover beyond the last week is not), as the simulator's
// truth counts them. With δ = 1% this is the marginal ROAS of Google's Meridian (its `mroas`, incremental
// outcome of a 1% spend increase per unit of that spend).
import { InvalidInputError } from '../../errors';
import { channelContribution, type FittedMMM } from '../fitted';
import { summarizeDraws, type DrawSummary } from './summaries';

export interface ChannelReturns {
  channel: string;
  spend: number;
  contribution: DrawSummary;
  roas: DrawSummary;
  marginalRoas: DrawSummary;
  costPerIncrementalUnit: DrawSummary;
  /** The draws behind the summaries. */
  draws: { roas: Float64Array; marginalRoas: Float64Array };
}

/** ROAS, marginal ROAS and cost per incremental unit with intervals across draws. Chapter: "Reading the model". */
export function returnsOnSpend(fitted: FittedMMM, options: { prob?: number; increment?: number } = {}): { channels: ChannelReturns[]; warnings: string[] } {
  const prob = options.prob ?? 0.94;
  if (!(prob > 0 && prob < 1)) throw new InvalidInputError('prob', `expected a probability in (0, 1), got ${prob}`);
  const delta = options.increment ?? 0.01;
  if (!(delta > 0 && Number.isFinite(delta))) throw new InvalidInputError('increment', `expected a positive fraction, got ${delta}`);
  const warnings: string[] = [];
  const rows: ChannelReturns[] = [];
  const D = fitted.drawCount;
  for (const c of fitted.channels) {
    const spend = fitted.spend[c];
    let total = 0;
    for (const v of spend) total += v;
    if (!(total > 0)) {
      warnings.push(`channel '${c}': no spend in the window, so no return on spend`);
      continue;
    }
    const raised = Float64Array.from(spend, (v) => v * (1 + delta));
    const contribution = new Float64Array(D);
    const roas = new Float64Array(D);
    const marginalRoas = new Float64Array(D);
    const cost = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      const curve = fitted.curve(c, d);
      let now = 0;
      let more = 0;
      const a = channelContribution(curve, spend);
      const b = channelContribution(curve, raised);
      for (let t = 0; t < a.length; t++) {
        now += a[t];
        more += b[t];
      }
      contribution[d] = now;
      roas[d] = now / total;
      marginalRoas[d] = (more - now) / (delta * total);
      cost[d] = total / now;
    }
    if (cost.some((v) => !Number.isFinite(v))) warnings.push(`channel '${c}': a draw with zero contribution makes its cost per incremental unit infinite`);
    rows.push({
      channel: c,
      spend: total,
      contribution: summarizeDraws(contribution, prob),
      roas: summarizeDraws(roas, prob),
      marginalRoas: summarizeDraws(marginalRoas, prob),
      costPerIncrementalUnit: cost.some(Number.isFinite)
        ? summarizeDraws(cost.filter(Number.isFinite), prob)
        : { mean: Infinity, median: Infinity, lower: Infinity, upper: Infinity },
      draws: { roas, marginalRoas },
    });
  }
  return { channels: rows, warnings };
}

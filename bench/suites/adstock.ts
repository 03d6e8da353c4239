// The cost of the carryover family in the Bayesian MMM's log density and gradient (data/mmm_example.csv, the
// Stan peer's model otherwise): delayed and Weibull (CDF, PDF) adstock compute the direct convolution with
// their weights' two derivatives, O(T·L) per channel, where geometric uses the O(T) recursion. Each is timed
// against the geometric model in the same run; the ratio is what a gradient evaluation (and so a NUTS draw at
// equal tree depth) costs more. Chapter 13, "Other carryover shapes".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/csv';
import { prepareMMM, type MMMSpec } from '../../src/mmm/spec';
import { mmmTarget, resolveMMMPriors } from '../../src/mmm/bayes/index';
import { report, time } from '../timing';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export default function adstockBench(): void {
  const columns = parseCsv(readFileSync(join(root, 'data', 'mmm_example.csv'), 'utf8')).columns;
  const base: MMMSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false };
  const priors = resolveMMMPriors(undefined);
  const gradients = (spec: MMMSpec) => {
    const target = mmmTarget(prepareMMM(columns, spec), priors);
    const u = Float64Array.from({ length: target.dimension }, (_, i) => 0.3 * Math.sin(i + 1));
    const g = new Float64Array(target.dimension);
    // 1000 evaluations per timed run: about what 25 NUTS draws at tree depth 5 use.
    return () => {
      let s = 0;
      for (let k = 0; k < 1000; k++) s += target.logDensityGradient(u, g);
      return s;
    };
  };
  const geometric = time(gradients(base));
  for (const [label, adstock] of [
    ['delayed', { kind: 'delayed', lMax: 8 }],
    ['Weibull CDF', { kind: 'weibull', weibullKind: 'cdf', lMax: 8 }],
    ['Weibull PDF', { kind: 'weibull', weibullKind: 'pdf', lMax: 8 }],
  ] as const) {
    report(`1000 log density gradients, ${label} adstock (l_max 8)`, time(gradients({ ...base, adstock })), geometric, 'geometric');
  }
}

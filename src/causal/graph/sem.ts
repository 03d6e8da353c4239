/**
 * Linear structural equation models on a causal diagram: every variable is a weighted sum of its
 * parents plus its own Gaussian noise, and a bidirected edge is a covariance between two noises
 * (Wright 1921; Pearl 2009, ch. 5). They give a diagram numbers: data to simulate, and exact
 * population quantities (covariances, regression coefficients, total effects) to check estimates
 * against. Taught in the chapter "Causal diagrams".
 *
 * With B[i][j] the coefficient of i -> j and x = Bᵀx + e, Var(e) = Ω:
 *   x = (I − Bᵀ)⁻¹ e,   Σ = (I − Bᵀ)⁻¹ Ω (I − B)⁻¹,   total effect of i on j = [(I − B)⁻¹]ᵢⱼ
 * (the sum over directed paths of the products of their coefficients).
 */
import { InvalidInputError } from '../../errors';
import { inverse, solve, type Matrix } from '../../linalg/index';
import { normal, toRng, type Rng } from '../../random/index';
import { causalGraph, topologicalOrder, type CausalGraph } from './dag';

/** A linear SEM: the diagram and its numbers. */
export interface LinearSem {
  graph: CausalGraph;
  /** One per edge, keyed `'a -> b'` (the effect of a unit change of a on b) or `'a <-> b'` (the covariance of their noises). */
  coefficients: Readonly<Record<string, number>>;
  /** Standard deviation of each variable's own noise. Default 1 for every variable. */
  noiseSd?: Readonly<Record<string, number>>;
}

interface Parsed {
  nodes: string[];
  index: Map<string, number>;
  /** B[i * n + j]: coefficient of i -> j. */
  B: Float64Array;
  /** Ω, the noise covariance. */
  omega: Float64Array;
  order: number[];
  /** For simulation: the noise of each bidirected edge split as a shared standard normal's loadings. */
  shared: { a: number; b: number; loadA: number; loadB: number }[];
  own: Float64Array;
}

const edgeKey = (text: string) => {
  const m = /^\s*(.+?)\s*(<->|->)\s*(.+?)\s*$/.exec(text);
  return m ? { from: m[1], op: m[2], to: m[3] } : null;
};

function parseSem(sem: LinearSem): Parsed {
  if (typeof sem !== 'object' || sem === null) throw new InvalidInputError('sem', 'expected { graph, coefficients, noiseSd? }');
  const g = causalGraph(sem.graph);
  const nodes = g.nodes.slice();
  const n = nodes.length;
  const index = new Map(nodes.map((v, i) => [v, i]));
  const B = new Float64Array(n * n);
  const omega = new Float64Array(n * n);
  const own = new Float64Array(n).fill(1);
  for (const [name, sd] of Object.entries(sem.noiseSd ?? {})) {
    const i = index.get(name);
    if (i === undefined) throw new InvalidInputError(`sem.noiseSd.${name}`, 'is not a node of the graph');
    if (!(sd >= 0 && Number.isFinite(sd))) throw new InvalidInputError(`sem.noiseSd.${name}`, `expected a finite sd >= 0, got ${sd}`);
    own[i] = sd;
  }
  for (let i = 0; i < n; i++) omega[i * n + i] = own[i] * own[i];
  const directed = new Set(g.directed.map(([a, b]) => `${a}\u0000${b}`));
  const bidirected = new Set(g.bidirected!.map(([a, b]) => [a, b].sort().join('\u0000')));
  const seen = new Set<string>();
  const shared: Parsed['shared'] = [];
  for (const [key, value] of Object.entries(sem.coefficients ?? {})) {
    const e = edgeKey(key);
    if (!e) throw new InvalidInputError(`sem.coefficients["${key}"]`, "expected a key 'a -> b' or 'a <-> b'");
    if (!Number.isFinite(value)) throw new InvalidInputError(`sem.coefficients["${key}"]`, `expected a finite number, got ${value}`);
    const a = index.get(e.from), b = index.get(e.to);
    if (a === undefined || b === undefined) throw new InvalidInputError(`sem.coefficients["${key}"]`, 'names a node that is not in the graph');
    if (e.op === '->') {
      if (!directed.has(`${e.from}\u0000${e.to}`)) throw new InvalidInputError(`sem.coefficients["${key}"]`, 'the graph has no such directed edge');
      B[a * n + b] = value;
      seen.add(`${e.from}\u0000${e.to}`);
    } else {
      const k = [e.from, e.to].sort().join('\u0000');
      if (!bidirected.has(k)) throw new InvalidInputError(`sem.coefficients["${key}"]`, 'the graph has no such bidirected edge');
      omega[a * n + b] += value;
      omega[b * n + a] += value;
      // The noise covariance c is a shared N(0, 1) with loadings √|c| and sign(c)√|c|, which adds |c| to
      // both variances (so Ω stays positive semi-definite whatever c is).
      omega[a * n + a] += Math.abs(value);
      omega[b * n + b] += Math.abs(value);
      const load = Math.sqrt(Math.abs(value));
      shared.push({ a, b, loadA: load, loadB: Math.sign(value) * load });
      seen.add(k);
    }
  }
  for (const [a, b] of g.directed) {
    if (!seen.has(`${a}\u0000${b}`)) throw new InvalidInputError('sem.coefficients', `missing the coefficient of '${a} -> ${b}'`);
  }
  for (const [a, b] of g.bidirected!) {
    if (!seen.has([a, b].sort().join('\u0000'))) throw new InvalidInputError('sem.coefficients', `missing the noise covariance of '${a} <-> ${b}'`);
  }
  const order = topologicalOrder(g).map((v) => index.get(v)!);
  return { nodes, index, B, omega, order, shared, own };
}

/** (I − B)⁻¹ as rows: entry (i, j) is the total effect of i on j. */
function totalEffects(p: Parsed): Matrix {
  const n = p.nodes.length;
  const IminusB = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) IminusB[k] = (k % (n + 1) === 0 ? 1 : 0) - p.B[k];
  return inverse({ rows: n, cols: n, data: IminusB });
}

/**
 * The covariance matrix the SEM implies for all its variables (latent ones included), in the graph's
 * node order. Chapter "Causal diagrams".
 */
export function linearSemCovariance(sem: LinearSem): { nodes: string[]; covariance: Matrix } {
  const p = parseSem(sem);
  const n = p.nodes.length;
  const T = totalEffects(p); // T = (I − B)⁻¹; Σ = Tᵀ Ω T
  const OT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += p.omega[i * n + k] * T.data[k * n + j];
    OT[i * n + j] = s;
  }
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += T.data[k * n + i] * OT[k * n + j];
    S[i * n + j] = s;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) S[i * n + j] = S[j * n + i] = 0.5 * (S[i * n + j] + S[j * n + i]);
  return { nodes: p.nodes, covariance: { rows: n, cols: n, data: S } };
}

/**
 * The total causal effect of `from` on `to`: the change in E[to] per unit intervention do(from + 1),
 * i.e. the sum over directed paths of the products of their coefficients. Chapter "Causal diagrams".
 */
export function linearSemTotalEffect(sem: LinearSem, from: string, to: string): number {
  const p = parseSem(sem);
  const i = p.index.get(from), j = p.index.get(to);
  if (i === undefined) throw new InvalidInputError('from', `unknown node "${from}"`);
  if (j === undefined) throw new InvalidInputError('to', `unknown node "${to}"`);
  if (i === j) throw new InvalidInputError('to', 'must differ from `from`');
  return totalEffects(p).data[i * p.nodes.length + j];
}

/**
 * The population least-squares coefficients of `outcome` on `regressors` (all variables have mean 0):
 * Σ_RR⁻¹ Σ_Ry. What an OLS fit converges to as n grows; compare a regression's estimates with it to
 * see bias apart from noise. Chapter "Causal diagrams".
 */
export function linearSemRegression(sem: LinearSem, outcome: string, regressors: readonly string[]): Record<string, number> {
  const { nodes, covariance } = linearSemCovariance(sem);
  const n = nodes.length;
  const at = (name: string, input: string) => {
    const i = nodes.indexOf(name);
    if (i < 0) throw new InvalidInputError(input, `unknown node "${name}"`);
    return i;
  };
  const y = at(outcome, 'outcome');
  const R = regressors.map((r) => at(r, 'regressors'));
  if (R.length === 0) throw new InvalidInputError('regressors', 'expected at least one regressor');
  if (R.includes(y) || new Set(R).size !== R.length) throw new InvalidInputError('regressors', 'must be distinct and exclude the outcome');
  const A = R.map((i) => R.map((j) => covariance.data[i * n + j]));
  const b = R.map((i) => covariance.data[i * n + y]);
  const beta = solve(A, b);
  const out: Record<string, number> = {};
  regressors.forEach((r, k) => (out[r] = beta[k]));
  return out;
}

/** Options of `simulateLinearSem`. */
export interface SimulateSemOptions {
  /** Rows to draw. */
  n: number;
  /** Seed or generator (same seed, same data). */
  seed: number | string | Rng;
}

/**
 * Draws `n` rows from the SEM (every variable, latent ones included, as a column), in topological
 * order: each value is its parents' weighted sum plus its noise. Chapter "Causal diagrams".
 */
export function simulateLinearSem(sem: LinearSem, options: SimulateSemOptions): Record<string, Float64Array> {
  const p = parseSem(sem);
  const { n } = options;
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError('options.n', `expected a positive integer, got ${n}`);
  const rng = toRng(options.seed);
  const k = p.nodes.length;
  const cols = p.nodes.map(() => new Float64Array(n));
  for (let row = 0; row < n; row++) {
    const noise = new Float64Array(k);
    for (let i = 0; i < k; i++) noise[i] = p.own[i] * normal(rng);
    for (const s of p.shared) {
      const u = normal(rng);
      noise[s.a] += s.loadA * u;
      noise[s.b] += s.loadB * u;
    }
    for (const j of p.order) {
      let v = noise[j];
      for (let i = 0; i < k; i++) {
        const b = p.B[i * k + j];
        if (b !== 0) v += b * cols[i][row];
      }
      cols[j][row] = v;
    }
  }
  const out: Record<string, Float64Array> = {};
  p.nodes.forEach((v, i) => (out[v] = cols[i]));
  return out;
}

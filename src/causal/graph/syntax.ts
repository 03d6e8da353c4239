/**
 * Reading and writing graphs in dagitty's text syntax, so that a diagram drawn on dagitty.net can be
 * pasted into a notebook and back: `dag { X [exposure]; Y [outcome]; U [latent]; X -> Y <- U -> X }`.
 * Taught in the chapter "Causal diagrams".
 *
 * Supported: an optional `dag` / `digraph` header with braces; statements separated by newlines, `;` or
 * plain whitespace; chains `a -> b <- c <-> d`; groups `{a b} -> c`; attributes `[exposure]`, `[outcome]`,
 * `[latent]`, `[adjusted]`, `[selected]` (or their one-letter forms e, o, l/u, a, s) and `pos="x,y"`
 * (accepted and ignored). Undirected and partially directed edges are rejected: the library handles
 * causal DAGs with bidirected edges only.
 */
import { InvalidInputError } from '../../errors';
import { causalGraph, type CausalGraph, type Edge } from './dag';

type Token =
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'attrs'; value: string }
  | { kind: 'open' | 'close' | 'sep' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string) => {
    throw new InvalidInputError('text', `${message} at character ${i}: "${text.slice(Math.max(0, i - 10), i + 10)}"`);
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c) || c === ',') {
      if (c === '\n') tokens.push({ kind: 'sep' });
      i++;
    } else if (c === ';') {
      tokens.push({ kind: 'sep' });
      i++;
    } else if (c === '{') {
      tokens.push({ kind: 'open' });
      i++;
    } else if (c === '}') {
      tokens.push({ kind: 'close' });
      i++;
    } else if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) fail('unclosed [');
      tokens.push({ kind: 'attrs', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('unclosed quote');
      tokens.push({ kind: 'id', value: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = /^(<->|->|<-|--|@->|@-@|<-@|@--|--@)/.exec(text.slice(i));
      if (op) {
        tokens.push({ kind: 'op', value: op[1] });
        i += op[1].length;
        continue;
      }
      const id = /^[^\s{}[\];,"<>@=-]+/.exec(text.slice(i));
      if (!id) fail(`unexpected "${c}"`);
      tokens.push({ kind: 'id', value: id![0] });
      i += id![0].length;
    }
  }
  return tokens;
}

const STATUS: Record<string, 'exposure' | 'outcome' | 'latent' | 'adjusted' | 'selected'> = {
  exposure: 'exposure', e: 'exposure', outcome: 'outcome', o: 'outcome', latent: 'latent', l: 'latent', u: 'latent',
  adjusted: 'adjusted', a: 'adjusted', selected: 'selected', s: 'selected',
};

/**
 * Parses dagitty's graph syntax into a validated `CausalGraph` (nodes in order of first appearance).
 * Throws `InvalidInputError` naming the place of a syntax error, and `CyclicGraphError` for a cycle.
 * Chapter "Causal diagrams".
 */
export function parseDagitty(text: string): CausalGraph {
  if (typeof text !== 'string') throw new InvalidInputError('text', 'expected a string in dagitty syntax');
  let tokens = tokenize(text);
  // Header: dag/digraph [name] { ... }
  const firstId = tokens.find((t) => t.kind !== 'sep');
  if (firstId && firstId.kind === 'id' && /^(dag|digraph|pdag|mag|pag|graph)$/i.test(firstId.value)) {
    const type = firstId.value.toLowerCase();
    if (type !== 'dag' && type !== 'digraph') throw new InvalidInputError('text', `graph type "${type}" is not supported; use dag`);
    const open = tokens.findIndex((t) => t.kind === 'open');
    const close = tokens.length - 1 - tokens.slice().reverse().findIndex((t) => t.kind === 'close');
    if (open < 0 || close >= tokens.length || close < open) throw new InvalidInputError('text', 'expected { ... } after the graph type');
    tokens = tokens.slice(open + 1, close);
  }
  const nodes: string[] = [];
  const seen = new Set<string>();
  const status: Record<string, string[]> = { exposure: [], outcome: [], latent: [], adjusted: [], selected: [] };
  const directed: Edge[] = [];
  const bidirected: Edge[] = [];
  const addNode = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name);
      nodes.push(name);
    }
  };
  const applyAttrs = (names: string[], attrs: string) => {
    for (const raw of attrs.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
      const attr = raw.trim();
      if (attr === '') continue;
      const key = attr.split('=')[0].trim().toLowerCase();
      if (key === 'pos') continue;
      const field = STATUS[key];
      if (!field || attr.includes('=')) throw new InvalidInputError('text', `unknown attribute [${attr}] on ${names.join(', ')}`);
      for (const n of names) if (!status[field].includes(n)) status[field].push(n);
    }
  };
  let k = 0;
  const term = (): string[] => {
    const t = tokens[k];
    if (!t) throw new InvalidInputError('text', 'unexpected end of input; expected a node or a { group }');
    if (t.kind === 'id') {
      k++;
      addNode(t.value);
      const names = [t.value];
      if (tokens[k]?.kind === 'attrs') applyAttrs(names, (tokens[k++] as { value: string }).value);
      return names;
    }
    if (t.kind === 'open') {
      k++;
      const names: string[] = [];
      while (tokens[k] && tokens[k].kind !== 'close') {
        if (tokens[k].kind === 'sep') {
          k++;
          continue;
        }
        names.push(...chain());
      }
      if (!tokens[k]) throw new InvalidInputError('text', 'unclosed { group }');
      k++;
      if (tokens[k]?.kind === 'attrs') applyAttrs(names, (tokens[k++] as { value: string }).value);
      return names;
    }
    throw new InvalidInputError('text', `unexpected ${t.kind === 'op' ? `"${t.value}"` : t.kind === 'close' ? '"}"' : 'attribute list'}; expected a node`);
  };
  // A chain a -> b <- c: returns the names of its first term (what a group containing it stands for).
  const chain = (): string[] => {
    const first = term();
    let left = first;
    while (tokens[k]?.kind === 'op') {
      const op = (tokens[k++] as { value: string }).value;
      const right = term();
      for (const a of left) {
        for (const b of right) {
          if (op === '->') directed.push([a, b]);
          else if (op === '<-') directed.push([b, a]);
          else if (op === '<->') bidirected.push([a, b]);
          else throw new InvalidInputError('text', `edge ${a} ${op} ${b}: only ->, <- and <-> are supported in a causal DAG`);
        }
      }
      left = right;
    }
    return first;
  };
  while (k < tokens.length) {
    if (tokens[k].kind === 'sep') {
      k++;
      continue;
    }
    chain();
  }
  return causalGraph({ nodes, directed, bidirected, ...status } as CausalGraph);
}

const quote = (name: string) => (/^[^\s{}[\];,"<>@=-]+$/.test(name) && !/^(dag|digraph|graph)$/i.test(name) ? name : `"${name}"`);

/** Writes a graph in dagitty's syntax (paste it into dagitty.net or R's `dagitty()`). Chapter "Causal diagrams". */
export function toDagitty(graph: CausalGraph): string {
  const g = causalGraph(graph);
  const lines = ['dag {'];
  for (const v of g.nodes) {
    const attrs = (['exposure', 'outcome', 'latent', 'adjusted', 'selected'] as const).filter((f) => (g[f] ?? []).includes(v));
    lines.push(`  ${quote(v)}${attrs.length > 0 ? ` [${attrs.join(',')}]` : ''}`);
  }
  for (const [a, b] of g.directed) lines.push(`  ${quote(a)} -> ${quote(b)}`);
  for (const [a, b] of g.bidirected ?? []) lines.push(`  ${quote(a)} <-> ${quote(b)}`);
  lines.push('}');
  return lines.join('\n');
}

// Every case of test/fixtures/dagitty (dagitty's own test suite and built-in examples, re-encoded as
// facts; see its README): d-separation, adjustment sets, adjustment-set checks, minimal separators, the
// forbidden set, instruments, nearest separators and implied independences. Graph answers are exact:
// sets of sets are compared after sorting, with no tolerance.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  canonicalAdjustmentSet, dSeparated, forbiddenNodes, impliedIndependences, instrumentalVariables, isAdjustmentSet,
  minimalAdjustmentSets, minimalSeparators, nearestSeparator, parseDagitty, satisfiesBackdoor, type CausalGraph,
} from '../../src/causal/graph/index';
import { InvalidInputError } from '../../src/errors';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/dagitty/${name}`, import.meta.url), 'utf8'));
const cases = read('cases.json');
const extra = read('extra_cases.json');

type Graph = CausalGraph;
/** Sets of sets, order-insensitive: each set sorted, then the list sorted. */
const normalize = (sets: readonly (readonly string[])[]) => sets.map((s) => [...s].sort()).map((s) => JSON.stringify(s)).sort();

describe('dagitty d-separation cases', () => {
  for (const c of cases.d_separation_cases) {
    it(`${c.description}: ${c.X} vs ${c.Y} given {${c.Z}} is ${c.expected_d_connected ? 'd-connected' : 'd-separated'}`, () => {
      for (const method of ['bayes-ball', 'moral'] as const) {
        expect(dSeparated(c.graph as Graph, c.X, c.Y, c.Z, { method })).toBe(!c.expected_d_connected);
      }
    });
  }
});

describe('dagitty adjustment-set cases (minimal sufficient sets for the total effect)', () => {
  for (const c of cases.adjustment_set_cases) {
    it(c.description, () => {
      const got = minimalAdjustmentSets(c.graph as Graph, c.graph.exposure, c.graph.outcome, { include: c.must_include });
      expect(normalize(got)).toEqual(normalize(c.expected_minimal_adjustment_sets));
      // An adjustment set exists iff the canonical one is valid, and every listed set is valid.
      const canonical = canonicalAdjustmentSet(c.graph as Graph, undefined, undefined, { include: c.must_include });
      expect(canonical !== null).toBe(got.length > 0);
      for (const z of got) expect(isAdjustmentSet(c.graph as Graph, undefined, undefined, z)).toBe(true);
    });
  }
});

describe("dagitty's example DAGs, checked against dagitty's own listMsasTotalEffect output", () => {
  for (const c of cases.example_dags) {
    if (c.graph.selected.length > 0) {
      it(`${c.name}: selection nodes are refused with a typed error, not answered wrongly`, () => {
        expect(() => minimalAdjustmentSets(c.graph as Graph)).toThrow(InvalidInputError);
      });
      continue;
    }
    it(`${c.name}: ${c.graph.exposure} -> ${c.graph.outcome}`, () => {
      const got = minimalAdjustmentSets(c.graph as Graph);
      expect(normalize(got)).toEqual(normalize(c.dagitty_listMsasTotalEffect));
      expect(normalize(got)).toEqual(normalize(c.minimal_adjustment_sets_total_effect));
      if (c.minimal_adjustment_sets_ignoring_adjusted_status) {
        const free = minimalAdjustmentSets({ ...c.graph, adjusted: [] } as Graph);
        expect(normalize(free)).toEqual(normalize(c.minimal_adjustment_sets_ignoring_adjusted_status));
      }
      expect(canonicalAdjustmentSet(c.graph as Graph) !== null).toBe(got.length > 0);
    });
  }
});

describe('dagitty is-adjustment-set cases', () => {
  for (const c of cases.is_adjustment_set_cases) {
    it(`${c.description}: {${c.Z}} is ${c.expected ? '' : 'not '}an adjustment set`, () => {
      expect(isAdjustmentSet(c.graph as Graph, undefined, undefined, c.Z)).toBe(c.expected);
      // The back-door criterion is sufficient: it can only say yes where the complete criterion does.
      if (satisfiesBackdoor(c.graph as Graph, undefined, undefined, c.Z)) expect(c.expected).toBe(true);
    });
  }
});

describe('dagitty minimal-separator cases', () => {
  for (const c of cases.minimal_separator_cases) {
    it(c.description, () => {
      const got = minimalSeparators(c.graph as Graph, c.X, c.Y, { include: c.must_include, exclude: c.must_exclude });
      expect(normalize(got)).toEqual(normalize(c.expected_minimal_separators));
      for (const z of got) expect(dSeparated(c.graph as Graph, c.X, c.Y, z)).toBe(true);
    });
  }
});

describe('dagitty forbidden-set cases', () => {
  for (const c of cases.forbidden_set_cases) {
    it(c.description.slice(0, 60), () => {
      expect(forbiddenNodes(c.graph as Graph).sort()).toEqual([...c.forbidden].sort());
      for (const v of c.must_contain) expect(isAdjustmentSet(c.graph as Graph, undefined, undefined, [v])).toBe(false);
    });
  }
});

describe('dagitty instrumental-variable cases', () => {
  it('the fixture graphs are the ones in cases.json', () => {
    expect(extra.instrumental_variables.map((c: { graph: string }) => c.graph)).toEqual(
      cases.instrumental_variable_cases.map((c: { graph: string }) => c.graph),
    );
  });
  for (const c of extra.instrumental_variables) {
    it(`${c.graph} → ${c.dagitty_assertion}`, () => {
      expect(instrumentalVariables(parseDagitty(c.graph))).toEqual(c.expected);
    });
  }
  for (const c of extra.ancestral_instrument_cases) {
    it(c.description, () => {
      const found = instrumentalVariables(parseDagitty(c.graph)).find((i) => i.instrument === c.instrument);
      expect(found?.conditionalOn).toEqual(c.expected_conditional_on);
    });
  }
  for (const c of extra.nearest_separator_cases) {
    it(c.description, () => {
      expect(nearestSeparator(parseDagitty(c.graph), c.from, c.to)?.sort()).toEqual(c.expected);
    });
  }
});

describe('dagitty implied-independence cases', () => {
  const key = (ci: { x: string | string[]; y: string[]; given: string[] }) => {
    const pair = [Array.isArray(ci.x) ? ci.x[0] : ci.x, ...ci.y].sort();
    return `${pair.join(' ⊥ ')} | ${[...ci.given].sort().join(',')}`;
  };
  for (const c of extra.implied_independence_cases) {
    it(c.description, () => {
      const graph = c.graph ?? cases.example_dags.find((e: { name: string }) => e.name === c.example_dag).graph;
      const got = impliedIndependences(graph, { type: c.type });
      expect(got.map(key).sort()).toEqual(c.expected.map(key).sort());
      for (const ci of got) expect(dSeparated(graph, ci.x, ci.y, ci.given)).toBe(true);
    });
  }
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, type Problem } from '../errors';
import { NODE_KINDS, NODE_TYPES, outcomesOf, type NodeType } from '../graph/node';
import type { Plan } from '../plan';
import { compile, validateGraph, type CompileResult } from './index';
import { parseGraph } from './parse';
import { all, clause, edge, fullGraph, graph, node, testDirectory, type RawEdge, type RawGraph, type RawNode } from './test-graphs';

const directory = testDirectory();

/** Values of every kind fast-check can make, including the odd ones a JSON parser never produces. */
const anything = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withUnicodeString: true,
  maxDepth: 4,
});

function expectWellFormed(r: CompileResult): void {
  expect(typeof r.ok).toBe('boolean');
  const all: Problem[] = [...r.problems, ...r.warnings];
  for (const p of all) {
    expect(Object.hasOwn(PROBLEM_CODES, p.code)).toBe(true);
    expect(typeof p.message).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
  }
  for (const p of r.problems) expect(p.severity).toBe('error');
  for (const p of r.warnings) expect(p.severity).toBe('warning');
  if (r.ok) expectValidPlan(r.plan);
  else expect(r.problems.length).toBeGreaterThan(0);
}

/** What the interpreter relies on: plain JSON, an entry trigger, every outcome leading to a node of the plan. */
function expectValidPlan(plan: Plan): void {
  expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
  expect(plan.nodes[plan.entry]?.type).toBe('trigger');
  for (const n of Object.values(plan.nodes)) {
    const outcomes = outcomesOf(n as never).map((o) => o.id);
    expect(Object.keys(n.next).sort()).toEqual([...outcomes].sort());
    for (const target of Object.values(n.next)) expect(plan.nodes[target]).toBeDefined();
  }
}

type Mutation =
  | { kind: 'dropNode'; at: number }
  | { kind: 'dropEdge'; at: number }
  | { kind: 'handle'; at: number; handle: string }
  | { kind: 'retarget'; at: number; to: number }
  | { kind: 'duplicateEdge'; at: number }
  | { kind: 'config'; at: number; config: unknown }
  | { kind: 'type'; at: number; type: string }
  | { kind: 'swapConfigs'; at: number; to: number }
  | { kind: 'field'; at: number; key: string; value: unknown };

const handles = fc.constantFrom('next', 'else', 'assigned', 'no_eligible_rep', 'timed_out', 'rejected', 'accepted', 'a', 'b', 'west', 'nope', '');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('dropNode' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dropEdge' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('handle' as const), at: fc.nat(), handle: handles }),
  fc.record({ kind: fc.constant('retarget' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateEdge' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('config' as const), at: fc.nat(), config: anything }),
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(), type: fc.oneof(fc.constantFrom(...NODE_TYPES), fc.string()) }),
  fc.record({ kind: fc.constant('swapConfigs' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(),
    key: fc.constantFrom('id', 'label', 'position', 'type', 'config', '__proto__'),
    value: fc.oneof(anything, fc.constantFrom('trigger', 'end', 'x y', 'sdr')),
  }),
);

function mutate(g: RawGraph, mutations: readonly Mutation[]): RawGraph {
  const out = structuredCloneJson(g);
  for (const m of mutations) {
    const nodes = out.nodes as unknown as Array<Record<string, unknown>>;
    const edges = out.edges as unknown as Array<Record<string, unknown>>;
    const nodeAt = nodes.length > 0 ? m.at % nodes.length : -1;
    const edgeAt = edges.length > 0 ? m.at % edges.length : -1;
    switch (m.kind) {
      case 'dropNode':
        if (nodeAt >= 0) nodes.splice(nodeAt, 1);
        break;
      case 'dropEdge':
        if (edgeAt >= 0) edges.splice(edgeAt, 1);
        break;
      case 'handle':
        if (edgeAt >= 0) (edges[edgeAt] as Record<string, unknown>).sourceHandle = m.handle;
        break;
      case 'retarget':
        if (edgeAt >= 0 && nodes.length > 0) (edges[edgeAt] as Record<string, unknown>).target = (nodes[m.to % nodes.length] as Record<string, unknown>).id;
        break;
      case 'duplicateEdge':
        if (edgeAt >= 0) edges.push({ ...(edges[edgeAt] as Record<string, unknown>), id: `dup-${edges.length}` });
        break;
      case 'config':
        if (nodeAt >= 0) (nodes[nodeAt] as Record<string, unknown>).config = m.config;
        break;
      case 'type':
        if (nodeAt >= 0) (nodes[nodeAt] as Record<string, unknown>).type = m.type;
        break;
      case 'swapConfigs':
        if (nodeAt >= 0) (nodes[nodeAt] as Record<string, unknown>).config = (nodes[m.to % nodes.length] as Record<string, unknown>).config;
        break;
      case 'field':
        if (nodeAt >= 0) Object.defineProperty(nodes[nodeAt], m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
        break;
    }
  }
  return out;
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const MIDDLE_KINDS = NODE_TYPES.filter((t) => t !== 'trigger' && t !== 'end');

/** A config that is valid on its own for a kind: the kind's default, with a real condition for branches. */
function validConfig(type: NodeType, variant: number): Record<string, unknown> {
  if (type === 'branch') {
    const cases = Array.from({ length: 1 + (variant % 3) }, (_, i) => ({ id: `c${i}`, label: `Case ${i}`, condition: all(clause('employees', 'gt', i * 100)) }));
    return { cases };
  }
  if (type === 'split') return { variants: [{ id: 'x', label: 'X', percent: 30 }, { id: 'y', label: 'Y', percent: 70 }] };
  return NODE_KINDS[type].defaultConfig() as Record<string, unknown>;
}

/**
 * A random valid graph: a trigger, then steps in order, each entered from an open outcome of an earlier
 * step (so every step is reachable), and every outcome still open at the end led to a later step or the End.
 * Edges only go forward, so there are no loops. The wait's optional `rejected` is connected or not at random.
 */
const validGraph: fc.Arbitrary<RawGraph> = fc
  .record({
    kinds: fc.array(fc.constantFrom(...MIDDLE_KINDS), { maxLength: 25 }),
    picks: fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
    filter: fc.boolean(),
  })
  .map(({ kinds, picks, filter }) => {
    let k = 0;
    const pick = (n: number) => (picks[k++ % picks.length] as number) % n;
    const nodes: RawNode[] = [
      node('t', 'trigger', filter ? { source: 'webhook', filter: all(clause('country', 'equals', 'US')) } : { source: 'webhook' }),
      ...kinds.map((type, i) => node(`n${i}`, type, validConfig(type, i))),
      node('end', 'end', { outcome: 'done' }),
    ];
    const open: Array<{ source: string; handle: string; index: number }> = [];
    const edges: RawEdge[] = [];
    nodes.forEach((raw, index) => {
      if (index > 0) {
        const [slot] = open.splice(pick(open.length), 1);
        if (slot) edges.push(edge(slot.source, slot.handle, raw.id));
      }
      if (raw.type === 'end') return;
      // Outcomes come from the parsed node, as the compiler sees it.
      const parsed = parseGraph(graph([raw], [])).graph.nodes[0];
      for (const o of parsed ? outcomesOf(parsed) : []) {
        if (o.fallback !== undefined && pick(2) === 0) continue;
        open.push({ source: raw.id, handle: o.id, index });
      }
    });
    for (const slot of open) {
      const later = nodes.slice(slot.index + 1);
      edges.push(edge(slot.source, slot.handle, (later[pick(later.length)] as RawNode).id));
    }
    return graph(nodes, edges);
  });

describe('compile (properties)', () => {
  it('compiles every random valid graph to a sound plan whose next maps follow the edges', () => {
    fc.assert(
      fc.property(validGraph, (g) => {
        const r = compile(g);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
        expectWellFormed(r);
        expect(Object.keys(r.plan.nodes)).toEqual(g.nodes.map((n) => n.id));
        for (const e of g.edges) expect(r.plan.nodes[e.source]?.next[e.sourceHandle]).toBe(e.target);
        expect(JSON.stringify(compile(g))).toBe(JSON.stringify(r));
      }),
      { numRuns: 300 },
    );
  });

  it('still finds every dropped connection of a random valid graph', () => {
    fc.assert(
      fc.property(validGraph, fc.nat(), (g, at) => {
        const dropped = g.edges[at % g.edges.length] as RawEdge;
        const rest = { ...g, edges: g.edges.filter((e) => e !== dropped) };
        const r = compile(rest);
        // An outcome with a fallback (wait's `rejected`, crm_update's `failed`) may be left unconnected.
        const source = parseGraph(graph(g.nodes.filter((n) => n.id === dropped.source), [])).graph.nodes[0];
        const optional = source !== undefined && outcomesOf(source).some((o) => o.id === dropped.sourceHandle && o.fallback !== undefined);
        if (optional) {
          expect(r.ok || r.problems.every((p) => p.code === 'unreachable_node')).toBe(true);
        } else {
          expect(r.ok).toBe(false);
          expect(r.problems.some((p) => p.nodeId === dropped.source && (p.code === 'unconnected_outcome' || p.code === 'branch_missing_else'))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(anything, (input) => {
        expectWellFormed(compile(input, { directory }));
        expect(Array.isArray(validateGraph(input))).toBe(true);
        expect(typeof parseGraph(input).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on documents of roughly the right shape', () => {
    const doc = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(1), anything),
        nodes: fc.array(fc.record({ id: fc.oneof(fc.string(), anything), type: fc.constantFrom(...NODE_TYPES), position: anything, config: anything }, { requiredKeys: [] })),
        edges: fc.array(fc.record({ id: fc.string(), source: fc.string(), sourceHandle: fc.string(), target: fc.string() }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(doc, (input) => expectWellFormed(compile(input))), { numRuns: 300 });
  });

  it('never throws on random mutations of a valid graph, and any plan it returns is sound', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, withDirectory) => {
        const g = mutate(fullGraph(), mutations);
        const r = compile(g, withDirectory ? { directory } : {});
        expectWellFormed(r);
        expect(validateGraph(g, withDirectory ? { directory } : {}).filter((p) => p.severity === 'error')).toEqual(r.problems);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same graph gives the same result, also after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const g = mutate(fullGraph(), mutations.filter((m) => m.kind !== 'config' && m.kind !== 'field'));
        const a = JSON.stringify(compile(g, { directory }));
        const b = JSON.stringify(compile(g, { directory }));
        const c = JSON.stringify(compile(structuredCloneJson(g), { directory }));
        expect(b).toBe(a);
        expect(c).toBe(a);
      }),
      { numRuns: 200 },
    );
  });

  it('compiles the unmutated graph', () => {
    const r = compile(fullGraph(), { directory });
    expect(r.ok).toBe(true);
    expectWellFormed(r);
  });
});

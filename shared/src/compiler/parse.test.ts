import { describe, expect, it } from 'vitest';
import { GRAPH_SCHEMA_VERSION, MAX_EDGES, MAX_NODES } from '../graph/graph';
import { NODE_TYPES } from '../graph/node';
import { MAX_DEPTH } from './bounds';
import { parseGraph } from './parse';
import { all, assignQueue, clause, edge, end, graph, minimalGraph, node, trigger } from './test-graphs';

/** A value nested `depth` levels: { a: { a: ... } }. */
function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('parseGraph', () => {
  it('parses a valid graph, applying defaults', () => {
    const r = parseGraph(minimalGraph());
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    const assign = r.graph.nodes.find((n) => n.id === 'assign');
    expect(assign?.type === 'assign' && assign.config.eligibility.respectCapacity).toBe(true);
    expect(r.graph.edges).toHaveLength(3);
  });

  it.each([null, undefined, 42, 'graph', true, [], [minimalGraph()]])('refuses %j as a document', (input) => {
    const r = parseGraph(input);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['invalid_document']);
    expect(r.graph).toEqual({ schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] });
  });

  it('needs nodes and edges lists', () => {
    const r = parseGraph({ schemaVersion: 1 });
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ['invalid_document', 'nodes'],
      ['invalid_document', 'edges'],
    ]);
  });

  it('takes a document without a version as version 1', () => {
    const { schemaVersion: _, ...rest } = minimalGraph();
    expect(parseGraph(rest).ok).toBe(true);
  });

  it.each([GRAPH_SCHEMA_VERSION + 1, 0, 1.5, 'one'])('reports unsupported_schema_version for %j', (v) => {
    const r = parseGraph({ ...minimalGraph(), schemaVersion: v });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'unsupported_schema_version', path: 'schemaVersion' })]);
  });

  it('reports graph_too_large for too many nodes before reading any of them', () => {
    const nodes = new Array(MAX_NODES + 1).fill(null);
    const r = parseGraph({ schemaVersion: 1, nodes, edges: [] });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'graph_too_large', path: 'nodes' })]);
    expect(r.problems[0]?.message).toContain(`${MAX_NODES + 1} steps`);
  });

  it('reports graph_too_large for too many edges', () => {
    const r = parseGraph({ schemaVersion: 1, nodes: [], edges: new Array(MAX_EDGES + 1).fill(null) });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'graph_too_large', path: 'edges' })]);
  });

  it('refuses a huge sparse array without allocating it', () => {
    const r = parseGraph({ schemaVersion: 1, nodes: new Array(2 ** 32 - 1), edges: [] });
    expect(r.problems[0]?.code).toBe('graph_too_large');
  });

  it('refuses a document with too many values inside one node', () => {
    const g = minimalGraph();
    (g.nodes[0] as { config: Record<string, unknown> }).config.junk = new Array(1_100_000).fill(0);
    const r = parseGraph(g);
    expect(r.problems.map((p) => p.code)).toEqual(['invalid_document']);
  });

  it('reports a 10,000-level deep config as invalid_node on that node only', () => {
    const g = minimalGraph();
    (g.nodes[1] as { config: unknown }).config = nested(10_000);
    const r = parseGraph(g);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'invalid_node', nodeId: 'assign' });
    expect(r.problems[0]?.path?.startsWith('config.a.a.')).toBe(true);
    expect(r.problems[0]?.message).toContain(`${MAX_DEPTH} levels`);
    expect(r.graph.nodes.map((n) => n.id)).toEqual(['trigger', 'end']);
  });

  it('survives deep nesting in an edge, in an unknown key, and as the whole document', () => {
    const g = { ...minimalGraph(), extra: nested(10_000) };
    (g.edges[0] as unknown as Record<string, unknown>).source = nested(10_000);
    const r = parseGraph(g);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'invalid_edge', edgeId: 'trigger:next->assign' })]);
    expect(parseGraph(nested(100_000)).ok).toBe(false);
  });

  it('keeps deep condition nesting from reaching zod, while normal nesting parses', () => {
    let group: unknown = all(clause('country', 'equals', 'US'));
    for (let i = 0; i < 5_000; i++) group = all(group);
    const r = parseGraph(graph([trigger('t', { source: 'webhook', filter: group }), end()], [edge('t', 'next', 'end')]));
    expect(r.problems.map((p) => p.code)).toEqual(['invalid_node']);
    let shallow: unknown = all(clause('country', 'equals', 'US'));
    for (let i = 0; i < 5; i++) shallow = all(shallow);
    expect(parseGraph(graph([trigger('t', { source: 'webhook', filter: shallow })], [])).ok).toBe(true);
  });

  it('treats __proto__ keys as data and never pollutes prototypes', () => {
    const text = JSON.stringify(minimalGraph()).replace('"config":{"source":"webhook"}', '"config":{"source":"webhook","__proto__":{"polluted":true}}');
    const input: unknown = JSON.parse(`{"__proto__":{"polluted":true},${text.slice(1)}`);
    const r = parseGraph(input);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.graph.nodes[0]?.config)).toBe(Object.prototype);
  });

  it('refuses __proto__ as a node id', () => {
    const r = parseGraph(graph([trigger('__proto__')], []));
    expect(r.problems).toEqual([expect.objectContaining({ code: 'invalid_node', nodeId: '__proto__', path: 'id' })]);
  });

  it('reports invalid_node per node, with dotted paths and plain words, without hiding other nodes', () => {
    const r = parseGraph(
      graph(
        [
          trigger(),
          node('b', 'branch', { cases: [{ id: 'c1', label: '', condition: all() }] }, 'Route by size'),
          node('s', 'split', { variants: [{ id: 'a', label: 'A', percent: 101 }, { id: 'b', label: 'B', percent: 0 }] }),
          node('n', 'notify', { channel: 'email', message: 'hi', recipient: { type: 'email', address: 'nope' } }),
          end(),
        ],
        [],
      ),
    );
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['invalid_node', 'b', 'config.cases.0.label'],
      ['invalid_node', 's', 'config.variants.0.percent'],
      ['invalid_node', 'n', 'config.recipient.address'],
    ]);
    expect(r.problems[0]?.message).toBe("Case 1 label: must not be empty (in 'Route by size')");
    expect(r.problems[1]?.message).toContain('Variant 1 percent: must be at most 100');
    expect(r.problems[2]?.message).toContain('Recipient email address: must be an email address');
    expect(r.graph.nodes.map((n) => n.id)).toEqual(['trigger', 'end']);
  });

  it('words missing values, enums, unions and custom refinements', () => {
    const r = parseGraph(
      graph(
        [
          node('a', 'assign', { strategy: { type: 'nope' } }),
          node('w', 'wait', { until: 'accepted', timeout: { amount: 91, unit: 'days' } }),
          node('u', 'update', { set: [{ field: 'leadSource', value: { x: 1 } }] }),
          node('t', 'trigger', {}),
          node('c', 'trigger', { source: 'webhook', filter: all({ field: 'country', operator: 'is_like', value: 'US' }) }),
        ],
        [],
      ),
    );
    const byNode = Object.fromEntries(r.problems.map((p) => [p.nodeId, p]));
    expect(byNode.a).toMatchObject({ path: 'config.strategy.type' });
    expect(byNode.a?.message).toContain("Strategy type: must be one of 'round_robin'");
    expect(byNode.w).toMatchObject({ path: 'config.timeout.amount' });
    expect(byNode.w?.message).toContain('SLA timeout amount: must be at most 90 days');
    expect(byNode.u).toMatchObject({ path: 'config.set.0.value' });
    expect(byNode.u?.message).toContain('Field update 1 value: must be text, a number, true or false or empty');
    expect(byNode.t).toMatchObject({ path: 'config.source' });
    expect(byNode.t?.message).toContain('Source: is required');
    expect(byNode.c).toMatchObject({ path: 'config.filter.conditions.0.operator' });
    expect(byNode.c?.message).toContain('Filter condition 1 operator: must be one of');
  });

  it('reports unknown_node_type with the known kinds', () => {
    const r = parseGraph(graph([trigger(), node('x', 'teleport', {}), { ...node('y', 'end', {}), type: undefined } as never], []));
    expect(r.problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['unknown_node_type', 'x', 'type'],
      ['unknown_node_type', 'y', 'type'],
    ]);
    expect(r.problems[0]?.message).toContain("'teleport'");
    for (const t of NODE_TYPES) expect(r.problems[0]?.message).toContain(t);
  });

  it('reports duplicate_node_id on the later node and keeps the first', () => {
    const r = parseGraph(graph([trigger(), assignQueue('a', 'q', 'First'), assignQueue('a', 'q', 'Second')], []));
    expect(r.problems).toEqual([expect.objectContaining({ code: 'duplicate_node_id', nodeId: 'a', path: 'id' })]);
    expect(r.graph.nodes.filter((n) => n.id === 'a').map((n) => n.label)).toEqual(['First']);
  });

  it('names nodes without a usable id by their place in the document', () => {
    const r = parseGraph(graph([trigger(), 'not a node' as never, { ...trigger('t2'), id: 7 } as never], []));
    expect(r.problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['invalid_node', undefined, 'nodes.1'],
      ['invalid_node', undefined, 'nodes.2.id'],
    ]);
  });

  it('reports invalid_edge with the edge id and a path inside the edge', () => {
    const bad = { id: 'e1', source: 'trigger', sourceHandle: '', target: 'end' };
    const r = parseGraph({ ...minimalGraph(), edges: [...minimalGraph().edges, bad, bad, { source: 'x' }] });
    expect(r.problems.map((p) => [p.code, p.edgeId, p.path])).toEqual([
      ['invalid_edge', 'e1', 'sourceHandle'],
      ['invalid_edge', 'e1', 'id'],
      ['invalid_edge', undefined, 'edges.5.id'],
      ['invalid_edge', undefined, 'edges.5.sourceHandle'],
      ['invalid_edge', undefined, 'edges.5.target'],
    ]);
    expect(r.problems[0]?.message).toBe('Outcome: must not be empty (in Connection 4)');
    expect(r.graph.edges).toHaveLength(3);
  });

  it('never throws on getters that throw, proxies, or non-plain values', () => {
    const hostile = { schemaVersion: 1, edges: [] } as Record<string, unknown>;
    Object.defineProperty(hostile, 'nodes', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(parseGraph(hostile).problems.map((p) => p.code)).toEqual(['invalid_document']);
    const proxy = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    expect(parseGraph(proxy).ok).toBe(false);
    const withDate = minimalGraph();
    (withDate.nodes[0] as { config: Record<string, unknown> }).config.filter = new Date(0);
    expect(parseGraph(withDate).problems).toEqual([
      expect.objectContaining({ code: 'invalid_node', nodeId: 'trigger', path: 'config.filter' }),
    ]);
  });
});

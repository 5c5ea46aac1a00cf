import { edgeId, emptyGraph, type Graph, type GraphNode } from '@lead-router/shared';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { diffGraphs } from './graph-diff';

const copy = (g: Graph): Graph => structuredClone(g);
const node = (g: Graph, id: string): GraphNode => {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

describe('diffGraphs', () => {
  it('finds nothing between a graph and its copy (even after a JSON round trip)', () => {
    const d = diffGraphs(hybridRoutingGraph, JSON.parse(JSON.stringify(hybridRoutingGraph)) as Graph);
    expect(d.nodes).toEqual({ added: [], removed: [], changed: [] });
    expect(d.edges).toEqual({ added: [], removed: [] });
    expect(d.summary.identical).toBe(true);
  });

  it('names a changed condition value by its dotted path, with before and after', () => {
    const after = copy(hybridRoutingGraph);
    const fastLane = node(after, 'fast-lane');
    if (fastLane.type !== 'branch') throw new Error('fixture changed');
    const clause = fastLane.config.cases[0]?.condition.conditions[1];
    if (!clause || !('field' in clause)) throw new Error('fixture changed');
    clause.value = 500;

    const d = diffGraphs(hybridRoutingGraph, after);
    expect(d.nodes.changed).toEqual([
      {
        id: 'fast-lane',
        type: 'branch',
        label: 'Enterprise fast lane',
        positionOnly: false,
        changes: [
          { path: 'config.cases.0.condition.conditions.1.value', kind: 'changed', before: 1000, after: 500, text: 'config.cases.0.condition.conditions.1.value: 1000 -> 500' },
        ],
      },
    ]);
    expect(d.summary).toMatchObject({ nodesChanged: 1, nodesMoved: 0, identical: false });
  });

  it('tells a node that only moved from one that changed', () => {
    const after = copy(hybridRoutingGraph);
    node(after, 'score').position = { x: 1, y: 2 };
    node(after, 'enrich').position.y += 10;
    node(after, 'enrich').label = 'Company data';

    const d = diffGraphs(hybridRoutingGraph, after);
    const score = d.nodes.changed.find((c) => c.id === 'score');
    const enrich = d.nodes.changed.find((c) => c.id === 'enrich');
    expect(score?.positionOnly).toBe(true);
    expect(score?.changes.map((c) => c.text)).toEqual(['position.x: 560 -> 1', 'position.y: 280 -> 2']);
    expect(enrich?.positionOnly).toBe(false);
    expect(enrich?.changes.map((c) => c.path).sort()).toEqual(['label', 'position.y']);
    expect(enrich?.changes.find((c) => c.path === 'label')?.text).toBe('label: "Firmographics" -> "Company data"');
    expect(d.summary).toMatchObject({ nodesChanged: 1, nodesMoved: 1 });
  });

  it('lists added and removed nodes and edges', () => {
    const after = copy(hybridRoutingGraph);
    after.nodes = after.nodes.filter((n) => n.id !== 'end-filtered');
    after.edges = after.edges.filter((e) => e.target !== 'end-filtered');
    after.nodes.push({ id: 'end-spam', type: 'end', position: { x: 0, y: 140 }, config: { outcome: 'spam' } });
    after.edges.push({ id: edgeId('trigger', 'filtered', 'end-spam'), source: 'trigger', sourceHandle: 'filtered', target: 'end-spam' });

    const d = diffGraphs(hybridRoutingGraph, after);
    expect(d.nodes.added).toEqual([{ id: 'end-spam', type: 'end', label: 'End' }]);
    expect(d.nodes.removed).toEqual([{ id: 'end-filtered', type: 'end', label: 'Not a lead' }]);
    expect(d.nodes.changed).toEqual([]);
    expect(d.edges.added).toEqual([{ id: 'trigger:filtered->end-spam', source: 'trigger', sourceHandle: 'filtered', target: 'end-spam' }]);
    expect(d.edges.removed).toEqual([{ id: 'trigger:filtered->end-filtered', source: 'trigger', sourceHandle: 'filtered', target: 'end-filtered' }]);
  });

  it('matches edges by what they connect, not by their id', () => {
    const after = copy(hybridRoutingGraph);
    after.edges = after.edges.map((e, i) => ({ ...e, id: `e${i}` }));
    expect(diffGraphs(hybridRoutingGraph, after).summary.identical).toBe(true);
  });

  it('treats a list of plain values as one value and a missing key as added or removed', () => {
    const after = copy(hybridRoutingGraph);
    const assign = node(after, 'assign-enterprise');
    if (assign.type !== 'assign') throw new Error('fixture changed');
    assign.config.eligibility.skills = ['enterprise', 'de'];
    delete node(after, 'sla').label;

    const d = diffGraphs(hybridRoutingGraph, after);
    expect(d.nodes.changed.find((c) => c.id === 'assign-enterprise')?.changes).toEqual([
      { path: 'config.eligibility.skills', kind: 'changed', before: ['enterprise'], after: ['enterprise', 'de'], text: 'config.eligibility.skills: ["enterprise"] -> ["enterprise", "de"]' },
    ]);
    expect(d.nodes.changed.find((c) => c.id === 'sla')).toEqual({
      id: 'sla',
      type: 'wait',
      label: 'Wait / SLA',
      positionOnly: false,
      changes: [{ path: 'label', kind: 'removed', before: 'Accept within 15 min', after: null, text: 'label: "Accept within 15 min" -> (none)' }],
    });
  });

  it('diffs lists of objects item by item, including items only one side has', () => {
    const after = copy(hybridRoutingGraph);
    const score = node(after, 'score');
    if (score.type !== 'score') throw new Error('fixture changed');
    score.config.rules = score.config.rules.slice(0, 5);

    const changes = diffGraphs(hybridRoutingGraph, after).nodes.changed[0]?.changes ?? [];
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ path: 'config.rules.5', kind: 'removed', after: null });
    expect(changes[0]?.before).toMatchObject({ id: 'product' });
  });

  it('from the empty graph, everything is added', () => {
    const d = diffGraphs(emptyGraph(), hybridRoutingGraph);
    expect(d.summary).toMatchObject({ nodesAdded: hybridRoutingGraph.nodes.length, edgesAdded: hybridRoutingGraph.edges.length, nodesRemoved: 0, identical: false });
  });

  it('reports a node whose type changed under the same id as a change of type and config', () => {
    const after = copy(hybridRoutingGraph);
    const i = after.nodes.findIndex((n) => n.id === 'end-queued');
    after.nodes[i] = { id: 'end-queued', type: 'wait', position: { x: 1400, y: 2240 }, label: 'Queued', config: { until: 'accepted', timeout: { amount: 1, unit: 'hours' } } };
    const change = diffGraphs(hybridRoutingGraph, after).nodes.changed[0];
    expect(change?.type).toBe('wait');
    expect(change?.changes.map((c) => c.path)).toEqual(['type', 'config.outcome', 'config.until', 'config.timeout']);
  });

  it('shortens long values in the text but keeps them whole in before/after', () => {
    const after = copy(hybridRoutingGraph);
    const notify = node(after, 'notify-rep');
    if (notify.type !== 'notify') throw new Error('fixture changed');
    notify.config.message = 'x'.repeat(500);
    const change = diffGraphs(hybridRoutingGraph, after).nodes.changed[0]?.changes[0];
    expect(change?.after).toBe('x'.repeat(500));
    expect(change?.text.length).toBeLessThan(300);
    expect(change?.text.endsWith('…')).toBe(true);
  });
});

describe('diffGraphs and sticky notes', () => {
  it('ignores notes: a draft that only added, edited or removed notes is identical to its version', () => {
    const noted = { ...copy(hybridRoutingGraph), notes: [{ id: 'note-1', x: 0, y: -200, width: 200, height: 120, text: 'Ask Ada before changing EMEA' }] };
    const edited = { ...noted, notes: [{ ...noted.notes[0], text: 'Changed', x: 40 }] } as Graph;
    for (const [a, b] of [[hybridRoutingGraph, noted], [noted, edited], [edited, hybridRoutingGraph]] as Array<[Graph, Graph]>) {
      const d = diffGraphs(a, b);
      expect(d.summary.identical).toBe(true);
      expect(d.nodes).toEqual({ added: [], removed: [], changed: [] });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { DirectorySchema, type DirectoryInput } from '../directory/schema';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '../graph/graph';
import type { GraphNode } from '../graph/node';
import type { AssignStrategy } from '../graph/nodes/assign';
import type { Plan } from '../plan';
import { addToSummary, emptySummary, simulate, simulateEach, summarize, type SimulationLead } from './simulate';

const AT = Date.parse('2026-11-24T15:00:00Z');
const rep = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id.toUpperCase(), email: `${id}@example.com`, timeZone: 'UTC', ...extra });

function assignGraph(strategy: AssignStrategy, withWait = false): Graph {
  const n = (id: string, type: GraphNode['type'], config: unknown): GraphNode => ({ id, type, position: { x: 0, y: 0 }, config }) as GraphNode;
  const e = (s: string, h: string, t: string) => ({ id: edgeId(s, h, t), source: s, sourceHandle: h, target: t });
  const nodes = [
    n('t', 'trigger', { source: 'manual' }),
    n('a', 'assign', { strategy, eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true } }),
    n('done', 'end', { outcome: 'routed' }),
    n('none', 'end', { outcome: 'unassigned' }),
  ];
  const edges = [e('t', 'next', 'a'), e('a', 'no_eligible_rep', 'none')];
  if (withWait) {
    nodes.push(n('w', 'wait', { until: 'accepted', timeout: { amount: 10, unit: 'minutes' } }), n('x', 'escalate', { to: 'next_rep' }), n('late', 'end', { outcome: 'late' }));
    edges.push(e('a', 'assigned', 'w'), e('w', 'accepted', 'done'), e('w', 'timed_out', 'x'), e('x', 'escalated', 'late'), e('x', 'no_target', 'none'));
  } else {
    edges.push(e('a', 'assigned', 'done'));
  }
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes, edges };
}

function planFor(graph: Graph, dir: DirectoryInput): Plan {
  const r = compile(graph, { directory: DirectorySchema.parse(dir) });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

const leads = (n: number): SimulationLead[] => Array.from({ length: n }, (_, i) => ({ leadId: `l${i + 1}`, lead: { id: `l${i + 1}` } }));

describe('simulate', () => {
  it('carries smooth weighted round-robin turns across the batch: 3:2:1 gives A B A C B A', () => {
    const dir = { reps: [rep('a'), rep('b'), rep('c')], teams: [{ id: 'pool', name: 'Pool', members: [{ repId: 'a', weight: 3 }, { repId: 'b', weight: 2 }, { repId: 'c', weight: 1 }] }] };
    const report = simulate(planFor(assignGraph({ type: 'weighted_round_robin', teamId: 'pool' }), dir), leads(12), { directory: DirectorySchema.parse(dir), startTime: AT });
    expect(report.results.map((r) => r.assignee?.id)).toEqual(['a', 'b', 'a', 'c', 'b', 'a', 'a', 'b', 'a', 'c', 'b', 'a']);
    expect(report.summary.byAssignee).toEqual({ a: 6, b: 4, c: 2 });
  });

  it('keeps loads across the batch, so a capped rep stops receiving leads', () => {
    const dir = { reps: [rep('a', { caps: { openLeads: 2 } }), rep('b', { caps: { openLeads: 1 } })], teams: [{ id: 'pool', name: 'Pool', members: [{ repId: 'a', weight: 1 }, { repId: 'b', weight: 1 }] }] };
    const report = simulate(planFor(assignGraph({ type: 'round_robin', teamId: 'pool' }), dir), leads(5), { directory: DirectorySchema.parse(dir), startTime: AT });
    expect(report.results.map((r) => r.assignee?.id ?? null)).toEqual(['a', 'b', 'a', null, null]);
    expect(report.summary.byOutcome).toEqual({ routed: 3, unassigned: 2 });
    expect(report.summary.unassigned).toBe(2);
    const why = report.results[3]?.steps[1]?.explanation.join('\n') ?? '';
    expect(why).toMatch(/A: .*open-lead cap/i);
    expect(why).toMatch(/B: .*open-lead cap/i);
  });

  it('starts from a production state snapshot', () => {
    const dir = { reps: [rep('a'), rep('b'), rep('c')], teams: [{ id: 'pool', name: 'Pool', members: [{ repId: 'a', weight: 1 }, { repId: 'b', weight: 1 }, { repId: 'c', weight: 1 }] }] };
    const report = simulate(planFor(assignGraph({ type: 'round_robin', teamId: 'pool' }), dir), leads(2), {
      directory: DirectorySchema.parse(dir),
      startTime: AT,
      state: { lastChosen: { 'team:pool': 'b' } },
    });
    expect(report.results.map((r) => r.assignee?.id)).toEqual(['c', 'a']);
  });

  it('resolves waits per lead, releases the timed-out rep and hands the lead to the next one', () => {
    const dir = { reps: [rep('a', { caps: { openLeads: 1 } }), rep('b', { caps: { openLeads: 1 } })], teams: [{ id: 'pool', name: 'Pool', members: [{ repId: 'a', weight: 1 }, { repId: 'b', weight: 1 }] }] };
    const report = simulate(planFor(assignGraph({ type: 'round_robin', teamId: 'pool' }, true), dir), leads(2), {
      directory: DirectorySchema.parse(dir),
      startTime: AT,
      waits: { default: { outcome: 'accepted', afterMinutes: 3 }, byLead: { l1: { outcome: 'timed_out' } } },
    });
    const [first, second] = report.results;
    // l1: a times out, the lead moves to b and a's open lead is released.
    expect(first?.path).toEqual(['t', 'a', 'w', 'x', 'late']);
    expect(first?.assignee?.id).toBe('b');
    expect(first?.steps[3]?.output.released).toBe('a');
    // l2: b is full (l1), a is free again after the release.
    expect(second?.assignee?.id).toBe('a');
    expect(second?.steps[2]?.decision).toBe('Accepted after 3 minutes');
  });

  it('summarises per node, per edge and per outcome', () => {
    const dir = { reps: [rep('a')], teams: [{ id: 'pool', name: 'Pool', members: [{ repId: 'a', weight: 1 }] }] };
    const report = simulate(planFor(assignGraph({ type: 'round_robin', teamId: 'pool' }), dir), leads(3), { directory: DirectorySchema.parse(dir), startTime: AT });
    expect(report.summary).toEqual({
      leads: 3,
      byAssignee: { a: 3 },
      byOutcome: { routed: 3 },
      byNode: { t: 3, a: 3, done: 3 },
      byEdge: { 't:next': 3, 'a:assigned': 3 },
      unassigned: 0,
    });
    expect(summarize([])).toEqual({ leads: 0, byAssignee: {}, byOutcome: {}, byNode: {}, byEdge: {}, unassigned: 0 });
  });

  it('sends nothing: notify steps say what would have been sent', () => {
    const dir = { reps: [rep('a')], queues: [{ id: 'q', name: 'Q' }] };
    const n = (id: string, type: GraphNode['type'], config: unknown): GraphNode => ({ id, type, position: { x: 0, y: 0 }, config }) as GraphNode;
    const g: Graph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        n('t', 'trigger', { source: 'manual' }),
        n('s', 'notify', { channel: 'slack', url: 'https://hooks.slack.example/T1', message: 'Lead {{company}}' }),
        n('end', 'end', { outcome: 'done' }),
      ],
      edges: [
        { id: '1', source: 't', sourceHandle: 'next', target: 's' },
        { id: '2', source: 's', sourceHandle: 'next', target: 'end' },
      ],
    };
    const report = simulate(planFor(g, dir), [{ leadId: 'x', lead: { company: 'Acme' } }], { directory: DirectorySchema.parse(dir), startTime: AT });
    const step = report.results[0]?.steps[1];
    expect(step?.output).toMatchObject({ channel: 'slack', message: 'Lead Acme' });
    expect(step?.explanation[0]).toBe('Test run: would send slack to https://hooks.slack.example/T1; nothing was sent');
  });
});

describe('simulateEach', () => {
  it('hands each run over in input order, as simulate answers them, and the summary counted run by run is the same', () => {
    const dir = { reps: [rep('a'), rep('b')], teams: [{ id: 'tm', name: 'T', members: [{ repId: 'a' }, { repId: 'b' }] }] };
    const plan = planFor(assignGraph({ type: 'round_robin', teamId: 'tm' }, true), dir);
    const options = { directory: DirectorySchema.parse(dir), startTime: AT, waits: { byLead: { l2: { outcome: 'timed_out' as const } } } };
    const batch = simulate(plan, leads(5), options);
    const seen: Array<[string, number]> = [];
    const summary = emptySummary();
    simulateEach(plan, leads(5), options, (r, i) => {
      seen.push([r.leadId, i]);
      addToSummary(summary, r);
      expect(r).toEqual(batch.results[i]);
    });
    expect(seen).toEqual(leads(5).map((l, i) => [l.leadId, i]));
    // Same counts and the same key order: the JSON of both is the same text.
    expect(JSON.stringify(summary)).toBe(JSON.stringify(summarize(batch.results)));
  });
});

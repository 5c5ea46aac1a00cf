import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { DirectorySchema, type Directory } from '../directory/schema';
import type { Lead } from '../fields/lead';
import { demoDirectory, EXAMPLE_LEADS, generateGraph, generateSampleLeads, hybridRoutingGraph } from '../fixtures/index';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '../graph/graph';
import type { GraphNode } from '../graph/node';
import type { Plan } from '../plan';
import { SimulationEffects } from '../simulation/sim-effects';
import { ChangeLog, MAX_CHANGE_CHARS, MAX_CHANGES_SHOWN } from './changes';
import { interpret, interpretSync, isPaused } from './interpret';
import { TraceStepSchema } from './trace-schema';
import type { RunResult } from './trace';

const directory: Directory = DirectorySchema.parse(demoDirectory);
const TUESDAY = Date.parse('2026-11-24T15:00:00Z');

function planOf(graph: unknown): Plan {
  const r = compile(graph, { directory });
  if (!r.ok) throw new Error(`fixture does not compile: ${JSON.stringify(r.problems)}`);
  return r.plan;
}

function runOne(plan: Plan, lead: Lead): RunResult {
  const effects = new SimulationEffects({ directory, startTime: TUESDAY });
  effects.beginLead(String(lead.id));
  const r = interpretSync(plan, lead, effects, { leadId: String(lead.id) });
  if (isPaused(r)) throw new Error('unexpected pause');
  return r;
}

const node = (id: string, type: GraphNode['type'], config: unknown): GraphNode => ({ id, type, position: { x: 0, y: 0 }, config }) as GraphNode;
const edge = (source: string, handle: string, target: string) => ({ id: edgeId(source, handle, target), source, sourceHandle: handle, target });

describe('per-step changes in the trace', () => {
  const plan = planOf(hybridRoutingGraph);
  const lead = EXAMPLE_LEADS.find((l) => l.id === 'L-1') as Lead;

  it('records what enrich, score, match_account and the assignment changed, and nothing for the other steps', () => {
    const r = runOne(plan, lead);
    const by = (id: string) => r.steps.find((s) => s.nodeId === id);
    expect(by('trigger')?.changes).toBeUndefined();
    expect(by('notify-rep')?.changes).toBeUndefined();
    expect(by('sla')?.changes).toBeUndefined();
    const score = by('score')?.changes?.fields ?? [];
    expect(score.map((c) => c.field)).toEqual(['score', 'fitScore', 'intentScore', 'grade']);
    expect(score[0]).toEqual({ field: 'score', before: null, after: r.lead.score });
    const match = by('match')?.changes?.fields ?? [];
    expect(match).toEqual([
      { field: 'accountId', before: null, after: r.lead.accountId },
      { field: 'accountName', before: null, after: 'Acme Corp' },
      { field: 'accountOwner', before: null, after: 'rep-ana' },
    ]);
    expect(by('assign-owner')?.changes).toEqual({ fields: [{ field: 'owner', before: null, after: 'rep-ana' }], omitted: 0 });
    // Every step's changes, replayed over the lead as posted, give the lead as it left the graph.
    const rebuilt: Lead = { ...lead };
    for (const s of r.steps) for (const c of s.changes?.fields ?? []) rebuilt[c.field] = c.after;
    for (const [k, v] of Object.entries(r.lead)) if (v !== undefined) expect(rebuilt[k] ?? null).toEqual(v);
  });

  it('records a change of a value the lead already had, with its value before', () => {
    const graph: Graph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        node('t', 'trigger', { source: 'webhook' }),
        node('u', 'update', { set: [{ field: 'industry', value: 'Retail' }, { field: 'country', value: 'US' }] }),
        node('e', 'end', { outcome: 'done' }),
      ],
      edges: [edge('t', 'next', 'u'), edge('u', 'next', 'e')],
    };
    const r = runOne(planOf(graph), { id: 'x', email: 'a@b.com', industry: 'Software', country: 'US' });
    // country was already US: not a change.
    expect(r.steps[1]?.changes).toEqual({ fields: [{ field: 'industry', before: 'Software', after: 'Retail' }], omitted: 0 });
  });

  it('is bounded: at most 50 fields, the rest counted, and long text cut with the rest counted', () => {
    const log = new ChangeLog();
    for (let i = 0; i < 80; i++) log.record(`f${i}`, undefined, i);
    log.record('f70', 70, 71); // a second write of an omitted field is not counted twice
    log.record('long', null, 'x'.repeat(2000));
    const c = log.take();
    expect(c?.fields).toHaveLength(MAX_CHANGES_SHOWN);
    expect(c?.omitted).toBe(81 - MAX_CHANGES_SHOWN);
    // The log starts clean for the next step.
    expect(log.take()).toBeUndefined();
    log.record('long', undefined, 'y'.repeat(2000));
    const text = log.take()?.fields[0]?.after as string;
    expect(text.startsWith('y'.repeat(MAX_CHANGE_CHARS))).toBe(true);
    expect(text.endsWith(`… (${2000 - MAX_CHANGE_CHARS} more characters)`)).toBe(true);
    expect(text.length).toBeLessThan(MAX_CHANGE_CHARS + 40);
  });

  it('keeps one change per field a step writes twice, and none when the field is back to its value', () => {
    const log = new ChangeLog();
    log.record('grade', 'B', 'A');
    log.record('grade', 'A', 'C');
    log.record('score', 10, 20);
    log.record('score', 20, 10);
    log.record('owner', null, null);
    expect(log.take()).toEqual({ fields: [{ field: 'grade', before: 'B', after: 'C' }], omitted: 0 });
  });

  it('accounts for every write: the changes of all steps rebuild each lead as it left the graph (200 leads, two graphs)', () => {
    for (const graph of [hybridRoutingGraph, generateGraph(50, { seed: 3 })]) {
      const p = planOf(graph);
      for (const l of generateSampleLeads(100, 11)) {
        const r = runOne(p, l);
        const rebuilt: Lead = { ...l };
        for (const s of r.steps) for (const c of s.changes?.fields ?? []) rebuilt[c.field] = c.after;
        for (const [k, v] of Object.entries(r.lead)) if (v !== undefined) expect([k, rebuilt[k] ?? null]).toEqual([k, v]);
      }
    }
  });

  it('gives the same changes in the async interpreter (the workflow) as in simulation, and they satisfy the schema', async () => {
    const sync = runOne(plan, lead);
    const effects = new SimulationEffects({ directory, startTime: TUESDAY });
    effects.beginLead(String(lead.id));
    const r = await interpret(plan, lead, effects, { leadId: String(lead.id) });
    if (isPaused(r)) throw new Error('unexpected pause');
    expect(r.steps.map((s) => s.changes)).toEqual(sync.steps.map((s) => s.changes));
    for (const s of r.steps) expect(TraceStepSchema.safeParse(s).success).toBe(true);
  });
});

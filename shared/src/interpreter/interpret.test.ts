import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { DirectorySchema, type Directory } from '../directory/schema';
import type { Lead } from '../fields/lead';
import { demoDirectory, generateGraph, hybridRoutingGraph, EXAMPLE_LEADS } from '../fixtures/index';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '../graph/graph';
import type { GraphNode } from '../graph/node';
import type { Plan } from '../plan';
import { SimulationEffects, type WaitPlan } from '../simulation/sim-effects';
import type { Effects } from './effects';
import { interpret, interpretSync, isPaused, performEffect } from './interpret';
import type { RunResult, TraceStep } from './trace';

const directory: Directory = DirectorySchema.parse(demoDirectory);
// A Tuesday, 15:00 UTC: 10:00 in New York, inside every working-hours window of the demo directory.
const TUESDAY = Date.parse('2026-11-24T15:00:00Z');

function planOf(graph: unknown, dir: Directory | null = directory): Plan {
  const r = compile(graph, { directory: dir });
  if (!r.ok) throw new Error(`fixture does not compile: ${JSON.stringify(r.problems, null, 2)}`);
  return r.plan;
}

function runOne(plan: Plan, lead: Lead, opts: { waits?: WaitPlan; at?: number; effects?: SimulationEffects } = {}): RunResult {
  const effects = opts.effects ?? new SimulationEffects({ directory, startTime: opts.at ?? TUESDAY, ...(opts.waits ? { waits: opts.waits } : {}) });
  const leadId = String(lead.id ?? 'lead');
  effects.beginLead(leadId);
  const r = interpretSync(plan, lead, effects, { leadId });
  if (isPaused(r)) throw new Error('unexpected pause');
  return r;
}

const node = (id: string, type: GraphNode['type'], config: unknown): GraphNode => ({ id, type, position: { x: 0, y: 0 }, config }) as GraphNode;
const edge = (source: string, handle: string, target: string) => ({ id: edgeId(source, handle, target), source, sourceHandle: handle, target });
const graphOf = (nodes: GraphNode[], edges: ReturnType<typeof edge>[]): Graph => ({ schemaVersion: GRAPH_SCHEMA_VERSION, nodes, edges });

const stepAt = (r: RunResult, nodeId: string): TraceStep => {
  const s = r.steps.find((x) => x.nodeId === nodeId);
  if (!s) throw new Error(`no step at ${nodeId}; path ${r.path.join(' > ')}`);
  return s;
};

describe('interpreter on the hybrid routing fixture', () => {
  const plan = planOf(hybridRoutingGraph);
  const byId = (id: string) => EXAMPLE_LEADS.find((l) => l.id === id) as Lead;

  it('sends a known account to its owner and ends routed once accepted', () => {
    const r = runOne(plan, byId('L-1'));
    expect(r.status).toBe('completed');
    expect(r.outcome).toBe('routed');
    expect(r.assignee).toMatchObject({ type: 'rep', id: 'rep-ana' });
    expect(r.path).toEqual(['trigger', 'enrich', 'score', 'match', 'assign-owner', 'notify-rep', 'sla', 'end-routed']);
    expect(stepAt(r, 'match').decision).toBe('Matched Acme Corp');
    expect(r.lead.accountOwner).toBe('rep-ana');
  });

  it('takes the enterprise fast lane for a 1,000+ employee company and explains the case', () => {
    const r = runOne(plan, byId('L-2'));
    expect(r.path.slice(0, 6)).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise']);
    const branch = stepAt(r, 'fast-lane');
    expect(branch.outcome).toBe('enterprise');
    expect(branch.explanation.join('\n')).toContain('employees 45000 >= 1000: true');
    expect(['rep-ana', 'rep-bo', 'rep-cara']).toContain(r.assignee?.id);
    // Enrichment filled what the lead lacked.
    expect(stepAt(r, 'enrich').output).toMatchObject({ set: { employees: 45000, industry: 'Financial Services' } });
  });

  it('scores fit and intent and grades the lead', () => {
    const r = runOne(plan, byId('L-2'));
    const s = stepAt(r, 'score');
    // 45,000 employees (+40 fit), Financial Services (+15 fit), CEO (+20 fit), Contact Sales (+25 intent), Routing (+10 intent)
    expect(s.output).toEqual({ score: 110, fitScore: 75, intentScore: 35, grade: 'A' });
    expect(r.lead.grade).toBe('A');
  });

  it('routes by territory when no account matches and the lead is not enterprise', () => {
    const r = runOne(plan, byId('L-4'));
    expect(stepAt(r, 'fast-lane').outcome).toBe('enterprise'); // Mercado Azul has 2,100 employees
    const small = runOne(plan, byId('L-8')); // Lumiere SA, 150 employees, France
    expect(stepAt(small, 'fast-lane').outcome).toBe('else');
    expect(stepAt(small, 'assign-territory').outcome).toBe('assigned');
    expect(small.assignee?.id).toBe('rep-fay');
  });

  it('filters out a lead without an email', () => {
    const r = runOne(plan, byId('L-9'));
    expect(r.path).toEqual(['trigger', 'end-filtered']);
    expect(r.outcome).toBe('filtered');
    expect(stepAt(r, 'trigger').explanation[0]).toContain('email is set: false');
  });

  it('re-assigns after the SLA to the next eligible rep, then the manager, then parks the lead in the queue', () => {
    const r = runOne(plan, byId('L-2'), { waits: { default: { outcome: 'timed_out' } } });
    expect(r.path).toEqual([
      'trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep', 'sla',
      'reassign', 'notify-reassigned', 'sla-2',
      'to-manager', 'notify-manager', 'sla-manager',
      'to-queue', 'end-queued',
    ]);
    expect(stepAt(r, 'sla').decision).toBe('Timed out after 15 minutes');
    expect(stepAt(r, 'sla').durationMs).toBe(15 * 60_000);
    const first = stepAt(r, 'assign-enterprise').output.assignee as { id: string };
    const second = stepAt(r, 'reassign').output.assignee as { id: string };
    expect(['rep-ana', 'rep-bo', 'rep-cara']).toContain(second.id);
    expect(second.id).not.toBe(first.id);
    expect(stepAt(r, 'reassign').output.released).toBe(first.id);
    expect(stepAt(r, 'to-manager').output.assignee).toMatchObject({ id: 'rep-mia' });
    expect(r.assignee).toMatchObject({ type: 'queue', id: 'q-unassigned' });
    // Virtual time moved on by the three SLAs: 15 + 15 + 60 minutes.
    expect(r.endedAt - r.startedAt).toBe(90 * 60_000);
  });

  it('escalates an account-owned lead straight to the manager: the owner is the only candidate', () => {
    const r = runOne(plan, byId('L-1'), { waits: { default: [{ outcome: 'timed_out' }, { outcome: 'accepted', afterMinutes: 5 }] } });
    expect(stepAt(r, 'reassign').outcome).toBe('no_target');
    expect(stepAt(r, 'reassign').explanation.join(' ')).toContain('Ana Diaz: previously assigned');
    expect(stepAt(r, 'to-manager').output.assignee).toMatchObject({ id: 'rep-mia' });
    expect(r.outcome).toBe('routed');
    expect(r.assignee?.id).toBe('rep-mia');
  });

  it('follows the timed-out path at once when the rep rejects (rejected falls back to timed out)', () => {
    const r = runOne(plan, byId('L-2'), { waits: { byLead: { 'L-2': [{ outcome: 'rejected', afterMinutes: 2 }, { outcome: 'accepted', afterMinutes: 1 }] } } });
    expect(stepAt(r, 'sla').outcome).toBe('rejected');
    expect(stepAt(r, 'sla').next).toBe('reassign');
    expect(stepAt(r, 'sla').durationMs).toBe(2 * 60_000);
    expect(stepAt(r, 'sla-2').outcome).toBe('accepted');
    expect(r.outcome).toBe('routed');
  });

  it('treats an accept after the SLA as a time-out', () => {
    const r = runOne(plan, byId('L-2'), { waits: { default: [{ outcome: 'accepted', afterMinutes: 20 }, { outcome: 'accepted', afterMinutes: 1 }] } });
    expect(stepAt(r, 'sla').outcome).toBe('timed_out');
    expect(stepAt(r, 'sla-2').outcome).toBe('accepted');
  });

  it('records the input snapshot of the fields each step read', () => {
    const r = runOne(plan, byId('L-2'));
    expect(stepAt(r, 'fast-lane').input).toEqual({ grade: 'A', employees: 45000 });
    expect(stepAt(r, 'trigger').input).toEqual({ email: 'bruce@wayne.com' });
  });

  it('lists every candidate of an assignment with a verdict', () => {
    const r = runOne(plan, byId('L-2'));
    const candidates = stepAt(r, 'assign-enterprise').output.candidates as Array<{ repId: string; verdict: string }>;
    expect(candidates.map((c) => c.repId).sort()).toEqual(['rep-ana', 'rep-bo', 'rep-cara']);
    expect(candidates.filter((c) => c.verdict === 'chosen')).toHaveLength(1);
  });

  it('renders notification templates from the lead', () => {
    const r = runOne(plan, byId('L-1'));
    expect(stepAt(r, 'notify-rep').output.message).toBe('New lead: Wile Coyote (Head of Procurement) at Acme Corp, score 85. Accept within 15 minutes.');
  });
});

describe('interpreter node by node', () => {
  const trigger = node('t', 'trigger', { source: 'manual' });
  const endA = node('a', 'end', { outcome: 'a' });
  const endB = node('b', 'end', { outcome: 'b' });

  it('split is deterministic by lead id and follows the percentages', () => {
    const g = graphOf(
      [trigger, node('s', 'split', { variants: [{ id: 'x', label: 'X', percent: 30 }, { id: 'y', label: 'Y', percent: 70 }] }), endA, endB],
      [edge('t', 'next', 's'), edge('s', 'x', 'a'), edge('s', 'y', 'b')],
    );
    const plan = planOf(g);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) {
      const r = runOne(plan, { id: `lead-${i}` });
      counts[r.outcome as 'a' | 'b']++;
      expect(runOne(plan, { id: `lead-${i}` }).outcome).toBe(r.outcome);
    }
    expect(counts.a / 10_000).toBeGreaterThan(0.28);
    expect(counts.a / 10_000).toBeLessThan(0.32);
  });

  it('branch takes the first matching case, and else when none match', () => {
    const g = graphOf(
      [
        trigger,
        node('br', 'branch', {
          cases: [
            { id: 'big', label: 'Big', condition: { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 500 }] } },
            { id: 'bigger', label: 'Bigger', condition: { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 1000 }] } },
          ],
        }),
        endA,
        endB,
        node('c', 'end', { outcome: 'c' }),
      ],
      [edge('t', 'next', 'br'), edge('br', 'big', 'a'), edge('br', 'bigger', 'c'), edge('br', 'else', 'b')],
    );
    const plan = planOf(g);
    const big = runOne(plan, { employees: 5000 });
    expect(big.outcome).toBe('a');
    expect(stepAt(big, 'br').explanation).toContain('(1 later case not checked: first match wins)');
    expect(runOne(plan, { employees: 10 }).outcome).toBe('b');
    const missing = runOne(plan, {});
    expect(missing.outcome).toBe('b');
    expect(stepAt(missing, 'br').explanation.join('\n')).toContain('(employees is empty)');
  });

  it('update sets fields on the lead', () => {
    const g = graphOf([trigger, node('u', 'update', { set: [{ field: 'leadSource', value: 'Partner' }, { field: 'industry', value: null }] }), endA], [edge('t', 'next', 'u'), edge('u', 'next', 'a')]);
    const r = runOne(planOf(g), { industry: 'Retail' });
    expect(r.lead.leadSource).toBe('Partner');
    expect(r.lead.industry).toBeNull();
    expect(stepAt(r, 'u').decision).toBe('Set leadSource, industry');
  });

  it('assign with nobody eligible takes the no-eligible-rep outcome', () => {
    const dir = DirectorySchema.parse({ ...demoDirectory, teams: [{ id: 'team-x', name: 'X', members: [{ repId: 'rep-eli', weight: 1 }] }] });
    const g = graphOf(
      [trigger, node('as', 'assign', { strategy: { type: 'round_robin', teamId: 'team-x' } }), endA, endB],
      [edge('t', 'next', 'as'), edge('as', 'assigned', 'a'), edge('as', 'no_eligible_rep', 'b')],
    );
    const plan = planOf(g, dir);
    const effects = new SimulationEffects({ directory: dir, startTime: TUESDAY });
    const r = runOne(plan, { id: 'x' }, { effects });
    expect(r.outcome).toBe('b');
    expect(r.assignee).toBeNull();
    expect(stepAt(r, 'as').explanation.join('\n')).toMatch(/out of office/i);
  });

  it('a loop through a wait ends at the wait limit instead of running forever', () => {
    const g = graphOf(
      [
        trigger,
        node('as', 'assign', { strategy: { type: 'queue', queueId: 'q-unassigned' } }),
        node('w', 'wait', { until: 'accepted', timeout: { amount: 5, unit: 'minutes' } }),
        node('q', 'escalate', { to: 'queue', queueId: 'q-enterprise' }),
        endA,
      ],
      [edge('t', 'next', 'as'), edge('as', 'assigned', 'w'), edge('as', 'no_eligible_rep', 'a'), edge('w', 'accepted', 'a'), edge('w', 'timed_out', 'q'), edge('q', 'escalated', 'w'), edge('q', 'no_target', 'a')],
    );
    const plan = planOf(g);
    const effects = new SimulationEffects({ directory, startTime: TUESDAY, waits: { default: { outcome: 'timed_out' } } });
    effects.beginLead('loop');
    const r = interpretSync(plan, {}, effects, { leadId: 'loop', maxWaits: 7 });
    if (isPaused(r)) throw new Error('paused');
    expect(r.status).toBe('step_limit');
    expect(r.steps.filter((s) => s.nodeType === 'wait')).toHaveLength(7);
    expect(r.error).toBe('Stopped after 7 waits');
  });

  it('pauses before a wait with a checkpoint, and resuming gives the same run', () => {
    const plan = planOf(hybridRoutingGraph);
    const lead = EXAMPLE_LEADS[1] as Lead;
    const waits: WaitPlan = { default: { outcome: 'timed_out' } };
    const whole = runOne(plan, lead, { waits });

    const effects = new SimulationEffects({ directory, startTime: TUESDAY, waits });
    effects.beginLead('L-2');
    const first = interpretSync(plan, lead, effects, { leadId: 'L-2', pauseBeforeWait: (c) => c.waits === 1 });
    if (!isPaused(first)) throw new Error('expected a pause');
    expect(first.checkpoint.nodeId).toBe('sla-2');
    // The resumed run must not count the earlier wait twice or repeat the earlier steps.
    const rest = interpretSync(plan, lead, effects, { leadId: 'L-2', resume: first.checkpoint });
    if (isPaused(rest)) throw new Error('paused again');
    expect([...first.steps, ...rest.steps].map((s) => s.nodeId)).toEqual(whole.path);
    expect(rest.assignee).toEqual(whole.assignee);
    expect(rest.steps[0]?.seq).toBe(first.steps.length + 1);
  });

  it('suspends at an effect with the checkpoint before its step, and resuming with its answer gives the same run', () => {
    // A suspension at every effect (the worker's segments suspend at waits and slow ones): one run, cut at
    // each, must give the steps, lead, assignee and wait count of the uninterrupted run.
    const plan = planOf(hybridRoutingGraph);
    const waits: WaitPlan = { default: { outcome: 'timed_out' } };
    let total = 0;
    for (const lead of EXAMPLE_LEADS as Lead[]) {
      const leadId = String(lead.id);
      const whole = runOne(plan, lead, { waits });
      const effects = new SimulationEffects({ directory, startTime: TUESDAY, waits });
      effects.beginLead(leadId);
      const steps: TraceStep[] = [];
      let r = interpretSync(plan, lead, effects, { leadId, suspend: () => true });
      let cuts = 0;
      while (isPaused(r)) {
        const { checkpoint, pending } = r;
        if (!pending) throw new Error('paused without a pending effect');
        steps.push(...r.steps);
        expect(checkpoint.nodeId).toBe(pending.req.nodeId);
        expect(checkpoint.seq).toBe(pending.req.seq - 1);
        const value = performEffect(effects, pending);
        cuts++;
        r = interpretSync(plan, lead, effects, { leadId, resume: checkpoint, answer: { value }, suspend: (c) => c.req.nodeId !== checkpoint.nodeId || c.req.seq !== pending.req.seq });
      }
      steps.push(...r.steps);
      const effectful = ['enrich', 'match_account', 'assign', 'notify', 'update', 'wait', 'escalate'];
      expect(cuts, leadId).toBe(whole.steps.filter((s) => effectful.includes(s.nodeType)).length);
      total += cuts;
      expect(steps.map(({ at: _at, ...s }) => s), leadId).toEqual(whole.steps.map(({ at: _at, ...s }) => s));
      expect(r.assignee).toEqual(whole.assignee);
      expect(r.lead).toEqual(whole.lead);
      expect(r.outcome).toBe(whole.outcome);
    }
    expect(total).toBeGreaterThan(20);
  });

  it('refuses an answer for a step that asks for no effect', () => {
    const plan = planOf(hybridRoutingGraph);
    const effects = new SimulationEffects({ directory, startTime: TUESDAY });
    const resume = { nodeId: plan.entry, lead: {}, assignee: null, previousAssignees: [], lastAssignment: null, seq: 0, waits: 0, startedAt: TUESDAY };
    expect(() => interpretSync(plan, {}, effects, { leadId: 'x', resume, answer: { value: {} } })).toThrow(/asks for no effect/);
  });

  it('reports each step through onStep as it completes', () => {
    const plan = planOf(hybridRoutingGraph);
    const seen: number[] = [];
    const effects = new SimulationEffects({ directory, startTime: TUESDAY });
    effects.beginLead('L-1');
    const r = interpretSync(plan, EXAMPLE_LEADS[0] as Lead, effects, { leadId: 'L-1', onStep: (s) => void seen.push(s.seq) });
    if (isPaused(r)) throw new Error('paused');
    expect(seen).toEqual(r.steps.map((s) => s.seq));
  });

  it('a hand-made plan whose outcome leads nowhere fails with a message instead of throwing', () => {
    const plan = planOf(graphOf([trigger, endA], [edge('t', 'next', 'a')]));
    const broken: Plan = { ...plan, nodes: { ...plan.nodes, t: { ...(plan.nodes.t as Plan['nodes'][string]), next: {} } as Plan['nodes'][string] } };
    const r = runOne(broken, {});
    expect(r.status).toBe('failed');
    expect(r.error).toContain('leads nowhere');
  });
});

describe('interpreter properties', () => {
  const graphs = [1, 2, 3, 4, 5].map((seed) => planOf(generateGraph(50, { seed, withLoops: true })));
  const leadArb = fc.record(
    {
      id: fc.string({ minLength: 1, maxLength: 12 }),
      employees: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constant(null)),
      country: fc.constantFrom('US', 'CA', 'GB', 'DE', 'FR', 'BR', 'IN', null),
      industry: fc.constantFrom('Software', 'Retail', 'Healthcare', null),
      title: fc.constantFrom('VP Sales', 'Director of Ops', 'Chief of Staff', 'Engineer', null),
      email: fc.constantFrom('a@acme.com', 'b@gmail.com', 'c@globex.com', null),
      leadSource: fc.constantFrom('Event', 'Webinar', 'Demo Request', null),
      annualRevenue: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant(null)),
    },
    { requiredKeys: ['id'] },
  ) as fc.Arbitrary<Lead>;
  const waitArb = fc.constantFrom<WaitPlan>({ default: { outcome: 'accepted' } }, { default: { outcome: 'timed_out' } }, { default: [{ outcome: 'rejected', afterMinutes: 1 }, { outcome: 'timed_out' }] });

  it('the same input gives the same trace', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: graphs.length - 1 }), leadArb, waitArb, (g, lead, waits) => {
        const plan = graphs[g] as Plan;
        expect(runOne(plan, lead, { waits })).toEqual(runOne(plan, lead, { waits }));
      }),
      { numRuns: 200 },
    );
  });

  it('every lead ends at an end, or at the step/wait limit, and never hangs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: graphs.length - 1 }), leadArb, waitArb, (g, lead, waits) => {
        const plan = graphs[g] as Plan;
        const r = runOne(plan, lead, { waits });
        expect(['completed', 'step_limit']).toContain(r.status);
        const last = r.steps[r.steps.length - 1] as TraceStep;
        if (r.status === 'completed') {
          expect(last.nodeType).toBe('end');
          expect(last.next).toBeNull();
        }
        // Each step's `next` is the following step's node.
        for (let i = 0; i + 1 < r.steps.length; i++) expect(r.steps[i]?.next).toBe(r.steps[i + 1]?.nodeId);
      }),
      { numRuns: 300 },
    );
  });

  it('the async interpreter gives exactly what the sync one gives', async () => {
    const plan = planOf(hybridRoutingGraph);
    for (const lead of EXAMPLE_LEADS) {
      const sync = runOne(plan, lead, { waits: { default: { outcome: 'timed_out' } } });
      const sim = new SimulationEffects({ directory, startTime: TUESDAY, waits: { default: { outcome: 'timed_out' } } });
      sim.beginLead(String(lead.id));
      // Every effect answers through a promise, as activities do.
      const asyncEffects: Effects = {
        now: () => sim.now(),
        enrich: async (r) => sim.enrich(r),
        matchAccount: async (r) => sim.matchAccount(r),
        assign: async (r) => sim.assign(r),
        notify: async (r) => sim.notify(r),
        update: async (r) => sim.update(r),
        crmUpdate: async (r) => sim.crmUpdate(r),
        wait: async (r) => sim.wait(r),
        escalate: async (r) => sim.escalate(r),
      };
      const res = await interpret(plan, lead, asyncEffects, { leadId: String(lead.id) });
      expect(res).toEqual(sync);
    }
  });

  it('interpretSync refuses effects that answer with promises', () => {
    const plan = planOf(hybridRoutingGraph);
    const sim = new SimulationEffects({ directory, startTime: TUESDAY });
    const effects: Effects = {
      now: () => sim.now(),
      enrich: async (r) => sim.enrich(r),
      matchAccount: (r) => sim.matchAccount(r),
      assign: (r) => sim.assign(r),
      notify: (r) => sim.notify(r),
      update: (r) => sim.update(r),
      crmUpdate: (r) => sim.crmUpdate(r),
      wait: (r) => sim.wait(r),
      escalate: (r) => sim.escalate(r),
    };
    expect(() => interpretSync(plan, EXAMPLE_LEADS[0] as Lead, effects, { leadId: 'x' })).toThrow(/returned a promise/);
  });
});

import { compile, DirectorySchema, type DirectoryInput, type Graph, type GraphNode, type Plan, type RoutingStateSnapshot } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { compareReplays, foldAssignments, leadLabel, replayWindow, type AssignmentStep, type BacktestWindow, type HistoricLead, type RealWait, type RoutingEvent } from './backtest.service';

// The backtest's replays on hand-built windows: no database. Every expected assignment below is worked
// out by hand from the round-robin rules (the next eligible member after the last one who got a turn).

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');

const directoryInput: DirectoryInput = {
  reps: ['rep-1', 'rep-2', 'rep-3'].map((id) => ({ id, name: `Rep ${id.slice(4)}`, email: `${id}@example.com`, timeZone: 'UTC' })),
  teams: [{ id: 'team-rr', name: 'Round robin', members: ['rep-1', 'rep-2', 'rep-3'].map((repId) => ({ repId, weight: 1 })) }],
  queues: [
    { id: 'q-ent', name: 'Enterprise desk' },
    { id: 'q-none', name: 'Nobody' },
  ],
};
const directory = DirectorySchema.parse(directoryInput);

const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const at = (x: number) => ({ x, y: 0 });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}:${sourceHandle}->${target}`, source, sourceHandle, target });

/**
 * trigger -> assign (round-robin, team-rr) -> wait 15 min -> end `routed`; timed out -> escalate to the next
 * rep of the pool -> end `escalated`; nobody -> queue q-none.
 */
function slaGraph(): Graph {
  const nodes: GraphNode[] = [
    { id: 'trigger', type: 'trigger', position: at(0), config: { source: 'webhook' } },
    { id: 'assign', type: 'assign', position: at(1), config: { strategy: { type: 'round_robin', teamId: 'team-rr' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'wait', type: 'wait', position: at(2), config: { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } } },
    { id: 'escalate', type: 'escalate', position: at(3), config: { to: 'next_rep' } },
    { id: 'park', type: 'assign', position: at(4), config: { strategy: { type: 'queue', queueId: 'q-none' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'end-routed', type: 'end', position: at(5), config: { outcome: 'routed' } },
    { id: 'end-escalated', type: 'end', position: at(6), config: { outcome: 'escalated' } },
    { id: 'end-queued', type: 'end', position: at(7), config: { outcome: 'queued' } },
  ];
  return {
    schemaVersion: 1,
    nodes,
    edges: [
      edge('trigger', 'next', 'assign'),
      edge('assign', 'assigned', 'wait'),
      edge('assign', 'no_eligible_rep', 'park'),
      edge('wait', 'accepted', 'end-routed'),
      edge('wait', 'timed_out', 'escalate'),
      edge('escalate', 'escalated', 'end-escalated'),
      edge('escalate', 'no_target', 'park'),
      edge('park', 'assigned', 'end-queued'),
      edge('park', 'no_eligible_rep', 'end-queued'),
    ],
  };
}

/** trigger -> score (employees > 500: `points`; grade A from 50) -> grade A: queue q-ent, else round-robin. */
function scoreGraph(points: number): Graph {
  const cond = (field: string, operator: string, value: unknown) => ({ match: 'all' as const, conditions: [{ field, operator, value }] });
  const nodes = [
    { id: 'trigger', type: 'trigger', position: at(0), config: { source: 'webhook' } },
    { id: 'score', type: 'score', position: at(1), config: { rules: [{ id: 'big', category: 'fit', condition: cond('employees', 'gt', 500), points }], grades: [{ grade: 'A', min: 50 }] } },
    { id: 'branch', type: 'branch', position: at(2), config: { cases: [{ id: 'a', label: 'Grade A', condition: cond('grade', 'equals', 'A') }], elseLabel: 'Others' } },
    { id: 'desk', type: 'assign', position: at(3), config: { strategy: { type: 'queue', queueId: 'q-ent' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'assign', type: 'assign', position: at(4), config: { strategy: { type: 'round_robin', teamId: 'team-rr' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'end', type: 'end', position: at(5), config: { outcome: 'routed' } },
  ] as GraphNode[];
  return {
    schemaVersion: 1,
    nodes,
    edges: [
      edge('trigger', 'next', 'score'),
      edge('score', 'next', 'branch'),
      edge('branch', 'a', 'desk'),
      edge('branch', 'else', 'assign'),
      edge('desk', 'assigned', 'end'),
      edge('desk', 'no_eligible_rep', 'end'),
      edge('assign', 'assigned', 'end'),
      edge('assign', 'no_eligible_rep', 'end'),
    ],
  };
}

function planOf(graph: Graph, dir: DirectoryInput = directoryInput): Plan {
  const compiled = compile(graph, { directory: DirectorySchema.parse(dir) });
  if (!compiled.ok) throw new Error(`test graph does not compile: ${compiled.problems.map((p) => `${p.nodeId}: ${p.message}`).join('; ')}`);
  return compiled.plan;
}

/** A lead of the window: arrives `minute` minutes after T0; really went to `assignee` with these waits. */
function lead(id: string, minute: number, assignee: string | null, options: { data?: Record<string, unknown>; waits?: RealWait[]; pending?: boolean; routed?: boolean } = {}): HistoricLead {
  const routed = options.routed ?? true;
  return {
    id,
    data: options.data ?? {},
    receivedAt: T0 + minute * MIN,
    startAt: T0 + minute * MIN,
    waits: options.waits ?? [],
    pending: options.pending ?? false,
    label: id,
    actual: {
      assignee,
      assigneeType: assignee === null ? null : assignee.startsWith('q-') ? 'queue' : 'rep',
      path: [],
      status: !routed ? null : options.pending ? 'waiting' : 'completed',
    },
  };
}

function windowOf(leads: HistoricLead[], extra: Partial<BacktestWindow> = {}): BacktestWindow {
  return {
    leads,
    start: {},
    background: [],
    directory,
    since: new Date(T0).toISOString(),
    until: new Date(T0 + 86_400_000).toISOString(),
    total: leads.length,
    limit: 1000,
    activeVersion: 1,
    source: 'draft',
    notes: [],
    ...extra,
  };
}

describe('the backtest replays', () => {
  const sla = planOf(slaGraph());

  it('interleave leads with the waits of others, in real time: an escalation 15 minutes later takes the turn after the leads that came meanwhile', () => {
    // a at 10:00 -> rep-1 (first turn); b at 10:05 -> rep-2; a's SLA runs out at 10:15: the next rep after
    // rep-2 who is not rep-1 -> rep-3; c at 10:20 -> after rep-3 -> rep-1. (Lead after lead, a would have
    // escalated to rep-2 before b arrived, and b gone to rep-3.)
    const w = windowOf([lead('a', 0, 'rep-3', { waits: [{ outcome: 'timed_out', elapsedMs: 15 * MIN }] }), lead('b', 5, 'rep-2', { waits: [{ outcome: 'accepted', elapsedMs: 2 * MIN }] }), lead('c', 20, 'rep-1')]);
    const r = compareReplays(sla, sla, w);
    expect(r.leads.map((l) => [l.leadId, l.active?.assignee, l.active?.path])).toEqual([
      ['a', 'rep-3', ['trigger', 'assign', 'wait', 'escalate', 'end-escalated']],
      ['b', 'rep-2', ['trigger', 'assign', 'wait', 'end-routed']],
      ['c', 'rep-1', ['trigger', 'assign', 'wait', 'end-routed']],
    ]);
    // The history matches the replay lead for lead: the model reproduces all of it.
    expect(r.fidelity).toEqual({ compared: 3, matched: 3, notRouted: 0 });
    expect(r.leads.map((l) => l.reproduced)).toEqual([true, true, true]);
  });

  it('fidelity is the exact share of real assignments the active replay reproduces', () => {
    // As above, but b really went to rep-3 and c to rep-2 (turns the model cannot explain): 1 of 3.
    const w = windowOf([lead('a', 0, 'rep-3', { waits: [{ outcome: 'timed_out', elapsedMs: 15 * MIN }] }), lead('b', 5, 'rep-3', { waits: [{ outcome: 'accepted', elapsedMs: 2 * MIN }] }), lead('c', 20, 'rep-2'), lead('d', 30, null, { routed: false })]);
    const r = compareReplays(sla, sla, w);
    expect(r.fidelity).toEqual({ compared: 3, matched: 1, notRouted: 1 });
    expect(r.leads.map((l) => l.reproduced)).toEqual([true, false, false, null]);
    expect(r.assumptions.map((a) => a.id)).toContain('not-routed');
  });

  it('an unchanged draft moves no lead: both replays start from copies of one state and give the same answer', () => {
    const start: RoutingStateSnapshot = { lastChosen: { 'team:team-rr': 'rep-2' }, openLoad: { 'rep-1': 3 }, assignedOn: { 'rep-1': { '2026-03-02': 4 } } };
    const frozen = structuredClone(start);
    const background: RoutingEvent[] = [{ at: T0 + 3 * MIN, to: 'rep-1', poolKey: 'team:team-rr' }, { at: T0 + 12 * MIN, to: 'rep-2', from: 'rep-1' }];
    const leads = [
      lead('a', 0, 'rep-3', { waits: [{ outcome: 'timed_out', elapsedMs: 15 * MIN }] }),
      lead('b', 5, 'rep-2', { waits: [{ outcome: 'rejected', elapsedMs: MIN }] }),
      lead('c', 20, 'rep-1'),
      lead('d', 21, 'rep-1', { pending: true }),
      lead('e', 22, null, { data: { employees: 'lots' } }),
    ];
    const w = windowOf(leads, { start, background });
    // The draft is the same graph compiled again, as the publish dialog's draft is.
    const r = compareReplays(sla, planOf(slaGraph()), w);
    expect(r.summary.moved).toBe(0);
    expect(r.leads.map((l) => l.moved)).toEqual([false, false, false, false, false]);
    expect(r.leads.map((l) => l.candidate)).toEqual(r.leads.map((l) => l.active));
    expect(r.summary.assignees.every((a) => a.active === a.candidate)).toBe(true);
    // Neither replay touched the state it was given.
    expect(start).toEqual(frozen);
    // And a replay run again answers the same.
    expect(compareReplays(sla, sla, w)).toEqual(r);
  });

  it('a changed weight moves exactly the leads it should, turns included', () => {
    // Active: employees > 500 scores 60, grade A (>= 50) goes to the enterprise desk. Draft: 40, nobody is
    // an A. Active: L1 desk, L2 rep-1, L3 desk, L4 rep-2, L5 rep-3, L6 rep-1. Draft, all round-robin: L1
    // rep-1, L2 rep-2, L3 rep-3, L4 rep-1, L5 rep-2, L6 rep-3. All six move: the desk's two leads now take
    // turns, which shifts every turn after them. The history is what the active version did: fidelity 100%.
    const leads = [
      lead('L1', 0, 'q-ent', { data: { employees: 1000 } }),
      lead('L2', 1, 'rep-1', { data: { employees: 100 } }),
      lead('L3', 2, 'q-ent', { data: { employees: 800 } }),
      lead('L4', 3, 'rep-2', { data: { employees: 50 } }),
      lead('L5', 4, 'rep-3', { data: { employees: 20 } }),
      lead('L6', 5, 'rep-1', { data: { employees: 10 } }),
    ];
    const r = compareReplays(planOf(scoreGraph(60)), planOf(scoreGraph(40)), windowOf(leads));
    expect(r.leads.map((l) => [l.leadId, l.active?.assignee, l.candidate.assignee, l.moved])).toEqual([
      ['L1', 'q-ent', 'rep-1', true],
      ['L2', 'rep-1', 'rep-2', true],
      ['L3', 'q-ent', 'rep-3', true],
      ['L4', 'rep-2', 'rep-1', true],
      ['L5', 'rep-3', 'rep-2', true],
      ['L6', 'rep-1', 'rep-3', true],
    ]);
    expect(r.summary.moved).toBe(6);
    expect(r.fidelity).toEqual({ compared: 6, matched: 6, notRouted: 0 });
    expect(r.summary.assignees).toEqual([
      { id: 'rep-1', type: 'rep', actual: 2, active: 2, candidate: 2 },
      { id: 'rep-2', type: 'rep', actual: 1, active: 1, candidate: 2 },
      { id: 'rep-3', type: 'rep', actual: 1, active: 1, candidate: 2 },
      { id: 'q-ent', type: 'queue', actual: 2, active: 2, candidate: 0 },
    ]);
  });

  it('a changed weight that regrades one lead moves that lead and the turns after it, nothing else', () => {
    // Points 60 -> 45 for employees > 500, plus 10 for country US: L1 (1000, US) stays an A (55), L3 (800, DE)
    // drops to 45. Active: L1 desk, L2 rep-1, L3 desk, L4 rep-2. Draft: L1 desk, L2 rep-1, L3 rep-2, L4 rep-3.
    const graph = (points: number): Graph => {
      const g = scoreGraph(points);
      return {
        ...g,
        nodes: g.nodes.map((n) =>
          n.id === 'score' && n.type === 'score'
            ? { ...n, config: { ...n.config, rules: [...n.config.rules, { id: 'us', category: 'fit', condition: { match: 'all', conditions: [{ field: 'country', operator: 'equals', value: 'US' }] }, points: 10 }] } }
            : n,
        ),
      };
    };
    const leads = [
      lead('L1', 0, 'q-ent', { data: { employees: 1000, country: 'US' } }),
      lead('L2', 1, 'rep-1', { data: { employees: 100, country: 'US' } }),
      lead('L3', 2, 'q-ent', { data: { employees: 800, country: 'DE' } }),
      lead('L4', 3, 'rep-2', { data: { employees: 50, country: 'DE' } }),
    ];
    const r = compareReplays(planOf(graph(60)), planOf(graph(45)), windowOf(leads));
    expect(r.leads.filter((l) => l.moved).map((l) => [l.leadId, l.active?.assignee, l.candidate.assignee])).toEqual([
      ['L3', 'q-ent', 'rep-2'],
      ['L4', 'rep-2', 'rep-3'],
    ]);
    expect(r.summary.moved).toBe(2);
  });

  it('starts from the state at the window start: open loads against caps, day counts, turns', () => {
    const capped = DirectorySchema.parse({
      ...directoryInput,
      reps: directoryInput.reps!.map((r) => (r.id === 'rep-1' ? { ...r, caps: { openLeads: 2 } } : r.id === 'rep-2' ? { ...r, caps: { perDay: 1 } } : r)),
    });
    const plan = planOf(scoreGraph(60));
    const leads = [lead('L1', 0, null, { data: { employees: 1 } }), lead('L2', 1, null, { data: { employees: 1 } })];
    // rep-1 holds 2 open leads (at its cap), rep-2 had its 1 lead today already; the turn was rep-3's.
    const start: RoutingStateSnapshot = { lastChosen: { 'team:team-rr': 'rep-3' }, openLoad: { 'rep-1': 2 }, assignedOn: { 'rep-2': { '2026-03-02': 1 } } };
    const r = replayWindow(plan, { leads, start, background: [], directory: capped });
    expect(r.leads.map((l) => l.assignee)).toEqual(['rep-3', 'rep-3']);
    // From an empty state, the turns start at the top.
    expect(replayWindow(plan, { leads, start: {}, background: [], directory: capped }).leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-2']);
  });

  it('a lead closed in reality lets go of whoever holds it in the replay at that instant: its rep is under the cap again', () => {
    const capped = DirectorySchema.parse({ ...directoryInput, reps: directoryInput.reps!.map((r) => ({ ...r, caps: { openLeads: 1 } })) });
    const plan = planOf(scoreGraph(60));
    const small = { data: { employees: 1 } };
    // Every rep is at their cap of 1 after L1..L3; L2 is closed at minute 10, so L4 (minute 20) goes to L2's
    // holder in the replay (rep-2), and L5 (minute 30) finds nobody under the cap.
    const leads = [lead('L1', 0, 'rep-1', small), { ...lead('L2', 1, 'rep-2', small), closedAt: T0 + 10 * MIN }, lead('L3', 2, 'rep-3', small), lead('L4', 20, 'rep-2', small), lead('L5', 30, null, small)];
    const r = replayWindow(plan, { leads, start: {}, background: [], directory: capped });
    expect(r.leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-2', 'rep-3', 'rep-2', null]);
    // Without the close, L4 finds every rep at the cap too.
    const unclosed = leads.map((l) => ({ ...l, closedAt: undefined }));
    expect(replayWindow(plan, { leads: unclosed, start: {}, background: [], directory: capped }).leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-2', 'rep-3', null, null]);
  });

  it("applies other leads' assignments at their real instants: loads, day counts and turns", () => {
    const capped = DirectorySchema.parse({ ...directoryInput, reps: directoryInput.reps!.map((r) => (r.id === 'rep-2' ? { ...r, caps: { perDay: 1 } } : r)) });
    const plan = planOf(scoreGraph(60));
    const leads = [lead('L1', 0, null, { data: { employees: 1 } }), lead('L2', 10, null, { data: { employees: 1 } })];
    // At 10:05 another workflow gives rep-2 a lead from the same pool: the turn moves to rep-2, who is then
    // at her daily cap, so L2 goes to rep-3.
    const background: RoutingEvent[] = [{ at: T0 + 5 * MIN, to: 'rep-2', poolKey: 'team:team-rr' }];
    expect(replayWindow(plan, { leads, start: {}, background, directory: capped }).leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-3']);
    // After L2, it changes nothing for L1.
    const late: RoutingEvent[] = [{ at: T0 + 15 * MIN, to: 'rep-2', poolKey: 'team:team-rr' }];
    expect(replayWindow(plan, { leads, start: {}, background: late, directory: capped }).leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-2']);
  });

  it("counts other leads' assignments from a team's pool against the team's caps", () => {
    const teamCapped = DirectorySchema.parse({ ...directoryInput, teams: directoryInput.teams!.map((team) => (team.id === 'team-rr' ? { ...team, caps: { perDay: 2 } } : team)) });
    const plan = planOf(scoreGraph(60));
    const leads = [lead('L1', 0, null, { data: { employees: 1 } }), lead('L2', 10, null, { data: { employees: 1 } })];
    // At 10:05 another workflow's lead comes from the team's pool: with L1, the team's two for the day.
    const background: RoutingEvent[] = [{ at: T0 + 5 * MIN, to: 'rep-2', poolKey: 'team:team-rr', teamPool: 'team:team-rr' }];
    const replayed = replayWindow(plan, { leads, start: {}, background, directory: teamCapped }).leads;
    expect(replayed.map((l) => l.assignee)).toEqual(['rep-1', null]);
    expect(replayWindow(plan, { leads, start: {}, background: [], directory: teamCapped }).leads.map((l) => l.assignee)).toEqual(['rep-1', 'rep-2']);
  });

  it('a lead still waiting in reality stops at that wait; a wait never reached in reality is answered like the last real one', () => {
    const leads = [lead('a', 0, 'rep-1', { pending: true }), lead('b', 1, 'rep-2', { waits: [] })];
    const r = compareReplays(sla, sla, windowOf(leads));
    expect(r.leads[0]!.active).toEqual({ assignee: 'rep-1', assigneeType: 'rep', path: ['trigger', 'assign'], outcome: 'waiting' });
    // b never waited in reality (it was not routed through a wait): accepted at once.
    expect(r.leads[1]!.active).toMatchObject({ assignee: 'rep-2', outcome: 'routed' });
    expect(r.assumptions.map((a) => a.id)).toEqual(['waits-beyond', 'still-waiting']);
  });

  it('an answer later than the replayed SLA times out; a rejection takes the timed-out way at once', () => {
    // a really accepted after 20 minutes (a longer SLA then): at 15 it times out and escalates to rep-2.
    const leads = [lead('a', 0, 'rep-1', { waits: [{ outcome: 'accepted', elapsedMs: 20 * MIN }] }), lead('b', 1, 'rep-3', { waits: [{ outcome: 'rejected', elapsedMs: MIN }] })];
    const r = compareReplays(sla, sla, windowOf(leads));
    // a: rep-1; b: rep-2, rejected at 10:02 -> next rep after rep-2 -> rep-3; a at 10:15 -> after rep-3, not rep-1 -> rep-2.
    expect(r.leads.map((l) => l.active?.assignee)).toEqual(['rep-2', 'rep-3']);
  });

  it('without an active version, the draft is compared with what really happened', () => {
    const leads = [lead('a', 0, 'rep-1'), lead('b', 1, 'rep-3')];
    const r = compareReplays(null, planOf(scoreGraph(60)), windowOf(leads, { activeVersion: null }));
    expect(r.active).toBeNull();
    expect(r.fidelity).toBeNull();
    expect(r.leads.map((l) => [l.active, l.candidate.assignee, l.moved, l.reproduced])).toEqual([
      [null, 'rep-1', false, null],
      [null, 'rep-2', true, null],
    ]);
    expect(r.summary.assignees).toEqual([
      { id: 'rep-1', type: 'rep', actual: 1, active: 0, candidate: 1 },
      { id: 'rep-2', type: 'rep', actual: 0, active: 0, candidate: 1 },
      { id: 'rep-3', type: 'rep', actual: 1, active: 0, candidate: 0 },
    ]);
  });

  it('an empty window is an empty answer', () => {
    const r = compareReplays(sla, sla, windowOf([]));
    expect(r.summary).toEqual({ leads: 0, moved: 0, assignees: [] });
    expect(r.fidelity).toEqual({ compared: 0, matched: 0, notRouted: 0 });
    expect(r.leads).toEqual([]);
  });

  it('counts leads that end with nobody in a row of their own, last', () => {
    const r = compareReplays(sla, sla, windowOf([lead('a', 0, 'rep-1'), lead('x', 1, null, { data: { employees: 'lots' } })]));
    expect(r.summary.assignees.at(-1)).toEqual({ id: null, type: null, actual: 1, active: 1, candidate: 1 });
    expect(r.leads[1]!.candidate.outcome).toBe('invalid');
    expect(r.assumptions.map((a) => a.id)).toContain('invalid');
  });
});

describe('the starting state, folded from the trace by the router\'s rules', () => {
  const since = Date.parse('2026-03-02T00:00:00Z');
  type StepOptions = { queue?: boolean; escalateTo?: string; poolKey?: string; strategy?: string };
  const step = (leadId: string, iso: string, to: string | null, options: StepOptions = {}): AssignmentStep => {
    const escalate = options.escalateTo !== undefined;
    return {
      leadId,
      at: Date.parse(iso),
      nodeType: escalate ? 'escalate' : 'assign',
      type: to === null ? null : options.queue ? 'queue' : 'rep',
      id: to,
      poolKey: escalate ? null : (options.poolKey ?? (options.queue ? `queue:${to}` : 'team:team-rr')),
      strategy: escalate ? null : (options.strategy ?? (options.queue ? 'queue' : 'round_robin')),
      escalateTo: options.escalateTo ?? null,
    };
  };

  it('a lead is open on the rep who holds it at the start: accepting releases nothing, a re-assignment does', () => {
    const r = foldAssignments({
      since,
      countFrom: since - 2 * 86_400_000,
      settled: [{ repId: 'rep-9', n: 4 }],
      steps: [
        // a: rep-1, then escalated to rep-2 before the start: open on rep-2 only.
        step('a', '2026-03-01T10:00:00Z', 'rep-1'),
        step('a', '2026-03-01T10:15:00Z', 'rep-2', { escalateTo: 'next_rep' }),
        // b: rep-1, then to a queue: open on nobody.
        step('b', '2026-03-01T11:00:00Z', 'rep-1'),
        step('b', '2026-03-01T11:15:00Z', 'q-1', { queue: true }),
        // c: rep-3 (in Kolkata, where 20:00 UTC is already the 2nd), and re-assigned after the start.
        step('c', '2026-03-01T20:00:00Z', 'rep-3'),
        step('c', '2026-03-02T09:00:00Z', 'rep-1', { escalateTo: 'manager' }),
        // d: another workflow's lead in the window, from the pool; e: a replayed one, not an event.
        step('d', '2026-03-02T10:30:00Z', 'rep-2'),
        step('e', '2026-03-02T11:00:00Z', 'rep-1'),
      ],
      replayed: new Set(['e']),
      zoneOf: (rep) => (rep === 'rep-3' ? 'Asia/Kolkata' : 'UTC'),
    });
    expect(r.openLoad).toEqual({ 'rep-9': 4, 'rep-2': 1, 'rep-3': 1 });
    expect(r.openLeads).toBe(6);
    // Every assignment of the two days before counts on its rep's own day, re-assigned or not.
    expect(r.assignedOn).toEqual({ 'rep-1': { '2026-03-01': 2 }, 'rep-2': { '2026-03-01': 1 }, 'rep-3': { '2026-03-02': 1 } });
    // The pool's last turn before the start: c's rep-3 at 20:00 (a's escalation to the next rep at 10:15 came before).
    expect(r.turns).toEqual({ 'team:team-rr': 'rep-3' });
    // An escalation to a manager takes no turn; an assignment from the pool does.
    expect(r.background).toEqual([
      { at: Date.parse('2026-03-02T09:00:00Z'), to: 'rep-1', from: 'rep-3' },
      { at: Date.parse('2026-03-02T10:30:00Z'), to: 'rep-2', poolKey: 'team:team-rr', teamPool: 'team:team-rr' },
    ]);
    // The team's own counts (its caps), by the workspace's day (UTC here): every lead its pool handed out,
    // an escalation to the next rep of the pool included; a queue's or a manager's not.
    expect(r.poolAssignedOn).toEqual({ 'team:team-rr': { '2026-03-01': 4 } });
    expect(r.weightedChoices).toBe(0);
  });

  it('a lead its rep closed leaves their open leads: before the start in the start state, after it as an event (for leads not replayed)', () => {
    const r = foldAssignments({
      since,
      countFrom: since - 2 * 86_400_000,
      settled: [],
      steps: [
        // a: rep-1, closed before the start: open on nobody.
        { ...step('a', '2026-03-01T10:00:00Z', 'rep-1'), closedAt: Date.parse('2026-03-01T15:00:00Z') },
        // b: rep-2, closed during the window: open at the start, released then.
        { ...step('b', '2026-03-01T11:00:00Z', 'rep-2'), closedAt: Date.parse('2026-03-02T09:00:00Z') },
        // c: replayed, closed in the window: the replays release it themselves, not an event.
        { ...step('c', '2026-03-02T10:00:00Z', 'rep-3'), closedAt: Date.parse('2026-03-02T12:00:00Z') },
      ],
      replayed: new Set(['c']),
      zoneOf: () => 'UTC',
    });
    expect(r.openLoad).toEqual({ 'rep-2': 1 });
    expect(r.background).toEqual([{ at: Date.parse('2026-03-02T09:00:00Z'), from: 'rep-2' }]);
  });

  it("a weighted pool's counters at the start are those the trace kept with its last choice before it", () => {
    const r = foldAssignments({
      since,
      countFrom: since - 2 * 86_400_000,
      settled: [],
      steps: [
        { ...step('a', '2026-03-01T10:00:00Z', 'rep-1', { poolKey: 'team:ae', strategy: 'weighted_round_robin' }), wrr: { 'rep-1': -2, 'rep-2': 2 } },
        { ...step('b', '2026-03-01T11:00:00Z', 'rep-2', { poolKey: 'team:ae', strategy: 'weighted_round_robin' }), wrr: { 'rep-1': 1, 'rep-2': -1 } },
        // After the start: an event of the window, not the starting counters.
        { ...step('c', '2026-03-02T11:00:00Z', 'rep-1', { poolKey: 'team:ae', strategy: 'weighted_round_robin' }), wrr: { 'rep-1': -3, 'rep-2': 3 } },
      ],
      replayed: new Set(['c']),
      zoneOf: () => 'UTC',
    });
    expect(r.wrrTurns).toEqual({ 'team:ae': { 'rep-1': 1, 'rep-2': -1 } });
    expect(r.turns).toEqual({});
  });

  it('an escalation to the next rep takes a turn in the pool the lead came from; weighted choices move no turn', () => {
    const r = foldAssignments({
      since,
      countFrom: since - 2 * 86_400_000,
      settled: [],
      steps: [
        step('a', '2026-03-02T10:00:00Z', 'rep-1', { poolKey: 'team:rr' }),
        step('a', '2026-03-02T10:15:00Z', 'rep-2', { escalateTo: 'next_rep' }),
        step('w', '2026-03-02T11:00:00Z', 'rep-3', { poolKey: 'team:w', strategy: 'weighted_round_robin' }),
        step('w', '2026-03-02T11:15:00Z', 'rep-4', { escalateTo: 'next_rep' }),
        // A step whose version is unknown (no config): its escalation takes no turn.
        { ...step('u', '2026-03-02T12:00:00Z', 'rep-5', { escalateTo: 'next_rep' }), escalateTo: null },
      ],
      replayed: new Set(),
      zoneOf: () => 'UTC',
    });
    expect(r.background.map((e) => [e.to, e.from, e.poolKey])).toEqual([
      ['rep-1', undefined, 'team:rr'],
      ['rep-2', 'rep-1', 'team:rr'],
      ['rep-3', undefined, undefined],
      ['rep-4', 'rep-3', undefined],
      ['rep-5', undefined, undefined],
    ]);
    expect(r.weightedChoices).toBe(2);
  });
});

describe('leadLabel', () => {
  it("names a lead by its name, else its email or company", () => {
    expect(leadLabel({ firstName: ' Ada ', lastName: 'Lovelace', email: 'ada@example.com' })).toBe('Ada Lovelace');
    expect(leadLabel({ email: 'ada@example.com', company: 'Analytical' })).toBe('ada@example.com');
    expect(leadLabel({ company: 'Analytical' })).toBe('Analytical');
    expect(leadLabel({ employees: 3 })).toBeNull();
  });
});

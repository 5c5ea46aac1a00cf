import { describe, expect, it } from 'vitest';
import { STANDARD_FIELDS } from '../fields/catalog';
import { COMPILER_VERSION, type Plan } from '../plan';
import { compile, validateGraph } from './index';
import {
  all,
  assignQueue,
  clause,
  edge,
  end,
  fullGraph,
  graph,
  minimalGraph,
  node,
  notify,
  testDirectory,
  trigger,
  wait,
} from './test-graphs';

const standardTypes = Object.fromEntries(STANDARD_FIELDS.map((f) => [f.key, f.type]));

function planOf(input: unknown, options = {}): Plan {
  const r = compile(input, options);
  if (!r.ok) throw new Error(`expected a plan, got ${JSON.stringify(r.problems)}`);
  return r.plan;
}

describe('compile', () => {
  it('compiles the smallest graph to exactly the expected plan', () => {
    const r = compile(minimalGraph());
    expect(r).toEqual({
      ok: true,
      problems: [],
      warnings: [],
      plan: {
        format: 'lead-router.plan',
        compilerVersion: COMPILER_VERSION,
        graphSchemaVersion: 1,
        entry: 'trigger',
        nodes: {
          trigger: { id: 'trigger', type: 'trigger', label: 'Trigger', config: { source: 'webhook' }, next: { next: 'assign' }, reads: [] },
          assign: {
            id: 'assign',
            type: 'assign',
            label: 'Assign to queue',
            config: {
              strategy: { type: 'queue', queueId: 'q-main' },
              eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true },
              excludePreviousAssignees: true,
            },
            next: { assigned: 'end', no_eligible_rep: 'end' },
            reads: [],
          },
          end: { id: 'end', type: 'end', label: 'End', config: { outcome: 'completed' }, next: {}, reads: [] },
        },
        fieldTypes: standardTypes,
        territories: {},
      },
    });
  });

  it('compiles a graph with every node kind against a directory', () => {
    const dir = testDirectory({ customFields: [{ key: 'tier', label: 'Tier', type: 'picklist', options: ['Gold'] }] });
    const r = compile(fullGraph(), { directory: dir });
    expect(r.ok ? [] : r.problems).toEqual([]);
    const plan = planOf(fullGraph(), { directory: dir });
    expect(plan.entry).toBe('trigger');
    expect(Object.keys(plan.nodes)).toEqual(fullGraph().nodes.map((n) => n.id));
    expect(plan.nodes.trigger?.next).toEqual({ next: 'enrich', filtered: 'disqualified' });
    expect(plan.nodes.branch?.next).toEqual({ enterprise: 'match', west: 'west-rr', else: 'split' });
    expect(plan.nodes.sla?.next).toEqual({ accepted: 'routed', timed_out: 'escalate', rejected: 'escalate' });
    expect(plan.nodes.routed?.next).toEqual({});
    expect(plan.nodes.branch?.label).toBe('Route by size');
    expect(plan.fieldTypes).toEqual({ ...standardTypes, tier: 'picklist' });
    expect(plan.territories).toEqual({ 'terr-west': dir.territories[0] });
  });

  it('records what each node reads', () => {
    const plan = planOf(fullGraph(), { directory: testDirectory() });
    const reads = Object.fromEntries(Object.values(plan.nodes).map((n) => [n.id, n.reads]));
    expect(reads).toEqual({
      trigger: ['country'],
      enrich: ['employees', 'industry', 'domain', 'email', 'website'],
      score: ['employees', 'leadSource'],
      branch: ['employees', 'country', 'state', 'postalCode'],
      match: ['email', 'website', 'company'],
      owner: ['accountOwner'],
      'west-rr': ['language', 'country', 'state', 'postalCode'],
      split: ['id'],
      sdr: [],
      update: [],
      notify: ['company', 'firstName', 'phone'],
      sla: [],
      escalate: [],
      routed: [],
      disqualified: [],
    });
  });

  it('leaves territories empty without a directory', () => {
    expect(planOf(fullGraph()).territories).toEqual({});
  });

  it('produces plain JSON', () => {
    const plan = planOf(fullGraph(), { directory: testDirectory() });
    expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
  });

  it('is deterministic and does not share objects with its input', () => {
    const input = fullGraph();
    const a = planOf(input, { directory: testDirectory() });
    const b = planOf(fullGraph(), { directory: testDirectory() });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    (input.nodes[0] as { config: Record<string, unknown> }).config.source = 'changed';
    expect(a.nodes.trigger?.config).toMatchObject({ source: 'form' });
  });

  it('returns every problem at once, sorted by node order then path', () => {
    const g = graph(
      [
        trigger('t1', { source: 'webhook' }, 'Main'),
        trigger('t2', { source: 'form' }, 'Second'),
        node('b', 'branch', { cases: [{ id: 'big', label: 'Big', condition: all(clause('employes', 'gt', 10)) }] }, 'Route'),
        node('s', 'split', { variants: [{ id: 'a', label: 'A', percent: 60 }, { id: 'b', label: 'B', percent: 60 }] }, 'AB'),
        assignQueue('a1', 'q-none', 'Assign A'),
        notify('n1', 'Hi {{frstName}}', 'Notify'),
        node('u', 'update', { set: [{ field: 'score', value: 5 }] }, 'Set score'),
        node('bad', 'assign', { strategy: { type: 'nope' } }, 'Broken'),
        node('x', 'teleport', {}),
        end('e1'),
        node('lost', 'notify', { channel: 'in_app', message: 'x' }, 'Lost'),
      ],
      [
        edge('t1', 'next', 'b'),
        edge('t2', 'next', 'b'),
        edge('b', 'big', 's'),
        edge('s', 'a', 'a1'),
        edge('s', 'b', 'u'),
        edge('a1', 'assigned', 'n1'),
        edge('n1', 'next', 'a1'),
        edge('a1', 'no_eligible_rep', 'ghost'),
        edge('u', 'nxt', 'e1'),
        edge('e1', 'next', 't1'),
        edge('lost', 'next', 'bad'),
      ],
    );
    const r = compile(g, { directory: testDirectory() });
    expect(r.ok).toBe(false);
    const got = r.problems.map((p) => [p.code, p.nodeId ?? null, p.path ?? null]);
    expect(got).toEqual([
      ['trigger_has_incoming', 't1', null],
      ['multiple_triggers', 't2', null],
      ['branch_missing_else', 'b', null],
      ['unknown_field', 'b', 'config.cases.0.condition.conditions.0.field'],
      ['weights_do_not_add_up', 's', 'config.variants'],
      ['dangling_edge', 'a1', null],
      ['cycle_without_wait', 'a1', null],
      ['unknown_queue', 'a1', 'config.strategy.queueId'],
      ['template_unknown_field', 'n1', 'config.message'],
      ['unknown_outcome', 'u', null],
      ['unconnected_outcome', 'u', null],
      ['readonly_field', 'u', 'config.set.0.field'],
      ['invalid_node', 'bad', 'config.strategy.type'],
      ['unknown_node_type', 'x', 'type'],
      ['end_has_outgoing', 'e1', null],
    ]);
    expect(validateGraph(g, { directory: testDirectory() })).toEqual(r.problems);
  });

  it('sorts paths naturally: cases.2 before cases.10', () => {
    const cases = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, label: `C${i}`, condition: all(clause('nope', 'equals', 'x')) }));
    const g = graph(
      [trigger(), node('b', 'branch', { cases }), end()],
      [edge('trigger', 'next', 'b'), ...cases.map((c) => edge('b', c.id, 'end')), edge('b', 'else', 'end')],
    );
    const paths = validateGraph(g).map((p) => p.path);
    expect(paths).toEqual(cases.map((_, i) => `config.cases.${i}.condition.conditions.0.field`));
  });

  it('puts warnings apart from errors', () => {
    const g = graph(
      [trigger(), node('a', 'assign', { strategy: { type: 'round_robin', teamId: 'team-mixed' } }), end()],
      [edge('trigger', 'next', 'a'), edge('a', 'assigned', 'end')],
    );
    const r = compile(g, { directory: testDirectory() });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['unconnected_outcome']);
    expect(r.warnings.map((p) => [p.code, p.severity])).toEqual([['unknown_rep', 'warning']]);
    expect(validateGraph(g, { directory: testDirectory() }).map((p) => p.severity)).toEqual(['error', 'warning']);
  });

  it('lets explicit customFields override the directory ones', () => {
    const g = graph([trigger(), notify('n', '{{tier}}'), end()], [edge('trigger', 'next', 'n'), edge('n', 'next', 'end')]);
    const dir = testDirectory({ customFields: [{ key: 'tier', label: 'Tier', type: 'text' }] });
    expect(compile(g, { directory: dir }).ok).toBe(true);
    expect(compile(g, { directory: dir, customFields: [] }).ok).toBe(false);
  });

  it('treats null options as none', () => {
    expect(compile(minimalGraph(), null as never).ok).toBe(true);
    expect(validateGraph(minimalGraph(), null as never)).toEqual([]);
  });

  it('does not run rules on an unreadable document', () => {
    expect(compile({ schemaVersion: 99, nodes: [], edges: [] })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: 'unsupported_schema_version' })],
      warnings: [],
    });
  });

  it('compiles a 1,000-step graph with a loop through a wait quickly', () => {
    const ids = Array.from({ length: 997 }, (_, i) => `n${i}`);
    const g = graph(
      [trigger(), ...ids.map((id) => notify(id)), wait('w'), end()],
      [
        edge('trigger', 'next', 'n0'),
        ...ids.map((id, i) => edge(id, 'next', ids[i + 1] ?? 'w')),
        edge('w', 'timed_out', 'n0'),
        edge('w', 'accepted', 'end'),
      ],
    );
    // shared/ has no clock; the test's own timeout bounds the time.
    expect(compile(g).ok).toBe(true);
  }, 2000);
});

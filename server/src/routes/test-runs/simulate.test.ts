// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { buildCatalog, compile, normalizeLead, simulate, type Graph, type SimulationLead } from '@lead-router/shared';
import { demoDirectory, EXAMPLE_LEADS, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolCursors, repLoads } from '@lead-router/db/schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { createWorkflowWithDraft, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory, workspaceFingerprint } from './test-runs.fixtures';

const t = setupTestApp();
const AT = '2026-01-06T15:00:00Z';

/** trigger -> everything to queue q-unassigned -> end `parked`. */
function queueGraph(): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
      {
        id: 'park',
        type: 'assign',
        position: { x: 0, y: 100 },
        config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true }, excludePreviousAssignees: true },
      },
      { id: 'end', type: 'end', position: { x: 0, y: 200 }, config: { outcome: 'parked' } },
    ],
    edges: [
      { id: 'trigger:next->park', source: 'trigger', sourceHandle: 'next', target: 'park' },
      { id: 'park:assigned->end', source: 'park', sourceHandle: 'assigned', target: 'end' },
      { id: 'park:no_eligible_rep->end', source: 'park', sourceHandle: 'no_eligible_rep', target: 'end' },
    ],
  };
}

/** The shared `simulate` called directly on the workspace's directory, as the route should call it. */
async function direct(ws: TestWorkspace, graph: Graph, leads: readonly Record<string, unknown>[], at: string) {
  const directory = await loadDirectory(t.database.db, ws.id, { companies: true });
  const compiled = compile(graph, { directory });
  if (!compiled.ok) throw new Error('fixture graph does not compile');
  const catalog = buildCatalog(directory.customFields);
  const runnable: SimulationLead[] = leads.map((l, i) => {
    const n = normalizeLead(l, catalog, { coerceStrings: true });
    if (!n.ok) throw new Error('fixture lead invalid');
    return { leadId: typeof l.id === 'string' ? l.id : String(i + 1), lead: n.lead };
  });
  return simulate(compiled.plan, runnable, { directory, startTime: Date.parse(at), state: {} });
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

let ws: TestWorkspace;
let other: TestWorkspace;
let wfId: string;

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  await seedDirectory(t.database.db, ws.id, demoDirectory);
  wfId = await createWorkflowWithDraft(t.database.db, ws.id, hybridRoutingGraph);
  await insertVersion(t.database.db, wfId, 1, queueGraph(), demoDirectory);
});

const post = (body: unknown, key = ws.keys.editor, id = wfId) => t.call('POST', `/api/workflows/${id}/simulate`, { key, body });

describe('POST /api/workflows/{id}/simulate', () => {
  it('runs the draft on the fixture graph exactly as the shared simulate does', async () => {
    const r = await post({ leads: EXAMPLE_LEADS, at: AT });
    expect(r.status).toBe(200);
    const expected = await direct(ws, hybridRoutingGraph, EXAMPLE_LEADS, AT);
    const shaped = expected.results.map((x) => ({ leadId: x.leadId, outcome: x.outcome, assignee: x.assignee?.id ?? null, assigneeType: x.assignee?.type ?? null, path: x.path, steps: x.steps }));
    expect(r.body.results).toEqual(JSON.parse(JSON.stringify(shaped)));
    expect(r.body.summary).toEqual(expected.summary);
    expect(r.body.results[0]).toMatchObject({
      leadId: 'L-1',
      outcome: 'routed',
      assignee: 'rep-ana',
      assigneeType: 'rep',
      path: ['trigger', 'enrich', 'score', 'match', 'assign-owner', 'notify-rep', 'sla', 'end-routed'],
    });
    expect(r.body.results[0].steps[0]).toMatchObject({ seq: 1, nodeId: 'trigger', nodeType: 'trigger', at: Date.parse(AT) });
    expect(r.body.results[8]).toMatchObject({ leadId: 'L-9', outcome: 'filtered', assignee: null, assigneeType: null, path: ['trigger', 'end-filtered'] });
    expect(r.body.summary).toMatchObject({ leads: 10, byOutcome: { routed: 9, filtered: 1 }, unassigned: 1 });
  });

  it('detail "path" leaves the steps out', async () => {
    const r = await post({ leads: EXAMPLE_LEADS.slice(0, 2), at: AT, detail: 'path' });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toEqual({
      leadId: 'L-1',
      outcome: 'routed',
      assignee: 'rep-ana',
      assigneeType: 'rep',
      path: ['trigger', 'enrich', 'score', 'match', 'assign-owner', 'notify-rep', 'sla', 'end-routed'],
    });
  });

  it('defaults the virtual instant to now', async () => {
    const before = Date.now();
    const r = await post({ leads: [EXAMPLE_LEADS[0]] });
    expect(r.status).toBe(200);
    const at = r.body.results[0].steps[0].at as number;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('runs a published version by number; an unknown number is 404', async () => {
    const r = await post({ leads: EXAMPLE_LEADS.slice(0, 3), at: AT, source: 1, detail: 'path' });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { assignee: string }) => x.assignee)).toEqual(['q-unassigned', 'q-unassigned', 'q-unassigned']);
    expect(r.body.results[0]).toEqual({ leadId: 'L-1', outcome: 'parked', assignee: 'q-unassigned', assigneeType: 'queue', path: ['trigger', 'park', 'end'] });
    const missing = await post({ leads: EXAMPLE_LEADS.slice(0, 1), source: 2 });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found' });
    expect(missing.body.error.message).toContain('Version 2');
  });

  it('resolves waits as planned: a default, and per lead a list for successive waits', async () => {
    const r = await post({
      leads: EXAMPLE_LEADS.slice(0, 2),
      at: AT,
      detail: 'path',
      waits: { default: { outcome: 'timed_out' }, byLead: { 'L-2': [{ outcome: 'timed_out' }, { outcome: 'accepted', afterMinutes: 5 }] } },
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ leadId: 'L-1', outcome: 'queued', assignee: 'q-unassigned' });
    expect(r.body.results[0].path).toContain('to-manager');
    expect(r.body.results[1].outcome).toBe('routed');
    expect(r.body.results[1].path).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep', 'sla', 'reassign', 'notify-reassigned', 'sla-2', 'end-routed']);
    expect(r.body.summary.byEdge['sla:timed_out']).toBe(2);
  });

  it('reports invalid leads with their problems and still runs the rest', async () => {
    const r = await post({
      leads: [{ id: 'ok', email: 'wile@acme.com' }, { id: 'bad', email: 'x@acme.com', employees: 'lots' }, { email: 'pat@piedpiper.com', employees: '1,200' }],
      at: AT,
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ leadId: 'ok', outcome: 'routed', assignee: 'rep-ana' });
    expect(r.body.results[1]).toEqual({
      leadId: 'bad',
      outcome: 'invalid',
      assignee: null,
      assigneeType: null,
      path: [],
      steps: [],
      problems: [{ field: 'employees', message: 'employees must be a number; got "lots"' }],
    });
    // Pasted numbers with separators are read, and a lead without an id is known by its position.
    expect(r.body.results[2]).toMatchObject({ leadId: '3', outcome: 'routed' });
    expect(r.body.results[2].steps[0].input).toBeDefined();
    expect(r.body.summary).toMatchObject({ leads: 3, unassigned: 1 });
    expect(r.body.summary.byOutcome).toEqual({ routed: 2, invalid: 1 });
  });

  it('422 invalid_graph with every problem when the draft does not compile', async () => {
    const broken = await createWorkflowWithDraft(t.database.db, ws.id, { schemaVersion: 1, nodes: [], edges: [] });
    const r = await post({ leads: [EXAMPLE_LEADS[0]] }, ws.keys.editor, broken);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid_graph');
    expect(r.body.error.details).toEqual([expect.objectContaining({ code: 'no_trigger' })]);

    const badRef = roundRobinGraph();
    const unknownTeam = await createWorkflowWithDraft(t.database.db, ws.id, badRef);
    const r2 = await post({ leads: [EXAMPLE_LEADS[0]] }, ws.keys.editor, unknownTeam);
    expect(r2.status).toBe(422);
    expect(r2.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'unknown_team', nodeId: 'assign' }), expect.objectContaining({ code: 'unknown_queue', nodeId: 'park' })]),
    );
    // A stored version still runs: its plan was compiled when it was published.
    await insertVersion(t.database.db, broken, 1, queueGraph(), demoDirectory);
    const r3 = await post({ leads: [EXAMPLE_LEADS[0]], source: 1 }, ws.keys.editor, broken);
    expect(r3.status).toBe(200);
  });

  it('writes nothing anywhere, also when it fails', async () => {
    // Production state exists, so a write to it would show.
    await t.database.db.insert(repLoads).values({ workspaceId: ws.id, repId: 'rep-ana', openLeads: 3 });
    const before = await workspaceFingerprint(t.database.db, ws.id);
    expect((await post({ leads: EXAMPLE_LEADS, at: AT, waits: { default: { outcome: 'timed_out' } } })).status).toBe(200);
    expect((await post({ leads: EXAMPLE_LEADS, source: 1 })).status).toBe(200);
    expect((await post({ leads: EXAMPLE_LEADS, source: 9 })).status).toBe(404);
    expect(await workspaceFingerprint(t.database.db, ws.id)).toEqual(before);
    await t.database.db.delete(repLoads);
  });

  it('roles: 401 without credentials, 403 below editor, 404 for another workspace or an unknown id', async () => {
    const body = { leads: [EXAMPLE_LEADS[0]] };
    const none = await t.call('POST', `/api/workflows/${wfId}/simulate`, { body });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    for (const role of ['viewer', 'ingest'] as const) {
      const r = await post(body, ws.keys[role]);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    for (const role of ['publisher', 'admin'] as const) expect((await post(body, ws.keys[role])).status).toBe(200);
    const foreign = await post(body, other.keys.admin);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual({ code: 'not_found', message: `Workflow ${wfId} was not found.` });
    expect((await post(body, ws.keys.editor, 'not-a-uuid')).status).toBe(404);
    expect((await post(body, ws.keys.editor, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('validates the body, naming each field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ leads: [] }, 'leads'],
      [{}, 'leads'],
      [{ leads: ['x'] }, 'leads.0'],
      [{ leads: [{}], at: 'tomorrow' }, 'at'],
      [{ leads: [{}], source: 'latest' }, 'source'],
      [{ leads: [{}], source: 0 }, 'source'],
      [{ leads: [{}], detail: 'some' }, 'detail'],
      [{ leads: [{}], waits: { default: { outcome: 'maybe' } } }, 'waits.default'],
      [{ leads: [{}], waits: { default: { outcome: 'accepted', afterMinutes: -1 } } }, 'waits.default'],
      [{ leads: [{}], waits: { defaults: { outcome: 'accepted' } } }, 'waits'],
    ];
    for (const [body, path] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { path: string }) => d.path).some((p: string) => p.startsWith(path)), `${JSON.stringify(body)} -> ${JSON.stringify(r.body.error.details)}`).toBe(true);
    }
    const tooMany = await post({ leads: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0]).toMatchObject({ path: 'leads', message: 'at most 10000 leads per call' });
  });

  it('400 malformed_json for a body that is not JSON', async () => {
    const r = await t.call('POST', `/api/workflows/${wfId}/simulate`, { key: ws.keys.editor, rawBody: '{"leads": [' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_json');
  });

  it('413 for a body over 20 MiB', async () => {
    const huge = JSON.stringify({ leads: [{ id: 'x', note: 'a'.repeat(21 * 1024 * 1024) }] });
    const r = await t.call('POST', `/api/workflows/${wfId}/simulate`, { key: ws.keys.editor, rawBody: huge });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    const declared = await t.call('POST', `/api/workflows/${wfId}/simulate`, { key: ws.keys.editor, rawBody: huge, headers: { 'content-type': 'application/json', 'content-length': String(huge.length) } });
    expect(declared.status).toBe(413);
  });

  it('runs 10,000 leads in one call with detail "path", and the summary adds up', async () => {
    const leads = generateSampleLeads(10_000);
    const r = await post({ leads, at: AT, detail: 'path' });
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(10_000);
    expect(r.body.results[9_999].leadId).toBe('sample-10000');
    expect(r.body.results.every((x: object) => !('steps' in x))).toBe(true);
    const s = r.body.summary;
    expect(s.leads).toBe(10_000);
    expect(sum(s.byOutcome)).toBe(10_000);
    expect(sum(s.byAssignee) + s.unassigned).toBe(10_000);
    expect(s.byNode.trigger).toBe(10_000);
    const assigned = r.body.results.filter((x: { assignee: string | null }) => x.assignee !== null).length;
    expect(assigned).toBe(10_000 - s.unassigned);
    const expected = await direct(ws, hybridRoutingGraph, leads, AT);
    expect(s).toEqual(expected.summary);
  });
});

describe('the OpenAPI document', () => {
  it('describes the test-run routes and their statuses', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    const simulateDoc = r.body.paths['/api/workflows/{id}/simulate'].post;
    expect(Object.keys(simulateDoc.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '422']);
    expect(simulateDoc.responses['200'].content['application/json'].schema.description).toContain('detail `path`');
    expect(r.body.paths['/api/workflows/{id}/backtest'].post).toBeDefined();
    expect(Object.keys(r.body.paths['/api/workflows/{id}/golden']).sort()).toEqual(['get', 'post']);
    expect(r.body.paths['/api/workflows/{id}/golden/{goldenId}'].delete.responses['204']).toBeDefined();
  });
});

describe('round-robin turns in one batch', () => {
  let rrWs: TestWorkspace;
  let rrId: string;
  beforeAll(async () => {
    rrWs = await t.workspace();
    await seedDirectory(t.database.db, rrWs.id, roundRobinDirectory(5));
    rrId = await createWorkflowWithDraft(t.database.db, rrWs.id, roundRobinGraph());
  });

  it('500 leads over 5 reps: counts differ by at most 1 and no rep takes two turns in a row', async () => {
    const leads = Array.from({ length: 500 }, (_, i) => ({ id: `L-${i + 1}`, email: `l${i}@example.org` }));
    const r = await post({ leads, at: AT, detail: 'path' }, rrWs.keys.editor, rrId);
    expect(r.status).toBe(200);
    const assignees: string[] = r.body.results.map((x: { assignee: string }) => x.assignee);
    const counts = new Map<string, number>();
    for (const a of assignees) counts.set(a, (counts.get(a) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['rep-1', 'rep-2', 'rep-3', 'rep-4', 'rep-5']);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    for (let i = 1; i < assignees.length; i++) expect(assignees[i], `lead ${i + 1}`).not.toBe(assignees[i - 1]);
    expect(r.body.summary.byAssignee).toEqual({ 'rep-1': 100, 'rep-2': 100, 'rep-3': 100, 'rep-4': 100, 'rep-5': 100 });
  });

  it("starts from production's round-robin cursor and leaves it as it was", async () => {
    await t.database.db.insert(poolCursors).values({ workspaceId: rrWs.id, poolKey: 'team:team-rr', lastChosen: 'rep-2' });
    const before = await workspaceFingerprint(t.database.db, rrWs.id);
    const r = await post({ leads: [{ id: 'a' }, { id: 'b' }], at: AT, detail: 'path' }, rrWs.keys.editor, rrId);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { assignee: string }) => x.assignee)).toEqual(['rep-3', 'rep-4']);
    expect(await workspaceFingerprint(t.database.db, rrWs.id)).toEqual(before);
  });
});

describe('a test run in another year', () => {
  it('reads the public holidays of the year it starts in, not of today’s', async () => {
    // Christmas Day 2030 (a Wednesday): a public holiday in Germany, years after today's calendar.
    const christmas = '2030-12-25T10:00:00Z';
    const w = await t.workspace();
    const directory = roundRobinDirectory(1);
    await seedDirectory(t.database.db, w.id, { ...directory, reps: directory.reps!.map((r) => ({ ...r, holidayCalendar: { country: 'DE' } })) });
    const id = await createWorkflowWithDraft(t.database.db, w.id, roundRobinGraph());
    const r = await t.call('POST', `/api/workflows/${id}/simulate`, { key: w.keys.editor, body: { leads: [{ id: 'x' }], at: christmas } });
    expect(r.status).toBe(200);
    // Before, holidays were read for this year and the next: the rep was free on Christmas Day 2030. Now the
    // lead goes on to the queue.
    expect(r.body.results[0]).toMatchObject({ assignee: 'q-none', assigneeType: 'queue' });
    expect(JSON.stringify(r.body.results[0].steps)).toContain('public holiday');
    // The day after Boxing Day she works again.
    const after = await t.call('POST', `/api/workflows/${id}/simulate`, { key: w.keys.editor, body: { leads: [{ id: 'y' }], at: '2030-12-27T10:00:00Z' } });
    expect(after.body.results[0].assignee).toBe('rep-1');
  });
});

import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectoryInput, Graph, Lead } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker } from '@temporalio/worker';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { createActivities } from '../activities/index';
import { workerRuntimeOptions } from '../logging';
import { scriptedDns } from '../test/dns';
import { timeSkippingEnv } from '../test/temporal-env';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Issue 14, "nothing one request or one lead can do takes routing down", at the level of a running worker:
// routeLead on the time-skipping test server with the real activities, a real database, a listener on
// 127.0.0.1 standing for the worker's own network, and the worker's own Runtime logger, captured.

/** Every line the worker's logger wrote, parsed, and as written. */
const logged: Array<{ line: string; entry: Record<string, unknown> }> = [];
// The Runtime is per process (vitest runs each test file in its own): installed before anything uses it.
Runtime.install(
  workerRuntimeOptions('DEBUG', (line) => {
    logged.push({ line, entry: JSON.parse(line) as Record<string, unknown> });
  }),
);

const linesOf = (workflowIds: Set<string>) => logged.filter((l) => workflowIds.has(String(l.entry.workflowId)));

// Every rep available at any hour, so results do not depend on when the suite runs.
const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const PUBLIC_V4 = '93.184.215.14';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let provider: Server;
let port: number;
const hits: string[] = [];
const dns = scriptedDns();
const workers: Worker[] = [];
const running: Array<Promise<void>> = [];
/** Private targets refused (production's setting). */
const guardedQueue = `hardening-guarded-${randomUUID().slice(0, 8)}`;
/** Private targets allowed, to reach the test's provider on 127.0.0.1. */
const openQueue = `hardening-open-${randomUUID().slice(0, 8)}`;

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * The activities, except that an enrichment of a `/unchecked-nul` URL answers a NUL character without the
 * enrich activity's check: the one way left to make PostgreSQL refuse a trace write, for the logging test.
 */
function withUncheckedEnrich(acts: ReturnType<typeof createActivities>): ReturnType<typeof createActivities> {
  return {
    ...acts,
    enrich: (req) =>
      req.config.http?.urlTemplate.includes('/unchecked-nul') ? Promise.resolve({ found: true, fields: { company: 'Acme\u0000Corp' }, detail: 'Answered without the check' }) : acts.enrich(req),
  };
}

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  provider = createServer((req, res) => {
    hits.push(req.url ?? '/');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // A provider whose answer carries a NUL character, which PostgreSQL refuses to store in JSON.
    if (path === '/nul') return json(res, { name: 'Acme\u0000Corp' });
    json(res, { name: 'LISTENER-SECRET', employees: 7777777 });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  port = (provider.address() as AddressInfo).port;
  dns.answer('provider.test', ['127.0.0.1']);
  for (const [taskQueue, allowPrivateWebhookTargets] of [
    [guardedQueue, false],
    [openQueue, true],
  ] as const) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...WORKFLOW_BUNDLE,
      activities: withUncheckedEnrich(createActivities({ db: database.db, allowPrivateWebhookTargets, resolveHost: dns.resolve })),
    });
    workers.push(worker);
    running.push(worker.run());
  }
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.shutdown();
  await Promise.all(running.map((r) => r.catch(() => {})));
  await env?.teardown();
  if (provider) {
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
  }
  await database?.drop();
}, 60_000);

async function setup(graph: Graph, dir: DirectoryInput = directory) {
  const { workspaceId, workflowId } = await createWorkspace(database.db);
  await seedDirectory(database.db, workspaceId, dir);
  const { versionId } = await insertVersion(database.db, workflowId, graph, dir);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
  return { workspaceId, workflowId, versionId };
}

async function start(taskQueue: string, target: { workspaceId: string; workflowId: string; versionId: string }, lead: Lead) {
  const [leadId] = await insertLeads(database.db, target, [lead]);
  const handle = await env.client.workflow.start('routeLead', {
    taskQueue,
    workflowId: `lead-${leadId}`,
    args: [{ leadId: leadId as string, workspaceId: target.workspaceId, versionId: target.versionId }],
  });
  return { leadId: leadId as string, handle };
}

/**
 * The outcomes of the runs once every one has finished, polled from their rows. Not the workflows' results:
 * while a client awaits a result the time-skipping server may move its clock on, and local activities (which
 * it does not see) then find their tasks expired; under load that fails runs that would not fail.
 */
async function outcomesWhenFinished(leadIds: string[]): Promise<Array<string | null>> {
  let finished: Array<{ outcome: string | null }> = [];
  for (let i = 0; i < 600 && finished.length < leadIds.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    finished = await database.db.select({ outcome: routingRuns.outcome }).from(routingRuns).where(and(inArray(routingRuns.leadId, leadIds), eq(routingRuns.status, 'completed')));
  }
  return finished.map((r) => r.outcome);
}

/** trigger -> enrich over HTTP (`urlTemplate`) -> end, whatever the enrichment found. */
function httpEnrichGraph(urlTemplate: string): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
      { id: 'enrich', type: 'enrich', position: { x: 0, y: 100 }, config: { provider: 'http', fields: ['company', 'employees'], overwrite: true, http: { urlTemplate, headers: {}, timeoutMs: 2000, mapping: { company: 'name', employees: 'employees' } } } },
      { id: 'done', type: 'end', position: { x: 0, y: 200 }, config: { outcome: 'done' } },
    ],
    edges: [
      { id: 'a', source: 'trigger', sourceHandle: 'next', target: 'enrich' },
      { id: 'b', source: 'enrich', sourceHandle: 'enriched', target: 'done' },
      { id: 'c', source: 'enrich', sourceHandle: 'not_found', target: 'done' },
    ],
  };
}

const ANA: Lead = { email: 'anastasia.quillfeather@acme-example.com', firstName: 'Anastasia', lastName: 'Quillfeather', company: 'Acme', domain: 'acme-example.com', country: 'US' };

describe('a routing graph cannot reach the worker’s network', () => {
  it('an HTTP enrichment rebound to 127.0.0.1 is refused at connect: the trace says why, and nothing of the listener’s answer is in it', async () => {
    dns.answer('rebind-enrich.test', [PUBLIC_V4], ['127.0.0.1']);
    hits.length = 0;
    const target = await setup(httpEnrichGraph(`http://rebind-enrich.test:${port}/company?domain={{domain}}`));
    const { leadId } = await start(guardedQueue, target, ANA);
    expect(await outcomesWhenFinished([leadId])).toEqual(['done']);
    expect(hits).toEqual([]);
    const steps = await database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    const enrich = steps.find((s) => s.nodeId === 'enrich');
    expect(enrich?.outcome).toBe('not_found');
    expect(enrich?.decision).toBe('No data found');
    expect(enrich?.explanation).toEqual([`Did not call http://rebind-enrich.test:${port}: rebind-enrich.test resolves to 127.0.0.1, a loopback address; the router only calls public addresses`]);
    expect(JSON.stringify(steps)).not.toMatch(/LISTENER-SECRET|7777777/);
  });
});

describe('an answer PostgreSQL could not store', () => {
  it('an HTTP enrichment answering a NUL character: the field is left out, the trace says why, and the lead finishes', async () => {
    const target = await setup(httpEnrichGraph(`http://provider.test:${port}/nul?domain={{domain}}`));
    const { leadId } = await start(openQueue, target, ANA);
    expect(await outcomesWhenFinished([leadId])).toEqual(['done']);
    const steps = await database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    const enrich = steps.find((s) => s.nodeId === 'enrich');
    expect(enrich?.outcome).toBe('not_found');
    expect(enrich?.explanation.join(' ')).toContain('left out company: the answer held a NUL character or broken Unicode, which cannot be stored');
    expect(steps.map((s) => s.nodeId)).toEqual(['trigger', 'enrich', 'done']);
  });
});

describe('failure logs carry ids, not lead data', () => {
  it('a trace write PostgreSQL refuses is logged with the lead id and the error code, without the lead’s email or name', async () => {
    const target = await setup(httpEnrichGraph(`http://provider.test:${port}/unchecked-nul?domain={{domain}}&who={{lastName}}`));
    const { leadId, handle } = await start(openQueue, target, ANA);
    const ids = new Set([handle.workflowId]);
    const failed = () => linesOf(ids).find((l) => l.entry.msg === 'Activity failed');
    // No retry can store the value (22P05 is permanent): the run ends failed on its own, with the reason.
    let run: { status: string; error: string | null } | undefined;
    for (let i = 0; i < 200 && run?.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [run] = await database.db.select({ status: routingRuns.status, error: routingRuns.error }).from(routingRuns).where(eq(routingRuns.leadId, leadId));
    }
    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('22P05');
    for (const personal of [ANA.email, ANA.firstName, ANA.lastName]) expect(run?.error).not.toContain(String(personal));
    for (let i = 0; i < 100 && !failed(); i++) await new Promise((r) => setTimeout(r, 50));
    const line = failed();
    expect(line, 'an "Activity failed" line for the run').toBeDefined();
    expect(line?.line).toContain(leadId);
    expect(line?.line).toContain('22P05');
    for (const l of linesOf(ids)) {
      for (const personal of [ANA.email, ANA.firstName, ANA.lastName]) expect(l.line).not.toContain(String(personal));
    }
  });
});

describe('a business outcome is not a failure in the logs', () => {
  it('30 leads that end with nobody eligible log no warning "Activity failed" (their outcomes stay inside the route segment)', async () => {
    const nobody: DirectoryInput = { ...directory, reps: directory.reps?.map((r) => ({ ...r, active: false })) ?? [] };
    const target = await setup(hybridRoutingGraph, nobody);
    const runs = await Promise.all(Array.from({ length: 30 }, (_, i) => start(guardedQueue, target, { ...ANA, email: `lead${i}@unknown-co-${i}.com` })));
    expect(await outcomesWhenFinished(runs.map((r) => r.leadId))).toEqual(Array(30).fill('queued'));
    const lines = linesOf(new Set(runs.map((r) => r.handle.workflowId)));
    expect(lines.filter((l) => l.entry.level === 'warn' || l.entry.level === 'error').map((l) => `${String(l.entry.msg)} ${String(l.entry.activityType)}`)).toEqual([]);
    // Since issue 18 the assignments run inside the route's segment (runSegment), which takes their business
    // outcomes in-process: none reaches Temporal as a failed activity, so nothing is logged for them at all.
    // (An outcome of an activity of its own, e.g. HTTP enrichment's not found, is logged at debug: logging.test.ts.)
    expect(lines.filter((l) => /^Activity (failed|ended)/.test(String(l.entry.msg))).map((l) => `${String(l.entry.level)} ${String(l.entry.msg)}`)).toEqual([]);
  });
});

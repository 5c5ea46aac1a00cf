// PostgreSQL connections dropped under load: while leads are posted to the real app, another session
// terminates the app's backends (`pg_terminate_backend`) every few milliseconds. Good input is either
// accepted (202) or refused with 503 and a Retry-After hint, never 500; and nothing is half-written:
// every accepted lead is stored with its run and its outbox row, and no run or outbox row is without
// its lead.
//
// The three postgres.js 3.4.9 faults this test found are patched at install (scripts/patch-deps.mjs): a
// write scheduled on a connection whose socket had closed threw an uncatchable TypeError from a
// setImmediate (porsager/postgres#1154, #1208); a reset during a new connection's array-type fetch was an
// unhandled rejection (both would end a server process); and a connection closed in the middle of a
// result kept its row count, so after reconnecting a `limit 1` lookup answered [<empty>, row] and a valid
// API key got 401. The pool's reconnect backoff is capped at 2 s (server/src/db/client.ts), so the slowest
// answer under fire went from about 20 s to under 2 s. Three more faults, found when this test timed out in
// CI, are patched too (each reproduced in tests/postgres-driver-patches.test.ts): a connection closed with a
// write waiting never sent its next StartupMessage (answers of 10 s, connect_timeout, again and again); queries
// handed to a connection between its socket's error and its close never settled (a request hung until the
// test's 240 s); and the first query after a reconnect failed with the old backend's 57P01. Under two busy
// loops on 2 cores, ten runs in a row then answered within 1 s each. DROP_LEADS sets the number of posts.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { createApp } from '../app';
import { randomUUID } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '@lead-router/db/client';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { loadEnv } from '../env';
import type { AppDeps } from '../http/context';
import { createLogger } from '../http/logger';
import { TemporalRoutingEngine } from '../services/routing-engine';
import { inlineSimulations } from '../services/simulation/pool';
import { createApiKey, createWorkspace } from '../services/workspaces.service';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { UNREACHABLE_TEMPORAL } from '../test/harness';
import { providedDatabaseUrl } from '@lead-router/testkit/provided';

const APP_NAME = `reliability-drop-${process.pid}`;
const url = new URL(providedDatabaseUrl());
url.searchParams.set('application_name', APP_NAME);

// The app's own pool, named so the killer terminates its connections and nobody else's.
const appDb = connectPostgres(url.toString(), { max: 5 });
const engine = new TemporalRoutingEngine({ address: UNREACHABLE_TEMPORAL, namespace: 'default', taskQueue: 'test' });
const deps: AppDeps = {
  db: appDb.db,
  config: loadEnv({ DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: UNREACHABLE_TEMPORAL, LOG_LEVEL: 'silent' }),
  engine,
  now: () => new Date(),
  log: createLogger('silent'),
  // Nothing here runs a test run.
  simulations: inlineSimulations(),
};
const app = createApp(deps);
// Setup and checks go through a pool the killer leaves alone.
const check = connectPostgres(providedDatabaseUrl(), { max: 2 });
const killer = postgres(providedDatabaseUrl(), { max: 1, onnotice: () => {} });

afterAll(async () => {
  await engine.close();
  await appDb.close();
  await check.close();
  await killer.end({ timeout: 5 });
});

let key: string;
let wf: { id: string };
beforeAll(async () => {
  const ws = await createWorkspace(check.db, `drop-${randomUUID().slice(0, 8)}`);
  key = (await createApiKey(check.db, { workspaceId: ws.id, name: 'ingest', role: 'ingest' })).key;
  wf = await createTestWorkflow(check.db, ws.id);
});

describe('PostgreSQL connections terminated while leads are posted', () => {
  it('answers 202 or 503 with Retry-After, never 500, and leaves no half-written lead', async () => {
    const TOTAL = Number(process.env.DROP_LEADS ?? 400);
    let stop = false;
    let terminated = 0;
    let slowest = 0;
    const kill = (async () => {
      while (!stop) {
        const rows = await killer`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${APP_NAME} and pid <> pg_backend_pid()`;
        terminated += rows.filter((r) => r.ok).length;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    })();

    const started = Date.now();
    const answers: Array<{ status: number; retryAfter: string | null; body: { leadId?: string; error?: { code: string } } }> = [];
    try {
      for (let i = 0; i < TOTAL; i += 20) {
        const wave = await Promise.all(
          Array.from({ length: Math.min(20, TOTAL - i) }, async (_, j) => {
            const t0 = Date.now();
            const res = await app.request(`/api/workflows/${wf.id}/leads`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ id: `drop-${i + j}`, firstName: 'Ana', email: `ana${i + j}@acme.com`, company: 'Acme', employees: 650 }),
            });
            slowest = Math.max(slowest, Date.now() - t0);
            return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { leadId?: string; error?: { code: string } } };
          }),
        );
        answers.push(...wave);
      }
    } finally {
      stop = true;
      await kill;
    }

    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    console.log(`${TOTAL} posts, ${terminated} backends terminated: ${JSON.stringify(byStatus)}; slowest answer ${slowest} ms`);
    // The fault really happened, and both outcomes were seen.
    expect(terminated).toBeGreaterThan(10);
    expect(byStatus[202] ?? 0).toBeGreaterThan(0);
    expect(byStatus[503] ?? 0).toBeGreaterThan(0);
    for (const a of answers) {
      expect([202, 503], JSON.stringify(a)).toContain(a.status);
      if (a.status === 503) {
        expect(a.retryAfter, JSON.stringify(a)).toMatch(/^\d+$/);
        expect(a.body.error?.code).toBe('unavailable');
      }
    }

    // Nothing half-written: each accepted lead has its run and outbox row; runs and outbox rows all
    // belong to stored leads; a 503 may have committed just before its connection went (then the
    // retry with the same id replays it), but never part of a lead.
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.leadId as string);
    const stored = await check.db.select({ id: leads.id }).from(leads).where(inArray(leads.id, accepted));
    expect(stored).toHaveLength(new Set(accepted).size);
    const [l] = await check.db.select({ n: count() }).from(leads).where(eq(leads.workflowId, wf.id));
    const [r] = await check.db.select({ n: count() }).from(routingRuns).where(eq(routingRuns.workflowId, wf.id));
    const [o] = await check.db.select({ n: count() }).from(outbox).innerJoin(leads, eq(leads.id, outbox.leadId)).where(eq(leads.workflowId, wf.id));
    const orphans = await killer`select (select count(*) from outbox o where not exists (select 1 from leads l where l.id = o.lead_id))::int as outbox,
      (select count(*) from routing_runs r where not exists (select 1 from leads l where l.id = r.lead_id))::int as runs`;
    expect(r!.n).toBe(l!.n);
    expect(o!.n).toBe(l!.n);
    expect(l!.n).toBeGreaterThanOrEqual(new Set(accepted).size);
    expect(orphans[0]).toEqual({ outbox: 0, runs: 0 });

    // Once the connections are left alone, the same posts (same ids) all succeed, as a client that follows
    // the 503's retry hint sees them: refused ones are stored now, and ones that committed anyway replay
    // their first answer instead of a twin. (A connection terminated just before the killer stopped may
    // still refuse one more request, so a post is retried while it gets 503, a few times.)
    const phase1 = Date.now() - started;
    const retried: number[] = [];
    const post = async (n: number): Promise<number> => {
      for (let attempt = 0; ; attempt++) {
        const res = await app.request(`/api/workflows/${wf.id}/leads`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ id: `drop-${n}`, firstName: 'Ana', email: `ana${n}@acme.com`, company: 'Acme', employees: 650 }),
        });
        if (res.status !== 503 || attempt === 4) return res.status;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    for (let i = 0; i < TOTAL; i += 20) retried.push(...(await Promise.all(Array.from({ length: Math.min(20, TOTAL - i) }, (_, j) => post(i + j)))));
    const retriedBy: Record<number, number> = {};
    for (const st of retried) retriedBy[st] = (retriedBy[st] ?? 0) + 1;
    console.log(`posting under fire took ${phase1} ms; the retries ${Date.now() - started - phase1} ms: ${JSON.stringify(retriedBy)}`);
    expect(retried.every((s) => s === 202)).toBe(true);
    const [after] = await check.db.select({ n: count() }).from(leads).where(eq(leads.workflowId, wf.id));
    expect(after!.n).toBe(TOTAL);
  }, 240_000);
});

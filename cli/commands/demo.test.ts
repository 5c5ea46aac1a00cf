// Must come first: extends zod before @lead-router/shared builds its schemas.
import '@hono/zod-openapi';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Database } from '@lead-router/db/client';
import { planScratchDatabase } from '@lead-router/testkit/scratch-database';
import { leads, outbox } from '@lead-router/db/schema';
import { startApiServer, type ApiServer } from '../../server/src/embedded/api-server';
import { loadEnv } from '../../server/src/env';
import { createLogger } from '../../server/src/http/logger';
import { seedDemo, type DemoWorkspace } from '../../server/src/services/demo-seed';
import { main } from '../lead-router';

// The real API server (ingestion into the outbox) on a database of our own; no Temporal is needed to
// accept leads, so the dispatcher's retries against an unreachable address are left to it.
const scratch = planScratchDatabase('cli_demo_test');
const DATABASE_URL = scratch.url;
let database: Database;
let server: ApiServer;
let demo: DemoWorkspace;
let serverUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), 'lead-router-demo-cli-'));

beforeAll(async () => {
  await scratch.create();
  database = connectPostgres(DATABASE_URL, { max: 2 });
  demo = await seedDemo(database.db, { leadCount: 0 });
  const config = loadEnv({ DATABASE_URL, TEMPORAL_ADDRESS: '127.0.0.1:1', PORT: '0', LOG_LEVEL: 'silent' });
  server = await startApiServer({ ...config, DATABASE_URL, TEMPORAL_ADDRESS: '127.0.0.1:1' }, createLogger('silent'));
  serverUrl = `http://127.0.0.1:${server.port}`;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  await scratch.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, { DATA_DIR: dataDir, LEAD_ROUTER_URL: undefined, LEAD_ROUTER_KEY: undefined, LEAD_ROUTER_WORKFLOW: undefined }, env);
  for (const [k, v] of Object.entries(process.env)) if (v === undefined) delete process.env[k];
  try {
    const code = await main(['demo', ...args] as ['demo', ...string[]], (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.env = saved;
  }
}

/** The leads the demo command stored (their idempotency keys are demo-<run>-<n>). */
const storedFor = async () =>
  database.db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workflowId, demo.workflowId), like(leads.idempotencyKey, 'demo-%')));

describe('lead-router demo', () => {
  it('posts the stream to the server: each lead stored with its queued run, fresh people each run', async () => {
    const r = await run(['--leads', '5', '--interval', '0', '--wait', '0', '--url', serverUrl, '--key', demo.apiKey, '--workflow', demo.workflowId, '--seed', '7']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Posting 5 demo leads to ${serverUrl}`);
    expect(r.out).toContain('Posted 5 leads.');
    const ids = [...r.out.matchAll(/-> ([0-9a-f-]{36})/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(5);
    const rows = await database.db.select({ id: leads.id, key: leads.idempotencyKey }).from(leads).where(eq(leads.workflowId, demo.workflowId));
    for (const id of ids) expect(rows.map((x) => x.id)).toContain(id);
    const queued = await database.db.select({ leadId: outbox.leadId }).from(outbox);
    for (const id of ids) expect(queued.map((x) => x.leadId)).toContain(id);

    // The same seed again: new leads, not replays.
    const again = await run(['--leads', '5', '--interval', '0', '--wait', '0', '--url', serverUrl, '--key', demo.apiKey, '--workflow', demo.workflowId, '--seed', '7']);
    expect(again.code).toBe(0);
    const second = [...again.out.matchAll(/-> ([0-9a-f-]{36})/g)].map((m) => m[1]!);
    expect(second.filter((id) => ids.includes(id))).toEqual([]);
    expect(await storedFor()).toHaveLength(10);
  });

  it('finds the server, key and workflow in the launcher demo file, and reports leads still routing', async () => {
    writeFileSync(join(dataDir, 'demo.json'), JSON.stringify({ url: serverUrl, workflowId: demo.workflowId, apiKey: demo.apiKey }));
    const r = await run(['--leads', '2', '--interval', '10', '--wait', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Posting 2 demo leads to ${serverUrl} (workflow ${demo.workflowId})`);
    // No worker here: nothing is routed, and it says so.
    expect(r.out).toContain('Routed 0 of 2 within 1 s:');
    expect(r.out).toContain('2  still routing (is a worker running?)');
    rmSync(join(dataDir, 'demo.json'));
  });

  it('refuses bad input with exit 2 naming the flag, and a refused key or a dead server with exit 1', async () => {
    const bad = await run(['--leads', 'lots', '--key', 'k', '--workflow', 'w']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--leads must be a whole number from 1 to 10000; got "lots"');
    const noKey = await run(['--url', serverUrl, '--workflow', demo.workflowId]);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toContain('no API key: pass --key or set LEAD_ROUTER_KEY');
    const unknownFlag = await run(['--lead', '3']);
    expect(unknownFlag.code).toBe(2);

    const refused = await run(['--leads', '1', '--wait', '0', '--url', serverUrl, '--key', 'lr_not_a_real_key', '--workflow', demo.workflowId]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/lead 1 was refused \(HTTP 401\)/);

    const dead = await run(['--leads', '1', '--wait', '0', '--url', 'http://127.0.0.1:1', '--key', demo.apiKey, '--workflow', demo.workflowId]);
    expect(dead.code).toBe(1);
    expect(dead.err).toContain('cannot reach http://127.0.0.1:1');
    expect(dead.err).toContain('is the server running (npm start)?');
  });
});

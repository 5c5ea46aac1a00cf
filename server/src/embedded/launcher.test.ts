import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@lead-router/testkit/temporal-dev-server';
import { REPO_ROOT } from './config';

// `npm start` for real: the launcher as its own process tree (PGlite, a Temporal dev server, the API
// server with the web app, a worker process) on free ports with a temporary data dir; stopped with SIGINT
// as Ctrl-C would, and started again on the same data.

interface Ready {
  url: string;
  temporal: string;
  temporalUi: string | null;
  pids: Array<{ name: string; pid: number }>;
  apiKey?: string;
  workflowId?: string;
}

interface Launch {
  child: ChildProcessWithoutNullStreams;
  ready: Ready;
  output: () => string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'lead-router-launcher-'));
const running: ChildProcessWithoutNullStreams[] = [];

async function launch(env: Record<string, string>): Promise<Launch> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.SECRET_KEY;
  delete childEnv.DATABASE_URL;
  delete childEnv.TEMPORAL_ADDRESS;
  delete childEnv.LOG_LEVEL;
  const child = spawn(process.execPath, ['--import', 'tsx', join('server', 'src', 'main.ts')], { cwd: REPO_ROOT, env: childEnv });
  running.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`launcher not ready after 75 s:\n${out}`)), 75_000);
    const check = () => {
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('READY '.length)) as Ready);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited (${code}) before it was ready:\n${out}`));
    });
  });
  return { child, ready, output: () => out };
}

/** SIGINT, as Ctrl-C; resolves with the exit code. */
async function interrupt(l: Launch): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => l.child.once('exit', (code) => resolve(code)));
  l.child.kill('SIGINT');
  return exited;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose command line names the data dir (the Temporal dev server's --db-filename does). */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function api(ready: Ready, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${ready.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    // Not faster: every probe is a query on the one embedded database the worker is using too.
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  // After a failure midway: stop the launcher as Ctrl-C would, so it stops its own children; kill only
  // what still runs after that (its children are in their own process groups, named in pids.json).
  for (const c of running.filter((x) => x.exitCode === null && x.signalCode === null)) {
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the embedded launcher (npm start)', () => {
  it('serves the app and the seeded demo, routes a posted lead within 2 s, stops cleanly on SIGINT, and a restart keeps data and in-flight SLAs', async () => {
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DEMO_LEADS: '4',
    };

    // First start: a demo workspace with a key printed once.
    const first = await launch(env);
    const key = first.ready.apiKey!;
    expect(key).toMatch(/^lr_/);
    expect(first.output()).toContain(`curl -s -X POST ${first.ready.url}/api/workflows/${first.ready.workflowId}/leads -H 'Authorization: Bearer ${key}'`);
    expect(first.ready.temporalUi).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // No SECRET_KEY given: the data dir keeps its own, readable by this user only, so secrets work out of the box.
    const secretKey = readFileSync(join(dataDir, 'secret-key'), 'utf8');
    expect(statSync(join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    expect((await api(first.ready, key, 'PUT', '/api/secrets/DEMO_API_KEY', { value: 'demo-value-0123456789' })).status).toBe(201);

    const index = await fetch(`${first.ready.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toMatch(/<div id="root">/);
    const openapi = await fetch(`${first.ready.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');

    const list = await api(first.ready, key, 'GET', '/api/workflows');
    expect(list.status).toBe(200);
    const demo = (list.body.workflows as Array<{ id: string }>).find((w) => w.id === first.ready.workflowId);
    expect(demo).toMatchObject({ name: 'Inbound routing (hybrid)', status: 'active' });

    // The seeded sample leads are routed (and the whole path is warm, as it is by the time a person has
    // copied the curl line).
    // The live ones: the seeded history lies in the past days.
    const today = new Date(Date.now() - 10 * 60_000).toISOString();
    await until('the sample leads routed', 40_000, async () => {
      const r = await api(first.ready, key, 'GET', `/api/leads?limit=50&since=${encodeURIComponent(today)}`);
      const items = r.body.items as Array<{ assignee: unknown }>;
      return items.length === 4 && items.every((l) => l.assignee) ? items : null;
    });

    // A lead posted as the printed curl line does: assigned within 2 s of its arrival, by the server's
    // own clock (receivedAt -> assignedAt; the test's polling adds its own latency on a busy machine).
    const accepted = await api(first.ready, key, 'POST', `/api/workflows/${first.ready.workflowId}/leads`, { email: 'jo@globex.com', firstName: 'Jo', lastName: 'Rivera', company: 'Globex Corporation', country: 'US' });
    expect(accepted.status).toBe(202);
    const assigned = await until('the posted lead assigned', 5_000, async () => {
      const r = await api(first.ready, key, 'GET', `/api/leads/${accepted.body.leadId}`);
      return r.body?.assignee ? r.body : null;
    });
    expect(Date.parse(assigned.assignedAt) - Date.parse(assigned.receivedAt)).toBeLessThan(2_000);
    // The demo's reps have room: the printed lead reaches a rep, not the queue (issue 13, item 6).
    expect(assigned.assignee.type).toBe('rep');

    // A workflow whose first SLA is 8 s: its lead will be waiting on that timer across the restart.
    const graph = structuredClone(hybridRoutingGraph);
    for (const n of graph.nodes) if (n.id === 'sla' && n.type === 'wait') n.config.timeout = { amount: 8, unit: 'seconds' };
    const created = await api(first.ready, key, 'POST', '/api/workflows', { name: 'Short SLA', graph });
    expect(created.status).toBe(201);
    const published = await api(first.ready, key, 'POST', `/api/workflows/${created.body.id}/publish`, { note: 'short SLA' });
    expect(published.status).toBeLessThan(300);
    await api(first.ready, key, 'POST', `/api/workflows/${created.body.id}/versions/${published.body.number}/activate`);
    const slaLead = await api(first.ready, key, 'POST', `/api/workflows/${created.body.id}/leads`, { email: 'kim@bergmann.de', firstName: 'Kim', lastName: 'Weber', company: 'Bergmann AG', country: 'DE' });
    expect(slaLead.status).toBe(202);
    const waiting = await until('the SLA lead waiting', 5_000, async () => {
      const r = await api(first.ready, key, 'GET', `/api/leads/${slaLead.body.leadId}`);
      return r.body?.status === 'waiting' && r.body.assignee ? r.body : null;
    });

    // Ctrl-C: everything exits, nothing is left behind.
    const stoppedAt = Date.now();
    expect(await interrupt(first)).toBe(0);
    for (const { name, pid } of first.ready.pids) expect(alive(pid), `${name} (pid ${pid}) still running`).toBe(false);
    expect(processesUsing(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'pids.json'))).toBe(false); // a clean stop leaves nothing to reap
    expect(Date.now() - stoppedAt).toBeLessThan(8_000); // the SLA has not run out while stopping

    // Second start on the same data: no new demo, the data is there, the SLA lead is re-assigned.
    const second = await launch(env);
    const restartedAt = Date.now();
    expect(second.ready.apiKey).toBeUndefined();
    expect(readFileSync(join(dataDir, 'secret-key'), 'utf8')).toBe(secretKey);
    expect((await api(second.ready, key, 'GET', '/api/secrets')).body.secrets.map((s: { name: string; hint: string }) => [s.name, s.hint])).toEqual([['DEMO_API_KEY', '6789']]);
    const again = await api(second.ready, key, 'GET', `/api/leads/${accepted.body.leadId}`);
    expect(again.status).toBe(200);
    expect(again.body.assignee).toEqual(assigned.assignee);
    const moved = await until('the SLA lead re-assigned', 20_000, async () => {
      const r = await api(second.ready, key, 'GET', `/api/leads/${slaLead.body.leadId}`);
      return r.body?.assignee && r.body.assignee.id !== waiting.assignee.id ? r.body : null;
    });
    expect(moved.assignee.id).not.toBe(waiting.assignee.id);
    const trace = await api(second.ready, key, 'GET', `/api/leads/${slaLead.body.leadId}/trace`);
    const steps = (trace.body.steps ?? trace.body) as Array<{ nodeId: string; outcome: string; at: string }>;
    const timedOut = steps.find((s) => s.nodeId === 'sla' && s.outcome === 'timed_out');
    expect(timedOut, JSON.stringify(steps)).toBeDefined();
    // The timer ran out while everything was down (or just after): the step after it (the re-assignment)
    // was taken by the second start.
    const after = steps[steps.indexOf(timedOut!) + 1];
    expect(after, JSON.stringify(steps)).toBeDefined();
    expect(new Date(after!.at).getTime(), JSON.stringify(steps)).toBeGreaterThan(stoppedAt);
    expect(restartedAt).toBeGreaterThan(stoppedAt);

    expect(await interrupt(second)).toBe(0);
    for (const { pid } of second.ready.pids) expect(alive(pid)).toBe(false);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 150_000);
});

import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { createApp } from '../app';
import type { KeyRole } from '../auth/principal';
import { connectPostgres, type Database } from '@lead-router/db/client';
import { loadEnv } from '../env';
import type { AppDeps } from '../http/context';
import { createLogger } from '../http/logger';
import { TemporalRoutingEngine, type RoutingEngine } from '../services/routing-engine';
import { SimulationPool, simulationPoolOptions } from '../services/simulation/pool';
import { createApiKey, createUser, createWorkspace } from '../services/workspaces.service';
import { providedDatabaseUrl } from '@lead-router/testkit/provided';

/** A Temporal address nothing listens on: the real client, really failing to connect. */
export const UNREACHABLE_TEMPORAL = '127.0.0.1:1';

/** A response as tests read it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** The app over the real test database, and helpers to call it as each role of a fresh workspace. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  deps: AppDeps;
  /** Creates a workspace with one API key per role (and an ingest key) and an admin user. */
  workspace(name?: string): Promise<TestWorkspace>;
  call: CallApp;
  /** `call` on another app over the same database, with some of its dependencies replaced. */
  callWith(overrides: Partial<AppDeps>): CallApp;
}

/** Calls the app as a client would: JSON in, the answer read and parsed. */
export type CallApp = (method: string, path: string, init?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; cookie?: string }) => Promise<TestResponse>;

export interface TestWorkspace {
  id: string;
  keys: Record<KeyRole, string>;
  admin: { email: string; password: string; id: string };
}

/** Sets up the app for one test file; closes its pool after the file. */
export function setupTestApp(options: { engine?: RoutingEngine } = {}): TestApp {
  const database = connectPostgres(providedDatabaseUrl(), { max: 5 });
  const config = loadEnv({ DATABASE_URL: providedDatabaseUrl(), TEMPORAL_ADDRESS: UNREACHABLE_TEMPORAL, LOG_LEVEL: 'silent' });
  const engine = options.engine ?? new TemporalRoutingEngine({ address: UNREACHABLE_TEMPORAL, namespace: 'default', taskQueue: 'test' });
  // The server's pool, as configured (its threads start with a file's first test run); tests of the
  // budgets make their own.
  const simulations = new SimulationPool(simulationPoolOptions(config));
  const deps: AppDeps = { db: database.db, config, engine, now: () => new Date(), log: createLogger('silent'), simulations };
  const app = createApp(deps);
  afterAll(async () => {
    await simulations.close();
    await engine.close();
    await database.close();
  });

  const callOn = (target: { request: ReturnType<typeof createApp>['request'] }): CallApp => async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    if (init.cookie) headers.cookie = init.cookie;
    let body: string | undefined;
    if (init.rawBody !== undefined) body = init.rawBody;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await target.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const call = callOn(app);
  const callWith = (overrides: Partial<AppDeps>) => callOn(createApp({ ...deps, ...overrides }));

  const workspace: TestApp['workspace'] = async (name = `ws-${randomUUID().slice(0, 8)}`) => {
    const ws = await createWorkspace(database.db, name);
    const keys = {} as Record<KeyRole, string>;
    for (const role of ['ingest', 'viewer', 'editor', 'publisher', 'admin'] as const) {
      keys[role] = (await createApiKey(database.db, { workspaceId: ws.id, name: `${role} key`, role })).key;
    }
    const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'correct horse battery staple';
    const admin = await createUser(database.db, { workspaceId: ws.id, email, name: 'Admin', role: 'admin', password });
    return { id: ws.id, keys, admin: { email, password, id: admin.id } };
  };

  return { app, database, deps, workspace, call, callWith };
}

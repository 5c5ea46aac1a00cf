import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findUnstorableText, isStorableText, type EnrichConfig, type EnrichResult, type Lead, type MatchAccountResult } from '@lead-router/shared';
import { demoDirectory } from '@lead-router/shared/fixtures';
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueAt } from './enrich-providers';
import { createActivities } from './index';
import { scriptedDns } from '../test/dns';
import { applicationFailureOf, createTestDatabase, createWorkspace, failureOf, seedDirectory, type TestDatabase } from '../test/test-db';
import { BUSINESS_FAILURE, type RoutingActivities } from './types';

let t: TestDatabase;
let workspaceId: string;
let acts: RoutingActivities;
let open: RoutingActivities;
/** Private targets not allowed, over a DNS the tests script. */
let guarded: RoutingActivities;
const dns = scriptedDns();
let server: Server;
let base: string;
const seen: string[] = [];
const handlers = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  ({ workspaceId } = await createWorkspace(t.db));
  await seedDirectory(t.db, workspaceId, demoDirectory);
  acts = createActivities({ db: t.db });
  open = createActivities({ db: t.db, allowPrivateWebhookTargets: true });
  guarded = createActivities({ db: t.db, resolveHost: dns.resolve });
  server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers['x-api-key'] ?? ''}`);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const h = handlers.get(path);
    if (h) h(req, res);
    else json(res, 404, { error: 'no such company' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await t?.drop();
});

const ctx = () => ({ workspaceId, workflowId: 'lead-x', leadId: '00000000-0000-4000-8000-000000000001', nodeId: 'enrich', seq: 2 });
const FIRMO: EnrichConfig = { provider: 'firmographics', fields: ['employees', 'industry'], overwrite: false };

async function notFound(p: Promise<unknown>): Promise<EnrichResult> {
  const f = await applicationFailureOf(p);
  expect(f.type).toBe(BUSINESS_FAILURE);
  expect(f.nonRetryable).toBe(true);
  const r = f.details?.[0] as EnrichResult;
  expect(r.found).toBe(false);
  expect(f.message).toBe(r.detail);
  return r;
}

describe('enrich: firmographics', () => {
  const enrich = (lead: Lead) => acts.enrich({ ...ctx(), config: FIRMO, lead });

  it('finds a company by email domain, website or domain field, with the simulation’s fields and detail', async () => {
    expect(await enrich({ email: 'ana@Initech.com' })).toEqual({
      found: true,
      fields: { company: 'Initech', employees: 650, annualRevenue: 120000000, industry: 'Software', country: 'US', domain: 'initech.com' },
      detail: 'Found initech.com in the firmographics table',
    });
    expect((await enrich({ website: 'https://www.soylent.de/about', email: 'x@gmail.com' })).fields.country).toBe('DE');
    expect((await enrich({ domain: 'www.acme.com', email: 'x@initech.com' })).fields.company).toBe('Acme Corp');
  });

  it('not found, free mail and nothing to look up are business failures with the result', async () => {
    expect((await notFound(enrich({ email: 'bob@unknown-co.com' }))).detail).toBe('unknown-co.com is not in the firmographics table');
    expect((await notFound(enrich({ email: 'bob@gmail.com' }))).detail).toBe('gmail.com is a free email provider');
    expect((await notFound(enrich({ firstName: 'Bob' }))).detail).toBe('The lead has no domain, website or email to look up');
  });

  it('another workspace’s firmographics are not visible', async () => {
    const other = await createWorkspace(t.db);
    await notFound(acts.enrich({ ...ctx(), workspaceId: other.workspaceId, config: FIRMO, lead: { email: 'a@initech.com' } }));
  });
});

describe('enrich: http', () => {
  const http = (path: string, extra: Partial<NonNullable<EnrichConfig['http']>> = {}): EnrichConfig => ({
    provider: 'http',
    fields: ['employees', 'industry'],
    overwrite: false,
    http: { urlTemplate: `${base}${path}?domain={{domain}}&q={{company}}`, headers: { 'x-api-key': 'k1' }, timeoutMs: 1000, mapping: { employees: 'data.size', industry: 'data.tags.0', company: 'name' }, ...extra },
  });

  it('fills mapped fields from dotted paths; tokens are URL-encoded', async () => {
    handlers.set('/ok', (_req, res) => json(res, 200, { name: 'Acme', data: { size: 5200, tags: ['Manufacturing', 'B2B'] } }));
    seen.length = 0;
    const r = await open.enrich({ ...ctx(), config: http('/ok'), lead: { domain: 'acme.com', company: 'A&B Co/x?y' } });
    expect(r).toEqual({ found: true, fields: { employees: 5200, industry: 'Manufacturing', company: 'Acme' }, detail: `Found 3 of 3 mapped field(s) at ${base}` });
    expect(seen).toEqual(['/ok?domain=acme.com&q=A%26B%20Co%2Fx%3Fy k1']);
  });

  it('404 and other 4xx are not found; a lead without the URL’s fields is not looked up', async () => {
    expect((await notFound(open.enrich({ ...ctx(), config: http('/missing'), lead: { domain: 'acme.com', company: 'Acme' } }))).detail).toContain('has no data for this lead (404)');
    handlers.set('/denied', (_req, res) => json(res, 401, { error: 'bad key' }));
    expect((await notFound(open.enrich({ ...ctx(), config: http('/denied'), lead: { domain: 'acme.com', company: 'Acme' } }))).detail).toContain('answered 401');
    handlers.set('/empty', (_req, res) => json(res, 200, { other: 1 }));
    expect((await notFound(open.enrich({ ...ctx(), config: http('/empty'), lead: { domain: 'acme.com', company: 'Acme' } }))).detail).toContain('none of the mapped fields');
    seen.length = 0;
    expect((await notFound(open.enrich({ ...ctx(), config: http('/ok'), lead: { company: 'Acme' } }))).detail).toBe('The lead has no domain to look up');
    expect(seen).toEqual([]);
  });

  it('leaves out answered text PostgreSQL cannot store (NUL, lone surrogates), and says so', async () => {
    const lead = { domain: 'acme.com', company: 'Acme' };
    handlers.set('/nul', (_req, res) => json(res, 200, { name: 'Acme\u0000Corp', data: { size: 10, tags: ['\ud800Tech'] } }));
    const r = await open.enrich({ ...ctx(), config: http('/nul'), lead });
    expect(r).toEqual({
      found: true,
      fields: { employees: 10 },
      detail: `Found 3 of 3 mapped field(s) at ${base}; left out industry, company: the answer held a NUL character or broken Unicode, which cannot be stored`,
    });
    handlers.set('/all-nul', (_req, res) => json(res, 200, { name: '\u0000', data: { tags: ['\udc00'] } }));
    const none = await notFound(open.enrich({ ...ctx(), config: http('/all-nul'), lead }));
    expect(none.fields).toEqual({});
    expect(none.detail).toContain('left out industry, company');
    // An error body quoted in the detail keeps its words, not its NUL.
    handlers.set('/nul-error', (_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad\u0000key');
    });
    const quoted = await notFound(open.enrich({ ...ctx(), config: http('/nul-error'), lead }));
    expect(quoted.detail).toContain('answered 400');
    expect(quoted.detail).toContain('bad\ufffdkey');
    expect(isStorableText(quoted.detail)).toBe(true);
    // What comes back can be recorded: no field, key or word of it is refused by PostgreSQL.
    for (const x of [r, none, quoted]) expect(findUnstorableText(x)).toEqual([]);
  });

  it('5xx, 429 and timeouts are plain errors, for Temporal to retry', async () => {
    handlers.set('/down', (_req, res) => json(res, 503, { error: 'maintenance' }));
    handlers.set('/busy', (_req, res) => json(res, 429, { error: 'slow down' }));
    handlers.set('/slow', (_req, res) => void setTimeout(() => json(res, 200, { data: { size: 1 } }), 1500));
    const lead = { domain: 'acme.com', company: 'Acme' };
    for (const [path, text] of [
      ['/down', 'answered 503'],
      ['/busy', 'answered 429'],
      ['/slow', 'did not answer within 300 ms'],
    ] as const) {
      const e = await failureOf(open.enrich({ ...ctx(), config: http(path, { timeoutMs: 300 }), lead }));
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(ApplicationFailure);
      expect((e as Error).message).toContain(text);
    }
  });

  it('a loopback provider is refused unless private targets are allowed', async () => {
    seen.length = 0;
    const r = await notFound(acts.enrich({ ...ctx(), config: http('/ok'), lead: { domain: 'acme.com', company: 'Acme' } }));
    expect(r.detail).toBe(`Did not call ${base}: 127.0.0.1 is a loopback address; the router only calls public addresses`);
    expect(seen).toEqual([]);
  });

  it('a provider name rebound to 127.0.0.1 between check and connect is refused: not reached, and nothing of an answer comes back', async () => {
    handlers.set('/ok', (_req, res) => json(res, 200, { name: 'LISTENER-SECRET', data: { size: 7777777, tags: ['Internal'] } }));
    const port = new URL(base).port;
    dns.answer('rebind-enrich.test', ['93.184.215.14'], ['127.0.0.1']);
    seen.length = 0;
    const config = http('/ok');
    const rebound = { ...config, http: { ...config.http!, urlTemplate: `http://rebind-enrich.test:${port}/ok?domain={{domain}}` } };
    const r = await notFound(guarded.enrich({ ...ctx(), config: rebound, lead: { domain: 'acme.com', company: 'Acme' } }));
    expect(r).toEqual({ found: false, fields: {}, detail: `Did not call http://rebind-enrich.test:${port}: rebind-enrich.test resolves to 127.0.0.1, a loopback address; the router only calls public addresses` });
    expect(dns.asked.get('rebind-enrich.test')).toBe(2);
    expect(seen).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/LISTENER-SECRET|7777777/);
  });

  it('reads dotted paths of own properties only', () => {
    expect(valueAt({ a: { b: [{ c: 1 }] } }, 'a.b.0.c')).toBe(1);
    expect(valueAt({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(valueAt({ a: [1] }, 'a.length')).toBeUndefined();
  });
});

describe('matchAccount', () => {
  const match = (lead: Lead) => acts.matchAccount({ ...ctx(), nodeId: 'match', config: { by: ['email_domain', 'website_domain', 'company_name'] }, lead });

  it('matches by email domain, website or company name', async () => {
    expect(await match({ email: 'x@eu.globex.com' })).toEqual({
      account: { id: 'acct-globex', name: 'Globex Corporation', ownerId: 'rep-bo' },
      method: 'email_domain',
      rule: 'email_domain',
      candidates: [{ accountId: 'acct-globex', accountName: 'Globex Corporation', ownerId: 'rep-bo', rule: 'email_domain', score: 0.99, via: 'eu.globex.com (via globex.com)' }],
      candidateCount: 1,
      detail: 'Email domain eu.globex.com (via globex.com) matched account Globex Corporation',
    });
    expect((await match({ email: 'x@gmail.com', company: 'Hooli, Inc.' })).account).toEqual({ id: 'acct-hooli', name: 'Hooli', ownerId: null });
  });

  it('no account is a business failure with the result', async () => {
    const f = await applicationFailureOf(match({ email: 'x@gmail.com', company: 'Nobody Ltd' }));
    expect(f.type).toBe(BUSINESS_FAILURE);
    const r = f.details?.[0] as MatchAccountResult;
    expect(r.account).toBeNull();
    expect(r.detail).toContain('email domain gmail.com is free mail');
  });
});

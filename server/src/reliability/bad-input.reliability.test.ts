// Bad input, generated: over 10,000 malformed or hostile lead payloads and graph documents (5,000 leads
// and 300 draft saves with test runs through the real HTTP app over the real test database, 5,000 graphs
// straight into the compiler; BAD_INPUT_LEADS, BAD_INPUT_GRAPHS and BAD_INPUT_HTTP_GRAPHS change the
// counts). The server never answers 5xx, every 4xx says what is wrong and names the field, no half-valid
// lead is stored (rows grow by exactly the accepted leads, each with its run and outbox row), and the
// compiler never throws.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { compile, DirectorySchema } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { count, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { drafts, leads, outbox, routingRuns } from '@lead-router/db/schema';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { createWorkflow } from '../routes/workflows/workflows.fixtures';

const t = setupTestApp();
const db = t.database.db;
const directory = DirectorySchema.parse(demoDirectory);

const LEAD_RUNS = Number(process.env.BAD_INPUT_LEADS ?? 5_000);
const GRAPH_RUNS = Number(process.env.BAD_INPUT_GRAPHS ?? 5_000);
const HTTP_GRAPH_RUNS = Number(process.env.BAD_INPUT_HTTP_GRAPHS ?? 300);
const BATCH = 40;

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'id', 'email', 'employees', 'country', 'company', 'domain', '', ' ', '\u0000', 'a.b', '$where');
const FIELDS = ['id', 'email', 'firstName', 'lastName', 'company', 'employees', 'country', 'state', 'industry', 'revenue', 'phone', 'title', 'source', 'domain', 'website'];
const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** A nested value `depth` levels deep, as a JSON text (built by hand: JSON.stringify of it would be the test's own recursion). */
const deepText = (depth: number, open: string, close: string, leaf: string) => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

const enc = new TextEncoder();

const leadBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  // Wrong types in the known fields.
  fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 8 }).map((o) => enc.encode(JSON.stringify(o))),
  // Prototype-pollution keys, written as raw JSON so `__proto__` is an own key on the wire.
  fc.array(fc.tuple(hostileKey, jsonValue), { maxLength: 6 }).map((pairs) => enc.encode(`{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`)),
  // Anything JSON at all, objects or not.
  jsonValue.map((v) => enc.encode(JSON.stringify(v) ?? 'null')),
  // Huge strings: near and over the 64 KiB limit.
  fc.tuple(fc.constantFrom(...FIELDS), fc.integer({ min: 1_000, max: 80_000 })).map(([k, n]) => enc.encode(JSON.stringify({ email: 'a@b.co', [k]: 'x'.repeat(n) }))),
  // Deep nesting, objects and arrays.
  fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([d, arr]) => enc.encode(arr ? `{"company":${deepText(d, '[', ']', '1')}}` : `{"company":${deepText(d, '{"a":', '}', '1')}}`)),
  // Text that is not JSON.
  fc.string({ maxLength: 200 }).map((s) => enc.encode(s)),
  // Bytes that are not UTF-8 inside an otherwise fine JSON object.
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bad) => {
    const head = enc.encode('{"firstName":"');
    const tail = enc.encode('","email":"a@b.co"}');
    const b = new Uint8Array(head.length + bad.length + 1 + tail.length);
    b.set(head, 0);
    b.set(bad, head.length);
    b[head.length + bad.length] = 0xff; // always at least one byte UTF-8 never uses
    b.set(tail, head.length + bad.length + 1);
    return b;
  }),
  // NUL characters and lone surrogates, which PostgreSQL's text and jsonb refuse.
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', '\\u0000').map((s) => enc.encode(`{"company":"${s === '\\u0000' ? s : JSON.stringify(s).slice(1, -1)}","email":"n@x.io"}`)),
  // Pathological patterns in strings the catalog normalises (emails, domains, numbers).
  fc.constantFrom('a'.repeat(5_000) + '@', '@'.repeat(3_000), 'x@' + 'a.'.repeat(4_000), '1e999999', '-0', 'NaN', 'Infinity', '0x10', ' '.repeat(10_000)).chain((s) =>
    fc.constantFrom('email', 'employees', 'domain', 'website', 'revenue').map((k) => enc.encode(JSON.stringify({ [k]: s }))),
  ),
);

/** What a 4xx must carry: a code, a message, and for field problems the field each one is about. */
function expectExplained(status: number, body: unknown, what: string): void {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: Array<{ path?: unknown; nodeId?: unknown; edgeId?: unknown; message?: unknown }> } } | null)?.error;
  expect(typeof error?.code, what).toBe('string');
  expect(typeof error?.message === 'string' && error.message.length > 0, what).toBe(true);
  if (error?.code === 'invalid_request') {
    expect(error.details?.length ?? 0, what).toBeGreaterThan(0);
    for (const d of error.details ?? []) {
      // The field: a path in the body, or the graph's node or edge the problem is on.
      const named = [d.path, d.nodeId, d.edgeId].some((x) => typeof x === 'string' && x.length > 0);
      expect(named, `${what}: ${JSON.stringify(d)}`).toBe(true);
      expect(typeof d.message === 'string' && d.message.length > 0, `${what}: ${JSON.stringify(d)}`).toBe(true);
    }
  }
}

async function send(method: string, path: string, key: string, body: Uint8Array | string): Promise<{ status: number; body: unknown; text: string }> {
  const res = await t.app.request(path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body as RequestInit['body'] });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertion on it says so
  }
  return { status: res.status, body: parsed, text };
}

const show = (b: Uint8Array | string) => {
  const s = typeof b === 'string' ? b : Buffer.from(b).toString('latin1');
  return s.length > 160 ? `${s.slice(0, 160)}… (${s.length} chars)` : s;
};

async function counts(workflowId: string) {
  const [l] = await db.select({ n: count() }).from(leads).where(eq(leads.workflowId, workflowId));
  const [r] = await db.select({ n: count() }).from(routingRuns).where(eq(routingRuns.workflowId, workflowId));
  const [o] = await db.select({ n: count() }).from(outbox).innerJoin(leads, eq(leads.id, outbox.leadId)).where(eq(leads.workflowId, workflowId));
  return { leads: l!.n, runs: r!.n, outbox: o!.n };
}

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await t.workspace();
});

describe('generated hostile lead payloads on the trigger endpoint', () => {
  it(`${LEAD_RUNS} payloads: no 5xx, every 4xx explained, stored leads grow by exactly the 202s, each whole`, async () => {
    const wf = await createTestWorkflow(db, ws.id);
    const before = await counts(wf.id);
    expect(before).toEqual({ leads: 0, runs: 0, outbox: 0 });
    const bodies = fc.sample(leadBody, { numRuns: LEAD_RUNS, seed: 20261122 });
    let accepted = 0;
    const byStatus: Record<number, number> = {};
    const leadIds = new Set<string>();
    for (let i = 0; i < bodies.length; i += BATCH) {
      const batch = bodies.slice(i, i + BATCH);
      const answers = await Promise.all(batch.map((b) => send('POST', `/api/workflows/${wf.id}/leads`, ws.keys.ingest, b)));
      answers.forEach((r, j) => {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        const what = `${r.status} ${r.text.slice(0, 300)} for ${show(batch[j]!)}`;
        if (r.status === 202) {
          const id = (r.body as { leadId: string }).leadId;
          // A replayed idempotency key answers the first lead: count leads, not answers.
          if (!leadIds.has(id)) accepted++;
          leadIds.add(id);
        } else expectExplained(r.status, r.body, what);
      });
    }
    const after = await counts(wf.id);
    expect(after).toEqual({ leads: accepted, runs: accepted, outbox: accepted });
    // The generators reach both sides: some payloads are fine leads, most are refused.
    expect(byStatus[202] ?? 0).toBeGreaterThan(0);
    expect(byStatus[400] ?? 0).toBeGreaterThan(LEAD_RUNS / 4);
    expect(byStatus[413] ?? 0).toBeGreaterThan(0);
    // Nothing polluted Object.prototype along the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  }, 240_000);
});

// Graph documents: shaped like the fixture graph with parts replaced by hostile values.
const anyValue = fc.anything({ maxDepth: 3, withNullPrototype: false, withUnicodeString: true });
const fixtureNodes = hybridRoutingGraph.nodes;

const graphDoc: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.record({ schemaVersion: anyValue, nodes: anyValue, edges: anyValue }, { requiredKeys: [] }),
  // The fixture with one node's field replaced.
  fc.tuple(fc.nat(fixtureNodes.length - 1), fc.constantFrom('id', 'type', 'position', 'config', 'label', '__proto__', 'constructor'), anyValue).map(([i, k, v]) => ({
    ...hybridRoutingGraph,
    nodes: fixtureNodes.map((n, j) => (j === i ? { ...n, [k]: v } : n)),
  })),
  // The fixture with one node's config field replaced.
  fc.tuple(fc.nat(fixtureNodes.length - 1), fc.string({ maxLength: 12 }), anyValue).map(([i, k, v]) => ({
    ...hybridRoutingGraph,
    nodes: fixtureNodes.map((n, j) => (j === i ? { ...n, config: { ...(n.config as object), [k]: v } } : n)),
  })),
  // Edges rewired at random, duplicated, or pointing nowhere.
  fc.array(fc.record({ id: fc.string({ maxLength: 8 }), source: fc.constantFrom(...fixtureNodes.map((n) => n.id), 'ghost'), sourceHandle: fc.string({ maxLength: 8 }), target: fc.constantFrom(...fixtureNodes.map((n) => n.id), 'ghost') }), { maxLength: 30 }).map((edges) => ({ ...hybridRoutingGraph, edges })),
  // Many nodes, huge labels.
  fc.integer({ min: 1, max: 150 }).map((n) => ({ schemaVersion: 1, nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'end', position: { x: i, y: 0 }, label: 'L'.repeat(i % 7 === 0 ? 5_000 : 3), config: { outcome: 'completed' } })), edges: [] })),
);

describe('generated hostile graph documents', () => {
  it(`${GRAPH_RUNS} graphs: the compiler never throws`, () => {
    for (const g of fc.sample(graphDoc, { numRuns: GRAPH_RUNS, seed: 7 })) {
      let r;
      try {
        r = compile(g as never, { directory });
      } catch (e) {
        throw new Error(`compile threw ${String(e)} on ${JSON.stringify(g)?.slice(0, 300)}`);
      }
      expect(typeof r.ok).toBe('boolean');
    }
  }, 120_000);

  it(`${HTTP_GRAPH_RUNS} draft saves and test runs over HTTP: no 5xx, every 4xx explained, and a failed save stores nothing`, async () => {
    const id = await createWorkflow(t, ws);
    const docs = fc.sample(graphDoc, { numRuns: HTTP_GRAPH_RUNS, seed: 11 });
    const bodyOf = (g: unknown, revision: unknown) => {
      try {
        return JSON.stringify({ graph: g, revision });
      } catch {
        return '{"graph":';
      }
    };
    const byStatus: Record<number, number> = {};
    for (let i = 0; i < docs.length; i += 10) {
      const batch = docs.slice(i, i + 10);
      // Draft saves one at a time (each needs the current revision); test runs of each alongside.
      for (const g of batch) {
        const [wf] = await db.select({ revision: drafts.revision }).from(drafts).where(eq(drafts.workflowId, id));
        const body = bodyOf(g, wf!.revision);
        const r = await send('PUT', `/api/workflows/${id}/draft`, ws.keys.editor, body);
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        if (r.status !== 200) {
          expectExplained(r.status, r.body, `save ${r.status} ${r.text.slice(0, 300)} for ${show(body)}`);
          const [still] = await db.select({ revision: drafts.revision }).from(drafts).where(eq(drafts.workflowId, id));
          expect(still!.revision).toBe(wf!.revision);
        }
      }
      const sims = await Promise.all(batch.map(() => send('POST', `/api/workflows/${id}/simulate`, ws.keys.editor, JSON.stringify({ leads: [{ id: 'x', email: 'a@acme.com', employees: 700 }] }))));
      for (const s of sims) if (s.status !== 200) expectExplained(s.status, s.body, `simulate ${s.status} ${s.text.slice(0, 300)}`);
    }
    expect(byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(byStatus).some((s) => Number(s) >= 400)).toBe(true);
  }, 240_000);
});

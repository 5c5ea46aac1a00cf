// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { setupTestApp } from '../test/harness';
import { Client, Connection } from '@temporalio/client';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { outbox, routingRuns } from '@lead-router/db/schema';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { OutboxDispatcher } from '@lead-router/db/outbox-dispatcher';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { TemporalRoutingEngine } from './routing-engine';

// Temporal down while leads arrive: every lead is accepted into the outbox; once a real Temporal server
// is up, the dispatcher starts exactly one `lead-<id>` workflow per lead. Nothing lost, nothing doubled.
const port = await freePort();
const engine = new TemporalRoutingEngine({ address: `127.0.0.1:${port}`, namespace: 'default', taskQueue: 'dispatch-test' });
const t = setupTestApp({ engine });
let server: { address: string; stop(): Promise<void> } | null = null;
afterAll(async () => {
  await server?.stop();
});

describe('outbox with a real Temporal server', () => {
  it('accepts 100 leads while Temporal is down and starts each exactly once when it is back', async () => {
    const ws = await t.workspace();
    const wf = await createTestWorkflow(t.database.db, ws.id);
    const posted = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.call('POST', `/api/workflows/${wf.id}/leads`, { key: ws.keys.ingest, body: { id: `out-${i}`, email: `lead${i}@acme.com`, company: 'Acme' } }),
      ),
    );
    expect(posted.map((r) => r.status)).toEqual(Array(100).fill(202));
    const leadIds = posted.map((r) => r.body.leadId as string);
    expect(new Set(leadIds).size).toBe(100);

    const dispatcher = new OutboxDispatcher({ db: t.database.db, engine, log: t.deps.log, now: () => new Date() }, { workspaceId: ws.id, batchSize: 50 });
    const down = await dispatcher.drainOnce();
    expect(down.dispatched).toBe(0);
    const pending = await t.database.db.select().from(outbox).where(and(eq(outbox.workspaceId, ws.id), isNull(outbox.dispatchedAt)));
    expect(pending).toHaveLength(100);

    server = await startTemporalDevServer(port);
    let dispatched = 0;
    const deadline = Date.now() + 60_000;
    while (dispatched < 100 && Date.now() < deadline) {
      dispatched += (await dispatcher.drainOnce()).dispatched;
      if (dispatched < 100) await new Promise((r) => setTimeout(r, 300));
    }
    expect(dispatched).toBe(100);
    // A further drain finds nothing to do: no lead is started twice.
    expect(await dispatcher.drainOnce()).toEqual({ dispatched: 0, failed: 0 });

    const rows = await t.database.db.select().from(outbox).where(eq(outbox.workspaceId, ws.id));
    expect(rows.every((r) => r.dispatchedAt !== null)).toBe(true);
    const runs = await t.database.db.select().from(routingRuns).where(eq(routingRuns.workspaceId, ws.id));
    expect(runs.map((r) => r.status)).toEqual(Array(100).fill('running'));

    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const described = await Promise.all(leadIds.map((id) => client.workflow.getHandle(workflowIdOf(id)).describe()));
      expect(described.map((d) => d.type)).toEqual(Array(100).fill('routeLead'));
      expect(described.map((d) => d.taskQueue)).toEqual(Array(100).fill('dispatch-test'));
      // Starting a lead again (e.g. a retried drain) is harmless: same workflow, still one run.
      await engine.start({ leadId: leadIds[0] as string, workspaceId: ws.id, versionId: wf.versionId as string });
      const runsOfFirst = client.workflow.list({ query: `WorkflowId = '${workflowIdOf(leadIds[0] as string)}'` });
      let count = 0;
      for await (const _ of runsOfFirst) count++;
      expect(count).toBe(1);
    } finally {
      await connection.close();
    }
  }, 120_000);
});

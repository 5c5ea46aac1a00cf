import { compile, DirectorySchema } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { eq } from 'drizzle-orm';
import { newWebhookSecret } from '../../auth/secrets';
import type { Db } from '@lead-router/db/client';
import { routingRuns, traceSteps, versions, workflows } from '@lead-router/db/schema';
import { storeLead } from '../../services/ingest.service';

const compiled = compile(hybridRoutingGraph, { directory: DirectorySchema.parse(demoDirectory) });
if (!compiled.ok) throw new Error('the hybrid routing fixture no longer compiles');
const plan = compiled.plan;

/** A workflow as the workflows API would leave it: published (version 1 active) unless told otherwise. */
export async function createTestWorkflow(
  db: Db,
  workspaceId: string,
  options: { published?: boolean; archived?: boolean; name?: string } = {},
): Promise<{ id: string; secret: string; versionId: string | null }> {
  const secret = newWebhookSecret();
  const [wf] = await db
    .insert(workflows)
    .values({ workspaceId, name: options.name ?? 'Inbound routing', webhookSecret: secret, archivedAt: options.archived ? new Date() : null })
    .returning({ id: workflows.id });
  if (!wf) throw new Error('workflow insert returned nothing');
  if (options.published === false) return { id: wf.id, secret, versionId: null };
  const [v] = await db
    .insert(versions)
    .values({ workflowId: wf.id, number: 1, graph: hybridRoutingGraph, plan, checksum: 'test', authorName: 'Test', note: 'first' })
    .returning({ id: versions.id });
  if (!v) throw new Error('version insert returned nothing');
  await db.update(workflows).set({ activeVersionId: v.id }).where(eq(workflows.id, wf.id));
  return { id: wf.id, secret, versionId: v.id };
}

/** A stored lead with its queued run, as ingestion writes it. */
export async function createTestLead(
  db: Db,
  wf: { id: string; versionId: string | null },
  workspaceId: string,
  lead: Record<string, string | number | boolean | null> = { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme' },
  receivedAt = new Date(),
): Promise<string> {
  if (!wf.versionId) throw new Error('the workflow has no version');
  const r = await storeLead(db, { workflowId: wf.id, workspaceId, versionId: wf.versionId, webhookSecret: '' }, lead, null, receivedAt);
  return r.leadId;
}

/** Writes what the worker would: a change to the run. */
export async function updateTestRun(db: Db, leadId: string, set: Partial<typeof routingRuns.$inferInsert>): Promise<void> {
  await db.update(routingRuns).set(set).where(eq(routingRuns.leadId, leadId));
}

/** Writes what the worker would: one trace step. */
export async function insertTestStep(db: Db, leadId: string, seq: number, nodeId = `node-${seq}`): Promise<void> {
  await db.insert(traceSteps).values({
    leadId,
    seq,
    nodeId,
    nodeType: 'branch',
    label: `Step ${seq}`,
    at: new Date(Date.UTC(2024, 4, 1, 9, 30, seq)),
    durationMs: seq,
    input: { employees: 650 },
    decision: `decision ${seq}`,
    explanation: [`employees 650 > 500: true`],
    output: {},
    outcome: 'yes',
    next: `node-${seq + 1}`,
  });
}

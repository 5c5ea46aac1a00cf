import { randomUUID } from 'node:crypto';
import { compile, DirectorySchema, type DirectoryInput, type Graph, type Lead, type Plan } from '@lead-router/shared';
import { ApplicationFailure } from '@temporalio/activity';
import type { Database, Db } from '@lead-router/db/client';
import { leads, routingRuns, versions, workflows, workspaces } from '@lead-router/db/schema';
import { scratchDatabase, type ScratchDatabase } from '@lead-router/testkit/scratch-database';

// Test support for the activities: a database of their own per test file (created, migrated, dropped), and
// rows written directly as the server's services would store them.

/** A migrated scratch database and a pool over it; `drop()` closes the pool and drops the database. */
export type TestDatabase = Pick<ScratchDatabase & Database, 'url' | 'db' | 'drop'>;

/** Creates and migrates `act_test_<pid>_<random>` on the machine's PostgreSQL (TEST_POSTGRES_URL overrides). */
export function createTestDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  return scratchDatabase('act_test', options);
}

/** A fresh workspace with one workflow. */
export async function createWorkspace(db: Db): Promise<{ workspaceId: string; workflowId: string }> {
  const [ws] = await db.insert(workspaces).values({ name: `ws-${randomUUID().slice(0, 8)}` }).returning({ id: workspaces.id });
  if (!ws) throw new Error('workspace insert returned nothing');
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'Test workflow', webhookSecret: randomUUID() }).returning({ id: workflows.id });
  if (!wf) throw new Error('workflow insert returned nothing');
  return { workspaceId: ws.id, workflowId: wf.id };
}

/** Inserts a directory document's rows into a workspace. */
export { insertDirectory as seedDirectory } from '@lead-router/db/directory-seed';

/** Stores `graph` compiled against `directory` as a version of the workflow. */
export async function insertVersion(db: Db, workflowId: string, graph: Graph, directory: DirectoryInput, number = 1): Promise<{ versionId: string; plan: Plan }> {
  const compiled = compile(graph, { directory: DirectorySchema.parse(directory) });
  if (!compiled.ok) throw new Error(`test graph does not compile: ${compiled.problems.map((p) => p.message).join('; ')}`);
  const [v] = await db
    .insert(versions)
    .values({ workflowId, number, graph, plan: compiled.plan, checksum: `test-${number}`, authorName: 'test', note: `version ${number}` })
    .returning({ id: versions.id });
  if (!v) throw new Error('version insert returned nothing');
  return { versionId: v.id, plan: compiled.plan };
}

/** Stores leads with their (queued) routing runs, as ingestion does; returns their ids in order. */
export async function insertLeads(
  db: Db,
  target: { workspaceId: string; workflowId: string; versionId?: string },
  data: Lead[],
  receivedAt = new Date('2026-03-10T15:00:00Z'),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < data.length; i += 500) {
    const chunk = data.slice(i, i + 500);
    const rows = await db
      .insert(leads)
      .values(chunk.map((d) => ({ workspaceId: target.workspaceId, workflowId: target.workflowId, data: d, receivedAt })))
      .returning({ id: leads.id });
    await db.insert(routingRuns).values(
      rows.map((r) => ({
        leadId: r.id,
        workspaceId: target.workspaceId,
        workflowId: target.workflowId,
        versionId: target.versionId ?? randomUUID(),
        temporalWorkflowId: `lead-${r.id}`,
        status: 'queued' as const,
        receivedAt,
      })),
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** Awaits a promise that must reject, and returns what it threw. */
export async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Awaits a promise that must reject with an ApplicationFailure, and returns it. */
export async function applicationFailureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const e = await failureOf(p);
  if (!(e instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  return e;
}

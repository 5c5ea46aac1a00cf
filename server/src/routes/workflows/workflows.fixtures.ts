import type { Graph, LeadValue } from '@lead-router/shared';
import { demoDirectory } from '@lead-router/shared/fixtures';
import { expect } from 'vitest';
import type { Db } from '@lead-router/db/client';
import { goldenLeads } from '@lead-router/db/schema';
import { insertDirectory } from '@lead-router/db/directory-seed';
import type { TestApp, TestWorkspace } from '../../test/harness';

/**
 * Puts the demo directory's reps, teams, territories and queues into a workspace with plain inserts: the
 * directory routes belong to another part of the server, and these tests only need the rows.
 */
export async function seedDemoDirectory(db: Db, workspaceId: string): Promise<void> {
  const { reps, teams, territories, queues } = demoDirectory;
  await insertDirectory(db, workspaceId, { reps, teams, territories, queues });
}

/** Adds a golden lead to a workflow directly (the golden-lead routes belong to another part of the server). */
export async function addGoldenLead(
  db: Db,
  workflowId: string,
  name: string,
  lead: Record<string, LeadValue>,
  expect: { assignee?: string; team?: string; node?: string; outcome?: string },
): Promise<string> {
  const [row] = await db.insert(goldenLeads).values({ workflowId, name, lead, expect }).returning({ id: goldenLeads.id });
  if (!row) throw new Error('golden lead insert returned nothing');
  return row.id;
}

/** Creates a workflow through the API (as the workspace's editor) and returns its id. */
export async function createWorkflow(t: TestApp, ws: TestWorkspace, body: { name?: string; description?: string; graph?: Graph } = {}): Promise<string> {
  const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Inbound routing', ...body } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** Saves a graph over the current draft (reading its revision first) and returns the response. */
export async function saveGraph(t: TestApp, ws: TestWorkspace, id: string, graph: Graph) {
  const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.editor });
  expect(draft.status).toBe(200);
  return t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph, revision: draft.body.revision } });
}

/** Publishes the draft as the publisher; returns the response. */
export function publish(t: TestApp, ws: TestWorkspace, id: string, note = 'First version', force?: boolean) {
  return t.call('POST', `/api/workflows/${id}/publish`, { key: ws.keys.publisher, body: { note, ...(force !== undefined ? { force } : {}) } });
}

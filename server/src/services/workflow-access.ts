import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { workflows } from '@lead-router/db/schema';
import { notFound } from '../errors/domain-error';

/** The ids the API accepts for workflows and leads: UUIDs. Anything else is simply not found. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workflow with this id in this workspace, or `not_found` (also for another workspace's workflow). */
export async function requireWorkflow(db: Db | Tx, workspaceId: string, id: string) {
  if (!UUID_PATTERN.test(id)) throw notFound(`Workflow ${id}`);
  const [wf] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, id), eq(workflows.workspaceId, workspaceId)))
    .limit(1);
  if (!wf) throw notFound(`Workflow ${id}`);
  return wf;
}

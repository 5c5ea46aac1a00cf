import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';

/**
 * Writes `n` leads of a workflow whose first run has ended (completed, held by `assigneeId`), received one
 * second apart from `from`, in two statements, as the worker would have left them: what a backfill takes.
 * Returns nothing; read them back by workflow. For tests and the bench (bench/backfill.ts).
 */
export async function seedFinishedLeads(
  db: Db,
  o: { workspaceId: string; workflowId: string; versionId: string; n: number; from: Date; assigneeId?: string; status?: 'completed' | 'waiting' | 'queued' | 'running'; data?: Record<string, string | number> },
): Promise<void> {
  const data = JSON.stringify(o.data ?? { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme', country: 'US', employees: 120 });
  const status = o.status ?? 'completed';
  const ended = status === 'completed';
  await db.execute(sql`
    with made as (
      insert into leads (workspace_id, workflow_id, data, received_at)
      select ${o.workspaceId}::uuid, ${o.workflowId}::uuid, ${data}::jsonb, ${o.from.toISOString()}::timestamptz + make_interval(secs => g)
      from generate_series(0, ${o.n - 1}) g
      returning id, received_at
    )
    insert into routing_runs (lead_id, workspace_id, workflow_id, version_id, temporal_workflow_id, status, received_at, started_at,
      assignee_type, assignee_id, first_assignee_id, first_assigned_at, assigned_at, completed_at, outcome)
    select id, ${o.workspaceId}::uuid, ${o.workflowId}::uuid, ${o.versionId}::uuid, 'lead-' || id, ${status}::run_status, received_at, received_at,
      ${o.assigneeId ? 'rep' : null}, ${o.assigneeId ?? null}, ${o.assigneeId ?? null}, received_at, received_at,
      ${ended ? sql`received_at` : sql`null`}, ${ended ? 'routed' : null}
    from made`);
}

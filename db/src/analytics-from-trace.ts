import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client';

/**
 * What the worker's recordSteps keeps as a lead moves (run_assignments, run_passed_over, run_waits,
 * routing_runs' analytics columns, path_counts; the rollups follow by their triggers), computed instead from
 * the traces of one workspace's runs: for runs written without the worker, i.e. the demo's history
 * (server/src/services/demo-history.ts). The statements are migration 0006's backfill, narrowed to the
 * workspace; rows that already exist are kept (each insert is ON CONFLICT DO NOTHING), so run it on runs
 * recordSteps never saw.
 */
export async function analyticsFromTrace(db: Db | Tx, workspaceId: string): Promise<void> {
  for (const statement of statements(workspaceId)) await db.execute(statement);
}

const statements = (workspaceId: string) => [
  sql`
INSERT INTO "run_assignments" ("lead_id", "seq", "workspace_id", "workflow_id", "received_at", "at", "node_id", "node_type", "pool_key", "assignee_type", "assignee_id")
SELECT s."lead_id", s."seq", r."workspace_id", r."workflow_id", r."received_at", s."at", s."node_id", s."node_type", s."output"->>'poolKey',
  CASE WHEN jsonb_typeof(s."output"->'assignee') = 'object' THEN s."output"->'assignee'->>'type' END,
  CASE WHEN jsonb_typeof(s."output"->'assignee') = 'object' THEN s."output"->'assignee'->>'id' END
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
WHERE r."workspace_id" = ${workspaceId} AND s."node_type" IN ('assign', 'escalate')
ON CONFLICT DO NOTHING
`,
  sql`
INSERT INTO "run_passed_over" ("lead_id", "seq", "rep_id", "workspace_id", "workflow_id", "received_at", "node_id", "verdict")
SELECT s."lead_id", s."seq", c->>'repId', r."workspace_id", r."workflow_id", r."received_at", s."node_id", c->>'verdict'
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id", jsonb_array_elements(s."candidates") c
WHERE r."workspace_id" = ${workspaceId} AND s."node_type" IN ('assign', 'escalate') AND jsonb_typeof(s."candidates") = 'array'
  AND c->>'repId' IS NOT NULL AND c->>'verdict' NOT IN ('chosen', 'not_this_turn')
ON CONFLICT DO NOTHING
`,
  sql`
INSERT INTO "run_waits" ("lead_id", "seq", "workspace_id", "workflow_id", "received_at", "node_id", "started_at", "assignee_type", "assignee_id", "outcome", "elapsed_ms")
SELECT s."lead_id", s."seq", r."workspace_id", r."workflow_id", r."received_at", s."node_id", s."at", a."assignee_type", a."assignee_id", s."outcome", s."duration_ms"
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
LEFT JOIN LATERAL (
  SELECT x."assignee_type", x."assignee_id" FROM "run_assignments" x
  WHERE x."lead_id" = s."lead_id" AND x."seq" < s."seq" AND x."assignee_id" IS NOT NULL ORDER BY x."seq" DESC LIMIT 1
) a ON true
WHERE r."workspace_id" = ${workspaceId} AND s."node_type" = 'wait' AND s."outcome" IN ('accepted', 'timed_out', 'rejected')
ON CONFLICT DO NOTHING
`,
  sql`
UPDATE "routing_runs" r SET
  "first_assignee_type" = f."first_type", "first_assignee_id" = f."first_id",
  "reassignments" = greatest(f."assignments" - 1, 0), "escalations" = f."escalations"
FROM (
  SELECT "lead_id", count(*)::int AS "assignments", (count(*) FILTER (WHERE "node_type" = 'escalate'))::int AS "escalations",
    (array_agg("assignee_type" ORDER BY "seq"))[1] AS "first_type", (array_agg("assignee_id" ORDER BY "seq"))[1] AS "first_id"
  FROM "run_assignments" WHERE "workspace_id" = ${workspaceId} AND "assignee_id" IS NOT NULL GROUP BY "lead_id"
) f WHERE f."lead_id" = r."lead_id" AND r."workspace_id" = ${workspaceId}
`,
  sql`
UPDATE "routing_runs" r SET
  "sla_met" = w."met", "sla_breached" = w."breached", "rejections" = w."rejected", "first_contact_at" = w."contacted"
FROM (
  SELECT s."lead_id",
    (count(*) FILTER (WHERE s."outcome" = 'accepted'))::int AS "met",
    (count(*) FILTER (WHERE s."outcome" = 'timed_out'))::int AS "breached",
    (count(*) FILTER (WHERE s."outcome" = 'rejected'))::int AS "rejected",
    min(s."at" + s."duration_ms" * interval '1 millisecond') FILTER (WHERE s."outcome" = 'accepted' AND s."decision" LIKE 'Contacted%') AS "contacted"
  FROM "trace_steps" s WHERE s."node_type" = 'wait' GROUP BY s."lead_id"
) w WHERE w."lead_id" = r."lead_id" AND r."workspace_id" = ${workspaceId}
`,
  sql`
INSERT INTO "path_counts" ("workspace_id", "workflow_id", "day", "node_id", "node_type", "outcome", "next", "count")
SELECT r."workspace_id", r."workflow_id", to_char(r."received_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD'), s."node_id", max(s."node_type"),
  coalesce(s."outcome", ''), coalesce(s."next", ''), count(*)::int
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
WHERE r."workspace_id" = ${workspaceId}
GROUP BY 1, 2, 3, 4, 6, 7
ON CONFLICT DO NOTHING
`,
  sql`
UPDATE "routing_runs" r SET "first_assigned_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."first_assigned_at") FROM "reps" p WHERE p."workspace_id" = r."workspace_id" AND p."id" = r."first_assignee_id"
) WHERE r."workspace_id" = ${workspaceId} AND r."first_assignee_type" = 'rep' AND r."first_assigned_at" IS NOT NULL
`,
  sql`
UPDATE "routing_runs" r SET "accepted_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."accepted_at") FROM "run_waits" w JOIN "reps" p ON p."workspace_id" = w."workspace_id" AND p."id" = w."assignee_id"
  WHERE w."lead_id" = r."lead_id" AND w."outcome" = 'accepted' AND w."assignee_type" = 'rep' ORDER BY w."seq" DESC LIMIT 1
) WHERE r."workspace_id" = ${workspaceId} AND r."accepted_at" IS NOT NULL
`,
  sql`
UPDATE "routing_runs" r SET "first_contact_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."first_contact_at") FROM "run_waits" w JOIN "reps" p ON p."workspace_id" = w."workspace_id" AND p."id" = w."assignee_id"
  WHERE w."lead_id" = r."lead_id" AND w."outcome" = 'accepted' AND w."assignee_type" = 'rep' AND w."started_at" + w."elapsed_ms" * interval '1 millisecond' = r."first_contact_at" ORDER BY w."seq" LIMIT 1
) WHERE r."workspace_id" = ${workspaceId} AND r."first_contact_at" IS NOT NULL
`,
];

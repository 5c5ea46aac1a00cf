ALTER TABLE "routing_runs" ADD COLUMN "first_assigned_at" timestamp with time zone;--> statement-breakpoint
-- Existing runs: their first assignment is the earliest assign or escalate step of their trace that named an assignee.
UPDATE "routing_runs" r SET "first_assigned_at" = f."at" FROM (
  SELECT "lead_id", min("at") AS "at" FROM "trace_steps"
  WHERE "node_type" IN ('assign', 'escalate') AND jsonb_typeof("output"->'assignee') = 'object'
  GROUP BY "lead_id"
) f WHERE f."lead_id" = r."lead_id" AND r."assigned_at" IS NOT NULL;

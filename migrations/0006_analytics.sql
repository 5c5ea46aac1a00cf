CREATE TABLE "path_counts" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" text NOT NULL,
	"node_id" text NOT NULL,
	"node_type" text NOT NULL,
	"outcome" text NOT NULL,
	"next" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "path_counts_workspace_id_workflow_id_day_node_id_outcome_next_pk" PRIMARY KEY("workspace_id","workflow_id","day","node_id","outcome","next")
);
--> statement-breakpoint
CREATE TABLE "run_assignments" (
	"lead_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"node_type" text NOT NULL,
	"pool_key" text,
	"assignee_type" text,
	"assignee_id" text,
	CONSTRAINT "run_assignments_lead_id_seq_pk" PRIMARY KEY("lead_id","seq")
);
--> statement-breakpoint
CREATE TABLE "run_passed_over" (
	"lead_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"rep_id" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"verdict" text NOT NULL,
	CONSTRAINT "run_passed_over_lead_id_seq_rep_id_pk" PRIMARY KEY("lead_id","seq","rep_id")
);
--> statement-breakpoint
CREATE TABLE "run_waits" (
	"lead_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"assignee_type" text,
	"assignee_id" text,
	"outcome" text NOT NULL,
	"elapsed_ms" bigint NOT NULL,
	CONSTRAINT "run_waits_lead_id_seq_pk" PRIMARY KEY("lead_id","seq")
);
--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "first_assignee_type" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "first_assignee_id" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "first_assigned_work_ms" bigint;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "accepted_work_ms" bigint;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "first_contact_work_ms" bigint;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "reassignments" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "escalations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "sla_met" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "sla_breached" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "rejections" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_assignments" ADD CONSTRAINT "run_assignments_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_passed_over" ADD CONSTRAINT "run_passed_over_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_waits" ADD CONSTRAINT "run_waits_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_assignments_range_idx" ON "run_assignments" USING btree ("workspace_id","workflow_id","received_at");--> statement-breakpoint
CREATE INDEX "run_passed_over_range_idx" ON "run_passed_over" USING btree ("workspace_id","workflow_id","received_at");--> statement-breakpoint
CREATE INDEX "run_waits_range_idx" ON "run_waits" USING btree ("workspace_id","workflow_id","received_at");--> statement-breakpoint
CREATE INDEX "routing_runs_analytics_idx" ON "routing_runs" USING btree ("workspace_id","workflow_id","received_at");--> statement-breakpoint
CREATE INDEX "routing_runs_queued_idx" ON "routing_runs" USING btree ("workspace_id","workflow_id","received_at","assignee_id","assigned_at") WHERE "routing_runs"."assignee_type" = 'queue';--> statement-breakpoint
-- Milliseconds of [t0, t1) that fall in a rep's working hours (`reps.working_hours`: weekday -> spans
-- `HH:MM`-`HH:MM`, end exclusive, in the rep's zone `tz`; null = always working), the rule the assignment's
-- eligibility reads (shared/src/assignment/working-hours.ts). Each local day's spans become instants with
-- AT TIME ZONE, so DST days are as long as they really are.
CREATE FUNCTION "working_ms"(hours jsonb, tz text, t0 timestamptz, t1 timestamptz) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT CASE
    WHEN t0 IS NULL OR t1 IS NULL THEN NULL
    WHEN t1 <= t0 THEN 0::bigint
    WHEN hours IS NULL OR jsonb_typeof(hours) <> 'object' THEN floor(extract(epoch FROM t1 - t0) * 1000)::bigint
    ELSE coalesce((
      SELECT sum(greatest(0::numeric, extract(epoch FROM
        least(t1, (d + (s->>'end')::interval) AT TIME ZONE tz) - greatest(t0, (d + (s->>'start')::interval) AT TIME ZONE tz)) * 1000))
      FROM generate_series((t0 AT TIME ZONE tz)::date::timestamp, (t1 AT TIME ZONE tz)::date::timestamp, interval '1 day') d,
        jsonb_array_elements(CASE WHEN jsonb_typeof(hours -> (ARRAY['sun','mon','tue','wed','thu','fri','sat'])[extract(dow FROM d)::int + 1]) = 'array'
          THEN hours -> (ARRAY['sun','mon','tue','wed','thu','fri','sat'])[extract(dow FROM d)::int + 1] ELSE '[]'::jsonb END) s
    ), 0)::bigint
  END
$fn$;--> statement-breakpoint
-- Backfill: existing runs get, from their trace, what recordSteps now maintains as leads move (the
-- working-hours durations with each rep's hours and zone as they are now).
INSERT INTO "run_assignments" ("lead_id", "seq", "workspace_id", "workflow_id", "received_at", "at", "node_id", "node_type", "pool_key", "assignee_type", "assignee_id")
SELECT s."lead_id", s."seq", r."workspace_id", r."workflow_id", r."received_at", s."at", s."node_id", s."node_type", s."output"->>'poolKey',
  CASE WHEN jsonb_typeof(s."output"->'assignee') = 'object' THEN s."output"->'assignee'->>'type' END,
  CASE WHEN jsonb_typeof(s."output"->'assignee') = 'object' THEN s."output"->'assignee'->>'id' END
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
WHERE s."node_type" IN ('assign', 'escalate')
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "run_passed_over" ("lead_id", "seq", "rep_id", "workspace_id", "workflow_id", "received_at", "node_id", "verdict")
SELECT s."lead_id", s."seq", c->>'repId', r."workspace_id", r."workflow_id", r."received_at", s."node_id", c->>'verdict'
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id", jsonb_array_elements(s."candidates") c
WHERE s."node_type" IN ('assign', 'escalate') AND jsonb_typeof(s."candidates") = 'array'
  AND c->>'repId' IS NOT NULL AND c->>'verdict' NOT IN ('chosen', 'not_this_turn')
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Whom a wait waited on: the assignee of the latest assignment before it.
INSERT INTO "run_waits" ("lead_id", "seq", "workspace_id", "workflow_id", "received_at", "node_id", "started_at", "assignee_type", "assignee_id", "outcome", "elapsed_ms")
SELECT s."lead_id", s."seq", r."workspace_id", r."workflow_id", r."received_at", s."node_id", s."at", a."assignee_type", a."assignee_id", s."outcome", s."duration_ms"
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
LEFT JOIN LATERAL (
  SELECT x."assignee_type", x."assignee_id" FROM "run_assignments" x
  WHERE x."lead_id" = s."lead_id" AND x."seq" < s."seq" AND x."assignee_id" IS NOT NULL ORDER BY x."seq" DESC LIMIT 1
) a ON true
WHERE s."node_type" = 'wait' AND s."outcome" IN ('accepted', 'timed_out', 'rejected')
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "routing_runs" r SET
  "first_assignee_type" = f."first_type", "first_assignee_id" = f."first_id",
  "reassignments" = greatest(f."assignments" - 1, 0), "escalations" = f."escalations"
FROM (
  SELECT "lead_id", count(*)::int AS "assignments", (count(*) FILTER (WHERE "node_type" = 'escalate'))::int AS "escalations",
    (array_agg("assignee_type" ORDER BY "seq"))[1] AS "first_type", (array_agg("assignee_id" ORDER BY "seq"))[1] AS "first_id"
  FROM "run_assignments" WHERE "assignee_id" IS NOT NULL GROUP BY "lead_id"
) f WHERE f."lead_id" = r."lead_id";--> statement-breakpoint
UPDATE "routing_runs" r SET
  "sla_met" = w."met", "sla_breached" = w."breached", "rejections" = w."rejected", "first_contact_at" = w."contacted"
FROM (
  SELECT s."lead_id",
    (count(*) FILTER (WHERE s."outcome" = 'accepted'))::int AS "met",
    (count(*) FILTER (WHERE s."outcome" = 'timed_out'))::int AS "breached",
    (count(*) FILTER (WHERE s."outcome" = 'rejected'))::int AS "rejected",
    min(s."at" + s."duration_ms" * interval '1 millisecond') FILTER (WHERE s."outcome" = 'accepted' AND s."decision" LIKE 'Contacted%') AS "contacted"
  FROM "trace_steps" s WHERE s."node_type" = 'wait' GROUP BY s."lead_id"
) w WHERE w."lead_id" = r."lead_id";--> statement-breakpoint
INSERT INTO "path_counts" ("workspace_id", "workflow_id", "day", "node_id", "node_type", "outcome", "next", "count")
SELECT r."workspace_id", r."workflow_id", to_char(r."received_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD'), s."node_id", max(s."node_type"),
  coalesce(s."outcome", ''), coalesce(s."next", ''), count(*)::int
FROM "trace_steps" s JOIN "routing_runs" r ON r."lead_id" = s."lead_id"
GROUP BY 1, 2, 3, 4, 6, 7;--> statement-breakpoint
UPDATE "routing_runs" r SET "first_assigned_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."first_assigned_at") FROM "reps" p WHERE p."workspace_id" = r."workspace_id" AND p."id" = r."first_assignee_id"
) WHERE r."first_assignee_type" = 'rep' AND r."first_assigned_at" IS NOT NULL;--> statement-breakpoint
-- Accepted: the rep of the latest accepted wait; first contact: the rep of the wait that ended at it.
UPDATE "routing_runs" r SET "accepted_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."accepted_at") FROM "run_waits" w JOIN "reps" p ON p."workspace_id" = w."workspace_id" AND p."id" = w."assignee_id"
  WHERE w."lead_id" = r."lead_id" AND w."outcome" = 'accepted' AND w."assignee_type" = 'rep' ORDER BY w."seq" DESC LIMIT 1
) WHERE r."accepted_at" IS NOT NULL;--> statement-breakpoint
UPDATE "routing_runs" r SET "first_contact_work_ms" = (
  SELECT working_ms(p."working_hours", p."time_zone", r."received_at", r."first_contact_at") FROM "run_waits" w JOIN "reps" p ON p."workspace_id" = w."workspace_id" AND p."id" = w."assignee_id"
  WHERE w."lead_id" = r."lead_id" AND w."outcome" = 'accepted' AND w."assignee_type" = 'rep' AND w."started_at" + w."elapsed_ms" * interval '1 millisecond' = r."first_contact_at" ORDER BY w."seq" LIMIT 1
) WHERE r."first_contact_at" IS NOT NULL;

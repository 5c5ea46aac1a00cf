CREATE TABLE "rollup_accept_times" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rep_id" text NOT NULL,
	"hist" text NOT NULL,
	CONSTRAINT "rollup_accept_times_workspace_id_workflow_id_day_rep_id_pk" PRIMARY KEY("workspace_id","workflow_id","day","rep_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_assignments" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"node_id" text NOT NULL,
	"node_type" text NOT NULL,
	"pool_key" text NOT NULL,
	"assignee_type" text NOT NULL,
	"assignee_id" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "rollup_assignments_workspace_id_workflow_id_day_node_id_node_type_pool_key_assignee_type_assignee_id_pk" PRIMARY KEY("workspace_id","workflow_id","day","node_id","node_type","pool_key","assignee_type","assignee_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_durations" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"hist" text NOT NULL,
	CONSTRAINT "rollup_durations_workspace_id_workflow_id_day_metric_pk" PRIMARY KEY("workspace_id","workflow_id","day","metric")
);
--> statement-breakpoint
CREATE TABLE "rollup_passed_over" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"node_id" text NOT NULL,
	"rep_id" text NOT NULL,
	"verdict" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "rollup_passed_over_workspace_id_workflow_id_day_node_id_rep_id_verdict_pk" PRIMARY KEY("workspace_id","workflow_id","day","node_id","rep_id","verdict")
);
--> statement-breakpoint
CREATE TABLE "rollup_runs" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"reassignment_class" smallint NOT NULL,
	"met" boolean NOT NULL,
	"breached" boolean NOT NULL,
	"escalated" boolean NOT NULL,
	"leads" integer NOT NULL,
	"reassignments" integer NOT NULL,
	"escalations" integer NOT NULL,
	CONSTRAINT "rollup_runs_workspace_id_workflow_id_day_reassignment_class_met_breached_escalated_pk" PRIMARY KEY("workspace_id","workflow_id","day","reassignment_class","met","breached","escalated")
);
--> statement-breakpoint
CREATE TABLE "rollup_waits" (
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rep_id" text NOT NULL,
	"outcome" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "rollup_waits_workspace_id_workflow_id_day_rep_id_outcome_pk" PRIMARY KEY("workspace_id","workflow_id","day","rep_id","outcome")
);--> statement-breakpoint
-- The bin of a duration (ms) in the rollups' log-spaced histograms: 0 for |v| < 1 ms, else 1 + floor(log_1.04 |v|)
-- with the sign of v, so bins sort as the values do. Bin b >= 1 holds [1.04^(b-1), 1.04^b); its value is read
-- as the bin's geometric middle, within 2% of every value in it (server/src/services/analytics-histogram.ts).
CREATE FUNCTION "analytics_bin"(v float8) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN v IS NULL THEN NULL
    WHEN v >= 1 THEN (1 + floor(ln(v) / ln(1.04)))::smallint
    WHEN v <= -1 THEN (-1 - floor(ln(-v) / ln(1.04)))::smallint
    ELSE 0::smallint END
$fn$;--> statement-breakpoint
-- The rollups follow their source tables in the statement that writes them (statement triggers with transition
-- tables): inserted rows add, deleted rows subtract, an update subtracts the old rows and adds the new ones. Only
-- the rows a statement really wrote are in its transition tables, so INSERT ... ON CONFLICT DO NOTHING retried
-- (recordSteps) adds nothing. Rows are upserted in key order, as path_counts is, so concurrent writers lock alike.
CREATE FUNCTION "analytics_rows_of_statement"(op text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE op WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows' END
$fn$;--> statement-breakpoint
-- A histogram as the rollups keep it: text `bin,count,bin,count,...`, the bins that hold something, ascending
-- (text, so that reading a year of them converts nothing); adding two drops the bins left holding 0.
CREATE FUNCTION "analytics_hist_pairs"(h text) RETURNS TABLE (bin int, n int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT x.a[2 * i - 1]::int, x.a[2 * i]::int FROM (SELECT string_to_array(nullif(h, ''), ',') AS a) x, generate_series(1, coalesce(array_length(x.a, 1), 0) / 2) i
$fn$;--> statement-breakpoint
CREATE FUNCTION "analytics_hist_add"(h1 text, h2 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(string_agg(s.bin || ',' || s.n, ',' ORDER BY s.bin), '')
  FROM (SELECT u.bin, sum(u.n) AS n FROM (SELECT * FROM analytics_hist_pairs(h1) UNION ALL SELECT * FROM analytics_hist_pairs(h2)) u GROUP BY u.bin HAVING sum(u.n) <> 0) s
$fn$;--> statement-breakpoint
CREATE FUNCTION "rollup_runs_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE src text := analytics_rows_of_statement(TG_OP);
BEGIN
  EXECUTE format($q$
    INSERT INTO rollup_runs (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated, leads, reassignments, escalations)
    SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, least(r.reassignments, 3), r.sla_met > 0, r.sla_breached > 0, r.escalations > 0,
      sum(r.sign), sum(r.sign * r.reassignments), sum(r.sign * r.escalations)
    FROM (%s) r
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.sign) <> 0 OR sum(r.sign * r.reassignments) <> 0 OR sum(r.sign * r.escalations) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated) DO UPDATE SET
      leads = rollup_runs.leads + excluded.leads, reassignments = rollup_runs.reassignments + excluded.reassignments, escalations = rollup_runs.escalations + excluded.escalations
  $q$, src);
  -- The six durations speed to lead reports, as analytics.service.ts's SPEED_VALUES computes them.
  EXECUTE format($q$
    INSERT INTO rollup_durations (workspace_id, workflow_id, day, metric, hist)
    SELECT g.workspace_id, g.workflow_id, g.day, g.metric, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
    FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, m.metric, analytics_bin(m.v) AS bin, sum(r.sign)::int AS n
    FROM (%s) r CROSS JOIN LATERAL (VALUES
      ('first_assignment_wall', round(date_part('epoch', r.first_assigned_at - r.received_at) * 1000)::float8),
      ('first_assignment_working', r.first_assigned_work_ms::float8),
      ('accepted_wall', round(date_part('epoch', r.accepted_at - r.received_at) * 1000)::float8),
      ('accepted_working', r.accepted_work_ms::float8),
      ('first_contact_wall', round(date_part('epoch', r.first_contact_at - r.received_at) * 1000)::float8),
      ('first_contact_working', r.first_contact_work_ms::float8)) m(metric, v)
    WHERE m.v IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, workflow_id, day, metric) DO UPDATE SET hist = analytics_hist_add(rollup_durations.hist, excluded.hist)
  $q$, src);
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION "rollup_waits_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE src text := analytics_rows_of_statement(TG_OP);
BEGIN
  EXECUTE format($q$
    INSERT INTO rollup_waits (workspace_id, workflow_id, day, rep_id, outcome, n)
    SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.assignee_id, r.outcome, sum(r.sign)
    FROM (%s) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (workspace_id, workflow_id, day, rep_id, outcome) DO UPDATE SET n = rollup_waits.n + excluded.n
  $q$, src);
  EXECUTE format($q$
    INSERT INTO rollup_accept_times (workspace_id, workflow_id, day, rep_id, hist)
    SELECT g.workspace_id, g.workflow_id, g.day, g.rep_id, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
    FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, r.assignee_id AS rep_id, analytics_bin(r.elapsed_ms::float8) AS bin, sum(r.sign)::int AS n
    FROM (%s) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL AND r.outcome = 'accepted'
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, workflow_id, day, rep_id) DO UPDATE SET hist = analytics_hist_add(rollup_accept_times.hist, excluded.hist)
  $q$, src);
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION "rollup_assignments_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format($q$
    INSERT INTO rollup_assignments (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id, n)
    SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.node_type, coalesce(r.pool_key, ''), r.assignee_type, r.assignee_id, sum(r.sign)
    FROM (%s) r WHERE r.assignee_type IS NOT NULL AND r.assignee_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id) DO UPDATE SET n = rollup_assignments.n + excluded.n
  $q$, analytics_rows_of_statement(TG_OP));
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE FUNCTION "rollup_passed_over_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format($q$
    INSERT INTO rollup_passed_over (workspace_id, workflow_id, day, node_id, rep_id, verdict, n)
    SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.rep_id, r.verdict, sum(r.sign)
    FROM (%s) r
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (workspace_id, workflow_id, day, node_id, rep_id, verdict) DO UPDATE SET n = rollup_passed_over.n + excluded.n
  $q$, analytics_rows_of_statement(TG_OP));
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE TRIGGER "rollup_runs_insert" AFTER INSERT ON "routing_runs" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_runs_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_runs_update" AFTER UPDATE ON "routing_runs" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_runs_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_runs_delete" AFTER DELETE ON "routing_runs" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_runs_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_waits_insert" AFTER INSERT ON "run_waits" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_waits_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_waits_update" AFTER UPDATE ON "run_waits" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_waits_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_waits_delete" AFTER DELETE ON "run_waits" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_waits_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_assignments_insert" AFTER INSERT ON "run_assignments" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_assignments_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_assignments_update" AFTER UPDATE ON "run_assignments" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_assignments_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_assignments_delete" AFTER DELETE ON "run_assignments" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_assignments_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_passed_over_insert" AFTER INSERT ON "run_passed_over" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_passed_over_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_passed_over_update" AFTER UPDATE ON "run_passed_over" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_passed_over_apply();--> statement-breakpoint
CREATE TRIGGER "rollup_passed_over_delete" AFTER DELETE ON "run_passed_over" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_passed_over_apply();--> statement-breakpoint
-- Backfill: the rows written before this migration, as the triggers would have added them.
INSERT INTO "rollup_runs" ("workspace_id", "workflow_id", "day", "reassignment_class", "met", "breached", "escalated", "leads", "reassignments", "escalations")
SELECT "workspace_id", "workflow_id", ("received_at" AT TIME ZONE 'UTC')::date, least("reassignments", 3), "sla_met" > 0, "sla_breached" > 0, "escalations" > 0,
  count(*), sum("reassignments"), sum("escalations")
FROM "routing_runs" GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO "rollup_durations" ("workspace_id", "workflow_id", "day", "metric", "hist")
SELECT g."workspace_id", g."workflow_id", g."day", g."metric", string_agg(g."bin" || ',' || g."n", ',' ORDER BY g."bin")
FROM (SELECT r."workspace_id", r."workflow_id", (r."received_at" AT TIME ZONE 'UTC')::date AS "day", m."metric", analytics_bin(m."v") AS "bin", count(*)::int AS "n"
FROM "routing_runs" r CROSS JOIN LATERAL (VALUES
  ('first_assignment_wall', round(date_part('epoch', r."first_assigned_at" - r."received_at") * 1000)::float8),
  ('first_assignment_working', r."first_assigned_work_ms"::float8),
  ('accepted_wall', round(date_part('epoch', r."accepted_at" - r."received_at") * 1000)::float8),
  ('accepted_working', r."accepted_work_ms"::float8),
  ('first_contact_wall', round(date_part('epoch', r."first_contact_at" - r."received_at") * 1000)::float8),
  ('first_contact_working', r."first_contact_work_ms"::float8)) m("metric", "v")
WHERE m."v" IS NOT NULL GROUP BY 1, 2, 3, 4, 5) g GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "rollup_waits" ("workspace_id", "workflow_id", "day", "rep_id", "outcome", "n")
SELECT "workspace_id", "workflow_id", ("received_at" AT TIME ZONE 'UTC')::date, "assignee_id", "outcome", count(*)
FROM "run_waits" WHERE "assignee_type" = 'rep' AND "assignee_id" IS NOT NULL GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "rollup_accept_times" ("workspace_id", "workflow_id", "day", "rep_id", "hist")
SELECT g."workspace_id", g."workflow_id", g."day", g."rep_id", string_agg(g."bin" || ',' || g."n", ',' ORDER BY g."bin")
FROM (SELECT "workspace_id", "workflow_id", ("received_at" AT TIME ZONE 'UTC')::date AS "day", "assignee_id" AS "rep_id", analytics_bin("elapsed_ms"::float8) AS "bin", count(*)::int AS "n"
  FROM "run_waits" WHERE "assignee_type" = 'rep' AND "assignee_id" IS NOT NULL AND "outcome" = 'accepted' GROUP BY 1, 2, 3, 4, 5) g
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "rollup_assignments" ("workspace_id", "workflow_id", "day", "node_id", "node_type", "pool_key", "assignee_type", "assignee_id", "n")
SELECT "workspace_id", "workflow_id", ("received_at" AT TIME ZONE 'UTC')::date, "node_id", "node_type", coalesce("pool_key", ''), "assignee_type", "assignee_id", count(*)
FROM "run_assignments" WHERE "assignee_type" IS NOT NULL AND "assignee_id" IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;--> statement-breakpoint
INSERT INTO "rollup_passed_over" ("workspace_id", "workflow_id", "day", "node_id", "rep_id", "verdict", "n")
SELECT "workspace_id", "workflow_id", ("received_at" AT TIME ZONE 'UTC')::date, "node_id", "rep_id", "verdict", count(*)
FROM "run_passed_over" GROUP BY 1, 2, 3, 4, 5, 6;

-- The rollup triggers of 0012 built their statements as text and EXECUTEd them, so PostgreSQL parsed and
-- planned every statement on every firing (about 1.3 ms a firing, five firings a lead: issue 18's profile).
-- The same statements, written out per operation as static SQL: PL/pgSQL plans them once per trigger and
-- keeps the plans. An update that changes none of the columns a rollup reads (most of them: a run's status,
-- its position, its trace) now returns before touching a rollup row. What each rollup holds is unchanged.
CREATE OR REPLACE FUNCTION "rollup_runs_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_runs (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated, leads, reassignments, escalations)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, least(r.reassignments, 3), r.sla_met > 0, r.sla_breached > 0, r.escalations > 0,
      sum(r.sign), sum(r.sign * r.reassignments), sum(r.sign * r.escalations)
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(r.sign) <> 0 OR sum(r.sign * r.reassignments) <> 0 OR sum(r.sign * r.escalations) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated) DO UPDATE SET
      leads = rollup_runs.leads + excluded.leads, reassignments = rollup_runs.reassignments + excluded.reassignments, escalations = rollup_runs.escalations + excluded.escalations;
    INSERT INTO rollup_durations (workspace_id, workflow_id, day, metric, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.metric, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, m.metric, analytics_bin(m.v) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r CROSS JOIN LATERAL (VALUES
      ('first_assignment_wall', round(date_part('epoch', r.first_assigned_at - r.received_at) * 1000)::float8),
      ('first_assignment_working', r.first_assigned_work_ms::float8),
      ('accepted_wall', round(date_part('epoch', r.accepted_at - r.received_at) * 1000)::float8),
      ('accepted_working', r.accepted_work_ms::float8),
      ('first_contact_wall', round(date_part('epoch', r.first_contact_at - r.received_at) * 1000)::float8),
      ('first_contact_working', r.first_contact_work_ms::float8)) m(metric, v)
      WHERE m.v IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, metric) DO UPDATE SET hist = analytics_hist_add(rollup_durations.hist, excluded.hist);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_runs (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated, leads, reassignments, escalations)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, least(r.reassignments, 3), r.sla_met > 0, r.sla_breached > 0, r.escalations > 0,
      sum(r.sign), sum(r.sign * r.reassignments), sum(r.sign * r.escalations)
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(r.sign) <> 0 OR sum(r.sign * r.reassignments) <> 0 OR sum(r.sign * r.escalations) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated) DO UPDATE SET
      leads = rollup_runs.leads + excluded.leads, reassignments = rollup_runs.reassignments + excluded.reassignments, escalations = rollup_runs.escalations + excluded.escalations;
    INSERT INTO rollup_durations (workspace_id, workflow_id, day, metric, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.metric, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, m.metric, analytics_bin(m.v) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r CROSS JOIN LATERAL (VALUES
      ('first_assignment_wall', round(date_part('epoch', r.first_assigned_at - r.received_at) * 1000)::float8),
      ('first_assignment_working', r.first_assigned_work_ms::float8),
      ('accepted_wall', round(date_part('epoch', r.accepted_at - r.received_at) * 1000)::float8),
      ('accepted_working', r.accepted_work_ms::float8),
      ('first_contact_wall', round(date_part('epoch', r.first_contact_at - r.received_at) * 1000)::float8),
      ('first_contact_working', r.first_contact_work_ms::float8)) m(metric, v)
      WHERE m.v IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, metric) DO UPDATE SET hist = analytics_hist_add(rollup_durations.hist, excluded.hist);
  ELSE
    -- Nothing a rollup reads changed: nothing to subtract or add.
    IF NOT EXISTS (SELECT workspace_id, workflow_id, received_at, reassignments, sla_met, sla_breached, escalations, first_assigned_at, first_assigned_work_ms, accepted_at, accepted_work_ms, first_contact_at, first_contact_work_ms FROM new_rows EXCEPT ALL SELECT workspace_id, workflow_id, received_at, reassignments, sla_met, sla_breached, escalations, first_assigned_at, first_assigned_work_ms, accepted_at, accepted_work_ms, first_contact_at, first_contact_work_ms FROM old_rows) THEN
      RETURN NULL;
    END IF;
    INSERT INTO rollup_runs (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated, leads, reassignments, escalations)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, least(r.reassignments, 3), r.sla_met > 0, r.sla_breached > 0, r.escalations > 0,
      sum(r.sign), sum(r.sign * r.reassignments), sum(r.sign * r.escalations)
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(r.sign) <> 0 OR sum(r.sign * r.reassignments) <> 0 OR sum(r.sign * r.escalations) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (workspace_id, workflow_id, day, reassignment_class, met, breached, escalated) DO UPDATE SET
      leads = rollup_runs.leads + excluded.leads, reassignments = rollup_runs.reassignments + excluded.reassignments, escalations = rollup_runs.escalations + excluded.escalations;
    INSERT INTO rollup_durations (workspace_id, workflow_id, day, metric, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.metric, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, m.metric, analytics_bin(m.v) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r CROSS JOIN LATERAL (VALUES
      ('first_assignment_wall', round(date_part('epoch', r.first_assigned_at - r.received_at) * 1000)::float8),
      ('first_assignment_working', r.first_assigned_work_ms::float8),
      ('accepted_wall', round(date_part('epoch', r.accepted_at - r.received_at) * 1000)::float8),
      ('accepted_working', r.accepted_work_ms::float8),
      ('first_contact_wall', round(date_part('epoch', r.first_contact_at - r.received_at) * 1000)::float8),
      ('first_contact_working', r.first_contact_work_ms::float8)) m(metric, v)
      WHERE m.v IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, metric) DO UPDATE SET hist = analytics_hist_add(rollup_durations.hist, excluded.hist);
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "rollup_waits_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_waits (workspace_id, workflow_id, day, rep_id, outcome, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.assignee_id, r.outcome, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (workspace_id, workflow_id, day, rep_id, outcome) DO UPDATE SET n = rollup_waits.n + excluded.n;
    INSERT INTO rollup_accept_times (workspace_id, workflow_id, day, rep_id, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.rep_id, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, r.assignee_id AS rep_id, analytics_bin(r.elapsed_ms::float8) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL AND r.outcome = 'accepted'
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, rep_id) DO UPDATE SET hist = analytics_hist_add(rollup_accept_times.hist, excluded.hist);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_waits (workspace_id, workflow_id, day, rep_id, outcome, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.assignee_id, r.outcome, sum(r.sign)
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (workspace_id, workflow_id, day, rep_id, outcome) DO UPDATE SET n = rollup_waits.n + excluded.n;
    INSERT INTO rollup_accept_times (workspace_id, workflow_id, day, rep_id, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.rep_id, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, r.assignee_id AS rep_id, analytics_bin(r.elapsed_ms::float8) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL AND r.outcome = 'accepted'
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, rep_id) DO UPDATE SET hist = analytics_hist_add(rollup_accept_times.hist, excluded.hist);
  ELSE
    -- Nothing a rollup reads changed: nothing to subtract or add.
    IF NOT EXISTS (SELECT workspace_id, workflow_id, received_at, assignee_type, assignee_id, outcome, elapsed_ms FROM new_rows EXCEPT ALL SELECT workspace_id, workflow_id, received_at, assignee_type, assignee_id, outcome, elapsed_ms FROM old_rows) THEN
      RETURN NULL;
    END IF;
    INSERT INTO rollup_waits (workspace_id, workflow_id, day, rep_id, outcome, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.assignee_id, r.outcome, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (workspace_id, workflow_id, day, rep_id, outcome) DO UPDATE SET n = rollup_waits.n + excluded.n;
    INSERT INTO rollup_accept_times (workspace_id, workflow_id, day, rep_id, hist)
      SELECT g.workspace_id, g.workflow_id, g.day, g.rep_id, string_agg(g.bin || ',' || g.n, ',' ORDER BY g.bin)
      FROM (SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date AS day, r.assignee_id AS rep_id, analytics_bin(r.elapsed_ms::float8) AS bin, sum(r.sign)::int AS n
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type = 'rep' AND r.assignee_id IS NOT NULL AND r.outcome = 'accepted'
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.sign) <> 0) g
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (workspace_id, workflow_id, day, rep_id) DO UPDATE SET hist = analytics_hist_add(rollup_accept_times.hist, excluded.hist);
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "rollup_assignments_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_assignments (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.node_type, coalesce(r.pool_key, ''), r.assignee_type, r.assignee_id, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r WHERE r.assignee_type IS NOT NULL AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id) DO UPDATE SET n = rollup_assignments.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_assignments (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.node_type, coalesce(r.pool_key, ''), r.assignee_type, r.assignee_id, sum(r.sign)
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type IS NOT NULL AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id) DO UPDATE SET n = rollup_assignments.n + excluded.n;
  ELSE
    -- Nothing a rollup reads changed: nothing to subtract or add.
    IF NOT EXISTS (SELECT workspace_id, workflow_id, received_at, node_id, node_type, pool_key, assignee_type, assignee_id FROM new_rows EXCEPT ALL SELECT workspace_id, workflow_id, received_at, node_id, node_type, pool_key, assignee_type, assignee_id FROM old_rows) THEN
      RETURN NULL;
    END IF;
    INSERT INTO rollup_assignments (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.node_type, coalesce(r.pool_key, ''), r.assignee_type, r.assignee_id, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r WHERE r.assignee_type IS NOT NULL AND r.assignee_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT (workspace_id, workflow_id, day, node_id, node_type, pool_key, assignee_type, assignee_id) DO UPDATE SET n = rollup_assignments.n + excluded.n;
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "rollup_passed_over_apply"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_passed_over (workspace_id, workflow_id, day, node_id, rep_id, verdict, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.rep_id, r.verdict, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (workspace_id, workflow_id, day, node_id, rep_id, verdict) DO UPDATE SET n = rollup_passed_over.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_passed_over (workspace_id, workflow_id, day, node_id, rep_id, verdict, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.rep_id, r.verdict, sum(r.sign)
      FROM ((SELECT -1 AS sign, * FROM old_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (workspace_id, workflow_id, day, node_id, rep_id, verdict) DO UPDATE SET n = rollup_passed_over.n + excluded.n;
  ELSE
    -- Nothing a rollup reads changed: nothing to subtract or add.
    IF NOT EXISTS (SELECT workspace_id, workflow_id, received_at, node_id, rep_id, verdict FROM new_rows EXCEPT ALL SELECT workspace_id, workflow_id, received_at, node_id, rep_id, verdict FROM old_rows) THEN
      RETURN NULL;
    END IF;
    INSERT INTO rollup_passed_over (workspace_id, workflow_id, day, node_id, rep_id, verdict, n)
      SELECT r.workspace_id, r.workflow_id, (r.received_at AT TIME ZONE 'UTC')::date, r.node_id, r.rep_id, r.verdict, sum(r.sign)
      FROM ((SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows)) r
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (workspace_id, workflow_id, day, node_id, rep_id, verdict) DO UPDATE SET n = rollup_passed_over.n + excluded.n;
  END IF;
  RETURN NULL;
END
$fn$;

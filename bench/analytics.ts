// Analytics (issue 15, item 3): the analytics page's queries over 1,000,000 leads with their runs, traces and
// the rows the worker keeps for analytics (run_waits, run_assignments, run_passed_over, path_counts), generated
// in a scratch database with INSERT ... SELECT generate_series; the per-day rollups (rollup_*) are filled by the
// same triggers that keep them in the product, as those inserts write their source rows. Each section's query (the service call the
// route makes: the scope's reads, then the section's SQL) is timed warm, several times, for the page's default
// range (the last 30 days) and for the whole year. Target: < 500 ms each.
// ANALYTICS_LEADS (default 1,000,000), ANALYTICS_RUNS (default 5) shorten it; ANALYTICS_KEEP=1 keeps the database.
import { cpus } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { queues, reps, teams, versions, workflows } from '@lead-router/db/schema';
import { createWorkspace } from '../server/src/services/workspaces.service';
import { loadScope, type AnalyticsScope } from '../server/src/services/analytics-context';
import { acceptance, fairness, paths, queueFigures, sla, speedToLead, type AnalyticsSection } from '../server/src/services/analytics.service';
import { autoBucket } from '../server/src/services/analytics-range';
import { createTestDatabase } from '../worker/src/test/test-db';
import { report, type BenchRow } from './results';

const LEADS = Number(process.env.ANALYTICS_LEADS ?? 1_000_000);
const RUNS = Math.max(2, Number(process.env.ANALYTICS_RUNS ?? 5));
const TARGET_MS = 500;
const DAY = 86_400_000;
const REPS = 20;

const SECTIONS: Array<[AnalyticsSection, (db: Db, s: AnalyticsScope) => Promise<unknown>]> = [
  ['speed-to-lead', speedToLead],
  ['sla', sla],
  ['acceptance', acceptance],
  ['fairness', fairness],
  ['paths', paths],
  ['queues', queueFigures],
];

const PLAN = {
  format: 'lead-router.plan',
  compilerVersion: '1.0.0',
  graphSchemaVersion: 1,
  entry: 'trigger',
  fieldTypes: {},
  territories: {},
  nodes: {
    trigger: { id: 'trigger', type: 'trigger', label: 'Inbound', config: { source: 'webhook' }, next: { next: 'assign' }, reads: [] },
    assign: { id: 'assign', type: 'assign', label: 'Weighted to Sales', config: { strategy: { type: 'weighted_round_robin', teamId: 'sales' } }, next: {}, reads: [] },
    queue: { id: 'queue', type: 'assign', label: 'To the queue', config: { strategy: { type: 'queue', queueId: 'overflow' } }, next: {}, reads: [] },
    sla: { id: 'sla', type: 'wait', label: 'SLA 15 min', config: { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }, next: {}, reads: [] },
    end: { id: 'end', type: 'end', label: 'Routed', config: { outcome: 'routed' }, next: {}, reads: [] },
  },
};

/** Generates the history: every row the ingestion and the worker would have written, in bulk. */
async function generate(db: Db, workspaceId: string, workflowId: string, versionId: string, end: Date): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async (name: string, q: ReturnType<typeof sql>) => {
    const t0 = performance.now();
    await db.execute(q);
    timings[name] = performance.now() - t0;
    console.log(`  ${name}: ${(timings[name] / 1000).toFixed(1)} s`);
  };
  const n = LEADS;
  const endIso = end.toISOString();
  // Lead g: received over the 365 days before `end`; its rep, timings and outcomes derived from g.
  await step('leads', sql`insert into leads (id, workspace_id, workflow_id, data, received_at)
    select md5('lead' || g)::uuid, ${workspaceId}, ${workflowId}, jsonb_build_object('email', 'lead' || g || '@acme.com', 'company', 'Acme ' || (g % 5000)),
      ${endIso}::timestamptz - interval '365 days' + (g::float8 / ${n}) * interval '365 days'
    from generate_series(1, ${n}) g`);
  await step('routing_runs', sql`insert into routing_runs (lead_id, workspace_id, workflow_id, version_id, temporal_workflow_id, status, current_node_id,
      assignee_type, assignee_id, outcome, received_at, started_at, first_assigned_at, assigned_at, accepted_at, completed_at, first_assignee_type, first_assignee_id,
      first_contact_at, first_assigned_work_ms, accepted_work_ms, first_contact_work_ms, reassignments, escalations, sla_met, sla_breached, rejections)
    select id, ${workspaceId}, ${workflowId}, ${versionId}, 'lead-' || id, 'completed', 'end',
      case when queued then 'queue' else 'rep' end, case when queued then 'overflow' else rep end, 'routed',
      received_at, received_at, fa, fa, acc, coalesce(acc, fa), case when queued then 'queue' else 'rep' end, case when queued then 'overflow' else rep end,
      case when g % 3 = 0 then acc + interval '2 minutes' end, (extract(epoch from fa - received_at) * 600)::bigint, (extract(epoch from acc - received_at) * 600)::bigint,
      case when g % 3 = 0 and acc is not null then (extract(epoch from acc - received_at) * 600 + 120000)::bigint end,
      case when g % 10 = 0 then 1 else 0 end, case when g % 20 = 0 then 1 else 0 end, case when acc is not null then 1 else 0 end, case when g % 10 = 0 then 1 else 0 end, 0
    from (select md5('lead' || g)::uuid as id, received_at, g, g % 10 = 9 as queued, 'rep-' || (hashint4(g) & 1023) % ${REPS} as rep,
        received_at + ((g::bigint * 7919) % 600000) * interval '1 millisecond' as fa,
        case when g % 10 < 7 then received_at + ((g::bigint * 7919) % 600000 + (g::bigint * 104729) % 3600000) * interval '1 millisecond' end as acc
      from generate_series(1, ${n}) g, lateral (select ${endIso}::timestamptz - interval '365 days' + (g::float8 / ${n}) * interval '365 days' as received_at) t) v`);
  // Four steps a lead: trigger, assign (candidates with verdicts), wait, end.
  await step('trace_steps', sql`insert into trace_steps (lead_id, seq, node_id, node_type, label, at, duration_ms, input, decision, explanation, output, outcome, next, candidates)
    select r.lead_id, s.seq, s.node_id, s.node_type, s.node_id, r.received_at + s.seq * interval '1 second', 0, '{}'::jsonb, s.node_id, '[]'::jsonb,
      case when s.node_type = 'assign' then jsonb_build_object('assignee', jsonb_build_object('type', r.assignee_type, 'id', r.assignee_id, 'name', r.assignee_id), 'poolKey', 'team:sales') else '{}'::jsonb end,
      s.outcome, s.next,
      case when s.node_type = 'assign' then jsonb_build_array(jsonb_build_object('repId', r.assignee_id, 'name', r.assignee_id, 'verdict', 'chosen', 'reason', 'next'),
        jsonb_build_object('repId', 'rep-1', 'name', 'rep-1', 'verdict', 'out_of_office', 'reason', 'away')) end
    from routing_runs r, (values (1, 'trigger', 'trigger', 'next', 'assign'), (2, 'assign', 'assign', 'assigned', 'sla'), (3, 'sla', 'wait', 'accepted', 'end'), (4, 'end', 'end', null, null)) s(seq, node_id, node_type, outcome, next)
    where r.workspace_id = ${workspaceId}`);
  await step('run_assignments', sql`insert into run_assignments (lead_id, seq, workspace_id, workflow_id, received_at, at, node_id, node_type, pool_key, assignee_type, assignee_id)
    select lead_id, 2, workspace_id, workflow_id, received_at, first_assigned_at, case when assignee_type = 'queue' then 'queue' else 'assign' end, 'assign',
      case when assignee_type = 'queue' then 'queue:overflow' else 'team:sales' end, assignee_type, assignee_id
    from routing_runs where workspace_id = ${workspaceId}`);
  await step('run_waits', sql`insert into run_waits (lead_id, seq, workspace_id, workflow_id, received_at, node_id, started_at, assignee_type, assignee_id, outcome, elapsed_ms)
    select lead_id, 3, workspace_id, workflow_id, received_at, 'sla', first_assigned_at, assignee_type, assignee_id,
      case when accepted_at is not null then 'accepted' when sla_breached > 0 then 'timed_out' else 'rejected' end,
      coalesce((extract(epoch from accepted_at - first_assigned_at) * 1000)::bigint, 900000)
    from routing_runs where workspace_id = ${workspaceId} and assignee_type = 'rep'`);
  await step('run_passed_over', sql`insert into run_passed_over (lead_id, seq, rep_id, workspace_id, workflow_id, received_at, node_id, verdict)
    select lead_id, 2, 'rep-1', workspace_id, workflow_id, received_at, 'assign', (array['out_of_office', 'outside_working_hours', 'over_daily_cap'])[1 + abs(hashtext(lead_id::text)) % 3]
    from routing_runs where workspace_id = ${workspaceId} and assignee_type = 'rep' and assignee_id <> 'rep-1' and abs(hashtext(lead_id::text)) % 5 = 0`);
  await step('path_counts', sql`insert into path_counts (workspace_id, workflow_id, day, node_id, node_type, outcome, next, count)
    select r.workspace_id, r.workflow_id, to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD'), s.node_id, min(s.node_type), coalesce(s.outcome, ''), coalesce(s.next, ''), count(*)::int
    from trace_steps s join routing_runs r on r.lead_id = s.lead_id where r.workspace_id = ${workspaceId} group by 1, 2, 3, 4, 6, 7`);
  await step('vacuum analyze', sql`vacuum analyze`);
  return timings;
}

const pctOf = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export async function runAnalyticsBench(): Promise<void> {
  console.log(`CPU: ${cpus()[0]?.model.trim() ?? 'unknown'} x ${cpus().length}`);
  const database = await createTestDatabase({ max: 4 });
  try {
    const db = database.db;
    const ws = await createWorkspace(db, 'analytics-bench');
    const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'Inbound', webhookSecret: 'x' }).returning({ id: workflows.id });
    const [v] = await db
      .insert(versions)
      .values({ workflowId: wf!.id, number: 1, graph: { schemaVersion: 1, nodes: [], edges: [] } as never, plan: PLAN as never, checksum: 'bench', authorName: 'bench', note: '' })
      .returning({ id: versions.id });
    await db.execute(sql`update workflows set active_version_id = ${v!.id} where id = ${wf!.id}`);
    const repIds = Array.from({ length: REPS }, (_, i) => `rep-${i}`);
    await db.insert(reps).values(repIds.map((id) => ({ workspaceId: ws.id, id, name: `Rep ${id.slice(4)}`, email: `${id}@example.com`, timeZone: 'Europe/Berlin' })));
    await db.insert(teams).values({ workspaceId: ws.id, id: 'sales', name: 'Sales', members: repIds.map((repId, i) => ({ repId, weight: 1 + (i % 3) })) });
    await db.insert(queues).values({ workspaceId: ws.id, id: 'overflow', name: 'Overflow' });
    const end = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    console.log(`generating ${LEADS.toLocaleString('en-US')} leads with runs, traces and analytics rows`);
    const t0 = performance.now();
    await generate(db, ws.id, wf!.id, v!.id, end);
    const genSeconds = (performance.now() - t0) / 1000;
    const [counts] = (await db.execute(sql`select (select count(*) from leads)::int as leads, (select count(*) from trace_steps)::int as steps, (select count(*) from run_waits)::int as waits,
      (select count(*) from run_assignments)::int as assignments, (select count(*) from run_passed_over)::int as passed, (select count(*) from path_counts)::int as paths,
      (select count(*) from rollup_durations)::int as durations, (select count(*) from rollup_accept_times)::int as accept_times,
      ((select count(*) from rollup_runs) + (select count(*) from rollup_waits) + (select count(*) from rollup_assignments) + (select count(*) from rollup_passed_over))::int as counts`)) as unknown as Array<Record<string, number>>;
    console.log('rows', counts);

    const ranges = [
      { name: 'last 30 days', from: new Date(end.getTime() - 30 * DAY), to: end },
      { name: 'the whole year', from: new Date(end.getTime() - 365 * DAY), to: end },
    ];
    const rows: BenchRow[] = [];
    for (const range of ranges) {
      const bucket = autoBucket(range.from, range.to);
      for (const [section, run] of SECTIONS) {
        const times: number[] = [];
        let answer: { source?: string; precision?: string } = {};
        // The first run warms the caches; the next RUNS are measured.
        for (let i = 0; i <= RUNS; i++) {
          const s0 = performance.now();
          const scope = await loadScope(db, ws.id, wf!.id, { from: range.from, to: range.to, bucket }, end);
          answer = (await run(db, scope)) as typeof answer;
          if (i > 0) times.push(performance.now() - s0);
        }
        const p50 = pctOf(times, 0.5);
        const max = Math.max(...times);
        const how = `${answer.source ?? '?'}, ${answer.precision ?? '?'}`;
        console.log(`${range.name.padEnd(15)} ${section.padEnd(14)} p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms (${how})`);
        rows.push({ name: `${section}, ${range.name} (${bucket} buckets)`, value: `p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms (${RUNS} warm runs; ${how})`, target: `< ${TARGET_MS} ms`, met: max < TARGET_MS });
      }
    }
    const c = counts ?? {};
    report('Analytics (bench/analytics.ts)', rows, [
      `${Number(c.leads).toLocaleString('en-US')} leads over 365 days in one workflow, with ${Number(c.steps).toLocaleString('en-US')} trace steps, ${Number(c.assignments).toLocaleString('en-US')} run_assignments, ${Number(c.waits).toLocaleString('en-US')} run_waits, ${Number(c.passed).toLocaleString('en-US')} run_passed_over and ${Number(c.paths).toLocaleString('en-US')} path_counts rows; generated with INSERT ... SELECT in ${genSeconds.toFixed(0)} s (the rollup triggers included), then VACUUM ANALYZE.`,
      `Per-day rollups the triggers filled: ${Number(c.durations).toLocaleString('en-US')} rollup_durations and ${Number(c.accept_times).toLocaleString('en-US')} rollup_accept_times histogram rows, ${Number(c.counts).toLocaleString('en-US')} rows of counts (rollup_runs, rollup_waits, rollup_assignments, rollup_passed_over).`,
      '`rows`: the section read the rows of the range (exact); `rollups`: the whole UTC days from the rollups and the partial days at the ends from the rows (counts exact; `approximate`: percentiles from the histograms, within 2%).',
      'Each time is one section as the route runs it: the scope (the workflow, the directory names, the plans) and the section\'s SQL, in-process against the machine\'s PostgreSQL 15; the first run of each is a warm-up and not counted.',
    ]);
  } finally {
    // ANALYTICS_KEEP=1 keeps the database to explore its queries (its URL printed); drop it by hand.
    if (process.env.ANALYTICS_KEEP === '1') console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runAnalyticsBench();

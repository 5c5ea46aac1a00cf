import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import type { AnalyticsScope } from '../../services/analytics-context';
import { acceptance, analyticsScope, fairness, paths, queueFigures, sla, speedToLead, type AnalyticsSection } from '../../services/analytics.service';
import type { Db } from '@lead-router/db/client';
import { ErrorSchema } from '../leads/schemas';
import { sectionCsv } from './analytics-csv';
import { AcceptanceSchema, AnalyticsQuerySchema, FairnessSchema, PathsSchema, QueuesSchema, SECTION_TABLES, SlaSchema, SpeedToLeadSchema } from './analytics.schemas';

const errors = {
  400: { description: 'Invalid query parameters (each named): a range backwards or over 400 days, too many buckets, an unknown table', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'No credentials', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The role cannot read analytics (viewer and up)', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'No such workflow in this workspace', content: { 'application/json': { schema: ErrorSchema } } },
};

const sectionRoute = <S extends z.ZodType>(section: AnalyticsSection, schema: S, summary: string) =>
  createRoute({
    method: 'get',
    path: `/${section}`,
    tags: ['analytics'],
    summary,
    description: `Leads of the workflow received in [from, to). Each figure carries \`leads\`: the query of GET /api/leads listing the leads behind it. With \`format=csv\`, one table (\`table\`: ${Object.keys(SECTION_TABLES[section]).join(', ')}) as CSV.`,
    request: { query: AnalyticsQuerySchema },
    responses: {
      200: {
        description: 'The figures (JSON), or one table as CSV',
        content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
      },
      ...errors,
    },
  });

type SectionFn = (db: Db, s: AnalyticsScope) => Promise<object>;

/** `/api/analytics/<section>`: routing analytics for a workflow and a range, as JSON or CSV. */
export function analyticsRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  // One handler for every section: the section's figures, or one of its tables as CSV.
  const handle = (section: AnalyticsSection, run: SectionFn) => async (c: Context<AppEnv>): Promise<Response> => {
    const p = requireRole(c, 'viewer');
    const { db, now } = c.get('deps');
    const q = c.req.valid('query' as never) as z.infer<typeof AnalyticsQuerySchema>;
    const scope = await analyticsScope(db, p.workspaceId, q, now());
    const answer = (await run(db, scope)) as Record<string, unknown>;
    if (q.format !== 'csv') return c.json(answer, 200);
    const { name, csv } = sectionCsv(SECTION_TABLES[section], answer, q.table);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${section}-${name}.csv"`,
    });
  };
  // Each handler is an arrow whose `c` the route types: a handler typed `Context<AppEnv>` would make `openapi`
  // infer the path as `string`, and the typed client (hc) could not tell the sections apart.
  return app
    .openapi(sectionRoute('speed-to-lead', SpeedToLeadSchema, 'Speed to lead: p50/p90/p99 to first assignment, acceptance and first contact'), (c) => handle('speed-to-lead', speedToLead)(c))
    .openapi(sectionRoute('sla', SlaSchema, 'SLA met and breached per rep and team; re-assignments and escalations per lead'), (c) => handle('sla', sla)(c))
    .openapi(sectionRoute('acceptance', AcceptanceSchema, 'Acceptance and rejection rates per rep; time to accept'), (c) => handle('acceptance', acceptance)(c))
    .openapi(sectionRoute('fairness', FairnessSchema, 'Leads per rep against the pool’s weights, over time; why reps were passed over'), (c) => handle('fairness', fairness)(c))
    .openapi(sectionRoute('paths', PathsSchema, 'Steps per node and outcome: counts for the canvas’s edges'), (c) => handle('paths', paths)(c))
    .openapi(sectionRoute('queues', QueuesSchema, 'Queue inflow and the age of the leads queues hold'), (c) => handle('queues', queueFigures)(c));
}

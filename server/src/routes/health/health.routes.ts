import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../../http/context';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({
  ready: z.boolean(),
  checks: z.object({ database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) }),
  /** What is down, in words. */
  problems: z.array(z.string()),
});

/** `/healthz` (the process is up) and `/readyz` (the database and Temporal are reachable). */
export function healthRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({ method: 'get', path: '/healthz', tags: ['health'], responses: { 200: { description: 'The server is running', content: { 'application/json': { schema: HealthSchema } } } } }),
      (c) => c.json({ status: 'ok' as const }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/readyz',
        tags: ['health'],
        responses: {
          200: { description: 'Everything the server needs is reachable', content: { 'application/json': { schema: ReadySchema } } },
          503: { description: 'Something is down; ingestion still accepts leads into the outbox while only Temporal is down', content: { 'application/json': { schema: ReadySchema } } },
        },
      }),
      async (c) => {
        const { db, engine } = c.get('deps');
        const [database, temporal] = await Promise.all([
          db
            .execute(sql`select 1`)
            .then(() => 'up' as const)
            .catch(() => 'down' as const),
          engine.ping().then((ok) => (ok ? ('up' as const) : ('down' as const))),
        ]);
        const problems: string[] = [];
        if (database === 'down') problems.push('The database is unreachable.');
        if (temporal === 'down') problems.push('Temporal is unreachable: leads are accepted and wait in the outbox until it is back.');
        const body = { ready: problems.length === 0, checks: { database, temporal }, problems };
        return problems.length === 0 ? c.json(body, 200) : c.json(body, 503);
      },
    );
}

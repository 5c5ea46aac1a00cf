import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import { repCrmLinks, syncNow } from '../../crm/crm-links.service';
import { directoryRouter, errors, json } from '../directory/common';

const RepParams = z.object({ repId: z.string().min(1).max(64).openapi({ param: { name: 'repId', in: 'path' }, example: 'ana' }) });
const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b7e3c1e-9d0f-4c55-8a8e-1b2f3c4d5e6f' }) });

const RepCrmLinkSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  provider: z.string(),
  user: z.object({ crmId: z.string(), name: z.string(), email: z.string() }).nullable(),
  lastSyncedAt: z.string().nullable(),
});

const SyncOutcomeSchema = z.object({ users: z.int(), linkedReps: z.int(), accountsCreated: z.int(), accountsUpdated: z.int(), error: z.string().optional() });

/** `/crm`: reps' links to CRM users, and syncing users and accounts now. */
export function crmLinkRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/rep-links/{repId}',
        tags: ['crm'],
        summary: 'The CRM user a rep is linked to (by email) in each CRM connection: the owner crm_update steps write for them',
        request: { params: RepParams },
        responses: { 200: json(z.object({ links: z.array(RepCrmLinkSchema) }), 'One entry per connection'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ links: await repCrmLinks(c.get('deps').db, p, c.req.valid('param').repId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/crm/connections/{id}/sync',
        tags: ['crm'],
        summary: 'Sync the connection’s users and accounts now (they are also synced every syncIntervalSeconds)',
        request: { params: IdParams },
        responses: { 200: json(SyncOutcomeSchema, 'What the sync did (error: why it stopped)'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await syncNow(c.get('deps'), p, c.req.valid('param').id), 200);
      },
    );
}

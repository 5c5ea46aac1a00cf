import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { listAuditEntries } from '../../services/audit.service';
import { AuditEntrySchema, AuditQuerySchema, errorResponses, json } from './schemas';

/** `GET /audit`: who changed what in the workspace (admin only). */
export function auditRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['audit'],
      summary: 'Read the audit log',
      description: 'Admin. Newest first, keyset-paged: pass `nextCursor` as `cursor` for the next page. Filter by `entityType` and `entityId`.',
      request: { query: AuditQuerySchema },
      responses: {
        200: json(z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }), 'A page of entries; nextCursor is null on the last page'),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const p = requireRole(c, 'admin');
      const q = c.req.valid('query');
      return c.json(await listAuditEntries(c.get('deps').db, p.workspaceId, q), 200);
    },
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import { RepSchema, Text } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { RepBodySchema, RepPatchSchema, RepReplaceSchema } from '../../services/directory-inputs';
import { deleteRep } from '../../services/directory-rep-usage.service';
import { listReps, repService } from '../../services/directory.service';
import { IdParams, directoryRouter, errors, json } from './common';
import { entityRoutes } from './entity-routes';

const Rep = RepSchema;

const RepListQuery = z.object({
  active: z.enum(['true', 'false']).optional().openapi({ description: 'Only active (true) or inactive (false) reps' }),
  q: Text(200).optional().openapi({ description: 'Part of the name or email, any case' }),
});

const RepReferenceSchema = z.object({
  type: z.enum(['team', 'territory', 'account', 'rep']),
  id: z.string(),
  name: z.string(),
  field: z.enum(['members', 'managerId', 'repIds', 'ownerId']),
  message: z.string(),
});

const RepDeletedSchema = z
  .object({
    id: z.string(),
    /** What the forced delete removed the rep from (all zero for a rep nothing named). */
    removed: z.object({ teams: z.int(), territories: z.int(), accounts: z.int(), reps: z.int() }),
    references: z.array(RepReferenceSchema),
  })
  .openapi('RepDeleted');

const DeleteQuery = z.object({
  force: z.enum(['true', 'false']).optional().openapi({ description: 'Delete even while teams, territories, accounts or reps name the rep, removing those references' }),
});

/** `/reps`: list and create; `/reps/{id}`: read, replace, patch, delete. Viewers read, admins write. */
export function repsRoutes() {
  const parts = entityRoutes({
    path: '/reps',
    one: { article: 'a', noun: 'rep' },
    many: 'reps',
    entity: Rep,
    bodies: { create: RepBodySchema, replace: RepReplaceSchema, patch: RepPatchSchema },
    summaries: { replace: 'Replace a rep (fields left out take their defaults)', patch: 'Change some fields of a rep (e.g. {"active": false} to stop routing to them)' },
    namesReps: true,
    service: repService,
  });
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/reps',
        tags: ['directory'],
        summary: 'The reps of the workspace, in directory order',
        request: { query: RepListQuery },
        responses: { 200: json(z.object({ items: z.array(Rep) }), 'The reps'), ...errors(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { active, q } = c.req.valid('query');
        const items = await listReps(c.get('deps').db, p.workspaceId, { ...(active ? { active: active === 'true' } : {}), ...(q ? { q } : {}) });
        return c.json({ items }, 200);
      },
    )
    .route('/', parts.create())
    .route('/', parts.item())
    .openapi(
      createRoute({
        method: 'delete',
        path: '/reps/{id}',
        tags: ['directory'],
        summary: 'Delete a rep (409 while the directory still names them, unless ?force=true)',
        request: { params: IdParams, query: DeleteQuery },
        responses: { 200: json(RepDeletedSchema, 'Deleted; with force, what the rep was removed from'), ...errors(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const { id } = c.req.valid('param');
        const usage = await deleteRep(c.get('deps').db, p, id, { force: c.req.valid('query').force === 'true' });
        return c.json({ id, removed: usage.counts, references: usage.references }, 200);
      },
    );
}

import { createRoute, z } from '@hono/zod-openapi';
import { DirectorySchema, QueueSchema, TeamSchema, TerritorySchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import {
  QueueBodySchema,
  QueuePatchSchema,
  QueueReplaceSchema,
  TeamBodySchema,
  TeamPatchSchema,
  TeamReplaceSchema,
  TerritoryBodySchema,
  TerritoryPatchSchema,
  TerritoryReplaceSchema,
} from '../../services/directory-inputs';
import { queueService, teamService, territoryService } from '../../services/directory.service';
import { accountsRoutes } from './accounts.routes';
import { directoryRouter, errors, json } from './common';
import { companiesRoutes } from './companies.routes';
import { entityRouter } from './entity-routes';
import { fieldsRoutes } from './fields.routes';
import { repsRoutes } from './reps.routes';
import { availabilityRoutes } from './availability.routes';

/** `/teams`: list and create; `/teams/{id}`: read, replace, patch, delete. Members must be reps of the workspace. */
const teamsRoutes = () =>
  entityRouter({
    path: '/teams',
    one: { article: 'a', noun: 'team' },
    many: 'teams',
    entity: TeamSchema,
    bodies: { create: TeamBodySchema, replace: TeamReplaceSchema, patch: TeamPatchSchema },
    summaries: { patch: 'Change some fields of a team (a given `members` list replaces the old one)' },
    namesReps: true,
    service: teamService,
  });

/** `/territories`: list and create; `/territories/{id}`: read, replace, patch, delete. The reps that cover them must be reps of the workspace. */
const territoriesRoutes = () =>
  entityRouter({
    path: '/territories',
    one: { article: 'a', noun: 'territory' },
    many: 'territories',
    entity: TerritorySchema,
    bodies: { create: TerritoryBodySchema, replace: TerritoryReplaceSchema, patch: TerritoryPatchSchema },
    summaries: { patch: 'Change some fields of a territory (a given `rules` or `repIds` list replaces the old one)' },
    namesReps: true,
    service: territoryService,
  });

/** `/queues`: list and create; `/queues/{id}`: read, replace, patch, delete. */
const queuesRoutes = () =>
  entityRouter({
    path: '/queues',
    one: { article: 'a', noun: 'queue' },
    many: 'queues',
    entity: QueueSchema,
    bodies: { create: QueueBodySchema, replace: QueueReplaceSchema, patch: QueuePatchSchema },
    namesReps: false,
    service: queueService,
  });

const SnapshotQuery = z.object({
  companies: z.enum(['true', 'false']).optional().openapi({ description: 'Include the firmographics table (large; left out by default)' }),
});

/**
 * The directory API, mounted at `/api`: `/reps`, `/teams`, `/territories`, `/accounts`, `/queues`,
 * `/companies`, `/fields`, and `/directory`, the whole snapshot the canvas's pickers use.
 */
export function directoryRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/directory',
        tags: ['directory'],
        summary: 'The whole directory as the compiler and simulations see it (companies only with ?companies=true)',
        request: { query: SnapshotQuery },
        responses: { 200: json(DirectorySchema, 'The directory'), ...errors(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const directory = await loadDirectory(c.get('deps').db, p.workspaceId, { companies: c.req.valid('query').companies === 'true' });
        return c.json(directory, 200);
      },
    )
    .route('/', repsRoutes())
    .route('/', availabilityRoutes())
    .route('/', teamsRoutes())
    .route('/', territoriesRoutes())
    .route('/', accountsRoutes())
    .route('/', queuesRoutes())
    .route('/', companiesRoutes())
    .route('/', fieldsRoutes());
}

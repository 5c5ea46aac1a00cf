import { createRoute, z } from '@hono/zod-openapi';
import { DirectorySchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { accountsRoutes } from './accounts.routes';
import { directoryRouter, errors, json } from './common';
import { companiesRoutes } from './companies.routes';
import { fieldsRoutes } from './fields.routes';
import { queuesRoutes } from './queues.routes';
import { repsRoutes } from './reps.routes';
import { teamsRoutes } from './teams.routes';
import { territoriesRoutes } from './territories.routes';

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
    .route('/', teamsRoutes())
    .route('/', territoriesRoutes())
    .route('/', accountsRoutes())
    .route('/', queuesRoutes())
    .route('/', companiesRoutes())
    .route('/', fieldsRoutes());
}

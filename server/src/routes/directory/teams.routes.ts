import { createRoute, z } from '@hono/zod-openapi';
import { TeamSchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { TeamBodySchema, TeamPatchSchema, TeamReplaceSchema } from '../../services/directory-inputs';
import { deleteTeam, listTeams, teamService } from '../../services/directory.service';
import { IdParams, directoryRouter, errors, json, jsonBody } from './common';

const Team = TeamSchema;

/** `/teams`: list and create; `/teams/{id}`: read, replace, patch, delete. Members must be reps of the workspace. */
export function teamsRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/teams',
        tags: ['directory'],
        summary: 'The teams of the workspace, in directory order',
        responses: { 200: json(z.object({ items: z.array(Team) }), 'The teams'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ items: await listTeams(c.get('deps').db, p.workspaceId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/teams',
        tags: ['directory'],
        summary: 'Create a team',
        request: jsonBody(TeamBodySchema),
        responses: { 201: json(Team, 'The team as stored'), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await teamService.create(c.get('deps').db, p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/teams/{id}',
        tags: ['directory'],
        summary: 'One team',
        request: { params: IdParams },
        responses: { 200: json(Team, 'The team'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await teamService.get(c.get('deps').db, p.workspaceId, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/teams/{id}',
        tags: ['directory'],
        summary: 'Replace a team',
        request: { params: IdParams, ...jsonBody(TeamReplaceSchema) },
        responses: { 200: json(Team, 'The team as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await teamService.replace(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/teams/{id}',
        tags: ['directory'],
        summary: 'Change some fields of a team (a given `members` list replaces the old one)',
        request: { params: IdParams, ...jsonBody(TeamPatchSchema) },
        responses: { 200: json(Team, 'The team as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await teamService.patch(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/teams/{id}',
        tags: ['directory'],
        summary: 'Delete a team',
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteTeam(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

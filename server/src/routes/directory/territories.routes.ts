import { createRoute, z } from '@hono/zod-openapi';
import { TerritorySchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { TerritoryBodySchema, TerritoryPatchSchema, TerritoryReplaceSchema } from '../../services/directory-inputs';
import { deleteTerritory, listTerritories, territoryService } from '../../services/directory.service';
import { IdParams, directoryRouter, errors, json, jsonBody } from './common';

const Territory = TerritorySchema;

/** `/territories`: list and create; `/territories/{id}`: read, replace, patch, delete. The reps that cover them must be reps of the workspace. */
export function territoriesRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/territories',
        tags: ['directory'],
        summary: 'The territories of the workspace, in directory order',
        responses: { 200: json(z.object({ items: z.array(Territory) }), 'The territories'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ items: await listTerritories(c.get('deps').db, p.workspaceId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/territories',
        tags: ['directory'],
        summary: 'Create a territory',
        request: jsonBody(TerritoryBodySchema),
        responses: { 201: json(Territory, 'The territory as stored'), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await territoryService.create(c.get('deps').db, p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/territories/{id}',
        tags: ['directory'],
        summary: 'One territory',
        request: { params: IdParams },
        responses: { 200: json(Territory, 'The territory'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await territoryService.get(c.get('deps').db, p.workspaceId, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/territories/{id}',
        tags: ['directory'],
        summary: 'Replace a territory',
        request: { params: IdParams, ...jsonBody(TerritoryReplaceSchema) },
        responses: { 200: json(Territory, 'The territory as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await territoryService.replace(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/territories/{id}',
        tags: ['directory'],
        summary: 'Change some fields of a territory (a given `rules` or `repIds` list replaces the old one)',
        request: { params: IdParams, ...jsonBody(TerritoryPatchSchema) },
        responses: { 200: json(Territory, 'The territory as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await territoryService.patch(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/territories/{id}',
        tags: ['directory'],
        summary: 'Delete a territory',
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteTerritory(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

import { createRoute, z } from '@hono/zod-openapi';
import { FIELD_TYPES, OPERATORS } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { createCustomField, deleteCustomField, getFieldCatalog } from '../../services/directory-fields.service';
import { CustomFieldBodySchema } from '../../services/directory-inputs';
import { directoryRouter, errors, json, jsonBody } from './common';

const CatalogField = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(FIELD_TYPES),
    options: z.array(z.string()).optional(),
    standard: z.boolean(),
    system: z.boolean().openapi({ description: 'Set by the router: conditions may read it, update steps may not write it' }),
    description: z.string().optional(),
  })
  .openapi('CatalogField');

const FieldCatalog = z
  .object({
    fields: z.array(CatalogField),
    operators: z.record(z.enum(FIELD_TYPES), z.array(z.enum(OPERATORS))).openapi({ description: 'The operators each field type allows, in display order' }),
  })
  .openapi('FieldCatalog');

const KeyParams = z.object({
  key: z.string().openapi({ param: { name: 'key', in: 'path' }, example: 'budget' }),
});

/** `/fields`: the field catalog the canvas builds its condition editor from; admins declare and remove custom fields. */
export function fieldsRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/fields',
        tags: ['directory'],
        summary: 'Standard fields, then the workspace’s custom fields, and the operators valid for each type',
        responses: { 200: json(FieldCatalog, 'The catalog'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getFieldCatalog(c.get('deps').db, p.workspaceId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/fields',
        tags: ['directory'],
        summary: 'Declare a custom field (409 when the key is a standard or existing field)',
        request: jsonBody(CustomFieldBodySchema),
        responses: { 201: json(CatalogField, 'The field as the catalog lists it'), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await createCustomField(c.get('deps').db, p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/fields/{key}',
        tags: ['directory'],
        summary: 'Remove a custom field',
        request: { params: KeyParams },
        responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404, 409) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteCustomField(c.get('deps').db, p, c.req.valid('param').key);
        return c.body(null, 204);
      },
    );
}

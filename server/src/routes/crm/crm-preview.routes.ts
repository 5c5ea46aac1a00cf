import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import { objectFields, previewMapping } from '../../crm/preview.service';
import { directoryRouter, errors, json, jsonBody } from '../directory/common';

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b7e3c1e-9d0f-4c55-8a8e-1b2f3c4d5e6f' }) });
const ObjectName = z.enum(['Lead', 'Contact']);
const CrmError = z.object({ code: z.string(), message: z.string() }).nullable();
const MapRow = z.object({ crmField: z.string().trim().min(1).max(120), leadField: z.string().trim().min(1).max(64) });

const FieldsSchema = z
  .object({
    object: ObjectName,
    source: z.enum(['describe', 'standard']).openapi({ description: 'describe: the org’s own fields (Salesforce describe, HubSpot’s contact properties); standard: the CRM’s standard fields (not signed in, or the CRM could not be read)' }),
    crmFields: z.array(z.object({ name: z.string(), label: z.string(), type: z.string() })),
    leadFields: z.array(z.object({ key: z.string(), label: z.string(), type: z.string() })),
    error: CrmError,
  })
  .openapi('CrmObjectFields');

const PreviewSchema = z
  .object({
    object: ObjectName,
    mapping: z.array(z.object({ crmField: z.string(), leadField: z.string() })).openapi({ description: 'The mapping as it would be stored (API names)' }),
    records: z.array(z.object({ crmId: z.string(), values: z.record(z.string(), z.unknown()), lead: z.record(z.string(), z.unknown()), dropped: z.array(z.string()) })),
    error: CrmError.openapi({ description: 'What the CRM answered when it could not be read (no records then)' }),
  })
  .openapi('CrmMappingPreview');

/** The field-mapping editor's reads: an object's fields, and a mapping previewed on real records (admins). */
export function crmPreviewRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/connections/{id}/fields',
        tags: ['crm'],
        summary: 'An object’s CRM fields (label, API name, type) and the lead fields they may fill',
        request: { params: IdParams, query: z.object({ object: ObjectName.optional().openapi({ description: 'Lead or Contact (default: Lead; Contact for HubSpot, its only object)' }) }) },
        responses: { 200: json(FieldsSchema, 'The fields'), ...errors(400, 401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await objectFields(c.get('deps'), p, c.req.valid('param').id, c.req.valid('query').object), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/crm/connections/{id}/preview',
        tags: ['crm'],
        summary: 'A field mapping on the object’s 5 latest records (HubSpot: contacts, newest first), as leads (type-checked first, nothing stored)',
        request: { params: IdParams, ...jsonBody(z.object({ object: ObjectName, mapping: z.array(MapRow).max(200).optional() }).strict()) },
        responses: { 200: json(PreviewSchema, 'The records and the leads they make'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await previewMapping(c.get('deps'), p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    );
}

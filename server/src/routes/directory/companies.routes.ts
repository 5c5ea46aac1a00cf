import { createRoute, z } from '@hono/zod-openapi';
import { CompanySchema, Text } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { companyCursor } from '../../services/cursor';
import { deleteCompany, getCompany, listCompanies, putCompany } from '../../services/directory-companies.service';
import { CompanyBodySchema } from '../../services/directory-inputs';
import { importCompaniesCsv } from '../../services/directory-import.service';
import { ImportResultSchema, PageQuery, csvBody, csvBodyLimit, csvText, directoryRouter, errors, json, jsonBody } from './common';

const Company = CompanySchema;

const DomainParams = z.object({
  domain: z.string().openapi({ param: { name: 'domain', in: 'path' }, example: 'acme.com' }),
});

const CompanyListQuery = z.object({
  q: Text(253).optional().openapi({ description: 'Part of the domain' }),
  ...PageQuery,
  cursor: companyCursor.param(),
});

/**
 * `/companies`: the firmographics table the enrich step reads by domain. List (paged by domain), upsert and
 * delete by domain, and an all-or-nothing CSV import.
 */
export function companiesRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/companies',
        tags: ['directory'],
        summary: 'The firmographics table by domain, a page at a time',
        request: { query: CompanyListQuery },
        responses: { 200: json(z.object({ items: z.array(Company), nextCursor: z.string().nullable() }), 'A page of companies'), ...errors(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { q, limit, cursor } = c.req.valid('query');
        const page = await listCompanies(c.get('deps').db, p.workspaceId, { ...(q ? { q } : {}), ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}) });
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/companies/import',
        tags: ['directory'],
        summary: 'Import firmographics from CSV: every row is checked first; one bad row and nothing is written',
        description:
          'Columns: domain, name, employees, annualRevenue, industry, country, technologies (separated by ";" or ","). Rows upsert by domain ' +
          'in one transaction, each replacing the stored row whole. A 422 lists every problem as { row, column, message }.',
        middleware: [csvBodyLimit],
        request: csvBody('The CSV file'),
        responses: { 200: json(ImportResultSchema, 'How many companies were created and updated'), ...errors(401, 403, 413, 415, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await importCompaniesCsv(c.get('deps').db, p, await csvText(c)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/companies/{domain}',
        tags: ['directory'],
        summary: 'The firmographics of one domain',
        request: { params: DomainParams },
        responses: { 200: json(Company, 'The company'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getCompany(c.get('deps').db, p.workspaceId, c.req.valid('param').domain), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/companies/{domain}',
        tags: ['directory'],
        summary: 'Create or replace the firmographics of a domain (fields left out or null are unknown)',
        request: { params: DomainParams, ...jsonBody(CompanyBodySchema) },
        responses: {
          200: json(Company, 'Replaced'),
          201: json(Company, 'Created'),
          ...errors(400, 401, 403, 422),
        },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const { company, created } = await putCompany(c.get('deps').db, p, c.req.valid('param').domain, c.req.valid('json'));
        return created ? c.json(company, 201) : c.json(company, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/companies/{domain}',
        tags: ['directory'],
        summary: 'Delete the firmographics of a domain',
        request: { params: DomainParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteCompany(c.get('deps').db, p, c.req.valid('param').domain);
        return c.body(null, 204);
      },
    );
}

import { createRoute, z } from '@hono/zod-openapi';
import { AccountSchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { AccountBodySchema, AccountPatchSchema, AccountReplaceSchema, StorableText } from '../../services/directory-inputs';
import { importAccountsCsv } from '../../services/directory-import.service';
import { accountService, deleteAccount, listAccounts } from '../../services/directory.service';
import { IdParams, ImportResultSchema, PageQuery, csvBody, csvBodyLimit, csvText, directoryRouter, errors, json, jsonBody } from './common';

const Account = AccountSchema;

const AccountListQuery = z.object({
  q: StorableText(200).optional().openapi({ description: 'Part of the name or of a domain, any case' }),
  ownerId: StorableText(64).optional().openapi({ description: 'Only accounts this rep owns' }),
  ...PageQuery,
});

/**
 * `/accounts`: list (paged by id) and create; `/accounts/import`: all-or-nothing CSV upsert;
 * `/accounts/{id}`: read, replace, patch, delete. Domains are stored bare and lower-case.
 */
export function accountsRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/accounts',
        tags: ['directory'],
        summary: 'The accounts of the workspace by id, a page at a time',
        request: { query: AccountListQuery },
        responses: { 200: json(z.object({ items: z.array(Account), nextCursor: z.string().nullable() }), 'A page of accounts'), ...errors(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { q, ownerId, limit, cursor } = c.req.valid('query');
        const page = await listAccounts(c.get('deps').db, p.workspaceId, {
          ...(q ? { q } : {}),
          ...(ownerId ? { ownerId } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor ? { cursor } : {}),
        });
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/accounts',
        tags: ['directory'],
        summary: 'Create an account',
        request: jsonBody(AccountBodySchema),
        responses: { 201: json(Account, 'The account as stored'), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await accountService.create(c.get('deps').db, p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/accounts/import',
        tags: ['directory'],
        summary: 'Import accounts from CSV: every row is checked first; one bad row and nothing is written',
        description:
          'Columns: id, name, domains (separated by ";" or spaces), owner (a rep id or email). Rows upsert by id in one transaction. ' +
          'A 422 lists every problem as { row, column, message } (row 1 is the first line after the header).',
        middleware: [csvBodyLimit],
        request: csvBody('The CSV file'),
        responses: { 200: json(ImportResultSchema, 'How many accounts were created and updated'), ...errors(401, 403, 413, 415, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await importAccountsCsv(c.get('deps').db, p, await csvText(c)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/accounts/{id}',
        tags: ['directory'],
        summary: 'One account',
        request: { params: IdParams },
        responses: { 200: json(Account, 'The account'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await accountService.get(c.get('deps').db, p.workspaceId, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/accounts/{id}',
        tags: ['directory'],
        summary: 'Replace an account',
        request: { params: IdParams, ...jsonBody(AccountReplaceSchema) },
        responses: { 200: json(Account, 'The account as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await accountService.replace(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/accounts/{id}',
        tags: ['directory'],
        summary: 'Change some fields of an account (a given `domains` list replaces the old one)',
        request: { params: IdParams, ...jsonBody(AccountPatchSchema) },
        responses: { 200: json(Account, 'The account as stored'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await accountService.patch(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/accounts/{id}',
        tags: ['directory'],
        summary: 'Delete an account',
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteAccount(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

import { createRoute, z } from '@hono/zod-openapi';
import { AccountSchema, Text } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { AccountBodySchema, AccountPatchSchema, AccountReplaceSchema } from '../../services/directory-inputs';
import { accountCursor } from '../../services/cursor';
import { importAccountsCsv } from '../../services/directory-import.service';
import { accountService, listAccounts } from '../../services/directory.service';
import { ImportResultSchema, PageQuery, csvBody, csvBodyLimit, csvText, directoryRouter, errors, json } from './common';
import { entityRoutes } from './entity-routes';

const Account = AccountSchema;

const AccountListQuery = z.object({
  q: Text(200).optional().openapi({ description: 'Part of the name or of a domain, any case' }),
  ownerId: Text(64).optional().openapi({ description: 'Only accounts this rep owns' }),
  ...PageQuery,
  cursor: accountCursor.param(),
});

/**
 * `/accounts`: list (paged by id) and create; `/accounts/import`: all-or-nothing CSV upsert;
 * `/accounts/{id}`: read, replace, patch, delete. Domains are stored bare and lower-case.
 */
export function accountsRoutes() {
  const parts = entityRoutes({
    path: '/accounts',
    one: { article: 'an', noun: 'account' },
    many: 'accounts',
    entity: Account,
    bodies: { create: AccountBodySchema, replace: AccountReplaceSchema, patch: AccountPatchSchema },
    summaries: { patch: 'Change some fields of an account (a given `domains` list replaces the old one)' },
    namesReps: true,
    service: accountService,
  });
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
    .route('/', parts.create())
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
    .route('/', parts.item())
    .route('/', parts.remove());
}

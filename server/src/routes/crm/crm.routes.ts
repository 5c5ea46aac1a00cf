import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import { ConnectionViewSchema, CreateConnectionSchema, TestResultSchema, UpdateConnectionSchema } from '../../crm/connection-inputs';
import { completeOAuth, createConnection, deleteConnection, getConnection, listConnections, startOAuth, testConnection, updateConnection } from '../../crm/connections.service';
import { directoryRouter, errors, json, jsonBody } from '../directory/common';
import { crmPreviewRoutes } from './crm-preview.routes';
import { crmLinkRoutes } from './crm-links.routes';
import { hubspotWebhookRoutes } from './hubspot-webhook.routes';

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b7e3c1e-9d0f-4c55-8a8e-1b2f3c4d5e6f' }) });

/**
 * `/crm`: CRM connections (admins only): settings and encrypted credentials, "test connection", and the
 * OAuth web-server flow (start, and the callback Salesforce sends the browser back to).
 */
export function crmRoutes() {
  return directoryRouter().route('/', connectionRoutes()).route('/', oauthRoutes()).route('/', crmPreviewRoutes()).route('/', crmLinkRoutes()).route('/', hubspotWebhookRoutes());
}

/** Connections: list, create, read, change, delete, test. */
function connectionRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/connections',
        tags: ['crm'],
        summary: 'The workspace’s CRM connections (never their secrets)',
        responses: { 200: json(z.object({ connections: z.array(ConnectionViewSchema) }), 'The connections'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json({ connections: await listConnections(c.get('deps').db, p) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/crm/connections',
        tags: ['crm'],
        summary: 'Add a CRM connection (secrets are encrypted with SECRET_KEY; 503 when it is not set)',
        request: jsonBody(CreateConnectionSchema),
        responses: { 201: json(ConnectionViewSchema, 'The connection'), ...errors(400, 401, 403, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await createConnection(c.get('deps'), p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/connections/{id}',
        tags: ['crm'],
        summary: 'One CRM connection',
        request: { params: IdParams },
        responses: { 200: json(ConnectionViewSchema, 'The connection'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await getConnection(c.get('deps').db, p, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/crm/connections/{id}',
        tags: ['crm'],
        summary: 'Change a CRM connection (a secret given replaces the stored one; a field mapping is type-checked)',
        request: { params: IdParams, ...jsonBody(UpdateConnectionSchema) },
        responses: { 200: json(ConnectionViewSchema, 'The connection'), ...errors(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await updateConnection(c.get('deps'), p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/crm/connections/{id}',
        tags: ['crm'],
        summary: 'Remove a CRM connection (the leads it brought stay)',
        request: { params: IdParams },
        responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteConnection(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/crm/connections/{id}/test',
        tags: ['crm'],
        summary: 'Call the CRM: ok with the org, instance and API usage, or the CRM’s error in plain words',
        request: { params: IdParams },
        responses: { 200: json(TestResultSchema, 'What the CRM answered'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await testConnection(c.get('deps'), p, c.req.valid('param').id), 200);
      },
    );
}

/** The OAuth web-server flow: start (admins), and the callback Salesforce sends the browser back to. */
function oauthRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/connections/{id}/oauth/start',
        tags: ['crm'],
        summary: 'Start the OAuth flow: redirects to the CRM’s authorize page (Salesforce: state + PKCE; HubSpot: the app’s install page, state)',
        request: { params: IdParams, query: z.object({ returnTo: z.string().max(500).optional().openapi({ description: 'A path of this app to come back to' }) }) },
        responses: { 302: { description: 'To the CRM’s authorize page' }, ...errors(400, 401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const url = await startOAuth(c.get('deps'), p, c.req.valid('param').id, c.req.valid('query').returnTo);
        return c.redirect(url, 302);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/crm/oauth/callback',
        tags: ['crm'],
        summary: 'Where the CRM sends the browser back: the code is exchanged for tokens, stored encrypted',
        request: {
          query: z.object({ code: z.string().max(2000).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional(), error_description: z.string().max(2000).optional() }),
        },
        responses: { 302: { description: 'Back to the app, with `crm=connected` or `crm_error=<message>`' }, ...errors(400, 401, 403) },
      }),
      async (c) => {
        // The browser comes back signed in (the session cookie is SameSite=Lax, so a top-level redirect carries
        // it); the single-use `state` (random, stored hashed, 10 minutes) must belong to the admin's workspace.
        const p = requireRole(c, 'admin');
        const outcome = await completeOAuth(c.get('deps'), p, c.req.valid('query'));
        const sep = outcome.returnTo.includes('?') ? '&' : '?';
        const tail = outcome.ok ? `crm=connected&connection=${outcome.connectionId}` : `crm_error=${encodeURIComponent(outcome.message)}${outcome.connectionId ? `&connection=${outcome.connectionId}` : ''}`;
        return c.redirect(`${outcome.returnTo}${sep}${tail}`, 302);
      },
    );
}

import { createRoute, z } from '@hono/zod-openapi';
import { SECRET_NAME_PATTERN, SecretInfoSchema, SecretValueSchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { invalidInput } from '../../errors/domain-error';
import { deleteSecret, listSecrets, putSecret } from '../../services/secrets.service';
import { directoryRouter, errors, json, jsonBody } from '../directory/common';

const Info = SecretInfoSchema.openapi('Secret');
const NameParams = z.object({ name: z.string().max(200).openapi({ param: { name: 'name', in: 'path' }, example: 'ENRICH_API_KEY' }) });
const PutBody = z.object({ value: SecretValueSchema.openapi({ description: 'The secret’s value: never returned by the API', example: 'sk_live_51H...' }) }).strict();

/** A path's secret name, or 400 naming it. */
function nameOf(raw: string): string {
  if (!SECRET_NAME_PATTERN.test(raw)) throw invalidInput([{ path: 'name', message: 'must be 1-64 upper-case letters, digits or underscores, starting with a letter (e.g. ENRICH_API_KEY)' }], 'secret name');
  return raw;
}

/**
 * `/secrets`: the API keys, tokens and webhook URLs graphs name as `{{secret.NAME}}`. Members see names, hints
 * and uses; admins set and delete. A value is never returned (503 when SECRET_KEY is not set on the server).
 */
export function secretRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/secrets',
        tags: ['workspace'],
        summary: 'The workspace’s secrets: names, hints and the published workflows that use them (never a value)',
        responses: { 200: json(z.object({ secrets: z.array(Info) }), 'The secrets, by name'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ secrets: await listSecrets(c.get('deps').db, p) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/secrets/{name}',
        tags: ['workspace'],
        summary: 'Set a secret, or give it a new value (admins; audited without the value; 503 when SECRET_KEY is not set)',
        request: { params: NameParams, ...jsonBody(PutBody) },
        responses: { 200: json(Info, 'The secret, replaced'), 201: json(Info, 'The secret, created'), ...errors(400, 401, 403, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const { secret, created } = await putSecret(c.get('deps'), p, nameOf(c.req.valid('param').name), c.req.valid('json').value);
        return created ? c.json(secret, 201) : c.json(secret, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/secrets/{name}',
        tags: ['workspace'],
        summary: 'Delete a secret (admins; 409 in_use while a published workflow names it)',
        request: { params: NameParams },
        responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteSecret(c.get('deps').db, p, nameOf(c.req.valid('param').name));
        return c.body(null, 204);
      },
    );
}

import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../http/context';
import { DomainError } from '../../errors/domain-error';
import { validationHook } from '../../http/validation';
import { IMPORT_MAX_BYTES } from '../../services/directory-import.service';

/** A router of this folder: request validation failures answer the API's one error shape. */
export function directoryRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** The API's one error body. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'unknown_reference' }),
      message: z.string(),
      details: z.unknown().optional().openapi({ description: 'Each problem, usually as { path, message }' }),
    }),
  })
  .openapi('Error');

const WHAT = {
  400: 'The request is not valid; `details` lists each problem with its field path',
  401: 'No credentials: sign in, or send an API key',
  403: 'The role is too low: viewers read the directory, admins change it',
  404: 'Not found in this workspace',
  409: 'Conflicts with what is stored (`duplicate_id`, `in_use`, ...)',
  413: 'The body is larger than 5 MiB',
  415: 'The body is not CSV',
  422: 'Names something that is not in the directory, or the import has invalid rows (`details` lists them all)',
} as const;
type ErrorStatus = keyof typeof WHAT;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };

/** The error responses a route declares, by status. */
export function errors<const S extends readonly ErrorStatus[]>(...statuses: S): { [K in S[number]]: ErrorResponse } {
  return Object.fromEntries(statuses.map((s) => [s, { description: WHAT[s], content: { 'application/json': { schema: ErrorSchema } } }])) as {
    [K in S[number]]: ErrorResponse;
  };
}

/** A JSON response declaration. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { body: { required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } } };
}

/** The `{id}` of a directory entry. Any string is accepted here: an id that cannot exist is a 404, not a 400. */
export const IdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'rep-ana' }),
});

/** `?limit=` of the paged listings (accounts, companies); each adds its own `cursor` (services/cursor.ts). */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Page size, 1 to 1000 (default 100)' }),
};

// Spreadsheets and browsers label CSV files in several ways; JSON or forms here are a mistake worth naming.
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'text/comma-separated-values'];

/** Refuses bodies over the import limit with 413 before reading them whole. */
export const csvBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: IMPORT_MAX_BYTES,
  onError: () => {
    throw new DomainError('payload_too_large', 'The file is larger than 5 MiB; split it into smaller files and import each.');
  },
});

/** The CSV text of an import request: 415 unless the body is labelled as CSV (or plain text). */
export async function csvText(c: Context<AppEnv>): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!CSV_TYPES.includes(type)) {
    throw new DomainError('unsupported_media_type', `Send the CSV file itself as the body, with Content-Type: text/csv${type ? ` (not ${type})` : ''}.`);
  }
  const text = await c.req.text();
  if (text.includes('\u0000')) {
    throw new DomainError('invalid_request', 'The file holds NUL characters, so it is not a CSV text file (a spreadsheet such as .xlsx?). Save it as "CSV UTF-8" and import that.');
  }
  return text;
}

/** The request body declaration of a CSV import. */
export function csvBody(description: string) {
  return { body: { required: true, description, content: { 'text/csv': { schema: z.string().openapi({ example: 'id,name,domains,owner\nacct-acme,Acme Corp,acme.com;acme.io,ana@example.com' }) } } } };
}

/** What a successful import wrote. */
export const ImportResultSchema = z.object({ created: z.int(), updated: z.int() }).openapi('ImportResult');

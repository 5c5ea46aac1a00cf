import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { JsonText } from '../services/simulation/jobs';

/**
 * Answers JSON text that was already written (by a simulation thread), typed as `c.json` of its value
 * would be, so the route's OpenAPI types and the typed client stay the same. The event loop neither parses
 * nor re-serialises it: an answer of tens of MB would hold it for a second.
 */
export function jsonText<T, S extends ContentfulStatusCode>(c: Context, text: JsonText<T>, status: S): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  return c.body(text, status, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}

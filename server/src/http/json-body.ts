import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../errors/domain-error';
import type { AppEnv } from './context';

// JSON is UTF-8 (RFC 8259). `Request.text()` decodes leniently, turning every invalid byte into U+FFFD, so
// a body in another encoding (a Latin-1 "é") would be stored silently altered. Every JSON body the routes
// read is decoded strictly instead, as ingest decodes its leads: such a body is refused, naming it.

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The refusal of a body that is not UTF-8. */
export function invalidUtf8Body(): DomainError {
  return new DomainError('malformed_json', 'The request body is not valid UTF-8, so it is not JSON (JSON is always UTF-8); nothing was stored. Send the text encoded as UTF-8.', [
    { path: '(body)', message: 'is not valid UTF-8', code: 'invalid_utf8' },
  ]);
}

/**
 * Makes `c.req.json()` (what every route's validator calls, after its own body limit) decode the body as
 * strict UTF-8. The validator answers any failure of `json()` as "malformed JSON"; the precise refusal is
 * kept on the context (`bodyError`), where the error handler finds it.
 */
export function strictUtf8Json(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const req = c.req;
    req.json = async <T>(): Promise<T> => {
      const bytes = await req.arrayBuffer();
      let text: string;
      try {
        text = STRICT_UTF8.decode(bytes);
      } catch {
        const refused = invalidUtf8Body();
        c.set('bodyError', refused);
        throw refused;
      }
      return JSON.parse(text) as T;
    };
    await next();
  };
}

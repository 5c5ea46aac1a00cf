import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ConditionGroupSchema } from '@lead-router/shared';
import type { AppEnv } from './context';
import { renderReferencePage, type OpenApiDocument } from './reference-page';

/** What `/api/openapi.json` says of the API as a whole. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'Lead Router API', version: '1.0.0', description: 'Design, test, publish and run lead routing graphs.' },
} as const;

/**
 * Registers schemas that must be OpenAPI components. The condition group is recursive (`z.lazy`); without
 * a component name the generator recurses until the stack overflows and `/api/openapi.json` answers 500.
 * Registering it before any router that uses graphs also makes the component's first, defining use the
 * plain, non-nullable one.
 */
export function registerSharedComponents(router: OpenAPIHono<AppEnv>): void {
  router.openAPIRegistry.register('ConditionGroup', ConditionGroupSchema);
}

/**
 * `GET /docs`: the API reference as one offline HTML page; no credentials needed. The page is rendered
 * from `document()`, the very document `/api/openapi.json` serves (app.ts passes it in, so this router
 * never reaches for the app it is mounted in), once: the document only changes with the code.
 */
export function docsRoute(document: () => OpenApiDocument) {
  let page: string | null = null;
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/docs',
      tags: ['docs'],
      summary: 'This API reference, as a web page',
      description: 'No credentials needed. Rendered from `/api/openapi.json`.',
      responses: { 200: { description: 'The reference page', content: { 'text/html': { schema: z.string() } } } },
    }),
    (c) => {
      // A failed build is not kept: the next request tries again.
      page ??= renderReferencePage(document());
      // No scripts anywhere on the page: say so to the browser too.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'");
      c.header('Cache-Control', 'no-cache');
      return c.html(page, 200);
    },
  );
}

import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ConditionGroupSchema } from '@lead-router/shared';
import type { AppEnv } from './context';
import { renderReferencePage, type OpenApiDocument } from './reference-page';

/**
 * Registers schemas that must be OpenAPI components. The condition group is recursive (`z.lazy`); without
 * a component name the generator recurses until the stack overflows and `/api/openapi.json` answers 500.
 * Registering it here (the auth router is mounted before the routers that use graphs) also makes the
 * component's first, defining use the plain, non-nullable one.
 */
export function registerSharedComponents(router: OpenAPIHono<AppEnv>): void {
  router.openAPIRegistry.register('ConditionGroup', ConditionGroupSchema);
}

/**
 * `GET /docs`: the API reference as one offline HTML page; no credentials needed. The page is rendered from
 * the very document `/api/openapi.json` serves, which app.ts hands in (`document`): the route never imports
 * the app it is mounted in. The document only changes with the code, so the page is rendered once.
 */
export function docsRoute(document: () => OpenApiDocument) {
  let html: string | undefined;
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
      html ??= renderReferencePage(document());
      // No scripts anywhere on the page: say so to the browser too.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'");
      c.header('Cache-Control', 'no-cache');
      return c.html(html, 200);
    },
  );
}

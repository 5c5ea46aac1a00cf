import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ConditionGroupSchema } from '@lead-router/shared';
import { createApp } from '../../app';
import type { AppDeps, AppEnv } from '../../http/context';
import { renderReferencePage, type OpenApiDocument } from '../../http/reference-page';

// The page is built from the very document `/api/openapi.json` serves. A sub-router cannot reach the app
// it is mounted in, so it asks an app built from the same deps, in-process, once per deps: the document
// only changes with the code.
const documents = new WeakMap<AppDeps, Promise<OpenApiDocument>>();

async function openApiDocument(deps: AppDeps): Promise<OpenApiDocument> {
  const res = await createApp(deps).request('/api/openapi.json');
  if (!res.ok) throw new Error(`/api/openapi.json answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as OpenApiDocument;
}

function cachedDocument(deps: AppDeps): Promise<OpenApiDocument> {
  let doc = documents.get(deps);
  if (!doc) {
    doc = openApiDocument(deps);
    // A failed build is not cached: the next request tries again.
    doc.catch(() => documents.delete(deps));
    documents.set(deps, doc);
  }
  return doc;
}

/**
 * Registers schemas that must be OpenAPI components. The condition group is recursive (`z.lazy`); without
 * a component name the generator recurses until the stack overflows and `/api/openapi.json` answers 500.
 * Registering it here (the auth router is mounted before the routers that use graphs) also makes the
 * component's first, defining use the plain, non-nullable one.
 */
export function registerSharedComponents(router: OpenAPIHono<AppEnv>): void {
  router.openAPIRegistry.register('ConditionGroup', ConditionGroupSchema);
}

/** `GET /docs`: the API reference as one offline HTML page; no credentials needed. */
export function docsRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/docs',
      tags: ['docs'],
      summary: 'This API reference, as a web page',
      description: 'No credentials needed. Rendered from `/api/openapi.json`.',
      responses: { 200: { description: 'The reference page', content: { 'text/html': { schema: z.string() } } } },
    }),
    async (c) => {
      const html = renderReferencePage(await cachedDocument(c.get('deps')));
      // No scripts anywhere on the page: say so to the browser too.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'");
      c.header('Cache-Control', 'no-cache');
      return c.html(html, 200);
    },
  );
}

import { OpenAPIHono } from '@hono/zod-openapi';
import { authenticate } from './auth/authenticate';
import { DomainError } from './errors/domain-error';
import type { AppDeps, AppEnv } from './http/context';
import { docsRoute, OPENAPI_INFO, registerSharedComponents } from './http/docs-route';
import { strictUtf8Json } from './http/json-body';
import { errorResponse, onError } from './http/on-error';
import { bodyLimits, contentTypes, sameOriginSessions, securityHeaders } from './http/request-guards';
import type { OpenApiDocument } from './http/reference-page';
import { validationHook } from './http/validation';
import { resolveWebDist, webAssets } from './http/web-assets';
import { analyticsRoutes } from './routes/analytics/analytics.routes';
import { authRoutes } from './routes/auth/auth.routes';
import { crmRoutes } from './routes/crm/crm.routes';
import { backfillsRoutes } from './routes/backfills/backfills.routes';
import { backfillImportRoutes } from './routes/backfills/backfill-import.routes';
import { directoryRoutes } from './routes/directory/directory.routes';
import { healthRoutes } from './routes/health/health.routes';
import { ingestRoutes } from './routes/leads/ingest.routes';
import { leadsRoutes } from './routes/leads/leads.routes';
import { queuesRoutes } from './routes/queues/queues.routes';
import { testRunsRoutes } from './routes/test-runs/test-runs.routes';
import { workflowsRoutes } from './routes/workflows/workflows.routes';
import { secretRoutes } from './routes/workspace/secrets.routes';
import { workspaceRoutes } from './routes/workspace/workspace.routes';

/**
 * Builds the HTTP app. Routers are mounted in one chain so `AppType` carries every route to the web's
 * typed client (`hc<AppType>`).
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders());
  // Before anything reads a body or a session: its size, its content type, and (for a browser session)
  // that it comes from our own pages.
  app.use('/api/*', bodyLimits(), contentTypes(), strictUtf8Json(), sameOriginSessions(deps.config.PUBLIC_URL));
  app.use('/api/*', authenticate());
  app.onError(onError);
  app.notFound((c) => errorResponse(c, new DomainError('not_found', `No route ${c.req.method} ${c.req.path}.`)));

  // The OpenAPI document as JSON, as `/api/openapi.json` serves it, for the reference page.
  const document = () => JSON.parse(JSON.stringify(app.getOpenAPI31Document(OPENAPI_INFO))) as OpenApiDocument;

  registerSharedComponents(app);
  const routes = app
    .route('/', healthRoutes())
    .route('/api', authRoutes())
    .route('/api', docsRoute(document))
    .route('/api', directoryRoutes())
    .route('/api/workflows', workflowsRoutes())
    .route('/api/workflows', testRunsRoutes())
    .route('/api/workflows', ingestRoutes())
    .route('/api/leads', leadsRoutes())
    .route('/api/analytics', analyticsRoutes())
    .route('/api', queuesRoutes())
    .route('/api', crmRoutes())
    .route('/api', workspaceRoutes())
    .route('/api', secretRoutes())
    .route('/api/backfills', backfillsRoutes())
    .route('/api/workflows', backfillImportRoutes());

  app.doc31('/api/openapi.json', OPENAPI_INFO);
  // Last, so every API route wins; outside the chain, so AppType stays the API.
  const webDist = resolveWebDist(deps.config.WEB_DIST);
  if (webDist) app.get('*', webAssets(webDist));
  return routes;
}

/** Every route of the API, for the web's typed client. */
export type AppType = ReturnType<typeof createApp>;

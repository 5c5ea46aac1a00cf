import type { EnrichRequest, EnrichResult } from '@lead-router/shared';
import type { ActivityContext } from './context';
import { firmographicsProvider, httpProvider, type EnrichProvider } from './enrich-providers';
import { assertUuid, businessFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/**
 * `enrich`: asks the step's provider about the lead. It only reads, so a retry is harmless. Not found is a
 * business failure whose `details[0]` is the EnrichResult (`found: false`, with why).
 */
export function createEnrich(ctx: ActivityContext, providers: Record<string, EnrichProvider> = { firmographics: firmographicsProvider(ctx), http: httpProvider(ctx) }): Pick<RoutingActivities, 'enrich'> {
  return {
    async enrich(req: EnrichRequest & RunRef): Promise<EnrichResult> {
      assertUuid(req.workspaceId, 'Workspace');
      const provider = Object.prototype.hasOwnProperty.call(providers, req.config.provider) ? providers[req.config.provider] : undefined;
      const result: EnrichResult = provider
        ? await provider.lookup(req.lead, req.config, { workspaceId: req.workspaceId })
        : { found: false, fields: {}, detail: `Unknown enrichment provider ${String(req.config.provider)}` };
      if (!result.found) throw businessFailure(result.detail, result);
      return result;
    },
  };
}

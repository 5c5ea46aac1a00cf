import { isStorableText, toStorableText, type EnrichRequest, type EnrichResult } from '@lead-router/shared';
import type { ActivityContext } from './context';
import { firmographicsProvider, httpProvider, type EnrichProvider } from './enrich-providers';
import { assertUuid, businessFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/**
 * What of a provider's answer may reach the trace and the lead: PostgreSQL refuses a NUL character or a lone
 * surrogate (in JSON, both are valid), and a refused trace write would fail the step on every retry. Such
 * fields are left out and the detail says which; when none is left, the lead was not enriched. The detail
 * itself may quote the provider (an error body), so its own such characters become U+FFFD.
 */
export function storableAnswer(result: EnrichResult): EnrichResult {
  const detail = toStorableText(result.detail);
  const entries = Object.entries(result.fields);
  const refused = entries.filter(([k, v]) => !isStorableText(k) || (typeof v === 'string' && !isStorableText(v))).map(([k]) => toStorableText(k));
  if (refused.length === 0) return detail === result.detail ? result : { ...result, detail };
  const fields = Object.fromEntries(entries.filter(([k, v]) => isStorableText(k) && !(typeof v === 'string' && !isStorableText(v))));
  const why = `left out ${refused.join(', ')}: the answer held a NUL character or broken Unicode, which cannot be stored`;
  if (Object.keys(fields).length === 0) return { found: false, fields: {}, detail: `${detail}; ${why}; nothing usable was found` };
  return { ...result, fields, detail: `${detail}; ${why}` };
}

/**
 * `enrich`: asks the step's provider about the lead. It only reads, so a retry is harmless. Not found is a
 * business failure whose `details[0]` is the EnrichResult (`found: false`, with why).
 */
export function createEnrich(ctx: ActivityContext, providers: Record<string, EnrichProvider> = { firmographics: firmographicsProvider(ctx), http: httpProvider(ctx) }): Pick<RoutingActivities, 'enrich'> {
  return {
    async enrich(req: EnrichRequest & RunRef): Promise<EnrichResult> {
      assertUuid(req.workspaceId, 'Workspace');
      const provider = Object.prototype.hasOwnProperty.call(providers, req.config.provider) ? providers[req.config.provider] : undefined;
      const result: EnrichResult = storableAnswer(
        provider
          ? await provider.lookup(req.lead, req.config, { workspaceId: req.workspaceId })
          : { found: false, fields: {}, detail: `Unknown enrichment provider ${String(req.config.provider)}` },
      );
      if (!result.found) throw businessFailure(result.detail, result);
      return result;
    },
  };
}

import { firmographicsAnswer, firmographicsLookup, isMissing, leadField, renderTemplate, templateFields, type EnrichConfig, type Lead, type LeadValue } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { companyFromRow } from '@lead-router/db/directory-rows';
import { companies } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { httpRequest, isTransientStatus, snippet, type HttpAnswer } from './http';
import { callSecretNames, filledCall } from './secrets';
import { originOf, RefusedTarget } from './target-guard';

/** What a provider knows about a lead; the interpreter decides which fields to write. */
export interface ProviderAnswer {
  found: boolean;
  fields: Record<string, LeadValue>;
  detail: string;
}

/**
 * A source of enrichment data. `lookup` answers `found: false` for anything a retry cannot change (no
 * data, a refused or misconfigured target, a 4xx) and throws a plain Error for what may pass (network,
 * timeouts, 5xx, 429), which Temporal retries.
 */
export interface EnrichProvider {
  readonly name: string;
  lookup(lead: Lead, config: EnrichConfig, scope: { workspaceId: string }): Promise<ProviderAnswer>;
}

const notFound = (detail: string): ProviderAnswer => ({ found: false, fields: {}, detail });

/**
 * The workspace's firmographics table, by the lead's domain: its `domain` field, else its website's host,
 * else its email's domain. Free-mail domains are never looked up. The choice, the fields and the sentences
 * are shared's `firmographicsLookup` / `firmographicsAnswer`, as in `SimulationEffects.enrich`, so a test
 * run predicts production.
 */
export function firmographicsProvider(ctx: Pick<ActivityContext, 'db'>): EnrichProvider {
  return {
    name: 'firmographics',
    async lookup(lead, _config, scope) {
      const lookup = firmographicsLookup(lead);
      if (lookup.answer) return lookup.answer;
      const [row] = await ctx.db
        .select()
        .from(companies)
        .where(and(eq(companies.workspaceId, scope.workspaceId), eq(companies.domain, lookup.key)))
        .limit(1);
      return firmographicsAnswer(lookup.domain, row && companyFromRow(row));
    },
  };
}

/** The value at a dotted path (`data.company.size`, `items.0.name`) of parsed JSON, own properties only. */
export function valueAt(json: unknown, path: string): unknown {
  let cur: unknown = json;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

/** A JSON value as a lead value: scalars as they are, lists of scalars joined; objects have no lead value. */
function asLeadValue(v: unknown): LeadValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return v.join(', ');
  return undefined;
}

/**
 * A JSON HTTP API: `GET` the URL template with the lead's fields filled in (URL-encoded), then read each
 * mapped lead field from its dotted path in the answer. 404 means the provider has no data; other 4xx are
 * answers a retry cannot change; 5xx, 429, timeouts and network failures are retried.
 */
export function httpProvider(ctx: Pick<ActivityContext, 'targets' | 'secrets'>): EnrichProvider {
  return {
    name: 'http',
    async lookup(lead, config, scope) {
      const http = config.http;
      if (!http) return notFound('The HTTP provider has no URL configured');
      const absent = templateFields(http.urlTemplate).filter((f) => isMissing(leadField(lead, f)));
      if (absent.length > 0) return notFound(`The lead has no ${absent.join(', ')} to look up`);
      const opened = await ctx.secrets(scope.workspaceId, callSecretNames(http.urlTemplate, ...Object.values(http.headers)));
      if (!opened.ok) return notFound(`Did not call the provider: ${opened.detail}`);
      const call = filledCall(opened.values);
      // Lead values are URL-encoded, so a lead cannot write a secret reference of its own into the URL.
      const raw = call.fill(renderTemplate(http.urlTemplate, lead, encodeURIComponent), encodeURIComponent);
      const headers = Object.fromEntries(Object.entries(http.headers).map(([k, v]) => [k, call.fill(v)]));
      const origin = call.redact(originOf(raw));
      let res: HttpAnswer;
      try {
        res = await httpRequest(ctx.targets, raw, { method: 'GET', headers: { accept: 'application/json', ...headers } }, http.timeoutMs ?? 5000);
      } catch (e) {
        // Refused before connecting or at connect: nothing was asked, so nothing of an answer is used.
        if (e instanceof RefusedTarget) return notFound(`Did not call ${origin}: ${call.redact(e.message)}`);
        // Retried; what it says (a DNS error names the host, a refused header quotes it) is recorded without secrets.
        throw new Error(call.redact(e instanceof Error ? e.message : String(e)));
      }
      return httpAnswer(res, origin, http.mapping, call.redact);
    },
  };
}

/** What an HTTP provider's answer gives: the mapped fields, not found with why, or an error to retry; all of it redacted. */
function httpAnswer(res: HttpAnswer, origin: string, mapping: Record<string, string>, redact: (text: string) => string): ProviderAnswer {
  const missing = (detail: string) => notFound(redact(detail));
  if (res.status === 404) return missing(`${origin} has no data for this lead (404)`);
  if (isTransientStatus(res.status)) throw new Error(redact(`${origin} answered ${res.status}: ${snippet(res.body)}`));
  if (res.status < 200 || res.status >= 300) {
    const what = res.status >= 300 && res.status < 400 ? 'a redirect, which is not followed' : snippet(res.body);
    return missing(`${origin} answered ${res.status}: ${what}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    return missing(`${origin} answered with something other than JSON${res.truncated ? ' (over 1 MiB)' : ''}`);
  }
  const fields: Record<string, LeadValue> = {};
  for (const [field, path] of Object.entries(mapping)) {
    const v = asLeadValue(valueAt(json, path));
    if (v !== undefined && !isMissing(v)) fields[field] = v;
  }
  const n = Object.keys(fields).length;
  if (n === 0) return missing(`${origin} answered, but with none of the mapped fields (${Object.values(mapping).join(', ')})`);
  return { found: true, fields, detail: `Found ${n} of ${Object.keys(mapping).length} mapped field(s) at ${origin}` };
}

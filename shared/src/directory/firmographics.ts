import { domainOf } from '../assignment/domain';
import { isFreeMailDomain } from '../fields/free-mail';
import type { Lead, LeadValue } from '../fields/lead';
import type { EnrichResult } from '../interpreter/effects';
import type { Company } from './schema';

// The firmographics enrichment, defined once for the test run (SimulationEffects, over the directory in
// memory) and production (the worker's provider, over the companies table): which domain a lead is looked
// up by, under which key, and which lead fields a company fills. Only the lookup itself differs.

/** Where a lead is looked up: its domain and the table key, or the answer when there is nothing to look up. */
export type FirmographicsLookup = { domain: string; key: string; answer?: undefined } | { answer: EnrichResult };

/**
 * The domain to look a lead up by: its `domain` field, else its website's host, else its email's domain.
 * Free-mail domains are never looked up. The key is the domain in lower case without `www.`.
 */
export function firmographicsLookup(lead: Lead): FirmographicsLookup {
  const domain =
    (typeof lead.domain === 'string' && lead.domain) ||
    (typeof lead.website === 'string' && domainOf(lead.website)) ||
    (typeof lead.email === 'string' && domainOf(lead.email)) ||
    null;
  if (!domain) return { answer: notFound('The lead has no domain, website or email to look up') };
  if (isFreeMailDomain(domain)) return { answer: notFound(`${domain} is a free email provider`) };
  return { domain, key: domain.toLowerCase().replace(/^www\./, '') };
}

/** What the firmographics table answers for `domain`: the lead fields the company fills, or not found. */
export function firmographicsAnswer(domain: string, company: Company | undefined): EnrichResult {
  if (!company) return notFound(`${domain} is not in the firmographics table`);
  const fields: Record<string, LeadValue> = {};
  if (company.name !== undefined) fields.company = company.name;
  if (company.employees !== undefined) fields.employees = company.employees;
  if (company.annualRevenue !== undefined) fields.annualRevenue = company.annualRevenue;
  if (company.industry !== undefined) fields.industry = company.industry;
  if (company.country !== undefined) fields.country = company.country;
  if (company.technologies !== undefined) fields.technologies = company.technologies.join(', ');
  fields.domain = company.domain;
  return { found: true, fields, detail: `Found ${domain} in the firmographics table` };
}

function notFound(detail: string): EnrichResult {
  return { found: false, fields: {}, detail };
}

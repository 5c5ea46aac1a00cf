import { z } from 'zod';
import { defineNodeKind } from './kind';

export const HttpEnrichSchema = z.object({
  /** e.g. `https://enrich.example.com/companies?domain={{domain}}` */
  urlTemplate: z.string().min(1).max(2000),
  headers: z.record(z.string().max(200), z.string().max(2000)).default({}),
  timeoutMs: z.int().min(100).max(30000).default(5000),
  /** Lead field -> dotted path in the JSON response. */
  mapping: z.record(z.string().max(100), z.string().min(1).max(300)),
});

export const EnrichConfigSchema = z.object({
  provider: z.enum(['firmographics', 'http']),
  /** Lead fields to fill. */
  fields: z.array(z.string().min(1).max(100)).min(1).max(50),
  /** Overwrite values the lead already has; by default only empty fields are filled. */
  overwrite: z.boolean().default(false),
  http: HttpEnrichSchema.optional(),
});
export type EnrichConfig = z.infer<typeof EnrichConfigSchema>;

/** Fill in firmographics from the workspace's table or an HTTP provider. */
export const enrichKind = defineNodeKind({
  type: 'enrich',
  label: 'Enrich',
  help: 'Fill in company size, industry, revenue and country from your firmographics table or an HTTP provider.',
  configSchema: EnrichConfigSchema,
  defaultConfig: (): EnrichConfig => ({ provider: 'firmographics', fields: ['employees', 'industry', 'annualRevenue', 'country'], overwrite: false }),
  outcomes: () => [
    { id: 'enriched', label: 'Enriched' },
    { id: 'not_found', label: 'Not found' },
  ],
});

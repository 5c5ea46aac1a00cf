import { z } from 'zod';
import { defineNodeKind } from './kind';

export const MATCH_METHODS = ['email_domain', 'website_domain', 'company_name'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

export const MatchAccountConfigSchema = z.object({
  /** Tried in order; the first that finds an account wins. */
  by: z.array(z.enum(MATCH_METHODS)).min(1).max(3),
});
export type MatchAccountConfig = z.infer<typeof MatchAccountConfigSchema>;

/** Lead-to-account matching by domain or company name. */
export const matchAccountKind = defineNodeKind({
  type: 'match_account',
  label: 'Match account',
  help: 'Find the account this lead belongs to by email domain, website or company name, and its owner.',
  configSchema: MatchAccountConfigSchema,
  defaultConfig: (): MatchAccountConfig => ({ by: ['email_domain', 'website_domain', 'company_name'] }),
  outcomes: () => [
    { id: 'matched', label: 'Matched' },
    { id: 'not_matched', label: 'Not matched' },
  ],
});

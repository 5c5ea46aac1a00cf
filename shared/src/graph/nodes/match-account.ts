import { z } from 'zod';
import { defineNodeKind } from './kind';

export const MATCH_METHODS = ['email_domain', 'website_domain', 'company_name'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

export const MATCH_TIE_BREAKERS = ['has_owner', 'most_recent'] as const;

/** The similarity a fuzzy company name needs when a step turns fuzzy matching on without saying. */
export const FUZZY_THRESHOLD_DEFAULT = 0.85;

// Every field after `by` is optional and absent in graphs saved before them: such a step matches exactly as it
// did (exact domain or exact normalised name, methods in its order), with the default tie-breakers.
export const MatchAccountConfigSchema = z.object({
  /** Methods used, in order of preference: an account found by an earlier one ranks before one found by a later one. */
  by: z.array(z.enum(MATCH_METHODS)).min(1).max(3),
  /**
   * Also match accounts whose company name is this similar (0.5..1) to the lead's, ranked right after an exact
   * normalised name. Absent or null: exact normalised names only. Needs `company_name` in `by`.
   */
  fuzzyThreshold: z.number().min(0.5).max(1).nullable().optional(),
  /** How equally good accounts are told apart, in order; account id decides last. Default: has an owner, then most recently active. */
  tieBreakers: z.array(z.enum(MATCH_TIE_BREAKERS)).max(2).optional(),
  /**
   * A lead whose email an earlier lead had within this many days goes to the rep who has that earlier lead:
   * the step's `duplicate` outcome, with the account owner set to that rep. Absent: off.
   */
  duplicateWithinDays: z.int().min(1).max(365).nullable().optional(),
});
export type MatchAccountConfig = z.infer<typeof MatchAccountConfigSchema>;

/** Lead-to-account matching by domain or company name. */
export const matchAccountKind = defineNodeKind({
  type: 'match_account',
  label: 'Match account',
  help: 'Find the account this lead belongs to by email domain, website or company name, and its owner.',
  configSchema: MatchAccountConfigSchema,
  defaultConfig: (): MatchAccountConfig => ({ by: ['email_domain', 'website_domain', 'company_name'] }),
  outcomes: (config) => [
    { id: 'matched', label: 'Matched' },
    { id: 'not_matched', label: 'Not matched' },
    // Left unconnected, a duplicate follows `matched` (whose assign step by account owner gives it to that rep).
    ...(config.duplicateWithinDays ? [{ id: 'duplicate', label: 'Duplicate lead', fallback: 'matched' }] : []),
  ],
});

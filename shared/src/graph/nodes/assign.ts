import { z } from 'zod';
import { IdSchema } from '../../directory/schema';
import { defineNodeKind } from './kind';

export const ASSIGN_STRATEGIES = [
  'round_robin',
  'weighted_round_robin',
  'load_balanced',
  'territory',
  'account_owner',
  'specific_rep',
  'queue',
] as const;
export type AssignStrategyType = (typeof ASSIGN_STRATEGIES)[number];

export const AssignStrategySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('round_robin'), teamId: IdSchema }),
  z.object({ type: z.literal('weighted_round_robin'), teamId: IdSchema }),
  z.object({ type: z.literal('load_balanced'), teamId: IdSchema }),
  /** Round-robin among the reps of the first territory the lead falls in (optionally only these territories). */
  z.object({ type: z.literal('territory'), territoryIds: z.array(IdSchema).max(1000).optional() }),
  /** The owner of the account matched by an earlier `match_account` step. */
  z.object({ type: z.literal('account_owner') }),
  z.object({ type: z.literal('specific_rep'), repId: IdSchema }),
  z.object({ type: z.literal('queue'), queueId: IdSchema }),
]);
export type AssignStrategy = z.infer<typeof AssignStrategySchema>;

export const EligibilitySchema = z.object({
  /** Skills a rep must have, all of them. */
  skills: z.array(z.string().min(1).max(100)).max(50).default([]),
  /** A lead field whose value the rep must have as a skill (e.g. `language`: a `de` lead needs skill `de`). */
  skillFromField: z.string().min(1).max(100).optional(),
  respectCapacity: z.boolean().default(true),
  respectWorkingHours: z.boolean().default(true),
  respectOutOfOffice: z.boolean().default(true),
  /** Skip reps who switched themselves offline (inbox toggle or API); absent means true. */
  respectAvailability: z.boolean().optional(),
});
export type Eligibility = z.infer<typeof EligibilitySchema>;

// ---- Fairness (issue #16): how a rotating strategy shares leads over time ------------------------------

export const FAIRNESS_MODES = ['strict', 'balanced'] as const;
export const RESET_WINDOWS = ['never', 'daily', 'weekly', 'monthly'] as const;
export type FairnessMode = (typeof FAIRNESS_MODES)[number];
export type ResetWindow = (typeof RESET_WINDOWS)[number];

/**
 * Fairness of round-robin, weighted round-robin and territory steps. `strict` is the rotation as it always
 * was (a rep passed over loses the turn); `balanced` gives each rep their weight's share of the leads in the
 * window, so a rep who was away or capped catches up, never more than `maxInARow` in a row. The window
 * (in the workspace's time zone) starts everyone level again. `creditBack`: a lead taken away again
 * (re-assigned, escalated, or closed as disqualified / not a fit / duplicate) no longer counts.
 */
export const FairnessSchema = z.object({
  mode: z.enum(FAIRNESS_MODES).default('strict'),
  maxInARow: z.number().int().min(1).max(20).default(2),
  resetWindow: z.enum(RESET_WINDOWS).default('never'),
  creditBack: z.boolean().default(false),
});
export type Fairness = z.infer<typeof FairnessSchema>;

/** What a step without a `fairness` block does: today's strict rotation, never reset, nothing credited. */
export const DEFAULT_FAIRNESS: Fairness = { mode: 'strict', maxInARow: 2, resetWindow: 'never', creditBack: false };

/** Strategies whose rotation the fairness settings govern. */
export const FAIR_STRATEGIES: readonly AssignStrategyType[] = ['round_robin', 'weighted_round_robin', 'territory'];

export const AssignConfigSchema = z.object({
  strategy: AssignStrategySchema,
  eligibility: EligibilitySchema.default({ skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true }),
  /** Skip reps this lead was already assigned to (for re-assignment loops). */
  excludePreviousAssignees: z.boolean().default(true),
  /** Optional, so graphs saved before it exist unchanged; absent reads as `DEFAULT_FAIRNESS`. */
  fairness: FairnessSchema.optional(),
});
export type AssignConfig = z.infer<typeof AssignConfigSchema>;

/** Choose a rep or queue and assign the lead. */
export const assignKind = defineNodeKind({
  type: 'assign',
  label: 'Assign',
  help: 'Assign to a rep by round-robin, weights, load, territory, account owner, a named rep, or to a queue.',
  configSchema: AssignConfigSchema,
  defaultConfig: (): AssignConfig => ({
    strategy: { type: 'round_robin', teamId: 'team' },
    eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true },
    excludePreviousAssignees: true,
  }),
  outcomes: () => [
    { id: 'assigned', label: 'Assigned' },
    { id: 'no_eligible_rep', label: 'No eligible rep' },
  ],
});

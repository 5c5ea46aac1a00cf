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

export const AssignConfigSchema = z.object({
  strategy: AssignStrategySchema,
  eligibility: EligibilitySchema.default({ skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true }),
  /** Skip reps this lead was already assigned to (for re-assignment loops). */
  excludePreviousAssignees: z.boolean().default(true),
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

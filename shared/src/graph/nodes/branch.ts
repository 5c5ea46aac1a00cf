import { z } from 'zod';
import { ConditionGroupSchema } from '../../conditions/ast';
import { defineNodeKind, LocalIdSchema } from './kind';

export const BranchCaseSchema = z.object({
  id: LocalIdSchema,
  label: z.string().min(1).max(100),
  condition: ConditionGroupSchema,
});
export type BranchCase = z.infer<typeof BranchCaseSchema>;

export const BranchConfigSchema = z.object({
  /** Checked in order; the first case that matches wins. */
  cases: z.array(BranchCaseSchema).min(1).max(50),
  elseLabel: z.string().min(1).max(100).optional(),
});
export type BranchConfig = z.infer<typeof BranchConfigSchema>;

/** Ordered cases, first match wins, and a required `else`. */
export const branchKind = defineNodeKind({
  type: 'branch',
  label: 'Branch',
  help: 'Send leads down the first case whose conditions match; the rest go to "else".',
  configSchema: BranchConfigSchema,
  defaultConfig: (): BranchConfig => ({
    cases: [{ id: 'case-1', label: 'Case 1', condition: { match: 'all', conditions: [] } }],
  }),
  outcomes: (c: BranchConfig) => [
    ...c.cases.map((k) => ({ id: k.id, label: k.label })),
    { id: 'else', label: c.elseLabel ?? 'Else' },
  ],
});

import { z } from 'zod';
import { ConditionGroupSchema } from '../../conditions/ast';
import { defineNodeKind, LocalIdSchema } from './kind';

export const ScoreRuleSchema = z.object({
  id: LocalIdSchema,
  label: z.string().max(100).optional(),
  category: z.enum(['fit', 'intent']),
  condition: ConditionGroupSchema,
  points: z.number().min(-1000).max(1000),
});
export type ScoreRule = z.infer<typeof ScoreRuleSchema>;

export const GradeSchema = z.object({
  grade: z.string().min(1).max(20),
  /** The lowest total score that earns this grade. */
  min: z.number().min(-100000).max(100000),
});

export const ScoreConfigSchema = z.object({
  rules: z.array(ScoreRuleSchema).max(200),
  /** Checked from the highest `min` down; a score below every threshold gets no grade. */
  grades: z.array(GradeSchema).max(20).default([]),
});
export type ScoreConfig = z.infer<typeof ScoreConfigSchema>;

/** Points for fit and intent, and a grade. */
export const scoreKind = defineNodeKind({
  type: 'score',
  label: 'Score',
  help: 'Add points for fit and intent, then grade the lead (A, B, C...). Sets score, fitScore, intentScore and grade.',
  configSchema: ScoreConfigSchema,
  defaultConfig: (): ScoreConfig => ({
    rules: [],
    grades: [
      { grade: 'A', min: 80 },
      { grade: 'B', min: 50 },
      { grade: 'C', min: 20 },
      { grade: 'D', min: -100000 },
    ],
  }),
  outcomes: () => [{ id: 'next', label: 'Next' }],
});

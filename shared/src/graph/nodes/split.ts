import { z } from 'zod';
import { defineNodeKind, LocalIdSchema } from './kind';

export const SplitVariantSchema = z.object({
  id: LocalIdSchema,
  label: z.string().min(1).max(100),
  /** Share of leads, in percent; the variants must add up to 100. */
  percent: z.number().min(0).max(100),
});

export const SplitConfigSchema = z.object({
  variants: z.array(SplitVariantSchema).min(2).max(20),
});
export type SplitConfig = z.infer<typeof SplitConfigSchema>;

/** A/B split by percentage, deterministic by lead id. */
export const splitKind = defineNodeKind({
  type: 'split',
  label: 'Split',
  help: 'Divide leads by percentage for A/B tests; the same lead always goes the same way.',
  configSchema: SplitConfigSchema,
  defaultConfig: (): SplitConfig => ({
    variants: [
      { id: 'a', label: 'A', percent: 50 },
      { id: 'b', label: 'B', percent: 50 },
    ],
  }),
  outcomes: (c: SplitConfig) => c.variants.map((v) => ({ id: v.id, label: `${v.label} (${v.percent}%)` })),
});

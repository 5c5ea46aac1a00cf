import { z } from 'zod';
import { defineNodeKind } from './kind';

export const EndConfigSchema = z.object({
  /** The name this ending gets in summaries, e.g. `routed`, `disqualified`. */
  outcome: z.string().min(1).max(60).regex(/^[A-Za-z0-9_ -]+$/, 'use letters, digits, spaces, _ and -').default('completed'),
});
export type EndConfig = z.infer<typeof EndConfigSchema>;

/** The end of a route. */
export const endKind = defineNodeKind({
  type: 'end',
  label: 'End',
  help: 'The route ends here; name the outcome for reports (routed, disqualified...).',
  configSchema: EndConfigSchema,
  defaultConfig: (): EndConfig => ({ outcome: 'completed' }),
  outcomes: () => [],
});

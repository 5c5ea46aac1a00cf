import { z } from 'zod';
import { IdSchema } from '../../directory/schema';
import { defineNodeKind } from './kind';

export const EscalateConfigSchema = z.discriminatedUnion('to', [
  /** The next eligible rep of the pool the lead was last assigned from. */
  z.object({ to: z.literal('next_rep') }),
  /** The current assignee's manager (or the team's manager). */
  z.object({ to: z.literal('manager') }),
  z.object({ to: z.literal('queue'), queueId: IdSchema }),
]);
export type EscalateConfig = z.infer<typeof EscalateConfigSchema>;

/** Re-assign to the next eligible rep, a manager or a queue. */
export const escalateKind = defineNodeKind({
  type: 'escalate',
  label: 'Escalate',
  help: 'Take the lead from its rep and give it to the next eligible rep, their manager, or a queue.',
  configSchema: EscalateConfigSchema,
  defaultConfig: (): EscalateConfig => ({ to: 'next_rep' }),
  outcomes: () => [
    { id: 'escalated', label: 'Escalated' },
    { id: 'no_target', label: 'Nobody to escalate to' },
  ],
});

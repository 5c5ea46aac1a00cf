import { z } from 'zod';
import { DurationSchema, defineNodeKind, formatDuration } from './kind';

export const WaitConfigSchema = z.object({
  /** What ends the wait early. */
  until: z.enum(['accepted', 'contacted']),
  /** The SLA: how long the assignee has. */
  timeout: DurationSchema,
});
export type WaitConfig = z.infer<typeof WaitConfigSchema>;

/** Wait for the rep to accept (or contact) the lead, or for the SLA to run out. */
export const waitKind = defineNodeKind({
  type: 'wait',
  label: 'Wait / SLA',
  help: 'Wait until the rep accepts or contacts the lead, or the SLA runs out; a rejection ends the wait at once.',
  configSchema: WaitConfigSchema,
  defaultConfig: (): WaitConfig => ({ until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }),
  outcomes: (c: WaitConfig) => [
    { id: 'accepted', label: c.until === 'contacted' ? 'Contacted' : 'Accepted' },
    { id: 'timed_out', label: `Timed out (${formatDuration(c.timeout)})` },
    { id: 'rejected', label: 'Rejected', fallback: 'timed_out' },
  ],
});

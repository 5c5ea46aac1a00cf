import { z } from 'zod';
import { DurationSchema, defineNodeKind, formatDuration } from './kind';
import { NotifyConfigSchema } from './notify';

/** How an SLA counts: every minute (`calendar`), or the assignee's working time only (`business`). */
export const SLA_CLOCKS = ['calendar', 'business'] as const;

/** Reminders while a wait runs: a notification at each share of the SLA that passes without an answer. */
export const WaitRemindersSchema = z.object({
  /** Shares of the SLA, in percent (1-99): `[50, 80]` reminds halfway and at four fifths. */
  atPercent: z.array(z.int().min(1, 'use a percent from 1 to 99').max(99, 'use a percent from 1 to 99')).min(1).max(5),
  /** What each reminder sends: a notify node's config (in-app to the assignee by default). */
  notify: NotifyConfigSchema,
});
export type WaitReminders = z.infer<typeof WaitRemindersSchema>;

export const WaitConfigSchema = z
  .object({
    /** What ends the wait early. */
    until: z.enum(['accepted', 'contacted']),
    /** The SLA: how long the assignee has. */
    timeout: DurationSchema,
    /** How the SLA counts; absent is `calendar` (every minute). */
    clock: z.enum(SLA_CLOCKS).optional(),
    /** Reminders before the deadline; absent or null: none. */
    reminders: WaitRemindersSchema.nullable().optional(),
  })
  .refine((c) => c.clock !== 'business' || c.timeout.unit === 'minutes' || c.timeout.unit === 'hours', {
    message: 'a business-hours SLA counts minutes or hours of working time (8 hours is one day of 09:00-17:00)',
    path: ['timeout', 'unit'],
  });
export type WaitConfig = z.infer<typeof WaitConfigSchema>;

/** Default reminder message: the lead, and that it is waiting. */
export const DEFAULT_REMINDER_MESSAGE = 'Reminder: {{firstName}} {{lastName}} at {{company}} is still waiting for you';

/** Wait for the rep to accept (or contact) the lead, or for the SLA to run out. */
export const waitKind = defineNodeKind({
  type: 'wait',
  label: 'Wait / SLA',
  help: 'Wait until the rep accepts or contacts the lead, or the SLA runs out; a rejection ends the wait at once.',
  configSchema: WaitConfigSchema,
  defaultConfig: (): WaitConfig => ({ until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }),
  outcomes: (c: WaitConfig) => [
    { id: 'accepted', label: c.until === 'contacted' ? 'Contacted' : 'Accepted' },
    { id: 'timed_out', label: `Timed out (${formatDuration(c.timeout)}${c.clock === 'business' ? ' working' : ''})` },
    { id: 'rejected', label: 'Rejected', fallback: 'timed_out' },
  ],
});

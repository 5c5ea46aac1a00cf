import { z } from 'zod';
import { IdSchema } from '../../directory/schema';
import { isSecretRefOnly } from '../../secrets';
import { defineNodeKind } from './kind';

const HttpUrlSchema = z.url({ protocol: /^https?$/ });
const isHttpUrl = (v: string): boolean => HttpUrlSchema.safeParse(v).success;

/** A Slack or webhook URL: an http(s) URL (which may name secrets), or exactly one secret that holds the URL. */
export const NotifyUrlSchema = z
  .string()
  .max(2000)
  .refine((v) => isSecretRefOnly(v) || isHttpUrl(v), 'must be an http(s) URL, or a secret that holds one: {{secret.NAME}}');

export const NOTIFY_CHANNELS = ['in_app', 'email', 'slack', 'webhook'] as const;

export const RecipientSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assignee') }),
  z.object({ type: z.literal('manager') }),
  z.object({ type: z.literal('rep'), repId: IdSchema }),
  z.object({ type: z.literal('email'), address: z.email().max(320) }),
]);
export type Recipient = z.infer<typeof RecipientSchema>;

export const NotifyConfigSchema = z.object({
  channel: z.enum(NOTIFY_CHANNELS),
  /** Who gets it, for in-app and email. Slack and webhooks go to their URL. */
  recipient: RecipientSchema.default({ type: 'assignee' }),
  /** For slack and webhook: the URL, or the secret that holds it (`{{secret.SLACK_WEBHOOK_URL}}`). */
  url: NotifyUrlSchema.optional(),
  subject: z.string().max(300).optional(),
  /** The message, with lead fields as tokens: `New lead from {{company}}`. */
  message: z.string().min(1).max(5000),
});
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

/** Tell someone: in-app, email, Slack or a webhook. */
export const notifyKind = defineNodeKind({
  type: 'notify',
  label: 'Notify',
  help: 'Send an in-app alert, email, Slack message or webhook, with lead fields in the message.',
  configSchema: NotifyConfigSchema,
  defaultConfig: (): NotifyConfig => ({
    channel: 'in_app',
    recipient: { type: 'assignee' },
    message: 'New lead: {{firstName}} {{lastName}} at {{company}}',
  }),
  outcomes: () => [{ id: 'next', label: 'Next' }],
});

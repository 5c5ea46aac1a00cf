import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from './schema';

// Workspace secrets (drizzle.config.ts reads this file beside schema.ts): the API keys, tokens and webhook URLs
// that graphs name as `{{secret.NAME}}` (shared/src/secrets.ts). The value is stored only as ciphertext
// (db/src/secret-box.ts: AES-256-GCM with a key from SECRET_KEY, bound to the workspace and the name).

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const workspaceSecrets = pgTable(
  'workspace_secrets',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The sealed value; `secretContext(workspaceId, name)` is its additional authenticated data. */
    valueEnc: text('value_enc').notNull(),
    /** The value's last 4 characters when it is at least 16 long (shared secretHint), else null. */
    hint: text('hint'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.name] })],
);

/** What a sealed secret value is bound to: a ciphertext copied to another workspace or name does not open. */
export function secretContext(workspaceId: string, name: string): string {
  return `workspace_secrets:${workspaceId}:${name}`;
}

import type { crmConnections } from '@lead-router/db/crm-schema';
import type { SecretBox } from './secret-box';

// A connection row's secrets: sealed with the row's id and column as context (secret-box.ts), opened only
// to call the CRM. Here (not in connections.service.ts) so the CRM-specific modules the service calls can
// use them too.

export type ConnectionRow = typeof crmConnections.$inferSelect;

export type SecretColumn = 'clientSecretEnc' | 'privateKeyEnc' | 'accessTokenEnc' | 'refreshTokenEnc' | 'oauthVerifierEnc';

export const secretContext = (id: string, column: SecretColumn) => `crm_connections:${id}:${column}`;

/** Seals a secret for one column of one row. */
export function sealFor(box: SecretBox, id: string, column: SecretColumn, value: string): string {
  return box.seal(value, secretContext(id, column));
}

/** Opens one of a row's secrets (to call the CRM with; never logged). */
export function openSecret(box: SecretBox, row: ConnectionRow, column: SecretColumn): string | undefined {
  const v = row[column];
  return v ? box.open(v, secretContext(row.id, column)) : undefined;
}

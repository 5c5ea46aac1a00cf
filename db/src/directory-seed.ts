import { DirectorySchema, type DirectoryInput } from '@lead-router/shared';
import type { Db, Tx } from './client';
import { companyColumns, repColumns, teamColumns } from './directory-rows';
import { accounts, companies, customFields, queues, reps, teams, territories } from './schema';

/**
 * Inserts a directory document's rows (reps, teams, territories, accounts, queues, companies, custom fields)
 * into a workspace with plain inserts, as the directory services would store them; parts the document leaves
 * empty are skipped. Used by the demo seed and by test setup that needs directory rows without the API.
 */
export async function insertDirectory(db: Db | Tx, workspaceId: string, input: DirectoryInput): Promise<void> {
  const d = DirectorySchema.parse(input);
  if (d.reps.length > 0) {
    await db.insert(reps).values(
      d.reps.map((r) => ({ workspaceId, id: r.id, ...repColumns(r) })),
    );
  }
  if (d.teams.length > 0) {
    await db.insert(teams).values(d.teams.map((t) => ({ workspaceId, id: t.id, ...teamColumns(t) })));
  }
  if (d.territories.length > 0) {
    await db.insert(territories).values(d.territories.map((t) => ({ workspaceId, id: t.id, name: t.name, rules: t.rules, repIds: t.repIds, priority: t.priority })));
  }
  if (d.accounts.length > 0) {
    await db.insert(accounts).values(d.accounts.map((a) => ({ workspaceId, id: a.id, name: a.name, domains: a.domains, ownerId: a.ownerId ?? null, lastActivityAt: a.lastActivityAt ? new Date(a.lastActivityAt) : null })));
  }
  if (d.queues.length > 0) await db.insert(queues).values(d.queues.map((q) => ({ workspaceId, id: q.id, name: q.name })));
  if (d.companies.length > 0) {
    await db.insert(companies).values(d.companies.map((c) => ({ workspaceId, domain: c.domain, ...companyColumns(c) })));
  }
  if (d.customFields.length > 0) {
    await db.insert(customFields).values(
      d.customFields.map((f) => ({ workspaceId, key: f.key, label: f.label, type: f.type, options: f.options ?? null, description: f.description ?? null })),
    );
  }
}

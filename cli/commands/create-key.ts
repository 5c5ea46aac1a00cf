import { asc, eq } from 'drizzle-orm';
import type { KeyRole } from '../../server/src/auth/principal';
import { workspaces } from '@lead-router/db/schema';
import { audit } from '../../server/src/services/audit.service';
import { KEY_ROLES } from '../../server/src/services/keys.service';
import { UUID_PATTERN } from '../../server/src/services/workflow-access';
import { createApiKey } from '../../server/src/services/workspaces.service';
import { RefusedError, withDatabase } from './create-admin';

export interface CreateKeyArgs {
  workspace: string;
  name: string;
  role?: string;
}

/** The default role of a key made on the command line: the least that can do anything (post leads). */
export const DEFAULT_CLI_KEY_ROLE: KeyRole = 'ingest';

/**
 * `lead-router create-key`: creates an API key in the workspace named or identified by `--workspace` and
 * prints it once. Exit 1 when the workspace is unknown or the name is ambiguous; 2 for bad input.
 */
export async function createKeyCommand(args: CreateKeyArgs, out: (s: string) => void, err: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const role = (args.role ?? DEFAULT_CLI_KEY_ROLE) as KeyRole;
  if (!(KEY_ROLES as readonly string[]).includes(role)) {
    err(`lead-router: --role must be one of ${KEY_ROLES.join(', ')}; got "${args.role}".`);
    return 2;
  }
  const name = args.name.trim();
  if (!name || name.length > 200) {
    err('lead-router: --name must have 1 to 200 characters.');
    return 2;
  }
  const wanted = args.workspace.trim();
  return withDatabase(env, err, async ({ db }) => {
    const byId = UUID_PATTERN.test(wanted) ? await db.select().from(workspaces).where(eq(workspaces.id, wanted)).limit(1) : [];
    const matches = byId.length > 0 ? byId : await db.select().from(workspaces).where(eq(workspaces.name, wanted)).orderBy(asc(workspaces.createdAt));
    if (matches.length === 0) throw new RefusedError(`No workspace has the id or name "${wanted}".`);
    if (matches.length > 1) {
      throw new RefusedError(`${matches.length} workspaces are named "${wanted}"; pass one's id instead: ${matches.map((w) => w.id).join(', ')}`);
    }
    const ws = matches[0]!;
    const key = await createApiKey(db, { workspaceId: ws.id, name, role });
    await audit(db, null, ws.id, 'key.created', { type: 'api_key', id: key.id }, { name, role, prefix: key.prefix, via: 'cli' });
    out(`Created ${role} key "${name}" (${key.id}) in workspace "${ws.name}" (${ws.id}).`);
    out('Store it now: it will not be shown again.');
    out('');
    out(key.key);
    return 0;
  });
}

import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { connectPostgres, migratePostgres, type Database, type Db } from '@lead-router/db/client';
import { workspaces } from '@lead-router/db/schema';
import { audit } from '../../server/src/services/audit.service';
import { findUserByEmail, MIN_PASSWORD_LENGTH } from '../../server/src/services/users.service';
import { createUser, createWorkspace } from '../../server/src/services/workspaces.service';
import { InputError } from '../io';

/** A refusal the operator must act on (exit 1), as opposed to unusable input (InputError, exit 2). */
export class RefusedError extends Error {}

/**
 * Runs `work` against the database in DATABASE_URL after applying pending migrations, and turns what can go
 * wrong into exit codes: 2 for bad input (no DATABASE_URL), 1 for a refusal or an unreachable database.
 */
export async function withDatabase(env: Record<string, string | undefined>, err: (s: string) => void, work: (database: Database) => Promise<number>): Promise<number> {
  const url = env.DATABASE_URL;
  if (!url) {
    err('lead-router: DATABASE_URL is not set. Point it at the PostgreSQL database, e.g. DATABASE_URL=postgres://user:pass@localhost:5432/lead_router');
    return 2;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    err('lead-router: DATABASE_URL must be a postgres:// URL.');
    return 2;
  }
  let database: Database | null = null;
  try {
    await migratePostgres(url);
    database = connectPostgres(url, { max: 2 });
    return await work(database);
  } catch (e) {
    if (e instanceof InputError) {
      err(`lead-router: ${e.message}`);
      return 2;
    }
    if (e instanceof RefusedError) {
      err(`lead-router: ${e.message}`);
      return 1;
    }
    // Never echo the URL: it may hold a password.
    err(`lead-router: the database could not be used: ${describe(e)}`);
    return 1;
  } finally {
    await database?.close();
  }
}

function describe(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

const EmailSchema = z.string().trim().pipe(z.email());

/** The workspace with this exact name (the oldest, if several share it), or null. */
export async function findWorkspaceByName(db: Db, name: string): Promise<{ id: string; name: string } | null> {
  const [ws] = await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.name, name)).orderBy(asc(workspaces.createdAt)).limit(1);
  return ws ?? null;
}

export interface CreateAdminArgs {
  email: string;
  password: string;
  name?: string;
  workspace?: string;
}

/**
 * `lead-router create-admin`: creates the workspace (unless one of that name exists) and an admin user in
 * it, and prints both ids. Exit 1 when the email is taken; 2 for bad input or no DATABASE_URL.
 */
export async function createAdminCommand(args: CreateAdminArgs, out: (s: string) => void, err: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const email = EmailSchema.safeParse(args.email);
  if (!email.success) {
    err(`lead-router: --email "${args.email}" is not a valid email address.`);
    return 2;
  }
  if (args.password.length < MIN_PASSWORD_LENGTH) {
    err(`lead-router: --password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    return 2;
  }
  const workspaceName = (args.workspace ?? 'Default workspace').trim();
  if (!workspaceName) {
    err('lead-router: --workspace must not be empty.');
    return 2;
  }
  const name = (args.name ?? email.data.split('@')[0] ?? 'Admin').trim() || 'Admin';
  return withDatabase(env, err, async ({ db }) => {
    if (await findUserByEmail(db, email.data)) throw new RefusedError(`A user with email ${email.data} already exists; nothing was created.`);
    const existing = await findWorkspaceByName(db, workspaceName);
    const ws = existing ?? (await createWorkspace(db, workspaceName));
    let user: { id: string };
    try {
      user = await createUser(db, { workspaceId: ws.id, email: email.data, name, role: 'admin', password: args.password });
    } catch (e) {
      // Someone took the email between the check and the insert: the unique index had the last word.
      if ((e as { code?: unknown }).code === '23505' || (e as { cause?: { code?: unknown } }).cause?.code === '23505') {
        throw new RefusedError(`A user with email ${email.data} already exists.`);
      }
      throw e;
    }
    await audit(db, null, ws.id, 'user.created', { type: 'user', id: user.id }, { email: email.data, name, role: 'admin', via: 'cli' });
    out(`${existing ? 'Using existing' : 'Created'} workspace "${ws.name}": ${ws.id}`);
    out(`Created admin ${email.data}: ${user.id}`);
    out(`workspace id: ${ws.id}`);
    out(`user id: ${user.id}`);
    return 0;
  });
}

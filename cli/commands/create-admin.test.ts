import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/src/auth/secrets';
import { auditLog, users, workspaces } from '@lead-router/db/schema';
import { runCli, useCliDatabase } from './test-db';

const cli = useCliDatabase();
const DATABASE_URL = cli.url;
const run = runCli;

const idFrom = (out: string, what: string) => new RegExp(`^${what} id: ([0-9a-f-]{36})$`, 'm').exec(out)?.[1];

describe('lead-router create-admin', () => {
  it('migrates, creates "Default workspace" and an admin who can sign in, and prints both ids', async () => {
    const r = await run('create-admin', '--email', 'Boss@Example.com', '--password', 'a good long password', '--name', 'The Boss');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const wsId = idFrom(r.out, 'workspace');
    const userId = idFrom(r.out, 'user');
    expect(r.out).toContain(`Created workspace "Default workspace": ${wsId}`);
    const [u] = await cli.database.db.select().from(users).where(eq(users.id, userId!));
    expect(u).toMatchObject({ workspaceId: wsId, email: 'Boss@Example.com', name: 'The Boss', role: 'admin', disabled: false });
    expect(await verifyPassword('a good long password', u!.passwordHash)).toBe(true);
    expect(r.out).not.toContain('a good long password');
    const [ws] = await cli.database.db.select().from(workspaces).where(eq(workspaces.id, wsId!));
    expect(ws?.name).toBe('Default workspace');
    const [entry] = await cli.database.db.select().from(auditLog).where(eq(auditLog.entityId, userId!));
    expect(entry).toMatchObject({ actorType: 'system', action: 'user.created', details: { email: 'Boss@Example.com', name: 'The Boss', role: 'admin', via: 'cli' } });
  });

  it('adds to an existing workspace of that name instead of making another', async () => {
    const first = await run('create-admin', '--email', 'one@acme.test', '--password', 'password number 1', '--workspace', 'Acme');
    const second = await run('create-admin', '--email', 'two@acme.test', '--password', 'password number 2', '--workspace', 'Acme');
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(idFrom(second.out, 'workspace')).toBe(idFrom(first.out, 'workspace'));
    expect(second.out).toContain('Using existing workspace "Acme"');
    const [n] = await cli.database.db.select({ n: sql<number>`count(*)::int` }).from(workspaces).where(eq(workspaces.name, 'Acme'));
    expect(n?.n).toBe(1);
    // The default name is the email's local part.
    const [u] = await cli.database.db.select().from(users).where(eq(users.email, 'two@acme.test'));
    expect(u?.name).toBe('two');
  });

  it('exits 1 for an email that exists (in any case), creating nothing', async () => {
    await run('create-admin', '--email', 'dup@example.com', '--password', 'first password!');
    const before = await cli.database.db.select({ n: sql<number>`count(*)::int` }).from(workspaces);
    const r = await run('create-admin', '--email', 'DUP@example.com', '--password', 'second password', '--workspace', 'Fresh');
    expect(r.code).toBe(1);
    expect(r.err).toBe('lead-router: A user with email DUP@example.com already exists; nothing was created.');
    expect(await cli.database.db.select({ n: sql<number>`count(*)::int` }).from(workspaces)).toEqual(before);
  });

  it('exits 2 for bad input and a missing DATABASE_URL', async () => {
    expect((await run('create-admin', '--email', 'x@example.com')).code).toBe(2);
    const badEmail = await run('create-admin', '--email', 'not-an-email', '--password', 'long enough password');
    expect(badEmail.code).toBe(2);
    expect(badEmail.err).toContain('not a valid email address');
    const short = await run('create-admin', '--email', 'x@example.com', '--password', 'short');
    expect(short.code).toBe(2);
    expect(short.err).toContain('at least 10 characters');
    expect((await run('create-admin', '--email', 'x@example.com', '--password', 'long enough password', '--bogus', 'y')).code).toBe(2);

    delete process.env.DATABASE_URL;
    try {
      const r = await run('create-admin', '--email', 'x@example.com', '--password', 'long enough password');
      expect(r.code).toBe(2);
      expect(r.err).toContain('DATABASE_URL is not set');
    } finally {
      process.env.DATABASE_URL = DATABASE_URL;
    }
  });

  it('exits 1 with a message (and no URL) when the database cannot be reached', async () => {
    process.env.DATABASE_URL = 'postgres://someone:s3cret@127.0.0.1:1/nowhere';
    try {
      const r = await run('create-admin', '--email', 'y@example.com', '--password', 'long enough password');
      expect(r.code).toBe(1);
      expect(r.err).toContain('lead-router: the database could not be used');
      expect(r.err).not.toContain('s3cret');
    } finally {
      process.env.DATABASE_URL = DATABASE_URL;
    }
  });
});

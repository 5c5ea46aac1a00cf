import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../server/src/auth/secrets';
import { apiKeys, workspaces } from '@lead-router/db/schema';
import { runCli, useCliDatabase } from './test-db';

const cli = useCliDatabase();
const DATABASE_URL = cli.url;
const run = runCli;

/** The printed key: the last line of the output. */
const printedKey = (out: string) => out.trim().split('\n').pop() ?? '';

describe('lead-router create-key', () => {
  let wsId = '';

  beforeAll(async () => {
    const r = await run('create-admin', '--email', 'owner@example.com', '--password', 'owner password', '--workspace', 'Keys Co');
    expect(r.code).toBe(0);
    wsId = /^workspace id: (\S+)$/m.exec(r.out)?.[1] ?? '';
  });

  it('creates a key by workspace name, prints it once, and stores only its hash (default role ingest)', async () => {
    const r = await run('create-key', '--workspace', 'Keys Co', '--name', 'webhook sender');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const key = printedKey(r.out);
    expect(key).toMatch(/^lr_[A-Za-z0-9]{40}$/);
    expect(r.out).toContain('it will not be shown again');
    const [row] = await cli.database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, sha256(key)));
    expect(row).toMatchObject({ workspaceId: wsId, name: 'webhook sender', role: 'ingest', prefix: key.slice(0, 10), revokedAt: null });
  });

  it('creates a key by workspace id with a role', async () => {
    const r = await run('create-key', '--workspace', wsId, '--name', 'ops', '--role', 'admin');
    expect(r.code).toBe(0);
    const [row] = await cli.database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, sha256(printedKey(r.out))));
    expect(row?.role).toBe('admin');
  });

  it('exits 1 for an unknown workspace and for a name two workspaces share', async () => {
    const unknown = await run('create-key', '--workspace', 'Nope Inc', '--name', 'x');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('lead-router: No workspace has the id or name "Nope Inc".');
    expect((await run('create-key', '--workspace', '00000000-0000-4000-8000-000000000000', '--name', 'x')).code).toBe(1);
    await cli.database.db.insert(workspaces).values([{ name: 'Twin' }, { name: 'Twin' }]);
    const twin = await run('create-key', '--workspace', 'Twin', '--name', 'x');
    expect(twin.code).toBe(1);
    expect(twin.err).toContain('2 workspaces are named "Twin"; pass one\'s id instead');
  });

  it('exits 2 for a bad role, missing options and a missing DATABASE_URL', async () => {
    const role = await run('create-key', '--workspace', wsId, '--name', 'x', '--role', 'root');
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role must be one of ingest, viewer, editor, publisher, admin');
    expect((await run('create-key', '--name', 'x')).code).toBe(2);
    expect((await run('create-key', '--workspace', wsId)).code).toBe(2);
    delete process.env.DATABASE_URL;
    try {
      const r = await run('create-key', '--workspace', wsId, '--name', 'x');
      expect(r.code).toBe(2);
      expect(r.err).toContain('DATABASE_URL is not set');
    } finally {
      process.env.DATABASE_URL = DATABASE_URL;
    }
  });
});

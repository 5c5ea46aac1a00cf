import { setupTestApp, type TestWorkspace } from '../test/harness';
import { RepSchema } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal';
import { accounts, auditLog, queues } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { API_ERRORS } from '../errors/error-codes';
import { patchSchemaOf } from './directory-inputs';
import { DIRECTORY_LIMITS, containsPattern } from './directory-entity';
import { REFERENCE_SAMPLE, deleteRep, findRepUsage } from './directory-rep-usage.service';
import { queueService, repService, teamService } from './directory.service';

const t = setupTestApp();

const principalOf = (ws: TestWorkspace): Principal => ({ kind: 'user', id: ws.admin.id, name: 'Admin', workspaceId: ws.id, role: 'admin', repId: null });

/** The domain error a promise rejects with, and the status the API answers it with. */
async function rejection(p: Promise<unknown>): Promise<DomainError & { status: number }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return Object.assign(e as DomainError, { status: API_ERRORS[(e as DomainError).code].status });
}

describe('directory service helpers', () => {
  it('containsPattern takes LIKE wildcards literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('patchSchemaOf makes every field optional without applying defaults, and refuses unknown keys', () => {
    const patch = patchSchemaOf(RepSchema);
    expect(patch.parse({ name: 'x' })).toEqual({ name: 'x' });
    expect(patch.parse({ managerId: null, active: false })).toEqual({ managerId: null, active: false });
    expect(patch.safeParse({ nmae: 'x' }).success).toBe(false);
    expect(patch.safeParse({ caps: { perDay: -1 } }).error?.issues[0]?.path).toEqual(['caps', 'perDay']);
  });
});

describe('directory service', () => {
  let ws: TestWorkspace;
  let p: Principal;
  beforeAll(async () => {
    ws = await t.workspace();
    p = principalOf(ws);
  });

  it('creates, reads and patches within the caller’s workspace, auditing as the user', async () => {
    const rep = await repService.create(t.database.db, p, RepSchema.parse({ id: 'rep-s', name: 'S', email: 's@example.com', timeZone: 'UTC' }));
    expect(await repService.get(t.database.db, ws.id, 'rep-s')).toEqual(rep);
    const patched = await repService.patch(t.database.db, p, 'rep-s', { skills: ['de'] });
    expect(patched).toEqual({ ...rep, skills: ['de'] });
    const [entry] = await t.database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, 'rep.update')));
    expect(entry).toMatchObject({ actorType: 'user', actorId: ws.admin.id, entityId: 'rep-s', details: { changed: ['skills'] } });
    const other = await t.workspace();
    expect((await rejection(repService.get(t.database.db, other.id, 'rep-s'))).status).toBe(404);
    expect((await rejection(teamService.create(t.database.db, principalOf(other), { id: 'team-o', name: 'O', members: [{ repId: 'rep-s', weight: 1 }] }))).status).toBe(422);
  });

  it('counts every account a rep owns but lists at most REFERENCE_SAMPLE of them', async () => {
    await repService.create(t.database.db, p, RepSchema.parse({ id: 'rep-owner', name: 'Owner', email: 'o@example.com', timeZone: 'UTC' }));
    const n = REFERENCE_SAMPLE + 5;
    await t.database.db.insert(accounts).values(Array.from({ length: n }, (_, i) => ({ workspaceId: ws.id, id: `acct-${String(i).padStart(5, '0')}`, name: `A${i}`, ownerId: 'rep-owner' })));
    const usage = await findRepUsage(t.database.db, ws.id, 'rep-owner');
    expect(usage.counts).toEqual({ teams: 0, territories: 0, accounts: n, reps: 0 });
    expect(usage.references).toHaveLength(REFERENCE_SAMPLE);
    const refused = await rejection(deleteRep(t.database.db, p, 'rep-owner'));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain(`${n} accounts (as owner)`);
    const removed = await deleteRep(t.database.db, p, 'rep-owner', { force: true });
    expect(removed.counts.accounts).toBe(n);
    expect(await t.database.db.$count(accounts, and(eq(accounts.workspaceId, ws.id), eq(accounts.ownerId, 'rep-owner')))).toBe(0);
    expect(await t.database.db.$count(accounts, eq(accounts.workspaceId, ws.id))).toBe(n);
  });

  it('refuses to grow a kind past what the shared Directory holds (422 limit_reached), writing nothing', async () => {
    const max = DIRECTORY_LIMITS.queue;
    await t.database.db.insert(queues).values(Array.from({ length: max }, (_, i) => ({ workspaceId: ws.id, id: `q-${i}`, name: `Q${i}` })));
    const e = await rejection(queueService.create(t.database.db, p, { id: 'q-one-more', name: 'One more' }));
    expect(e.status).toBe(422);
    expect(e.code).toBe('limit_reached');
    expect(await t.database.db.$count(queues, eq(queues.workspaceId, ws.id))).toBe(max);
  });
});

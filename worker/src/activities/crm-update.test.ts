import type { CrmUpdateConfig, CrmUpdateRequest } from '@lead-router/shared';
import { crmConnections, crmRecords, crmUsers, crmWrites } from '@lead-router/db/crm-schema';
import { ApplicationFailure } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmUpdate } from './crm-update';
import { createContext } from './context';
import { createTestDatabase, createWorkspace, failureOf, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import type { RunRef } from './types';

// The crmUpdate activity without the writer: what it queues (once per run and step), the router's own
// refusals, and a write still pending handed back to Temporal as a retryable error.

let t: TestDatabase;
let ws: { workspaceId: string; workflowId: string };
let connectionId: string;

const CONFIG: CrmUpdateConfig = { connectionId: null, writeOwner: true, fields: [{ source: 'lead', crmField: 'Title', leadField: 'title' }], task: null };

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  ws = await createWorkspace(t.db);
  await seedDirectory(t.db, ws.workspaceId, {
    reps: [
      { id: 'ana', name: 'Ana Diaz', email: 'ana@acme.example', timeZone: 'UTC' },
      { id: 'bo', name: 'Bo Lee', email: 'bo@acme.example', timeZone: 'UTC' },
    ],
  });
  const [c] = await t.db.insert(crmConnections).values({ workspaceId: ws.workspaceId, provider: 'salesforce', name: 'Acme', loginUrl: 'https://login.salesforce.com', authKind: 'jwt_bearer' }).returning({ id: crmConnections.id });
  connectionId = c!.id;
  await t.db.insert(crmUsers).values({ connectionId, crmId: '005AAA', email: 'ANA@acme.example', name: 'Ana Diaz' });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

async function lead(crmId: string | null) {
  const [leadId] = await insertLeads(t.db, ws, [{ title: 'CTO' }]);
  if (crmId) await t.db.insert(crmRecords).values({ connectionId, crmId, object: 'Lead', leadId: leadId!, modstamp: '2026-01-01T00:00:00.000Z' });
  return leadId!;
}

const req = (leadId: string, seq: number, assignee: CrmUpdateRequest['assignee'] = { type: 'rep', id: 'ana', name: 'Ana Diaz' }): CrmUpdateRequest & RunRef => ({
  workspaceId: ws.workspaceId,
  workflowId: `lead-${leadId}`,
  leadId,
  nodeId: 'crm',
  seq,
  config: CONFIG,
  lead: { title: 'CTO' },
  assignee,
});

describe('crmUpdate activity', () => {
  it('queues one write per run and step (a retry finds it) and answers with the writer’s result', async () => {
    const act = createCrmUpdate(createContext({ db: t.db }), { pollMs: 20, attemptMs: 150 }).crmUpdate;
    const leadId = await lead('00QAAA');
    // Nobody answers: the attempt hands back to Temporal with a retryable (plain) error.
    const e = await failureOf(act(req(leadId, 3)));
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ApplicationFailure);
    expect((e as Error).message).toMatch(/still pending/);
    await failureOf(act(req(leadId, 3)));
    const rows = await t.db.select().from(crmWrites).where(eq(crmWrites.leadId, leadId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: `lead-${leadId}:3`, connectionId, object: 'Lead', recordId: '00QAAA', ownerCrmId: '005AAA', fields: { Title: 'CTO' }, status: 'pending' });
    // The writer answers: the next attempt returns the CRM's answer.
    await t.db.update(crmWrites).set({ status: 'written', attempts: 1, answer: { recordId: '00QAAA' } }).where(eq(crmWrites.key, `lead-${leadId}:3`));
    expect(await act(req(leadId, 3))).toMatchObject({ written: true, recordId: '00QAAA', ownerCrmId: '005AAA', errorCode: null });
  });

  it('refuses without queueing: no CRM record, no rep, no CRM user for the rep', async () => {
    const act = createCrmUpdate(createContext({ db: t.db }), { pollMs: 20, attemptMs: 150 }).crmUpdate;
    const notFromCrm = await lead(null);
    expect(await act(req(notFromCrm, 2))).toMatchObject({ written: false, errorCode: 'NO_CRM_RECORD' });
    const l = await lead('00QBBB');
    expect(await act(req(l, 2, null))).toMatchObject({ written: false, errorCode: 'NO_OWNER', recordId: '00QBBB' });
    const noUser = await act(req(l, 4, { type: 'rep', id: 'bo', name: 'Bo Lee' }));
    expect(noUser).toMatchObject({ written: false, errorCode: 'NO_CRM_USER' });
    expect(noUser.message).toContain('Bo Lee has no active Salesforce user with their email in “Acme”');
    expect(await t.db.select().from(crmWrites).where(eq(crmWrites.leadId, l))).toHaveLength(0);
  });
});

import { randomUUID } from 'node:crypto';
import { DirectorySchema, interpretSync, isPaused, SimulationEffects, type DirectoryInput, type Graph, type Lead, type RunResult } from '@lead-router/shared';
import { demoDirectory } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { loadEarlierLeads } from '@lead-router/db/earlier-leads';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Parity of match_account between a test run (SimulationEffects) and production (the routeLead workflow on a
// time-skipping Temporal server, its activities over PostgreSQL): leads that exercise every matching mode
// (registrable domain of any of an account's domains, exact host over registrable domain, free mail, legal
// forms and accents in names, fuzzy names, the tie-breakers, duplicates of earlier leads in the database and
// of earlier leads of the same batch) get the same path, the same assignee and the same match step.

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 2, 10, 15, 0, 0);

// No working hours, caps or leave: the answer must not depend on the wall clock the workflow runs at.
const directory: DirectoryInput = {
  ...demoDirectory,
  reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, caps: {}, outOfOffice: [] })),
  accounts: [
    ...demoDirectory.accounts,
    { id: 'acct-siemens', name: 'Siemens Aktiengesellschaft', domains: ['siemens.com', 'siemens.de', 'siemens-healthineers.com'], ownerId: 'rep-fay' },
    { id: 'acct-sg', name: 'Société Générale S.A.', domains: ['societegenerale.fr', 'sgcib.com'], ownerId: 'rep-fay' },
    { id: 'acct-pg', name: 'The Procter & Gamble Company', domains: ['pg.com'], ownerId: 'rep-bo' },
    { id: 'acct-toyota-uk', name: 'Toyota Motor Co., Ltd.', domains: ['toyota.co.uk'], ownerId: 'rep-cara' },
    { id: 'acct-toyota-parts', name: 'Toyota Motor Corp', domains: ['parts.toyota.co.uk'], ownerId: null },
    // Three accounts with one normalised name: owner first, then the most recent activity.
    { id: 'acct-wayne-1', name: 'Wayne Enterprises, Inc.', domains: [], ownerId: 'rep-ana', lastActivityAt: '2026-01-05T00:00:00Z' },
    { id: 'acct-wayne-2', name: 'WAYNE ENTERPRISES', domains: [], ownerId: 'rep-dev', lastActivityAt: '2026-02-20T00:00:00Z' },
    { id: 'acct-wayne-3', name: 'Wayne Enterprises LLC', domains: [], ownerId: null, lastActivityAt: '2026-03-01T00:00:00Z' },
  ],
};

const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
    {
      id: 'match',
      type: 'match_account',
      position: { x: 0, y: 100 },
      config: { by: ['email_domain', 'website_domain', 'company_name'], fuzzyThreshold: 0.85, tieBreakers: ['has_owner', 'most_recent'], duplicateWithinDays: 30 },
    },
    { id: 'owner', type: 'assign', position: { x: 0, y: 200 }, config: { strategy: { type: 'account_owner' }, eligibility: ELIGIBILITY, excludePreviousAssignees: false } },
    { id: 'dup', type: 'assign', position: { x: 200, y: 200 }, config: { strategy: { type: 'account_owner' }, eligibility: ELIGIBILITY, excludePreviousAssignees: false } },
    { id: 'pool', type: 'assign', position: { x: 400, y: 200 }, config: { strategy: { type: 'round_robin', teamId: 'team-inbound' }, eligibility: ELIGIBILITY, excludePreviousAssignees: false } },
    { id: 'queue', type: 'assign', position: { x: 400, y: 300 }, config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility: ELIGIBILITY, excludePreviousAssignees: false } },
    { id: 'end', type: 'end', position: { x: 0, y: 400 }, config: { outcome: 'routed' } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'match' },
    { id: 'e2', source: 'match', sourceHandle: 'matched', target: 'owner' },
    { id: 'e3', source: 'match', sourceHandle: 'duplicate', target: 'dup' },
    { id: 'e4', source: 'match', sourceHandle: 'not_matched', target: 'pool' },
    { id: 'e5', source: 'owner', sourceHandle: 'assigned', target: 'end' },
    { id: 'e6', source: 'owner', sourceHandle: 'no_eligible_rep', target: 'pool' },
    { id: 'e7', source: 'dup', sourceHandle: 'assigned', target: 'end' },
    { id: 'e8', source: 'dup', sourceHandle: 'no_eligible_rep', target: 'pool' },
    { id: 'e9', source: 'pool', sourceHandle: 'assigned', target: 'end' },
    { id: 'e10', source: 'pool', sourceHandle: 'no_eligible_rep', target: 'queue' },
    { id: 'e11', source: 'queue', sourceHandle: 'assigned', target: 'end' },
    { id: 'e12', source: 'queue', sourceHandle: 'no_eligible_rep', target: 'end' },
  ],
};

/** Leads production routed before the batch: two held by reps, one by a queue, one too old to count. */
const HISTORY: Array<{ lead: Lead; daysAgo: number; holder: { type: 'rep' | 'queue'; id: string } }> = [
  { lead: { email: 'returning@gmail.com', company: 'Freelance' }, daysAgo: 3, holder: { type: 'rep', id: 'rep-gus' } },
  { lead: { email: 'Max@Siemens.com', company: 'Siemens AG' }, daysAgo: 10, holder: { type: 'rep', id: 'rep-dev' } },
  { lead: { email: 'queued@initech.com', company: 'Initech' }, daysAgo: 2, holder: { type: 'queue', id: 'q-unassigned' } },
  { lead: { email: 'old@pg.com', company: 'P&G' }, daysAgo: 45, holder: { type: 'rep', id: 'rep-ana' } },
];

/** The batch: every mode of matching, each at least once. */
const LEADS: Lead[] = [
  { email: 'ana@mail.siemens.de', company: 'Siemens' }, // registrable domain of an account's second domain
  { email: 'jo@parts.toyota.co.uk', company: 'Toyota' }, // exact host over the registrable domain
  { email: 'kim@toyota.co.uk', company: 'Toyota' }, // registrable domain: the owned account
  { email: 'lee@gmail.com', company: 'Société Générale' }, // free mail: by normalised name (accents)
  { email: 'sam@hotmail.com', company: 'Procter and Gamble Co.' }, // "&"/"and", legal forms, "The"
  { email: 'pat@yahoo.com', company: 'Societe Generalle' }, // fuzzy name
  { email: 'al@gmail.com', company: 'Wayne Enterprises Corp.' }, // tie: owner, then most recent activity
  { email: 'returning@gmail.com', company: 'Freelance' }, // duplicate of a database lead held by a rep
  { email: 'max@siemens.com', company: 'Siemens AG' }, // duplicate (email case) beats the account owner
  { email: 'queued@initech.com', company: 'Initech' }, // earlier lead held by a queue: no duplicate
  { email: 'old@pg.com', company: 'P&G' }, // earlier lead outside the window: no duplicate
  { email: 'new@nowhere.example', company: 'Nobody Ltd' }, // nothing matches
  { email: 'new@nowhere.example', company: 'Nobody Ltd' }, // duplicate of a lead of this very batch
  { email: 'bob@sgcib.com', website: 'https://www.sgcib.com/en' }, // another domain of the same account
];

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `match-parity-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...WORKFLOW_BUNDLE, activities: createActivities({ db: database.db }) });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

describe('match_account parity: simulate vs the routeLead workflow on Temporal', () => {
  it('every matching mode gives the same path, assignee and match step', async () => {
    const db = database.db;
    const { workspaceId, workflowId } = await createWorkspace(db);
    await seedDirectory(db, workspaceId, DirectorySchema.parse(directory));
    const { versionId, plan } = await insertVersion(db, workflowId, graph, directory);
    await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
    const target = { workspaceId, workflowId, versionId };

    for (const h of HISTORY) {
      const [id] = await insertLeads(db, target, [h.lead], new Date(BASE - h.daysAgo * DAY));
      await db.update(routingRuns).set({ status: 'completed', assigneeType: h.holder.type, assigneeId: h.holder.id }).where(eq(routingRuns.leadId, id as string));
    }
    const ids: string[] = [];
    for (const [i, lead] of LEADS.entries()) ids.push(...(await insertLeads(db, target, [lead], new Date(BASE + i * 60_000))));

    // The test run: production's directory and earlier leads, each lead at its arrival.
    const earlierLeads = await loadEarlierLeads(db, workspaceId, LEADS.map((l) => l.email), new Date(BASE - 30 * DAY), new Date(BASE));
    const sim = new SimulationEffects({ directory: await loadDirectory(db, workspaceId), startTime: BASE, earlierLeads });
    const expected: RunResult[] = ids.map((id, i) => {
      sim.beginLead(id, BASE + i * 60_000);
      const r = interpretSync(plan, LEADS[i] as Lead, sim, { leadId: id });
      if (isPaused(r)) throw new Error('paused');
      return r;
    });

    // Production: one lead after the other, as they arrived.
    for (const [i, id] of ids.entries()) {
      const result = (await env.client.workflow.execute('routeLead', { taskQueue, workflowId: `lead-${id}`, args: [{ leadId: id, workspaceId, versionId }] })) as RouteLeadResult;
      const want = expected[i] as RunResult;
      expect(result.path, `lead ${i} path`).toEqual(want.steps.map((s) => s.nodeId));
      expect(result.assignee?.id ?? null, `lead ${i} assignee`).toBe(want.assignee?.id ?? null);
      const [match] = await db.select().from(traceSteps).where(and(eq(traceSteps.leadId, id), eq(traceSteps.nodeId, 'match'))).orderBy(asc(traceSteps.seq));
      const simMatch = want.steps.find((s) => s.nodeId === 'match');
      expect(match?.outcome, `lead ${i} match outcome`).toBe(simMatch?.outcome);
      expect(match?.output, `lead ${i} match output`).toEqual(simMatch?.output);
      expect(match?.explanation, `lead ${i} match explanation`).toEqual(simMatch?.explanation);
    }

    // The batch did exercise every mode, as the test run says.
    const match = expected.map((r) => r.steps.find((s) => s.nodeId === 'match'));
    const rules = match.map((s) => (s?.outcome === 'duplicate' ? 'duplicate' : ((s?.output.rule as string | undefined) ?? 'none')));
    expect(rules).toEqual([
      'email_domain', 'email_domain', 'email_domain', 'company_name', 'company_name', 'fuzzy_name', 'company_name',
      'duplicate', 'duplicate', 'email_domain', 'email_domain', 'none', 'duplicate', 'email_domain',
    ]);
    const assignees = expected.map((r) => r.assignee?.id ?? null);
    expect([assignees[0], ...assignees.slice(2, 9)]).toEqual(['rep-fay', 'rep-cara', 'rep-fay', 'rep-bo', 'rep-fay', 'rep-dev', 'rep-gus', 'rep-dev']);
    // The exact host's account has no owner: the lead goes on to the pool.
    expect(match[1]?.output.accountId).toBe('acct-toyota-parts');
    expect(expected[1]?.steps.map((s) => s.nodeId)).toEqual(['trigger', 'match', 'owner', 'pool', 'end']);
    expect(match[6]?.output.accountId).toBe('acct-wayne-2');
    expect(match[12]?.output.duplicateOf).toBe(ids[11]);
    expect(assignees[12]).toBe(assignees[11]);
    expect((match[6]?.output.candidates as unknown[]).length).toBe(3);
  }, 180_000);
});

import type { DirectoryInput } from '@lead-router/shared';
import { connectPostgres } from '@lead-router/db/client';
import { createApiKey, createUser, createWorkspace } from '../../../server/src/services/workspaces.service';
import type { StackInfo } from './stack-info';

// The e2e workspace: an admin, a viewer and a rep user (Ana, linked to rep-ana), one key per role, and a
// small directory posted through the HTTP API as an admin would. Every rep works at any hour and has no
// caps, so results never depend on when the suite runs.

const PASSWORD = 'correct horse battery staple';

/** The directory the specs rely on: Ana alone on the inbound team; Ben and Cara on the SLA drill team. */
export const E2E_DIRECTORY = {
  reps: [
    { id: 'rep-ana', name: 'Ana Diaz', email: 'ana@example.com', timeZone: 'America/New_York', workingHours: null, skills: ['en'], caps: {} },
    { id: 'rep-ben', name: 'Ben Okafor', email: 'ben@example.com', timeZone: 'Europe/London', workingHours: null, skills: ['en'], caps: {} },
    { id: 'rep-cara', name: 'Cara Singh', email: 'cara@example.com', timeZone: 'Asia/Kolkata', workingHours: null, skills: ['en'], caps: {} },
  ],
  teams: [
    { id: 'team-inbound', name: 'Inbound', members: [{ repId: 'rep-ana', weight: 1 }] },
    { id: 'team-drill', name: 'SLA drill', members: [{ repId: 'rep-ben', weight: 1 }, { repId: 'rep-cara', weight: 1 }] },
  ],
  territories: [{ id: 'terr-us', name: 'United States', rules: [{ countries: ['US'] }], repIds: ['rep-ana'], priority: 10 }],
  queues: [{ id: 'q-unassigned', name: 'Unassigned leads' }],
} satisfies Partial<DirectoryInput>;

async function post(baseURL: string, key: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${baseURL}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`seed: POST ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Seeds a fresh workspace into `databaseUrl` and its directory through the API at `baseURL`. */
export async function seedWorkspace(databaseUrl: string, baseURL: string): Promise<Omit<StackInfo, 'baseURL' | 'temporalAddress' | 'temporalUiUrl' | 'databaseUrl'>> {
  const database = connectPostgres(databaseUrl, { max: 2 });
  try {
    const db = database.db;
    const ws = await createWorkspace(db, 'E2E Workspace');
    const keys = {} as StackInfo['keys'];
    for (const role of ['ingest', 'viewer', 'editor', 'publisher', 'admin'] as const) {
      keys[role] = (await createApiKey(db, { workspaceId: ws.id, name: `e2e ${role} key`, role })).key;
    }
    const admin = { email: 'admin@e2e.example.com', password: PASSWORD, name: 'Alex Admin' };
    await createUser(db, { workspaceId: ws.id, ...admin, role: 'admin' });
    const viewer = { email: 'viewer@e2e.example.com', password: PASSWORD, name: 'Vic Viewer' };
    await createUser(db, { workspaceId: ws.id, ...viewer, role: 'viewer' });

    for (const rep of E2E_DIRECTORY.reps) await post(baseURL, keys.admin, '/api/reps', rep);
    for (const team of E2E_DIRECTORY.teams) await post(baseURL, keys.admin, '/api/teams', team);
    for (const territory of E2E_DIRECTORY.territories) await post(baseURL, keys.admin, '/api/territories', territory);
    for (const queue of E2E_DIRECTORY.queues) await post(baseURL, keys.admin, '/api/queues', queue);

    // The rep signs in as a viewer: enough to see and answer the leads assigned to them.
    const rep = { email: 'ana@e2e.example.com', password: PASSWORD, name: 'Ana Diaz', repId: 'rep-ana' };
    await post(baseURL, keys.admin, '/api/users', { email: rep.email, name: rep.name, role: 'viewer', password: rep.password, repId: rep.repId });
    return { workspaceId: ws.id, admin, viewer, rep, keys };
  } finally {
    await database.close();
  }
}

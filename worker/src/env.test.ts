import { describe, expect, it } from 'vitest';
import { loadWorkerEnv } from './env';

const base = { DATABASE_URL: 'postgres://localhost/x', TEMPORAL_ADDRESS: 'localhost:7233' };

describe('loadWorkerEnv', () => {
  it('starts the outbox from the worker unless told the API server does (OUTBOX_DISPATCH)', () => {
    expect(loadWorkerEnv(base).OUTBOX_DISPATCH).toBe('worker');
    expect(loadWorkerEnv({ ...base, OUTBOX_DISPATCH: 'server' }).OUTBOX_DISPATCH).toBe('server');
  });

  it('refuses a bad value naming every variable at fault', () => {
    expect(() => loadWorkerEnv({ ...base, OUTBOX_DISPATCH: 'both', WORKER_DB_POOL: '0' })).toThrow(/OUTBOX_DISPATCH: Invalid option: expected one of "worker"\|"server"[\s\S]*WORKER_DB_POOL/);
  });
});

// postgres.js faults scripts/patch-deps.mjs patches at install, reproduced deterministically on the real
// database: without its patch each test fails. (The first two patches are exercised by the connection-drop
// reliability test, which terminates backends under load.)
import { connect, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScratchDatabase } from '@lead-router/testkit/scratch-database';

const scratch = planScratchDatabase('driver_test');
const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
const killer = postgres(scratch.url, { max: 1, onnotice: () => {} });
beforeAll(() => scratch.create({ migrate: false }));

/** A pool whose sockets the test holds: postgres.js takes a `socket` factory, which its types do not declare. */
function poolOverOwnSockets(max: number, onSocket: (socket: Socket) => void): postgres.Sql {
  const url = new URL(scratch.url);
  const socket = (): Socket => {
    const s = connect(Number(url.port || 5432), url.hostname);
    onSocket(s);
    return s;
  };
  return postgres(scratch.url, { max, connect_timeout: 2, onnotice: () => {}, socket } as postgres.Options<Record<string, never>>);
}
afterAll(async () => {
  await sql.end({ timeout: 5 });
  await killer.end({ timeout: 5 });
  await scratch.drop();
});

describe('postgres.js as patched at install', () => {
  it('starts counting rows afresh after a query that failed part-way through its rows', async () => {
    // Rows 1 and 2 reach the client before row 3 divides by zero.
    await expect(sql`select case when g = 3 then 1 / (g - 3) else g end as n from generate_series(1, 5) g`).rejects.toMatchObject({ code: '22012' });
    // The same connection (max: 1): without the patch this answers [<empty>, <empty>, { one: 1 }].
    const rows = await sql`select 1 as one`;
    expect(rows.length).toBe(1);
    expect([...rows]).toEqual([{ one: 1 }]);
  });

  it('sends a reconnecting connection\'s startup even when it closed with a write still waiting', async () => {
    // Two pooled connections whose sockets close in the same turn of the event loop: a query issued when the
    // first one closes goes to the second, which closes before the query's bytes were written.
    const sockets: Socket[] = [];
    const pool = poolOverOwnSockets(2, (s) => sockets.push(s));
    try {
      await Promise.all([pool`select pg_sleep(0.05)`, pool`select pg_sleep(0.05)`]);
      expect(sockets).toHaveLength(2);
      let late: Promise<string> | undefined;
      for (const s of sockets) {
        s.once('close', () => {
          late ??= pool`select 2 as two`.then(() => 'answered', (e: { code?: string }) => e.code ?? 'failed');
        });
      }
      for (const s of sockets) s.destroy();
      await expect.poll(() => late, { timeout: 5_000 }).toBeDefined();
      expect(await late).toBe('CONNECTION_CLOSED');
      // Both connections reconnect: without the patch the second one's StartupMessage sits behind the dead
      // query's bytes, is never sent, and its query fails with CONNECT_TIMEOUT.
      const answers = await Promise.all([pool`select 3 as n`, pool`select 4 as n`].map((q) => q.then((r) => r[0]!.n as number, (e: { code?: string }) => e.code)));
      expect(answers).toEqual([3, 4]);
    } finally {
      await pool.end({ timeout: 1 });
    }
  });

  it('does not fail the next query with the error of a backend terminated during the last one', async () => {
    for (let i = 0; i < 3; i++) {
      const [{ pid }] = (await sql`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      const running = sql`select pg_sleep(5)`.then(() => 'answered', (e: { code?: string }) => e.code);
      await expect.poll(async () => (await killer`select 1 from pg_stat_activity where pid = ${pid} and state = 'active'`).length).toBe(1);
      await killer`select pg_terminate_backend(${pid})`;
      expect(await running).toBe('CONNECTION_CLOSED');
      // Without the patch: 57P01 (terminating connection due to administrator command), from the old backend.
      const [{ n }] = (await sql`select ${i}::int as n`) as unknown as [{ n: number }];
      expect(n).toBe(i);
    }
  });

  it('fails a query given to a connection between its socket\'s error and its close, instead of losing it', async () => {
    let socket: Socket | undefined;
    const pool = poolOverOwnSockets(1, (s) => (socket = s));
    try {
      await pool`select 1`;
      // A reset socket emits 'error' at once and 'close' once its handle has closed, a turn of the event loop
      // later; the pool still hands the connection queries in between.
      let late: Promise<string> | undefined;
      socket!.once('error', () => {
        late = pool`select 2 as two`.then(() => 'answered', (e: { code?: string }) => e.code ?? 'failed');
      });
      socket!.destroy(new Error('ECONNRESET'));
      await expect.poll(() => late, { timeout: 5_000 }).toBeDefined();
      // Without the patch it never settles (a request awaiting it waits forever).
      const settled = await Promise.race([late, new Promise<string>((r) => setTimeout(r, 3_000, 'still pending after 3 s'))]);
      expect(settled).toBe('CONNECTION_CLOSED');
      const [{ n }] = (await pool`select 3 as n`) as unknown as [{ n: number }];
      expect(n).toBe(3);
    } finally {
      await pool.end({ timeout: 1 });
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '@lead-router/db/client';
import { createPglite } from './pglite';
import { PgliteWireServer } from './pglite-wire';

// Real PGlite on disk, real postgres.js pools over loopback TCP: the server pool and the worker pool of
// the embedded launcher, hammering the one backend at once.
describe('PgliteWireServer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-wire-'));
  let db: PGlite;
  let wire: PgliteWireServer;
  let url: string;

  beforeAll(async () => {
    db = await createPglite(join(dir, 'pg'));
    wire = new PgliteWireServer({ db });
    const port = await wire.start();
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }, 60_000);

  afterAll(async () => {
    await wire.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the migrations over the wire', async () => {
    await migratePostgres(url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [row] = await sql`select count(*)::int as n from information_schema.tables where table_name = 'workspaces'`;
    expect(row!.n).toBe(1);
    await sql.end();
  }, 60_000);

  it('keeps concurrent transactions from two pools apart, and SKIP LOCKED hands each row out once', async () => {
    const a = postgres(url, { max: 5, onnotice: () => {} });
    const b = postgres(url, { max: 5, onnotice: () => {} });
    await a`create table jobs (id int primary key, taken_by text)`;
    await a`insert into jobs select g, null from generate_series(1, 60) g`;
    // 12 claimers across both pools, each taking rows one by one in a transaction, with parameters
    // (extended protocol, named prepared statements) and a pause inside the transaction.
    const claim = (sql: postgres.Sql, who: string) =>
      sql.begin(async (tx) => {
        const rows = await tx`select id from jobs where taken_by is null order by id limit 1 for update skip locked`;
        if (!rows.length) return null;
        await new Promise((r) => setTimeout(r, 2));
        await tx`update jobs set taken_by = ${who} where id = ${rows[0]!.id}`;
        return rows[0]!.id as number;
      });
    const claimers = Array.from({ length: 12 }, (_, i) =>
      (async () => {
        const mine: number[] = [];
        for (;;) {
          const id = await claim(i % 2 ? a : b, `c${i}`);
          if (id === null) return mine;
          mine.push(id);
        }
      })(),
    );
    const taken = (await Promise.all(claimers)).flat();
    expect(taken.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const [left] = await b`select count(*)::int as n from jobs where taken_by is null`;
    expect(left!.n).toBe(0);

    // A rolled-back transaction leaves nothing behind, and a failed statement does not poison others.
    await expect(a.begin(async (tx) => {
      await tx`update jobs set taken_by = 'ghost'`;
      await tx`select 1/0`;
    })).rejects.toThrow(/division by zero/);
    const [ghosts] = await b`select count(*)::int as n from jobs where taken_by = 'ghost'`;
    expect(ghosts!.n).toBe(0);
    await a.end();
    await b.end();
  }, 60_000);

  it('rolls back a transaction whose connection went away, and frees the backend for others', async () => {
    const a = postgres(url, { max: 1, onnotice: () => {} });
    const b = postgres(url, { max: 1, onnotice: () => {} });
    await a`create table t (v text)`;
    const reserved = await a.reserve();
    await reserved`begin`;
    await reserved`insert into t values ('uncommitted')`;
    // b waits for the backend while a's transaction is open.
    let bDone = false;
    const bQuery = b`select count(*)::int as n from t`.then((r) => {
      bDone = true;
      return r[0]!.n as number;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(bDone).toBe(false);
    await a.end({ timeout: 0 }); // the socket closes with the transaction open
    expect(await bQuery).toBe(0);
    await b.end();
  }, 30_000);
});

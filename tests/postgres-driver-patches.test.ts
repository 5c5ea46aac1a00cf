// A postgres.js fault scripts/patch-deps.mjs patches at install, reproduced deterministically on the real
// database: without the patch this fails. (The other two patches are exercised by the connection-drop
// reliability test, which terminates backends under load.)
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScratchDatabase } from '@lead-router/testkit/scratch-database';

const scratch = planScratchDatabase('driver_test');
const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
beforeAll(() => scratch.create({ migrate: false }));
afterAll(async () => {
  await sql.end({ timeout: 5 });
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
});

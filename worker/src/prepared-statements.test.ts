import { sql } from 'drizzle-orm';
import { connectPostgres, type Db } from '@lead-router/db/client';
import { PreparedTexts } from '@lead-router/db/prepared-statements';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test/test-db';

// Issue 18: drizzle ran every query as an unnamed statement (parsed and planned each time, described in a
// round trip of its own); the texts the routing path repeats are now prepared once per connection.

describe('PreparedTexts', () => {
  it('prepares a text once it has recurred, never a long one, and at most maxHot of them', () => {
    const texts = new PreparedTexts(3, 2, 10, 50);
    expect([1, 2, 3, 4].map(() => texts.shouldPrepare('select 1'))).toEqual([false, false, true, true]);
    const long = `select ${'1, '.repeat(30)}1`;
    expect([1, 2, 3, 4].map(() => texts.shouldPrepare(long))).toEqual([false, false, false, false]);
    for (let i = 0; i < 3; i++) texts.shouldPrepare('select 2');
    expect(texts.size).toBe(2);
    // Full: a third recurring text stays unnamed.
    expect([1, 2, 3, 4].map(() => texts.shouldPrepare('select 3'))).toEqual([false, false, false, false]);
  });

  it('forgets the counts of texts seen once when too many were seen (a stream of one-off texts)', () => {
    const texts = new PreparedTexts(2, 10, 3);
    texts.shouldPrepare('a');
    for (const t of ['b', 'c', 'd']) texts.shouldPrepare(t);
    // 'a' was counted once, then the counts started again: its second run is its first.
    expect(texts.shouldPrepare('a')).toBe(false);
    expect(texts.shouldPrepare('a')).toBe(true);
  });
});

describe('a connection from connectPostgres', () => {
  let t: TestDatabase;
  let one: { db: Db; close(): Promise<void> };
  const preparedLike = async (pattern: string): Promise<number> => {
    const rows = (await one.db.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${pattern}`)) as unknown as Array<{ n: number }>;
    return rows[0]!.n;
  };

  beforeAll(async () => {
    t = await createTestDatabase({ max: 1 });
    one = connectPostgres(t.url, { max: 1 });
  }, 60_000);
  afterAll(async () => {
    await one?.close();
    await t?.drop();
  });

  it('keeps a repeated query prepared, in and out of transactions, and leaves a one-off one unnamed', async () => {
    for (let i = 0; i < 4; i++) await one.db.execute(sql`select ${i}::int + 1 as repeated_outside`);
    await one.db.execute(sql`select ${1}::int as once_only`);
    await one.db.transaction(async (tx) => {
      for (let i = 0; i < 4; i++) await tx.execute(sql`select ${i}::int + 2 as repeated_inside`);
    });
    expect(await preparedLike('%repeated_outside%')).toBe(1);
    expect(await preparedLike('%repeated_inside%')).toBe(1);
    expect(await preparedLike('%once_only%')).toBe(0);
    // The answers are the queries' own.
    const rows = (await one.db.execute(sql`select ${41}::int + 1 as repeated_outside`)) as unknown as Array<{ repeated_outside: number }>;
    expect(rows[0]?.repeated_outside).toBe(42);
  });
});

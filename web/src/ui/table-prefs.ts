import type { ColumnVisibilityState } from '@tanstack/react-table';

/** What a column sorts by: text, a number (an instant as its epoch milliseconds), or nothing (sorted last). */
export type SortValue = string | number | null | undefined;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order of two sort values: numbers by size, text as people read it ("Lead 2" before "Lead 10", case aside). */
export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a ?? ''), String(b ?? ''));
}

const key = (table: string) => `table-columns:${table}`;

/** The columns a person hid in `table` (localStorage), or none hidden when nothing (or garbage) is stored. */
export function readColumnChoice(table: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ColumnVisibilityState {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key(table)) ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
  } catch {
    return {};
  }
}

/** Remembers which columns of `table` are hidden; a full table removes the entry. */
export function writeColumnChoice(table: string, choice: ColumnVisibilityState, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
  try {
    if (Object.values(choice).some((v) => v === false)) storage?.setItem(key(table), JSON.stringify(choice));
    else storage?.removeItem(key(table));
  } catch {
    // Storage full or forbidden (private mode): the choice lasts for this visit only.
  }
}

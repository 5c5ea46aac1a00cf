/** Pure list edits the rule-table forms share (score rules and grades, match methods, enrich rows). */

/** The list with the item at `from` moved to `to`; out-of-range moves return the list unchanged. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** The list with item `i` replaced. */
export function setItem<T>(list: readonly T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

/** The list without item `i`. */
export function removeItem<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

/** The first `<prefix>-<n>` not taken, counting from the list's length + 1 (ids stay short and readable). */
export function nextLocalId(taken: Iterable<string>, prefix: string): string {
  const ids = new Set(taken);
  for (let i = ids.size + 1; ; i++) if (!ids.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

/**
 * A record edited as rows (headers, response mapping). Rows keep their order and may be half-typed: an empty
 * or repeated name is kept as a row while typing, and only the record built from the rows goes to the config.
 */
export type Row = { key: string; value: string };

/** Rows of a record, in insertion order. */
export function rowsOf(record: Readonly<Record<string, string>> | undefined): Row[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

/** The record of the rows; on a repeated name the later row wins, as it would in JSON. */
export function recordOf(rows: readonly Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) out[r.key] = r.value;
  return out;
}

import { useEffect, useState, type ReactNode } from 'react';
import { recordOf, rowsOf, type Row } from './list-ops';

/**
 * A record (`name -> value`) edited as rows. The rows live here while typing, so a row whose name is still
 * empty or repeats another's is not lost; the config gets the record the rows make. When the config changes
 * from elsewhere (undo, JSON edit) to a record the rows do not make, the rows follow it.
 */
export function RecordRows({
  legend,
  rowName,
  record,
  onChange,
  renderRow,
  newRow,
  addLabel,
}: {
  legend: string;
  /** What one row is called in its Remove button ("header" -> "Remove header 2"). */
  rowName: string;
  record: Readonly<Record<string, string>> | undefined;
  onChange: (record: Record<string, string>) => void;
  renderRow: (row: Row, i: number, set: (row: Row) => void) => ReactNode;
  newRow: (rows: readonly Row[]) => Row;
  addLabel: string;
}) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(record));
  useEffect(() => {
    setRows((current) => (JSON.stringify(recordOf(current)) === JSON.stringify(record ?? {}) ? current : rowsOf(record)));
  }, [record]);
  const apply = (next: Row[]) => {
    setRows(next);
    onChange(recordOf(next));
  };
  return (
    <fieldset aria-label={legend}>
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div key={i} className="record-row">
          {renderRow(row, i, (r) => apply(rows.map((x, j) => (j === i ? r : x))))}
          <button type="button" onClick={() => apply(rows.filter((_, j) => j !== i))}>
            Remove {rowName} {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => apply([...rows, newRow(rows)])}>
        {addLabel}
      </button>
    </fieldset>
  );
}

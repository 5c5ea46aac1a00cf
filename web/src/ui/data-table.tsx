import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import {
  columnVisibilityFeature,
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { ArrowDown, ArrowUp, Check, ChevronsUpDown, Columns3 } from 'lucide-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { compareValues, readColumnChoice, writeColumnChoice, type SortValue } from './table-prefs';

/** One column of a DataTable. */
export interface DataColumn<T extends RowData> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** What the column sorts by; a column without it does not sort. */
  sortBy?: (row: T) => SortValue;
  /** The cells' class (`num` for figures). */
  className?: string;
  /** False for the column that names the row: it cannot be hidden. */
  hideable?: boolean;
}

// Only the features the tables use: sorting and column choice (the rest of TanStack Table stays out of
// the bundle).
const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, sortedRowModel: createSortedRowModel() });
type Features = typeof features;

/**
 * A table of records (TanStack Table, headless, drawn with the `.table` styles): sortable columns (click a
 * header; `aria-sort` says the order), a column chooser whose choice is remembered per table (`storageKey`)
 * in localStorage, an Actions column when `actions` is given, and `toolbar` beside the chooser. Rows keep the order given until sorted.
 */
export function DataTable<T extends RowData>({
  label,
  storageKey,
  columns,
  rows,
  rowKey,
  actions,
  toolbar,
}: {
  label: string;
  storageKey: string;
  columns: readonly DataColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  actions?: (row: T) => ReactNode;
  /** Controls shown above the table, beside the column chooser (e.g. the section's "New …" button). */
  toolbar?: ReactNode;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(() => readColumnChoice(storageKey));
  useEffect(() => writeColumnChoice(storageKey, columnVisibility), [storageKey, columnVisibility]);

  const defs = useMemo(
    () =>
      columns.map(
        (c): ColumnDef<Features, T> => ({
          id: c.id,
          header: c.header,
          accessorFn: (row: T) => c.sortBy?.(row) ?? undefined,
          cell: (ctx) => c.cell(ctx.row.original),
          enableSorting: !!c.sortBy,
          enableHiding: c.hideable !== false,
          sortUndefined: 'last',
          sortFn: (a, b, id) => compareValues(a.getValue(id), b.getValue(id)),
        }),
      ),
    [columns],
  );
  const data = useMemo(() => [...rows], [rows]);
  const table = useTable({
    features,
    columns: defs,
    data,
    getRowId: (row) => rowKey(row),
    state: { sorting, columnVisibility },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setColumnVisibility,
  });
  const byId = new Map(columns.map((c) => [c.id, c]));
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide());

  return (
    <div className="table-frame">
      {(hideable.length > 0 || toolbar) && (
        <div className="table-toolbar">
          {hideable.length > 0 && <ColumnChooser label={label} columns={hideable.map((c) => ({ id: c.id, header: byId.get(c.id)?.header ?? c.id, visible: c.getIsVisible(), toggle: (v: boolean) => c.toggleVisibility(v) }))} />}
          {toolbar}
        </div>
      )}
      <table className="table" aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const canSort = h.column.getCanSort();
                return (
                  <th key={h.id} scope="col" aria-sort={canSort ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined} className={byId.get(h.column.id)?.className}>
                    {canSort ? (
                      <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()}>
                        {byId.get(h.column.id)?.header}
                        {sorted === 'asc' ? <ArrowUp aria-hidden size={14} /> : sorted === 'desc' ? <ArrowDown aria-hidden size={14} /> : <ChevronsUpDown aria-hidden size={14} className="sort-idle" />}
                      </button>
                    ) : (
                      byId.get(h.column.id)?.header
                    )}
                  </th>
                );
              })}
              {actions && <th scope="col">Actions</th>}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={byId.get(cell.column.id)?.className}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
              {actions && <td className="actions">{actions(row.original)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The "Columns" menu: a checkbox per column that may be hidden; it stays open while several are picked. */
function ColumnChooser({ label, columns }: { label: string; columns: { id: string; header: string; visible: boolean; toggle: (visible: boolean) => void }[] }) {
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger asChild>
        <button type="button" className="ghost" aria-label={`Columns of ${label}`}>
          <Columns3 aria-hidden size={16} /> Columns
        </button>
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          <RadixMenu.Label className="menu-label">Show columns</RadixMenu.Label>
          {columns.map((c) => (
            <RadixMenu.CheckboxItem key={c.id} className="menu-item" checked={c.visible} onCheckedChange={c.toggle} onSelect={(e) => e.preventDefault()}>
              <RadixMenu.ItemIndicator className="menu-check" forceMount>
                {c.visible && <Check aria-hidden size={14} />}
              </RadixMenu.ItemIndicator>
              {c.header}
            </RadixMenu.CheckboxItem>
          ))}
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}

import { useQuery } from '@tanstack/react-query';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { StatusBadge } from '../../ui/status-badge';
import { NameWithId } from '../../ui/tooltip';
import { repsQuery, type Rep, type RepInput } from './queries';
import { RepForm } from './rep-form';
import { EditButton, EditDialog, NewRecordButton } from './section-parts';
import { useEditableRecord } from './use-directory';
import { formatWorkingHours } from './working-hours-text';

function awayNow(rep: Rep, now: number): boolean {
  return rep.outOfOffice.some((a) => Date.parse(a.from) <= now && now < Date.parse(a.until));
}

const EMPTY: Rep[] = [];
const statusText = (r: Rep) => (r.active ? (awayNow(r, Date.now()) ? 'out of office' : r.online === false ? 'offline' : 'active') : 'inactive');

/** `40/week · 150/month (workspace time)`: the period caps beyond the day's, when set. */
function periodCaps(r: Rep): string {
  const parts = [r.caps.perWeek !== undefined && `${r.caps.perWeek}/week`, r.caps.perMonth !== undefined && `${r.caps.perMonth}/month`].filter(Boolean).join(' · ');
  return parts && r.capsTimeZone === 'workspace' ? `${parts} (workspace time)` : parts;
}
const cap = (n: number | null | undefined) => n ?? '∞';

const columns: DataColumn<Rep>[] = [
  {
    id: 'name',
    header: 'Name',
    hideable: false,
    sortBy: (r) => r.name,
    cell: (r) => (
      <>
        <NameWithId name={r.name} id={r.id} />
        <div className="muted">{r.email}</div>
      </>
    ),
  },
  {
    id: 'hours',
    header: 'Working hours (time zone)',
    sortBy: (r) => r.timeZone,
    cell: (r) => (
      <>
        {formatWorkingHours(r.workingHours)}
        <div className="muted">{r.timeZone}</div>
      </>
    ),
  },
  { id: 'skills', header: 'Skills', sortBy: (r) => r.skills.join(', '), cell: (r) => r.skills.join(', ') || '—' },
  {
    id: 'caps',
    header: 'Caps (day / open)',
    className: 'num',
    sortBy: (r) => r.caps.perDay ?? Infinity,
    cell: (r) => (
      <>
        {`${cap(r.caps.perDay)} / ${cap(r.caps.openLeads)}`}
        {periodCaps(r) && <div className="muted">{periodCaps(r)}</div>}
      </>
    ),
  },
  { id: 'status', header: 'Status', sortBy: statusText, cell: (r) => <StatusBadge status={String(r.active)} label={statusText(r)} /> },
];

/** The reps: who they are, when they work, caps and skills; admins add and edit them. */
export function RepsSection() {
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const { editing, setEditing, save } = useEditableRecord<Rep, RepInput, Rep>({
    create: (json) => read(api.api.reps.$post({ json })),
    replace: (id, json) => read(api.api.reps[':id'].$put({ param: { id }, json })),
    invalidate: [['directory'], ['assignees']],
  });
  const items = reps.data?.items ?? EMPTY;
  return (
    <section aria-label="Reps">
      <ErrorMessage error={reps.error} />
      <DataTable label="Reps" storageKey="reps" columns={columns} rows={items} rowKey={(r) => r.id} actions={canEdit ? (r) => <EditButton name={r.name} onEdit={() => setEditing(r)} /> : undefined} toolbar={canEdit && <NewRecordButton label="New rep" onClick={() => setEditing('new')} />} />
      <EditDialog
        editing={editing}
        noun="rep"
        error={save.error}
        onClose={() => {
          setEditing(null);
          save.reset();
        }}
      >
        {(rep) => <RepForm key={rep ? rep.id : 'new'} rep={rep} reps={items} busy={save.isPending} onSubmit={(input) => save.mutate(input)} />}
      </EditDialog>
    </section>
  );
}

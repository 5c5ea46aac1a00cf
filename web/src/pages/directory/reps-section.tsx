import { useQuery } from '@tanstack/react-query';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { StatusBadge } from '../../ui/status-badge';
import { repsQuery, type Rep, type RepInput } from './queries';
import { RepForm } from './rep-form';
import { EditCell, EditDialog, NewRecordButton, TableHead } from './section-parts';
import { useEditableRecord } from './use-directory';
import { formatWorkingHours } from './working-hours-text';

function awayNow(rep: Rep, now: number): boolean {
  return rep.outOfOffice.some((a) => Date.parse(a.from) <= now && now < Date.parse(a.until));
}

/** The reps: who they are, when they work, caps and skills; admins add and edit them. */
export function RepsSection() {
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const { editing, setEditing, save } = useEditableRecord<Rep, RepInput, Rep>({
    create: (json) => read(api.api.reps.$post({ json })),
    replace: (id, json) => read(api.api.reps[':id'].$put({ param: { id }, json })),
    invalidate: [['directory'], ['assignees']],
  });
  const now = Date.now();
  const items = reps.data?.items ?? [];
  return (
    <section aria-label="Reps">
      {canEdit && <NewRecordButton label="New rep" onClick={() => setEditing('new')} />}
      <ErrorMessage error={reps.error} />
      <table className="table" aria-label="Reps">
        <TableHead columns={['Name', 'Working hours (time zone)', 'Skills', 'Caps (day / open)', 'Status']} actions={canEdit} />
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name}
                <div className="muted">
                  {r.email} · <code>{r.id}</code>
                </div>
              </td>
              <td>
                {formatWorkingHours(r.workingHours)}
                <div className="muted">{r.timeZone}</div>
              </td>
              <td>{r.skills.join(', ') || '—'}</td>
              <td className="num">
                {r.caps.perDay ?? '∞'} / {r.caps.openLeads ?? '∞'}
              </td>
              <td>
                <StatusBadge status={String(r.active)} label={r.active ? (awayNow(r, now) ? 'out of office' : 'active') : 'inactive'} />
              </td>
              {canEdit && <EditCell name={r.name} onEdit={() => setEditing(r)} />}
            </tr>
          ))}
        </tbody>
      </table>
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

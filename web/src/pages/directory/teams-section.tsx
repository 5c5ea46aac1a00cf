import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Trash2 } from 'lucide-react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { NameWithId } from '../../ui/tooltip';
import { repsQuery, teamsQuery, type Rep, type Team, type TeamInput } from './queries';
import { EditButton, EditDialog, NewRecordButton, RepOptions } from './section-parts';
import { useEditableRecord } from './use-directory';

type Member = Team['members'][number];

const EMPTY: Team[] = [];

function TeamForm({ team, reps, busy, onSubmit }: { team: Team | null; reps: Rep[]; busy: boolean; onSubmit: (t: TeamInput) => void }) {
  const [id, setId] = useState(team?.id ?? '');
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState(team?.managerId ?? '');
  const [members, setMembers] = useState<Member[]>(team?.members ?? []);
  const [caps, setCaps] = useState({ perDay: team?.caps?.perDay?.toString() ?? '', perWeek: team?.caps?.perWeek?.toString() ?? '', perMonth: team?.caps?.perMonth?.toString() ?? '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = (v: string) => (v === '' ? undefined : Number(v));
    const teamCaps = Object.fromEntries(Object.entries({ perDay: n(caps.perDay), perWeek: n(caps.perWeek), perMonth: n(caps.perMonth) }).filter(([, v]) => v !== undefined));
    onSubmit({ id: id.trim(), name: name.trim(), managerId: managerId || null, members, caps: teamCaps });
  };
  const free = reps.filter((r) => !members.some((m) => m.repId === r.id));
  return (
    <form className="form" onSubmit={submit}>
      <div className="form-grid">
        <Field label="Id">
          <input value={id} onChange={(e) => setId(e.target.value)} required disabled={!!team} />
        </Field>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Manager">
          <select value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            <option value="">None</option>
            <RepOptions reps={reps} />
          </select>
        </Field>
        <Field label="Team leads per day cap" hint="Counted in the workspace's time zone; empty: no cap">
          <input type="number" min={0} value={caps.perDay} onChange={(e) => setCaps((c) => ({ ...c, perDay: e.target.value }))} />
        </Field>
        <Field label="Team leads per week cap" hint="Monday to Sunday; empty: no cap">
          <input type="number" min={0} value={caps.perWeek} onChange={(e) => setCaps((c) => ({ ...c, perWeek: e.target.value }))} />
        </Field>
        <Field label="Team leads per month cap" hint="Calendar month; empty: no cap">
          <input type="number" min={0} value={caps.perMonth} onChange={(e) => setCaps((c) => ({ ...c, perMonth: e.target.value }))} />
        </Field>
      </div>
      <fieldset>
        <legend>Members and weights</legend>
        {members.map((m, i) => {
          const rep = reps.find((r) => r.id === m.repId);
          return (
            <div key={m.repId} className="form-grid">
              <span>{rep?.name ?? m.repId}</span>
              <Field label={`Weight of ${rep?.name ?? m.repId}`}>
                <input type="number" min={1} max={1000} value={m.weight} onChange={(e) => setMembers((xs) => xs.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)))} />
              </Field>
              <button type="button" className="danger" onClick={() => setMembers((xs) => xs.filter((_, j) => j !== i))}>
                <Trash2 aria-hidden size={14} /> Remove {rep?.name ?? m.repId}
              </button>
            </div>
          );
        })}
        {free.length > 0 && (
          <Field label="Add a member">
            <select value="" onChange={(e) => e.target.value && setMembers((xs) => [...xs, { repId: e.target.value, weight: 1 }])}>
              <option value="">Choose a rep…</option>
              <RepOptions reps={free} />
            </select>
          </Field>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save team
        </button>
      </div>
    </form>
  );
}

/** `50/day, 200/week`: a team's period caps as the table lists them. */
function teamCapsText(t: Team): string {
  const c = t.caps ?? {};
  return [c.perDay !== undefined && `${c.perDay}/day`, c.perWeek !== undefined && `${c.perWeek}/week`, c.perMonth !== undefined && `${c.perMonth}/month`].filter(Boolean).join(', ');
}

/** Teams (round-robin pools) with their members' weights and caps. */
export function TeamsSection() {
  const teams = useQuery(teamsQuery);
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const { editing, setEditing, save } = useEditableRecord<Team, TeamInput, Team>({
    create: (json) => read(api.api.teams.$post({ json })),
    replace: (id, json) => read(api.api.teams[':id'].$put({ param: { id }, json })),
  });
  const columns = useMemo((): DataColumn<Team>[] => {
    const repName = (id: string) => reps.data?.items.find((r) => r.id === id)?.name ?? id;
    const members = (t: Team) => t.members.map((m) => `${repName(m.repId)} (${m.weight})`).join(', ');
    return [
      { id: 'team', header: 'Team', hideable: false, sortBy: (t) => t.name, cell: (t) => <NameWithId name={t.name} id={t.id} /> },
      { id: 'manager', header: 'Manager', sortBy: (t) => (t.managerId ? repName(t.managerId) : null), cell: (t) => (t.managerId ? repName(t.managerId) : '—') },
      { id: 'members', header: 'Members (weight)', sortBy: members, cell: (t) => members(t) || '—' },
      { id: 'caps', header: 'Team caps', sortBy: (t) => teamCapsText(t), cell: (t) => teamCapsText(t) || '—' },
    ];
  }, [reps.data]);
  return (
    <section aria-label="Teams">
      <ErrorMessage error={teams.error} />
      <DataTable label="Teams" storageKey="teams" columns={columns} rows={teams.data?.items ?? EMPTY} rowKey={(t) => t.id} actions={canEdit ? (t) => <EditButton name={t.name} onEdit={() => setEditing(t)} /> : undefined} toolbar={canEdit && <NewRecordButton label="New team" onClick={() => setEditing('new')} />} />
      <EditDialog editing={editing} noun="team" error={save.error} onClose={() => setEditing(null)}>
        {(team) => <TeamForm team={team} reps={reps.data?.items ?? []} busy={save.isPending} onSubmit={(t) => save.mutate(t)} />}
      </EditDialog>
    </section>
  );
}

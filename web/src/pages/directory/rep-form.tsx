import type { Rep as DirectoryRep, TimeSpan, Weekday, WorkingHours } from '@lead-router/shared';
import { useState, type FormEvent } from 'react';
import { Field } from '../../ui/field';
import { parseList, type Rep, type RepInput } from './queries';
import { RepOptions } from './section-parts';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const satisfies ReadonlyArray<readonly [Weekday, string]>;
type Absence = DirectoryRep['outOfOffice'][number];

// <input type="datetime-local"> speaks local time without a zone; the API speaks ISO instants.
const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (v: string) => new Date(v).toISOString();

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Create or edit a rep: identity, time zone, working hours per day, out-of-office periods, skills, caps, active. */
export function RepForm({ rep, reps, busy, onSubmit }: { rep: Rep | null; reps: Rep[]; busy: boolean; onSubmit: (input: RepInput) => void }) {
  const [id, setId] = useState(rep?.id ?? '');
  const [name, setName] = useState(rep?.name ?? '');
  const [email, setEmail] = useState(rep?.email ?? '');
  const [timeZone, setTimeZone] = useState(rep?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [anyHour, setAnyHour] = useState(!rep?.workingHours);
  const [hours, setHours] = useState<WorkingHours>(rep?.workingHours ?? { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] });
  const [absences, setAbsences] = useState<Absence[]>(rep?.outOfOffice ?? []);
  const [skills, setSkills] = useState((rep?.skills ?? []).join(', '));
  const [perDay, setPerDay] = useState(rep?.caps.perDay?.toString() ?? '');
  const [openLeads, setOpenLeads] = useState(rep?.caps.openLeads?.toString() ?? '');
  const [active, setActive] = useState(rep?.active ?? true);
  const [managerId, setManagerId] = useState(rep?.managerId ?? '');

  const setDay = (day: Weekday, patch: Partial<TimeSpan> | null) =>
    setHours((h) => {
      const next = { ...h };
      if (patch === null) delete next[day];
      else next[day] = [{ ...(h[day]?.[0] ?? { start: '09:00', end: '17:00' }), ...patch }, ...(h[day]?.slice(1) ?? [])];
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      id: id.trim(),
      name: name.trim(),
      email: email.trim(),
      timeZone,
      workingHours: anyHour ? null : hours,
      outOfOffice: absences.map((a) => ({ from: a.from, until: a.until, ...(a.note ? { note: a.note } : {}) })),
      skills: parseList(skills),
      caps: { ...(perDay !== '' ? { perDay: Number(perDay) } : {}), ...(openLeads !== '' ? { openLeads: Number(openLeads) } : {}) },
      active,
      managerId: managerId || null,
    });
  };

  return (
    <form className="form" onSubmit={submit} aria-label={rep ? `Edit ${rep.name}` : 'New rep'}>
      <div className="form-grid">
        <Field label="Id" hint="Used by graphs; cannot change later">
          <input value={id} onChange={(e) => setId(e.target.value)} required disabled={!!rep} pattern="[A-Za-z0-9_.:\-]+" />
        </Field>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </Field>
        <Field label="Email">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </Field>
        <Field label="Time zone">
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="time-zones" required />
        </Field>
        <Field label="Skills" hint="Comma-separated, e.g. enterprise, de">
          <input value={skills} onChange={(e) => setSkills(e.target.value)} />
        </Field>
        <Field label="Manager">
          <select value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            <option value="">None</option>
            <RepOptions reps={reps.filter((r) => r.id !== rep?.id)} />
          </select>
        </Field>
        <Field label="Leads per day cap" hint="Empty: no cap">
          <input type="number" min={0} value={perDay} onChange={(e) => setPerDay(e.target.value)} />
        </Field>
        <Field label="Open leads cap" hint="Empty: no cap">
          <input type="number" min={0} value={openLeads} onChange={(e) => setOpenLeads(e.target.value)} />
        </Field>
      </div>
      <datalist id="time-zones">
        {TIME_ZONES.map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <label className="inline">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (receives leads)
      </label>
      <fieldset>
        <legend>Working hours ({timeZone})</legend>
        <label className="inline">
          <input type="checkbox" checked={anyHour} onChange={(e) => setAnyHour(e.target.checked)} /> Available at any hour
        </label>
        {!anyHour && (
          <div className="hours">
            {DAYS.map(([day, label]) => {
              const span = hours[day]?.[0];
              return (
                <div key={day} style={{ display: 'contents' }}>
                  <label className="inline">
                    <input type="checkbox" checked={!!span} onChange={(e) => setDay(day, e.target.checked ? {} : null)} /> {label}
                  </label>
                  <input type="time" aria-label={`${label} from`} value={span?.start ?? ''} disabled={!span} onChange={(e) => setDay(day, { start: e.target.value })} />
                  <input type="time" aria-label={`${label} until`} value={span?.end ?? ''} disabled={!span} onChange={(e) => setDay(day, { end: e.target.value })} />
                </div>
              );
            })}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Out of office</legend>
        {absences.length === 0 && <p className="muted">No absences.</p>}
        {absences.map((a, i) => (
          <div key={i} className="form-grid">
            <Field label={`Away from (${i + 1})`}>
              <input type="datetime-local" value={toLocalInput(a.from)} required onChange={(e) => setAbsences((xs) => xs.map((x, j) => (j === i ? { ...x, from: fromLocalInput(e.target.value) } : x)))} />
            </Field>
            <Field label={`Back at (${i + 1})`}>
              <input type="datetime-local" value={toLocalInput(a.until)} required onChange={(e) => setAbsences((xs) => xs.map((x, j) => (j === i ? { ...x, until: fromLocalInput(e.target.value) } : x)))} />
            </Field>
            <Field label={`Note (${i + 1})`}>
              <input value={a.note ?? ''} maxLength={200} onChange={(e) => setAbsences((xs) => xs.map((x, j) => (j === i ? { ...x, note: e.target.value } : x)))} />
            </Field>
            <button type="button" className="danger" onClick={() => setAbsences((xs) => xs.filter((_, j) => j !== i))}>
              Remove absence {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => {
            const from = new Date();
            setAbsences((xs) => [...xs, { from: from.toISOString(), until: new Date(from.getTime() + 7 * 86400_000).toISOString() }]);
          }}
        >
          Add absence
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save rep
        </button>
      </div>
    </form>
  );
}

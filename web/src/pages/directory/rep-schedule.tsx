import type { Rep, TimeSpan, Weekday, WorkingHours } from '@lead-router/shared';
import type { Dispatch, SetStateAction } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { Field } from '../../ui/field';
import { formatWorkingHours } from './working-hours-text';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const satisfies ReadonlyArray<readonly [Weekday, string]>;

/** One out-of-office period of a rep (shared's directory schema). */
export type Absence = Rep['outOfOffice'][number];

// <input type="datetime-local"> speaks local time without a zone; the API speaks ISO instants.
const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (v: string) => new Date(v).toISOString();

/** Working hours with one day's first span patched (a new day starts at 09:00-17:00), or the day removed (null). */
function withDay(h: WorkingHours, day: Weekday, patch: Partial<TimeSpan> | null): WorkingHours {
  const next = { ...h };
  if (patch === null) delete next[day];
  else next[day] = [{ ...(h[day]?.[0] ?? { start: '09:00', end: '17:00' }), ...patch }, ...(h[day]?.slice(1) ?? [])];
  return next;
}

/**
 * A time of day as the app writes it, 24-hour HH:MM. Not <input type="time">: Chromium shows that in the
 * browser's locale (9:00 AM in en-US) while every page and the summary above say 09:00. The form does not
 * submit while a time is not a real HH:MM.
 */
function TimeInput({ label, value, disabled, onChange }: { label: string; value: string; disabled: boolean; onChange: (value: string) => void }) {
  return (
    <input
      type="text"
      inputMode="numeric"
      aria-label={label}
      placeholder="HH:MM"
      pattern="([01][0-9]|2[0-3]):[0-5][0-9]"
      maxLength={5}
      required={!disabled}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A rep's working hours in their time zone: any hour, or a span per working day. */
export function WorkingHoursFieldset({
  timeZone,
  anyHour,
  setAnyHour,
  hours,
  setHours,
}: {
  timeZone: string;
  anyHour: boolean;
  setAnyHour: (anyHour: boolean) => void;
  hours: WorkingHours;
  setHours: Dispatch<SetStateAction<WorkingHours>>;
}) {
  const setDay = (day: Weekday, patch: Partial<TimeSpan> | null) => setHours((h) => withDay(h, day, patch));
  return (
    <fieldset>
      <legend>Working hours ({timeZone}, 24-hour HH:MM)</legend>
      <p className="muted" data-testid="working-hours-summary">
        {formatWorkingHours(anyHour ? null : hours)}
      </p>
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
                <TimeInput label={`${label} from`} value={span?.start ?? ''} disabled={!span} onChange={(start) => setDay(day, { start })} />
                <TimeInput label={`${label} until`} value={span?.end ?? ''} disabled={!span} onChange={(end) => setDay(day, { end })} />
              </div>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}

/** A rep's out-of-office periods, in local time: add, edit and remove them. */
export function OutOfOfficeFieldset({ absences, setAbsences }: { absences: readonly Absence[]; setAbsences: Dispatch<SetStateAction<Absence[]>> }) {
  return (
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
            <Trash2 aria-hidden size={14} /> Remove absence {i + 1}
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
        <Plus aria-hidden size={14} /> Add absence
      </button>
    </fieldset>
  );
}

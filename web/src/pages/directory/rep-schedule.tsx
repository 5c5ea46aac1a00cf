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

/** Working hours with one span of a day patched (a new day starts at 09:00-17:00), or the day removed (null). */
function withDay(h: WorkingHours, day: Weekday, patch: Partial<TimeSpan> | null, index = 0): WorkingHours {
  const next = { ...h };
  if (patch === null) delete next[day];
  else {
    const spans = [...(h[day] ?? [{ start: '09:00', end: '17:00' }])];
    spans[index] = { ...(spans[index] ?? { start: '09:00', end: '17:00' }), ...patch };
    next[day] = spans;
  }
  return next;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The span a break adds after the day's last one: an hour after it ends, for an hour; null when the day is full. */
function spanAfter(spans: readonly TimeSpan[]): TimeSpan | null {
  const last = spans[spans.length - 1];
  const start = last ? toMinutes(last.end) + 60 : 9 * 60;
  if (!Number.isFinite(start) || start >= 23 * 60) return null;
  return { start: toHhmm(start), end: toHhmm(Math.min(start + 4 * 60, 24 * 60 - 1)) };
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
  const setDay = (day: Weekday, patch: Partial<TimeSpan> | null, index = 0) => setHours((h) => withDay(h, day, patch, index));
  const addSpan = (day: Weekday, span: TimeSpan) => setHours((h) => ({ ...h, [day]: [...(h[day] ?? []), span] }));
  const removeSpan = (day: Weekday, index: number) => setHours((h) => ({ ...h, [day]: (h[day] ?? []).filter((_, i) => i !== index) }));
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
            const spans = hours[day] ?? [];
            const on = spans.length > 0;
            const next = spanAfter(spans);
            return (
              <div key={day} style={{ display: 'contents' }}>
                <label className="inline">
                  <input type="checkbox" checked={on} onChange={(e) => setDay(day, e.target.checked ? {} : null)} /> {label}
                </label>
                <div className="spans">
                  {(on ? spans : [undefined]).map((span, i) => {
                    // The first span keeps the plain labels; later ones (after a break) are numbered.
                    const n = i === 0 ? '' : ` (${i + 1})`;
                    return (
                      <span key={i} className="span">
                        {i > 0 && <span className="muted">break, then</span>}
                        <TimeInput label={`${label} from${n}`} value={span?.start ?? ''} disabled={!span} onChange={(start) => setDay(day, { start }, i)} />
                        <TimeInput label={`${label} until${n}`} value={span?.end ?? ''} disabled={!span} onChange={(end) => setDay(day, { end }, i)} />
                        {i > 0 && (
                          <button type="button" className="icon-only" aria-label={`Remove ${label} span ${i + 1}`} onClick={() => removeSpan(day, i)}>
                            <Trash2 aria-hidden size={14} />
                          </button>
                        )}
                      </span>
                    );
                  })}
                  {on && next !== null && spans.length < 6 && (
                    <button type="button" aria-label={`Add a break on ${label}`} onClick={() => addSpan(day, next)}>
                      <Plus aria-hidden size={14} /> Break
                    </button>
                  )}
                </div>
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

import { useQuery } from '@tanstack/react-query';
import { Plus, Save, Trash2 } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useDirectoryMutation } from '../directory/use-directory';
import { holidayCountriesQuery, holidayRegionsQuery, upcomingHolidaysQuery, workspaceSettingsQuery, type WorkspaceSettings } from './queries';
import { SettingsTabs } from './settings-tabs';
import './settings.css';

const ZONES: string[] = Intl.supportedValuesOf('timeZone');
const dayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
/** A calendar date (YYYY-MM-DD) as "Tue, Dec 24, 2026". */
const formatDay = (date: string) => dayFormat.format(new Date(`${date}T00:00:00Z`));

/**
 * `/settings/routing`: the workspace's time zone, its reps' default holiday calendar (with its next
 * holidays) and the company's days off. Everyone reads them; admins change them.
 */
export function RoutingSettingsPage() {
  const settings = useQuery(workspaceSettingsQuery);
  const isAdmin = useCan('admin');
  const [draft, setDraft] = useState<WorkspaceSettings | null>(null);
  useEffect(() => {
    if (settings.data && draft === null) setDraft(settings.data);
  }, [settings.data, draft]);
  const save = useDirectoryMutation({
    mutationFn: (s: WorkspaceSettings) => read(api.api.workspace.settings.$put({ json: s })),
    toast: () => 'Saved the routing settings',
    onSuccess: (s) => setDraft(s),
    invalidate: [['settings', 'workspace']],
  });
  // Compared with what was last saved (the refetch may still be on its way).
  const saved = save.data ?? settings.data;
  const dirty = draft !== null && saved !== undefined && JSON.stringify(draft) !== JSON.stringify(saved);
  return (
    <section aria-labelledby="settings-title" className="settings-page">
      <SettingsTabs current="/settings/routing" />
      {!isAdmin && <p className="muted">Only admins change these settings; you can read them.</p>}
      <ErrorMessage error={settings.error} />
      {draft && (
        <form
          aria-label="Routing settings"
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          <fieldset disabled={!isAdmin}>
            <TimeZonePicker value={draft.timeZone} onChange={(timeZone) => setDraft({ ...draft, timeZone })} />
            <HolidayCalendarPicker value={draft.holidayCalendar} onChange={(holidayCalendar) => setDraft({ ...draft, holidayCalendar })} />
            <DaysOff value={draft.daysOff} onChange={(daysOff) => setDraft({ ...draft, daysOff })} />
          </fieldset>
          <ErrorMessage error={save.error} />
          {isAdmin && (
            <div className="page-actions">
              <button type="submit" className="primary" disabled={!dirty || save.isPending}>
                <Save aria-hidden size={16} /> Save settings
              </button>
              {dirty && <span className="muted">Unsaved changes</span>}
            </div>
          )}
        </form>
      )}
    </section>
  );
}

/** The workspace's time zone: a search box narrowing a list of every IANA zone. */
function TimeZonePicker({ value, onChange }: { value: string; onChange: (zone: string) => void }) {
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase().replace(/\s+/g, '_');
    const hits = q ? ZONES.filter((z) => z.toLowerCase().includes(q)) : ZONES;
    return hits.includes(value) ? hits : [value, ...hits];
  }, [search, value]);
  return (
    <section className="settings-block" aria-labelledby="tz-title">
      <h2 id="tz-title">Time zone</h2>
      <p className="muted">Daily caps, reset windows and holidays count days in this zone.</p>
      <div className="settings-row">
        <Field label="Search time zones">
          <input type="search" value={search} placeholder="e.g. Berlin" onChange={(e) => setSearch(e.target.value)} />
        </Field>
        <Field label="Workspace time zone">
          <select value={value} onChange={(e) => onChange(e.target.value)}>
            {shown.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </section>
  );
}

/** The default holiday calendar: a country, optionally a region, and its next public holidays. */
function HolidayCalendarPicker({ value, onChange }: { value: WorkspaceSettings['holidayCalendar']; onChange: (c: WorkspaceSettings['holidayCalendar']) => void }) {
  const countries = useQuery(holidayCountriesQuery);
  const country = value?.country ?? '';
  const region = value?.region ?? '';
  const regions = useQuery(holidayRegionsQuery(country));
  const upcoming = useQuery(upcomingHolidaysQuery(country, region));
  return (
    <section className="settings-block" aria-labelledby="hc-title">
      <h2 id="hc-title">Holiday calendar</h2>
      <p className="muted">Reps without a calendar of their own are off on these public holidays.</p>
      <div className="settings-row">
        <Field label="Country">
          <select value={country} onChange={(e) => onChange(e.target.value ? { country: e.target.value } : null)}>
            <option value="">No holiday calendar</option>
            {countries.data?.countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Region">
          <select value={region} disabled={!country || (regions.data?.regions.length ?? 0) === 0} onChange={(e) => onChange({ country, ...(e.target.value ? { region: e.target.value } : {}) })}>
            <option value="">Whole country</option>
            {regions.data?.regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name} ({r.code})
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorMessage error={countries.error ?? regions.error ?? upcoming.error} />
      {country && (
        <div aria-label="Upcoming holidays" role="region">
          <h3>Next public holidays</h3>
          <ul className="holiday-list">
            {upcoming.data?.holidays.map((h) => (
              <li key={h.date}>
                <span className="holiday-date">{formatDay(h.date)}</span> {h.name}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The company's days off: a date and a name each, added and removed here, saved with the form. */
function DaysOff({ value, onChange }: { value: WorkspaceSettings['daysOff']; onChange: (d: WorkspaceSettings['daysOff']) => void }) {
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const add = () => {
    if (!date || !name.trim()) return;
    onChange([...value.filter((d) => d.date !== date), { date, name: name.trim() }].sort((a, b) => a.date.localeCompare(b.date)));
    setDate('');
    setName('');
  };
  return (
    <section className="settings-block" aria-labelledby="do-title">
      <h2 id="do-title">Company days off</h2>
      <p className="muted">Nobody works on these days, whatever their holiday calendar says.</p>
      <div className="settings-row">
        <Field label="Day off date">
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field label="Day off name">
          <input value={name} maxLength={200} placeholder="e.g. Summer party" onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} />
        </Field>
        <button type="button" onClick={add} disabled={!date || !name.trim()}>
          <Plus aria-hidden size={16} /> Add day off
        </button>
      </div>
      {value.length === 0 ? (
        <p className="muted">No company days off.</p>
      ) : (
        <ul className="holiday-list" aria-label="Company days off">
          {value.map((d) => (
            <li key={d.date}>
              <span className="holiday-date">{formatDay(d.date)}</span> {d.name}
              <button type="button" className="ghost" aria-label={`Remove ${d.name}`} onClick={() => onChange(value.filter((x) => x.date !== d.date))}>
                <Trash2 aria-hidden size={14} /> Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import type { HolidayCalendar, WorkingHours } from '@lead-router/shared';
import { useState, type FormEvent } from 'react';
import { Field } from '../../ui/field';
import { parseList, type Rep, type RepInput } from './queries';
import { RepCrmLinks } from './rep-crm-links';
import { OutOfOfficeFieldset, WorkingHoursFieldset, type Absence } from './rep-schedule';
import { RepOptions } from './section-parts';
import { HolidayCalendarField } from './holiday-calendar-field';

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/**
 * Create or edit a rep: identity, time zone, skills, caps (per day, week, month in the rep's or workspace's
 * zone, open leads), active, online, and (rep-schedule.tsx) working hours per day with breaks and out-of-office periods.
 */
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
  const [perWeek, setPerWeek] = useState(rep?.caps.perWeek?.toString() ?? '');
  const [perMonth, setPerMonth] = useState(rep?.caps.perMonth?.toString() ?? '');
  const [capsTimeZone, setCapsTimeZone] = useState<'rep' | 'workspace'>(rep?.capsTimeZone ?? 'rep');
  const [online, setOnline] = useState(rep?.online ?? true);
  const [active, setActive] = useState(rep?.active ?? true);
  const [managerId, setManagerId] = useState(rep?.managerId ?? '');
  // Issue #16: absent = the workspace's calendar, null = none.
  const [holidayCalendar, setHolidayCalendar] = useState<HolidayCalendar | null | undefined>(rep?.holidayCalendar);

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
      caps: {
        ...(perDay !== '' ? { perDay: Number(perDay) } : {}),
        ...(perWeek !== '' ? { perWeek: Number(perWeek) } : {}),
        ...(perMonth !== '' ? { perMonth: Number(perMonth) } : {}),
        ...(openLeads !== '' ? { openLeads: Number(openLeads) } : {}),
      },
      capsTimeZone,
      active,
      online,
      managerId: managerId || null,
      ...(holidayCalendar !== undefined ? { holidayCalendar } : {}),
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
        <Field label="Leads per week cap" hint="Monday to Sunday; empty: no cap">
          <input type="number" min={0} value={perWeek} onChange={(e) => setPerWeek(e.target.value)} />
        </Field>
        <Field label="Leads per month cap" hint="Calendar month; empty: no cap">
          <input type="number" min={0} value={perMonth} onChange={(e) => setPerMonth(e.target.value)} />
        </Field>
        <Field label="Caps count days in" hint="Where a day, week and month start">
          <select value={capsTimeZone} onChange={(e) => setCapsTimeZone(e.target.value === 'workspace' ? 'workspace' : 'rep')}>
            <option value="rep">The rep's time zone ({timeZone})</option>
            <option value="workspace">The workspace's time zone</option>
          </select>
        </Field>
        <Field label="Open leads cap" hint="Empty: no cap">
          <input type="number" min={0} value={openLeads} onChange={(e) => setOpenLeads(e.target.value)} />
        </Field>
        <HolidayCalendarField value={holidayCalendar} onChange={setHolidayCalendar} />
      </div>
      <datalist id="time-zones">
        {TIME_ZONES.map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <label className="inline">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (receives leads)
      </label>
      <label className="inline">
        <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} /> Online (the rep's own switch in their inbox; offline reps are skipped)
      </label>
      <WorkingHoursFieldset timeZone={timeZone} anyHour={anyHour} setAnyHour={setAnyHour} hours={hours} setHours={setHours} />
      <OutOfOfficeFieldset absences={absences} setAbsences={setAbsences} />
      {rep && <RepCrmLinks repId={rep.id} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save rep
        </button>
      </div>
    </form>
  );
}

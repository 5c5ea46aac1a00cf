import type { HolidayCalendar } from '@lead-router/shared';
import { useEffect, useState } from 'react';
import { Field } from '../../ui/field';

type Option = { code: string; name: string };
type Lists = { countries: Option[]; regions: (country: string) => Option[] };

// The package's calendars are megabytes of rules: loaded only when a rep form opens, as a chunk of its own.
let loading: Promise<Lists> | null = null;
function loadLists(): Promise<Lists> {
  loading ??= import('@lead-router/shared/holidays').then((m) => ({ countries: m.holidayCountries(), regions: m.holidayRegions }));
  return loading;
}

const WORKSPACE = '';
const NONE = '-';

/**
 * A rep's holiday calendar (issue #16): the workspace's (absent), none (null), or a country and optional
 * region of the date-holidays package.
 */
export function HolidayCalendarField({ value, onChange }: { value: HolidayCalendar | null | undefined; onChange: (v: HolidayCalendar | null | undefined) => void }) {
  const [lists, setLists] = useState<Lists | null>(null);
  useEffect(() => {
    let live = true;
    void loadLists().then((l) => {
      if (live) setLists(l);
    });
    return () => {
      live = false;
    };
  }, []);
  const country = value === undefined ? WORKSPACE : value === null ? NONE : value.country;
  const regions = value && lists ? lists.regions(value.country) : [];
  return (
    <>
      <Field label="Holiday calendar" hint="Public holidays close the rep's day: no leads, SLA clocks stop">
        <select
          aria-label="Holiday calendar"
          value={country}
          onChange={(e) => onChange(e.target.value === WORKSPACE ? undefined : e.target.value === NONE ? null : { country: e.target.value })}
        >
          <option value={WORKSPACE}>The workspace's calendar</option>
          <option value={NONE}>No public holidays</option>
          {value && !lists ? <option value={value.country}>{value.country}</option> : null}
          {(lists?.countries ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.code})
            </option>
          ))}
        </select>
      </Field>
      {value && regions.length > 0 ? (
        <Field label="Region" hint="Adds the region's own holidays">
          <select aria-label="Holiday region" value={value.region ?? ''} onChange={(e) => onChange({ country: value.country, ...(e.target.value ? { region: e.target.value } : {}) })}>
            <option value="">Whole country</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name} ({r.code})
              </option>
            ))}
          </select>
        </Field>
      ) : null}
    </>
  );
}

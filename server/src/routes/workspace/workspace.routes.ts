import { createRoute, z } from '@hono/zod-openapi';
import { WorkspaceSettingsSchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { notFound } from '../../errors/domain-error';
import { holidayCountries, holidayRegions, upcomingHolidays } from '../../services/holiday-calendars.service';
import { getWorkspaceSettings, putWorkspaceSettings } from '../../services/workspace-settings.service';
import { directoryRouter, errors, json, jsonBody } from '../directory/common';

const Settings = WorkspaceSettingsSchema.openapi('WorkspaceSettings');
const Place = z.object({ code: z.string(), name: z.string() }).openapi('HolidayCalendarPlace');
const Holiday = z.object({ date: z.string(), name: z.string() }).openapi('UpcomingHoliday');
const CountryParams = z.object({ country: z.string().openapi({ param: { name: 'country', in: 'path' }, example: 'DE' }) });

/**
 * `/workspace/settings` (members read, admins change) and `/holiday-calendars` (the calendars the settings
 * may name, and a calendar's next public holidays).
 */
export function workspaceRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/workspace/settings',
        tags: ['workspace'],
        summary: 'The workspace’s time zone, holiday calendar and company days off',
        responses: { 200: json(Settings, 'The settings'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getWorkspaceSettings(c.get('deps').db, p), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/workspace/settings',
        tags: ['workspace'],
        summary: 'Replace the workspace settings (admins; audited)',
        request: jsonBody(WorkspaceSettingsSchema.strict()),
        responses: { 200: json(Settings, 'The settings as stored'), ...errors(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await putWorkspaceSettings(c.get('deps').db, p, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/holiday-calendars',
        tags: ['workspace'],
        summary: 'The countries that have a public-holiday calendar',
        responses: { 200: json(z.object({ countries: z.array(Place) }), 'The countries, by name'), ...errors(401) },
      }),
      (c) => {
        requireRole(c, 'viewer');
        return c.json({ countries: holidayCountries() }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/holiday-calendars/{country}/regions',
        tags: ['workspace'],
        summary: 'A country’s regions (states, provinces) that have their own holidays',
        request: { params: CountryParams },
        responses: { 200: json(z.object({ regions: z.array(Place) }), 'The regions, by name (none for some countries)'), ...errors(401, 404) },
      }),
      (c) => {
        requireRole(c, 'viewer');
        const country = c.req.valid('param').country;
        const regions = holidayRegions(country);
        if (regions === null) throw notFound(`Holiday calendar ${country}`);
        return c.json({ regions }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/holiday-calendars/{country}/upcoming',
        tags: ['workspace'],
        summary: 'A calendar’s next public holidays (from today, or `from`)',
        request: {
          params: CountryParams,
          query: z.object({
            region: z.string().max(10).optional(),
            from: z.iso.date().optional().openapi({ description: 'YYYY-MM-DD; default today (UTC)' }),
            limit: z.coerce.number().int().min(1).max(50).optional().openapi({ description: 'At most this many (default 10)' }),
          }),
        },
        responses: { 200: json(z.object({ holidays: z.array(Holiday) }), 'The holidays, by date'), ...errors(400, 401, 404) },
      }),
      (c) => {
        requireRole(c, 'viewer');
        const country = c.req.valid('param').country;
        const q = c.req.valid('query');
        const regions = holidayRegions(country);
        if (regions === null) throw notFound(`Holiday calendar ${country}`);
        if (q.region !== undefined && !regions.some((r) => r.code === q.region)) throw notFound(`Region ${q.region} of holiday calendar ${country}`);
        const from = q.from ?? c.get('deps').now().toISOString().slice(0, 10);
        return c.json({ holidays: upcomingHolidays({ country, ...(q.region ? { region: q.region } : {}) }, from, q.limit ?? 10) }, 200);
      },
    );
}

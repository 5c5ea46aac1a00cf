import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import { getAvailability, setAvailability } from '../../services/rep-availability.service';
import { IdParams, directoryRouter, errors, json, jsonBody } from './common';

// `/reps/{id}/availability` (#16): a rep's online/offline switch, the inbox toggle's API.

const AvailabilitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    online: z.boolean().openapi({ description: 'False: assign steps that respect availability skip the rep (verdict `offline`)' }),
  })
  .openapi('RepAvailability');

const AvailabilityBody = z.object({ online: z.boolean() }).strict();

/** Read (viewers) and set (the rep themself, or a publisher or admin) a rep's online/offline switch. */
export function availabilityRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/reps/{id}/availability',
        tags: ['directory'],
        summary: 'Whether the rep is online (taking leads) or offline',
        request: { params: IdParams },
        responses: { 200: json(AvailabilitySchema, 'The rep and their switch'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getAvailability(c.get('deps').db, p, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/reps/{id}/availability',
        tags: ['directory'],
        summary: 'Switch a rep online or offline (the rep themself, or a publisher or admin); audited as rep.update',
        request: { params: IdParams, ...jsonBody(AvailabilityBody, '`{"online": false}` to stop taking leads, `true` to take them again') },
        responses: { 200: json(AvailabilitySchema, 'The rep and their switch, as stored'), ...errors(400, 401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { online } = c.req.valid('json');
        return c.json(await setAvailability(c.get('deps').db, p, c.req.valid('param').id, online), 200);
      },
    );
}

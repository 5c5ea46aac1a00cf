import type { CustomField } from '@lead-router/shared';
import { queryOptions } from '@tanstack/react-query';
import { api, read } from '../../api/client';

/** Server data the builder reads, as react-query options: the store never holds server state. */
export const workflowQuery = (id: string) => queryOptions({ queryKey: ['workflow', id], queryFn: () => read(api.api.workflows[':id'].$get({ param: { id } })) });

export const draftQuery = (id: string) =>
  queryOptions({ queryKey: ['workflow', id, 'draft'], queryFn: () => read(api.api.workflows[':id'].draft.$get({ param: { id } })), staleTime: Infinity });

export const versionsQuery = (id: string) => queryOptions({ queryKey: ['workflow', id, 'versions'], queryFn: () => read(api.api.workflows[':id'].versions.$get({ param: { id } })) });

export const versionQuery = (id: string, n: number) =>
  queryOptions({ queryKey: ['workflow', id, 'versions', n], queryFn: () => read(api.api.workflows[':id'].versions[':n'].$get({ param: { id, n: String(n) } })), staleTime: Infinity });

export const goldenQuery = (id: string) => queryOptions({ queryKey: ['workflow', id, 'golden'], queryFn: () => read(api.api.workflows[':id'].golden.$get({ param: { id } })) });

/** The workspace's custom fields, as the shared compiler takes them, and the full catalog for pickers. */
export const fieldsQuery = queryOptions({
  queryKey: ['fields'],
  queryFn: () => read(api.api.fields.$get()),
  staleTime: 60_000,
  select: (catalog) => ({
    fields: catalog.fields,
    custom: catalog.fields.filter((f) => !f.standard).map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) }) as CustomField),
  }),
});

export const repsQuery = queryOptions({ queryKey: ['reps'], queryFn: () => read(api.api.reps.$get({ query: {} })), staleTime: 60_000 });
export const teamsQuery = queryOptions({ queryKey: ['teams'], queryFn: () => read(api.api.teams.$get()), staleTime: 60_000 });
export const queuesQuery = queryOptions({ queryKey: ['queues'], queryFn: () => read(api.api.queues.$get()), staleTime: 60_000 });
export const territoriesQuery = queryOptions({ queryKey: ['territories'], queryFn: () => read(api.api.territories.$get()), staleTime: 60_000 });

import { queryOptions } from '@tanstack/react-query';
import { api, read } from '../../api/client';

/** Query factories of the directory admin; every mutation invalidates ['directory']. */
export const repsQuery = queryOptions({ queryKey: ['directory', 'reps'], queryFn: () => read(api.api.reps.$get({ query: {} })) });
export const teamsQuery = queryOptions({ queryKey: ['directory', 'teams'], queryFn: () => read(api.api.teams.$get()) });
export const territoriesQuery = queryOptions({ queryKey: ['directory', 'territories'], queryFn: () => read(api.api.territories.$get()) });
export const queuesQuery = queryOptions({ queryKey: ['directory', 'queues'], queryFn: () => read(api.api.queues.$get()) });
export const fieldsQuery = queryOptions({ queryKey: ['directory', 'fields'], queryFn: () => read(api.api.fields.$get()) });
export const accountsQuery = (cursor?: string) =>
  queryOptions({ queryKey: ['directory', 'accounts', cursor ?? null], queryFn: () => read(api.api.accounts.$get({ query: cursor ? { cursor } : {} })) });
export const keysQuery = queryOptions({ queryKey: ['directory', 'keys'], queryFn: () => read(api.api.keys.$get()) });
export const usersQuery = queryOptions({ queryKey: ['directory', 'users'], queryFn: () => read(api.api.users.$get()) });

type Items<Q extends { queryFn?: unknown }> = NonNullable<Q['queryFn']> extends (...a: never[]) => infer R ? (Awaited<R> extends { items: (infer T)[] } ? T : never) : never;
export type Rep = Items<typeof repsQuery>;
export type Team = Items<typeof teamsQuery>;
export type Territory = Items<typeof territoriesQuery>;
export type Queue = Items<typeof queuesQuery>;
export type ApiKey = Items<typeof keysQuery>;
export type User = Items<typeof usersQuery>;

/** "a, b , c" -> ["a", "b", "c"]: list inputs are typed as comma-separated text. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

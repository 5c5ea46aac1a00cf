import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, ApiError, read } from '../api/client';

const RANK: Record<Role, number> = { ingest: 0, viewer: 1, editor: 2, publisher: 3, admin: 4 };

/** The signed-in caller, or null when there is no session (401). */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    try {
      return await read(api.api.auth.me.$get());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  staleTime: 60_000,
});

export type Session = NonNullable<Awaited<ReturnType<typeof sessionQuery.queryFn & {}>>>;
/** The caller's role (an API key may be `ingest`), as `GET /api/auth/me` answers it. */
export type Role = Session['role'];

/** The current session (undefined while loading, null when signed out). */
export function useSession() {
  return useQuery(sessionQuery).data;
}

/** True when the signed-in role is at least `role`: the web hides controls the server would refuse. */
export function useCan(role: Role): boolean {
  const session = useSession();
  return !!session && RANK[session.role] >= RANK[role];
}

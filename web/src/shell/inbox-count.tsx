import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session';
import { leadsQuery } from '../pages/leads/queries';

/** How many leads wait for the signed-in rep's answer, next to the Inbox link; nothing for non-reps. */
export function InboxCount() {
  const session = useSession();
  const repId = session?.repId ?? null;
  const waiting = useQuery({ ...leadsQuery({ assignee: repId ?? '', status: 'waiting' }), enabled: !!repId, refetchInterval: 10_000 });
  const n = waiting.data?.items.length ?? 0;
  if (!repId || n === 0) return null;
  return (
    <span className="nav-count" aria-label={`${n} waiting`}>
      {n}
    </span>
  );
}

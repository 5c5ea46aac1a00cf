import { useQuery } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { Link } from 'wouter';
import { ErrorMessage } from '../../ui/error-message';
import { PageHeader } from '../../ui/page-header';
import { useNow } from '../../ui/use-now';
import { formatAge, isOverThreshold, queueOverviewQuery } from './queries';
import './queues.css';

/** `/queues`: every queue by name with how many leads it holds, its oldest lead's age and its alert threshold. */
export function QueuesPage() {
  const overview = useQuery({ ...queueOverviewQuery, refetchInterval: 10_000 });
  const now = useNow();
  const fetchedAt = overview.dataUpdatedAt;
  return (
    <section aria-labelledby="queues-title">
      <PageHeader title={<span id="queues-title">Queues</span>} />
      <ErrorMessage error={overview.error} />
      {overview.isPending && <p className="loading">Loading…</p>}
      {overview.data && overview.data.items.length === 0 && <p className="empty">No queues yet: add one in the directory.</p>}
      {overview.data && overview.data.items.length > 0 && (
        <table className="table" aria-label="Queues">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="num">
                Leads
              </th>
              <th scope="col">Oldest waiting</th>
              <th scope="col">Alert after</th>
            </tr>
          </thead>
          <tbody>
            {overview.data.items.map((q) => {
              // The age ticks between refreshes: the server's age plus the time since it answered.
              const age = q.oldestAgeMs === null ? null : q.oldestAgeMs + Math.max(0, now - fetchedAt);
              const over = isOverThreshold(age, q.ageAlertMinutes);
              return (
                <tr key={q.id} className={over ? 'queue-over' : undefined} data-testid={`queue-row-${q.id}`}>
                  <td>
                    <Link href={`/queues/${encodeURIComponent(q.id)}`}>{q.name}</Link>
                  </td>
                  <td className="num">{q.count}</td>
                  <td>
                    {age === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className={over ? 'queue-age-over' : undefined}>
                        {over && <AlertTriangle aria-hidden size={14} />} {formatAge(age)}
                        {over && <span className="sr-only"> (over the alert threshold)</span>}
                      </span>
                    )}
                  </td>
                  <td>
                    {q.ageAlertMinutes} min{q.ageAlertIsDefault && <span className="muted"> (default)</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

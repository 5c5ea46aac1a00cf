import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useCan } from '../../auth/session';
import { formatInstant } from '../../ui/format';
import { versionsQuery } from '../api/queries';
import { RollbackButton } from './rollback-button';

/** Published versions: who, when, note; open one read-only, or make it active again (publishers). */
export function VersionsPanel({ workflowId }: { workflowId: string }) {
  const versions = useQuery(versionsQuery(workflowId));
  const canPublish = useCan('publisher');
  if (versions.isPending) return <p>Loading versions…</p>;
  if (versions.isError) return <p className="error">{versions.error.message}</p>;
  if (versions.data.versions.length === 0) return <p>Nothing published yet.</p>;
  return (
    <ol className="versions" reversed data-testid="versions">
      {versions.data.versions.map((v) => (
        <li key={v.id}>
          <Link href={`/workflows/${workflowId}/versions/${v.number}`}>Version {v.number}</Link> {v.active && <strong>(active)</strong>}
          <br />
          <small>
            {v.authorName}, {formatInstant(v.createdAt)}
          </small>
          <p>{v.note}</p>
          {canPublish && !v.active && <RollbackButton workflowId={workflowId} number={v.number} />}
        </li>
      ))}
    </ol>
  );
}

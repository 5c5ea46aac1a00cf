import { useQuery } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { Link, useParams } from 'wouter';
import type { Graph } from '@lead-router/shared';
import { useCan } from '../../auth/session';
import { versionQuery } from '../../editor/api/queries';
import { GraphView } from '../../editor/canvas/graph-view';
import { RollbackButton } from '../../editor/versions/rollback-button';
import { Instant } from '../../ui/instant';
import { PageHeader } from '../../ui/page-header';

/** `/workflows/:id/versions/:n`: one published version, read-only on the canvas, with rollback for publishers. */
export function VersionPage() {
  const { id = '', n = '' } = useParams<{ id: string; n: string }>();
  const number = Number(n);
  const canPublish = useCan('publisher');
  const version = useQuery({ ...versionQuery(id, number), enabled: Number.isInteger(number) && number > 0 });
  if (!Number.isInteger(number) || number < 1) return <p role="alert">"{n}" is not a version number.</p>;
  if (version.isError) return <p role="alert">{version.error.message}</p>;
  if (!version.data) return <p className="loading">Loading version {number}…</p>;
  const v = version.data;
  return (
    <section aria-label={`Version ${v.number}`}>
      <Link href={`/workflows/${id}`} className="back-link">
        <ArrowLeft aria-hidden size={16} /> Back to the draft
      </Link>
      <PageHeader title={`Version ${v.number}${v.active ? ' (active)' : ''}`} />
      <p>
        Published by {v.authorName} <Instant iso={v.createdAt} />: {v.note}
      </p>
      {canPublish && !v.active && <RollbackButton workflowId={id} number={v.number} />}
      <GraphView graph={v.graph as Graph} />
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'wouter';
import type { Graph } from '@lead-router/shared';
import { draftQuery, workflowQuery } from '../../editor/api/queries';
import { Builder } from '../../editor/builder';

/** `/workflows/:id`: the builder of the workflow's draft. */
export function BuilderPage() {
  const { id = '' } = useParams<{ id: string }>();
  const workflow = useQuery(workflowQuery(id));
  const draft = useQuery(draftQuery(id));
  if (workflow.isError || draft.isError) return <p role="alert">{(workflow.error ?? draft.error)?.message}</p>;
  if (!workflow.data || !draft.data) return <p className="loading">Loading the workflow…</p>;
  // Keyed by workflow so opening another workflow starts a fresh editor store.
  return <Builder key={id} workflowId={id} name={workflow.data.name} graph={draft.data.graph as Graph} revision={draft.data.revision} problems={draft.data.problems} />;
}

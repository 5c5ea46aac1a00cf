import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, read } from '../../../api/client';
import { useCan } from '../../../auth/session';
import { ErrorMessage } from '../../../ui/error-message';
import { connectionsQuery, type Connection } from '../../../pages/settings/queries';
import { workflowsQuery } from '../../../pages/workflows/queries';

/**
 * The trigger's CRM connections (source "crm"). A connection points at the one workflow its leads go to
 * (`workflowId` on the connection, docs/crm.md), so this lists the workspace's connections and ticks those
 * that point here; ticking one points it here (away from another workflow, which the label says), unticking
 * leaves it with no workflow (not polled). The graph itself stores nothing of it. Admins only, as the
 * connections API is; others are told who can.
 */
export function CrmConnectionsPicker() {
  const { id } = useParams<{ id?: string }>();
  const isAdmin = useCan('admin');
  if (!id) return null;
  if (!isAdmin) {
    return (
      <p className="te-note">
        Leads come from the CRM connections that point at this workflow; an admin picks them here or in <Link href="/settings/crm">Settings → CRM connections</Link>.
      </p>
    );
  }
  return <Picker workflowId={id} />;
}

function Picker({ workflowId }: { workflowId: string }) {
  const connections = useQuery(connectionsQuery);
  const workflows = useQuery(workflowsQuery(false));
  const queryClient = useQueryClient();
  const point = useMutation({
    mutationFn: ({ c, here }: { c: Connection; here: boolean }) => read(api.api.crm.connections[':id'].$patch({ param: { id: c.id }, json: { workflowId: here ? workflowId : null } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settings', 'crm'] }),
  });
  const nameOf = (id: string) => workflows.data?.workflows.find((w) => w.id === id)?.name ?? 'another workflow';
  const list = connections.data?.connections ?? [];
  return (
    <fieldset className="field" aria-label="CRM connections">
      <legend className="field-label">CRM connections sending leads here</legend>
      {list.length === 0 && connections.isSuccess && (
        <p className="te-note">
          No CRM connections yet: add one in <Link href="/settings/crm">Settings → CRM connections</Link>.
        </p>
      )}
      {list.map((c) => (
        <label key={c.id} style={{ display: 'flex', gap: '0.4rem', alignItems: 'baseline', flexWrap: 'wrap' }}>
          <input type="checkbox" style={{ width: 'auto' }} checked={c.workflowId === workflowId} disabled={point.isPending} onChange={(e) => point.mutate({ c, here: e.target.checked })} /> {c.name}
          {c.workflowId && c.workflowId !== workflowId && <span className="muted"> (now sends to {nameOf(c.workflowId)})</span>}
          {!c.enabled && <span className="muted"> (disabled)</span>}
        </label>
      ))}
      <ErrorMessage error={connections.error ?? point.error} />
    </fieldset>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Check, Timer, X } from 'lucide-react';
import { Link } from 'wouter';
import { api, read } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatCountdown } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { PageHeader } from '../../ui/page-header';
import { useToast } from '../../ui/toast';
import { useNow } from '../../ui/use-now';
import { assigneesQuery, leadsQuery, type LeadSummary } from '../leads/queries';

/** One waiting lead with its SLA countdown and the rep's two answers. */
function InboxItem({ lead, deadlineAt, now, onAnswered }: { lead: LeadSummary; deadlineAt: string | null | undefined; now: number; onAnswered: (leadId: string) => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'reject') =>
      decision === 'accept' ? read(api.api.leads[':id'].accept.$post({ param: { id: lead.leadId }, json: {} })) : read(api.api.leads[':id'].reject.$post({ param: { id: lead.leadId }, json: {} })),
    onSuccess: (d) => {
      // The row goes at once (the list would show it until the worker has moved the run on).
      onAnswered(lead.leadId);
      toast(d.signal === 'accepted' ? `Accepted ${lead.name ?? lead.leadId}` : `Rejected ${lead.name ?? lead.leadId}: it goes to someone else`);
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });
  const title = lead.name ?? lead.email ?? lead.leadId;
  const overdue = deadlineAt ? new Date(deadlineAt).getTime() <= now : false;
  return (
    <li className="inbox-item" aria-label={title}>
      <div>
        <Link href={`/leads/${encodeURIComponent(lead.leadId)}`}>{title}</Link>
        <div className="muted">
          {lead.company ?? '—'} · {lead.workflowName} · assigned <Instant iso={lead.assignedAt} />
        </div>
      </div>
      <div className={`sla ${overdue ? 'overdue' : ''}`} aria-label="Time left to accept">
        <Timer aria-hidden size={18} />
        {deadlineAt ? formatCountdown(deadlineAt, now) : '…'}
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={decide.isPending} onClick={() => decide.mutate('accept')}>
          <Check aria-hidden size={16} /> Accept
        </button>
        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate('reject')}>
          <X aria-hidden size={16} /> Reject
        </button>
      </div>
      <ErrorMessage error={decide.error} />
    </li>
  );
}

/**
 * The rep's online/offline switch (#16): offline, assign steps skip them (verdict `offline`) until they
 * are back. The rep sets it for themself; a manager (publisher or admin) may set it for anyone.
 */
function AvailabilityToggle({ repId }: { repId: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = ['rep-availability', repId];
  const availability = useQuery({ queryKey: key, queryFn: () => read(api.api.reps[':id'].availability.$get({ param: { id: repId } })) });
  const change = useMutation({
    mutationFn: (online: boolean) => read(api.api.reps[':id'].availability.$put({ param: { id: repId }, json: { online } })),
    onSuccess: (d) => {
      queryClient.setQueryData(key, d);
      void queryClient.invalidateQueries({ queryKey: ['reps'] });
      toast(d.online ? `${d.name} is now online` : `${d.name} is now offline`);
    },
  });
  const online = availability.data?.online;
  return (
    <div className="availability">
      <label className="inline">
        <input type="checkbox" role="switch" aria-label="Online" checked={online ?? false} disabled={online === undefined || change.isPending} onChange={(e) => change.mutate(e.target.checked)} />
        {online === undefined ? 'Online…' : online ? 'Online: taking new leads' : 'Offline: no new leads'}
      </label>
      <ErrorMessage error={availability.error ?? change.error} />
    </div>
  );
}

/**
 * `/inbox`: the leads waiting for the signed-in rep's answer, each with its SLA countdown and Accept /
 * Reject, which signal the lead's routing workflow. Editors without a rep of their own can look at any
 * rep's inbox (and answer for them, as the server allows).
 */
export function InboxPage() {
  const session = useSession();
  const canEdit = useCan('editor');
  const [chosenRep, setChosenRep] = useState('');
  const repId = session?.repId ?? chosenRep;
  const reps = useQuery({ ...assigneesQuery, enabled: !session?.repId && canEdit });
  const list = useQuery({ ...leadsQuery({ assignee: repId, status: 'waiting' }), enabled: !!repId, refetchInterval: 2000 });
  // Leads the rep has just answered leave the list at once, not when the server's list catches up.
  const [answered, setAnswered] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    // Forget an answer once the server's list no longer has the lead (it may come back later, re-assigned).
    if (!list.data) return;
    const present = new Set(list.data.items.map((l) => l.leadId));
    setAnswered((a) => ([...a].every((id) => present.has(id)) ? a : new Set([...a].filter((id) => present.has(id)))));
  }, [list.data]);
  const items = (list.data?.items ?? []).filter((l) => !answered.has(l.leadId));
  const now = useNow();

  return (
    <section aria-labelledby="inbox-title">
      <PageHeader title={<span id="inbox-title">Inbox</span>}>
        {repId && <AvailabilityToggle key={repId} repId={repId} />}
        {!session?.repId && canEdit && (
          <Field label="Rep">
            <select value={chosenRep} onChange={(e) => setChosenRep(e.target.value)}>
              <option value="">Choose a rep…</option>
              {reps.data?.reps.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </PageHeader>
      {!repId && <p className="empty">{canEdit ? 'Choose a rep to see the leads waiting for them.' : 'Your user is not linked to a rep, so no leads come to this inbox. Ask an admin to link it.'}</p>}
      <ErrorMessage error={list.error} />
      {repId && list.data && items.length === 0 && <p className="empty">Nothing waiting for an answer.</p>}
      {items.length > 0 && (
        <ul className="inbox" aria-label="Waiting leads">
          {items.map((l) => (
            <InboxItem key={l.leadId} lead={l} deadlineAt={l.deadlineAt} now={now} onAnswered={(id) => setAnswered((a) => new Set(a).add(id))} />
          ))}
        </ul>
      )}
    </section>
  );
}

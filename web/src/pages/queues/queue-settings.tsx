import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { assigneesQuery } from '../leads/queries';
import type { QueueSummary } from './queries';

type Channel = '' | 'slack' | 'webhook' | 'email';

/** An admin's queue alert settings: the age threshold, the notify channel and the reps who work the queue. */
export function QueueSettingsDialog({ queue, onClose }: { queue: QueueSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const directory = useQuery(assigneesQuery);
  const [minutes, setMinutes] = useState(queue.ageAlertIsDefault ? '' : String(queue.ageAlertMinutes));
  const [channel, setChannel] = useState<Channel>(queue.notify?.channel ?? '');
  const [target, setTarget] = useState(queue.notify ? ('url' in queue.notify ? queue.notify.url : queue.notify.address) : '');
  const [members, setMembers] = useState<Set<string>>(new Set(queue.memberIds));
  const save = useMutation({
    mutationFn: () =>
      read(
        api.api.queues[':id'].settings.$put({
          param: { id: queue.id },
          json: {
            ageAlertMinutes: minutes.trim() === '' ? null : Number(minutes),
            notify: channel === '' ? null : channel === 'email' ? { channel, address: target.trim() } : { channel, url: target.trim() },
            memberIds: [...members],
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['queue-overview'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const toggle = (id: string, on: boolean) =>
    setMembers((m) => {
      const next = new Set(m);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <Dialog open title={`Alerts of ${queue.name}`} description="A lead queued longer than the threshold alerts once: in the inbox of the queue's reps and their managers, and on the channel." onClose={onClose}>
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Alert after (minutes; empty for the default, 60)
          <input type="number" min={1} max={43200} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        <label>
          Notify channel
          <select aria-label="Notify channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            <option value="">In-app only</option>
            <option value="slack">Slack (incoming webhook URL)</option>
            <option value="webhook">Webhook (URL)</option>
            <option value="email">Email</option>
          </select>
        </label>
        {channel !== '' && (
          <label>
            {channel === 'email' ? 'Address' : 'URL'}
            <input
              type={channel === 'email' ? 'email' : 'text'}
              value={target}
              required
              placeholder={channel === 'email' ? undefined : '{{secret.SLACK_QUEUE_ALERTS}} or https://…'}
              onChange={(e) => setTarget(e.target.value)}
            />
            {channel !== 'email' && <span className="field-hint">A Slack webhook URL is a credential: keep it under Settings, Secrets and write {'{{secret.NAME}}'} here.</span>}
          </label>
        )}
        <fieldset className="members">
          <legend>Reps who work this queue</legend>
          {directory.data?.reps.map((r) => (
            <label key={r.id} className="checkbox-label">
              <input type="checkbox" checked={members.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} /> {r.name}
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={directory.error ?? save.error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { goldenQuery, type LeadRun } from '../api/queries';
import { TextField } from '../inspector/text-field';

/** Saves a test lead as a golden lead: the outcome it got becomes the outcome it must keep getting. */
export function GoldenSave({ workflowId, lead, run }: { workflowId: string; lead: Record<string, unknown>; run: LeadRun }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(`${String(lead.company ?? lead.id ?? 'Lead')} → ${run.assignee ?? run.outcome}`);
  const [assignee, setAssignee] = useState(run.assignee ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const save = async () => {
    try {
      const expect = assignee ? { assignee } : { outcome: run.outcome };
      await read(api.api.workflows[':id'].golden.$post({ param: { id: workflowId }, json: { name, lead, expect } }));
      setMessage('Saved as a golden lead: it re-runs on every save.');
      void queryClient.invalidateQueries({ queryKey: goldenQuery(workflowId).queryKey });
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <fieldset>
      <legend>Save as golden lead</legend>
      <TextField label="Golden lead name" value={name} onChange={setName} />
      <TextField label="Must be assigned to (rep or queue id; empty: must reach the same outcome)" value={assignee} onChange={setAssignee} />
      <button type="button" onClick={() => void save()}>
        Save golden lead
      </button>
      {message && <p role="status">{message}</p>}
    </fieldset>
  );
}

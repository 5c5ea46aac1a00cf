import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';

/** Makes an older version the active one again (rollback); asks first. */
export function RollbackButton({ workflowId, number }: { workflowId: string; number: number }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const rollback = async () => {
    if (!window.confirm(`Make version ${number} the active version? New leads will run on it.`)) return;
    try {
      await read(api.api.workflows[':id'].versions[':n'].activate.$post({ param: { id: workflowId, n: String(number) } }));
      setError(null);
      void queryClient.invalidateQueries({ queryKey: ['workflow', workflowId] });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <button type="button" onClick={() => void rollback()}>
        Roll back to version {number}
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
}

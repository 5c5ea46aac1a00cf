import { useEffect, useId, useState } from 'react';

/**
 * The config as JSON: the "Edit as JSON" fallback beside each kind's form. Text that
 * is not JSON stays in the box with its error and is not applied, so nothing typed is lost.
 */
export function JsonConfigForm({ config, onChange }: { config: unknown; onChange: (config: never) => void }) {
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(config, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Undo/redo or another edit replaced the config: show it, unless the box holds the same value.
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(config) ? t : JSON.stringify(config, null, 2);
      } catch {
        return t;
      }
    });
  }, [config]);
  return (
    <div className="form-row">
      <label htmlFor={id}>Settings (JSON)</label>
      <textarea
        id={id}
        rows={14}
        value={text}
        aria-invalid={error !== null}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value) as never);
            setError(null);
          } catch (err) {
            setError(err instanceof Error ? err.message : 'not JSON');
          }
        }}
      />
      {error && <span className="error">Not applied: {error}</span>}
    </div>
  );
}

import { useEditor } from './store/editor-context';

/** Where autosave stands, and the conflict choice when someone else saved first. */
export function SaveStatus({ onReload, onOverwrite }: { onReload: () => void; onOverwrite: () => void }) {
  const save = useEditor((s) => s.save);
  if (save.state === 'conflict') {
    return (
      <div className="conflict" role="alert">
        <span>{save.message} Your changes are still here.</span>
        <button type="button" onClick={onReload}>
          Reload (discard my changes)
        </button>
        <button type="button" onClick={onOverwrite}>
          Overwrite with mine
        </button>
      </div>
    );
  }
  const text = { saved: 'All changes saved', dirty: 'Unsaved changes…', saving: 'Saving…', error: `Not saved: ${save.state === 'error' ? save.message : ''}` }[save.state];
  return (
    <span className="save-status" role="status" data-testid="save-status" data-state={save.state}>
      {text}
    </span>
  );
}

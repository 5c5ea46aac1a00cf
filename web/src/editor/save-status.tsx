import { formatInstant } from '../ui/format';
import type { KeptDraft } from './hooks/kept-draft';
import { useEditor } from './store/editor-context';

/** The newest version kept by a reload, with the choice to restore it on top of the current draft or drop it. */
function KeptVersion({ kept, older, onRestore, onDiscard }: { kept: KeptDraft; older: number; onRestore: () => void; onDiscard: () => void }) {
  const when = formatInstant(kept.keptAt);
  return (
    <div className="conflict kept-version" role="region" aria-label="Your kept version" data-testid="kept-version">
      <span>
        Your version (based on revision {kept.baseRevision}, {kept.graph.nodes.length} steps) was kept at {when}.
        {older > 0 && ` ${older} older kept version${older === 1 ? '' : 's'} will be offered after this one.`}
      </span>
      <button type="button" onClick={onRestore}>
        Restore my version
      </button>
      <button type="button" onClick={onDiscard}>
        Discard my version
      </button>
    </div>
  );
}

/**
 * Where autosave stands, and the conflict choice when someone else saved first. Reload keeps the author's
 * version, which stays on offer (Restore my version) until restored or discarded.
 */
export function SaveStatus({
  onReload,
  onOverwrite,
  kept = [],
  onRestore,
  onDiscard,
}: {
  onReload: () => void;
  onOverwrite: () => void;
  kept?: readonly KeptDraft[];
  onRestore?: (k: KeptDraft) => void;
  onDiscard?: (k: KeptDraft) => void;
}) {
  const save = useEditor((s) => s.save);
  const newest = kept[0];
  const keptBox = newest && onRestore && onDiscard && <KeptVersion kept={newest} older={kept.length - 1} onRestore={() => onRestore(newest)} onDiscard={() => onDiscard(newest)} />;
  if (save.state === 'conflict') {
    return (
      <div className="conflict" role="alert">
        <span>{save.message} Your changes are still here.</span>
        <button type="button" onClick={onReload}>
          Reload theirs (keep a copy of mine)
        </button>
        <button type="button" onClick={onOverwrite}>
          Overwrite with mine
        </button>
      </div>
    );
  }
  const text = { saved: 'All changes saved', dirty: 'Unsaved changes…', saving: 'Saving…', error: `Not saved: ${save.state === 'error' ? save.message : ''}` }[save.state];
  return (
    <>
      <span className="save-status" role="status" data-testid="save-status" data-state={save.state}>
        {text}
      </span>
      {keptBox}
    </>
  );
}

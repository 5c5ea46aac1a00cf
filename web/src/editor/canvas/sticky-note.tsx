import { MAX_NOTE_TEXT, NOTE_COLORS, type NoteColor } from '@lead-router/shared';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { Palette, StickyNote as NoteIcon, X } from 'lucide-react';
import { memo, useRef } from 'react';
import { removeItems } from '../store/graph-ops';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { NoteFlowNode } from '../store/to-flow';

/** The smallest a note may be resized to (the schema allows 80 x 40; a note this small still shows a line). */
const MIN_NOTE = { width: 120, height: 72 };

function nextColor(color: NoteColor | undefined): NoteColor {
  const i = NOTE_COLORS.indexOf(color ?? 'yellow');
  return NOTE_COLORS[(i + 1) % NOTE_COLORS.length] as NoteColor;
}

/**
 * A sticky note on the canvas: dragged by its frame, resized by its corners when selected, its text edited
 * in place. Typing is one undo step per visit to the text (a checkpoint on the first keystroke, then the
 * keystrokes unrecorded), as a drag is. Read-only canvases show the text only.
 */
function StickyNoteView({ data, selected }: NodeProps<NoteFlowNode>) {
  const api = useEditorApi();
  const readOnly = useEditor((s) => s.readOnly);
  const note = data.note;
  const typing = useRef(false);
  const color = note.color ?? 'yellow';
  return (
    <div className={`sticky-note note-${color}${selected ? ' selected' : ''}`} data-testid={`note-${note.id}`} data-note-id={note.id}>
      {!readOnly && (
        <NodeResizer
          isVisible={selected}
          minWidth={MIN_NOTE.width}
          minHeight={MIN_NOTE.height}
          maxWidth={2000}
          maxHeight={2000}
          onResizeStart={() => api.getState().checkpoint()}
        />
      )}
      <div className="sticky-note-head">
        <NoteIcon size={12} aria-hidden="true" />
        <span>Note</span>
        {!readOnly && (
          <>
            <button type="button" className="icon-button nodrag" title={`Colour: ${color} (click for the next)`} aria-label="Change the note's colour" onClick={() => api.getState().updateNote(note.id, { color: nextColor(note.color) })}>
              <Palette size={12} aria-hidden="true" />
            </button>
            <button type="button" className="icon-button nodrag" title="Delete this note" aria-label="Delete this note" onClick={() => api.getState().edit((g) => removeItems(g, [], [], [note.id]))}>
              <X size={12} aria-hidden="true" />
            </button>
          </>
        )}
      </div>
      <textarea
        className="sticky-note-text nodrag nowheel"
        aria-label="Note text"
        value={note.text}
        readOnly={readOnly}
        maxLength={MAX_NOTE_TEXT}
        placeholder={readOnly ? undefined : 'Write a note…'}
        onFocus={() => {
          typing.current = false;
        }}
        onChange={(e) => {
          const s = api.getState();
          if (!typing.current) {
            s.checkpoint();
            typing.current = true;
          }
          s.updateNote(note.id, { text: e.target.value }, false);
        }}
      />
    </div>
  );
}

/** The node view of a sticky note, made once at module scope. */
export const StickyNote = memo(StickyNoteView);

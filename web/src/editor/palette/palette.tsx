import { NODE_KINDS, type NodeType } from '@lead-router/shared';
import { Search, StickyNote } from 'lucide-react';
import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { PALETTE_MIME, PALETTE_NOTE, useAddInView, useAddNoteInView } from '../canvas/use-palette-drop';
import { NODE_REGISTRY } from '../nodes/registry';
import { matchKinds } from './kind-search';

const NOTE_HELP = 'A sticky note on the canvas, for the people who read this workflow. It routes nothing.';
const noteMatches = (query: string) => query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => `sticky note ${NOTE_HELP}`.toLowerCase().includes(w));

/**
 * Every node kind with its icon, label and one line of help from shared/, and a sticky note. Type to filter
 * (by label and help); Enter adds the first match. Drag one onto the canvas; or, by keyboard, press it to
 * add it in the middle of the view (or the nearest free spot on screen).
 */
export function Palette() {
  const addInView = useAddInView();
  const addNote = useAddNoteInView();
  const [query, setQuery] = useState('');
  const kinds = matchKinds(query);
  const showNote = noteMatches(query);
  const onDragStart = (e: DragEvent, type: NodeType | typeof PALETTE_NOTE) => {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (kinds[0]) addInView(kinds[0]);
    else if (showNote) addNote();
  };
  return (
    <nav className="builder-palette" aria-label="Node palette">
      <h2 className="sr-title">Add a step</h2>
      <label className="kind-search">
        <Search size={14} aria-hidden="true" />
        <input type="search" placeholder="Search steps" aria-label="Search steps" value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={onSearchKey} />
      </label>
      {kinds.map((type) => {
        const { Icon, label } = NODE_REGISTRY[type];
        return (
          <button
            key={type}
            type="button"
            className="palette-item"
            draggable
            data-testid={`palette-${type}`}
            onDragStart={(e) => onDragStart(e, type)}
            onClick={() => addInView(type)}
            title={NODE_KINDS[type].help}
          >
            <Icon size={16} aria-hidden="true" />
            <span>{label}</span>
            <small>{NODE_KINDS[type].help}</small>
          </button>
        );
      })}
      {showNote && (
        <button type="button" className="palette-item palette-note" draggable data-testid="palette-note" onDragStart={(e) => onDragStart(e, PALETTE_NOTE)} onClick={() => addNote()} title={NOTE_HELP}>
          <StickyNote size={16} aria-hidden="true" />
          <span>Sticky note</span>
          <small>{NOTE_HELP}</small>
        </button>
      )}
      {kinds.length === 0 && !showNote && <p className="kind-none">No step matches “{query}”.</p>}
    </nav>
  );
}

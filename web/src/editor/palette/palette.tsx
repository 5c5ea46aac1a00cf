import { NODE_KINDS, NODE_TYPES, type NodeType } from '@lead-router/shared';
import type { DragEvent } from 'react';
import { PALETTE_MIME, useAddInView } from '../canvas/use-palette-drop';
import { NODE_REGISTRY } from '../nodes/registry';

/**
 * Every node kind with its icon, label and one line of help from shared/. Drag one onto the canvas; or, by
 * keyboard, press it to add the node in the middle of the view (or the nearest free spot on screen).
 */
export function Palette() {
  const addInView = useAddInView();
  const onDragStart = (e: DragEvent, type: NodeType) => {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="builder-palette" aria-label="Node palette">
      <h2 className="sr-title">Add a step</h2>
      {NODE_TYPES.map((type) => (
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
          <span aria-hidden="true">{NODE_REGISTRY[type].icon}</span>
          <span>{NODE_REGISTRY[type].label}</span>
          <small>{NODE_KINDS[type].help}</small>
        </button>
      ))}
    </nav>
  );
}

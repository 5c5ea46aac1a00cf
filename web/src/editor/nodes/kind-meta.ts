import type { NodeType } from '@lead-router/shared';

/** A glyph per node kind for the palette and node headers (text, so no icon font or asset is needed). */
export const KIND_ICONS: Record<NodeType, string> = {
  trigger: '⚡',
  branch: '⋔',
  split: '⚖',
  enrich: '✚',
  match_account: '⌕',
  score: '★',
  assign: '☺',
  notify: '✉',
  wait: '◷',
  escalate: '⤴',
  update: '✎',
  end: '■',
};

import { NODE_KINDS, type NodeType } from '@lead-router/shared';
import * as Popover from '@radix-ui/react-popover';
import { Plus, Search } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { useRevealNode } from '../canvas/use-reveal';
import { useEditorApi } from '../store/editor-context';
import { KIND_ICONS } from './kind-icons';
import { FOLLOW_KINDS, matchKinds } from './kind-search';

/**
 * The "+" under an unconnected outcome of a card: a button that opens a small palette with search; the kind
 * chosen is added under the outcome and connected to it, as one undo step, selected and brought on screen. By keyboard: Tab to
 * the button, Enter opens with the search focused, type, Enter adds the first match (or arrow down to the
 * list), Esc closes.
 */
export function AddStepMenu({ source, handle, outcome }: { source: string; handle: string; outcome: string }) {
  const api = useEditorApi();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const reveal = useRevealNode();
  const kinds = matchKinds(query, FOLLOW_KINDS);
  const choose = (type: NodeType) => {
    setOpen(false);
    setQuery('');
    const id = api.getState().addConnectedNode(type, source, handle);
    // Once React Flow has the new node, bring it on screen if it landed off it.
    if (id) requestAnimationFrame(() => reveal(id));
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && kinds[0]) {
      e.preventDefault();
      choose(kinds[0]);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      (e.currentTarget.closest('.add-step-menu')?.querySelector('li button') as HTMLButtonElement | null)?.focus();
    }
  };
  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...e.currentTarget.querySelectorAll('button')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    items[Math.max(0, Math.min(items.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };
  const title = `Add a step after "${outcome}"`;
  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setQuery('');
      }}
    >
      <Popover.Trigger asChild>
        <button type="button" className="outcome-add nodrag nopan" aria-label={title} title={title} data-testid={`add-after-${source}-${handle}`}>
          <Plus size={12} strokeWidth={2.5} aria-hidden="true" />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="add-step-menu" side="bottom" align="center" sideOffset={6} collisionPadding={8} aria-label={title}>
          <p className="add-step-title">{title}</p>
          <label className="kind-search">
            <Search size={14} aria-hidden="true" />
            <input type="search" placeholder="Search steps" aria-label="Search steps" value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={onSearchKey} autoFocus />
          </label>
          {kinds.length === 0 ? (
            <p className="kind-none">No step matches “{query}”.</p>
          ) : (
            <ul className="add-step-list" onKeyDown={onListKey}>
              {kinds.map((type) => {
                const Icon = KIND_ICONS[type];
                return (
                  <li key={type}>
                    <button type="button" onClick={() => choose(type)} data-testid={`add-kind-${type}`}>
                      <Icon size={14} aria-hidden="true" />
                      {NODE_KINDS[type].label}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

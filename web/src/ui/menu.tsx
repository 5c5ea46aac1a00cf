import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import { Ellipsis } from 'lucide-react';
import type { ReactNode } from 'react';

/** One entry of an actions menu. */
export interface MenuAction {
  label: string;
  icon?: ReactNode;
  onSelect: () => void;
  danger?: boolean;
}

/**
 * A row's secondary actions behind one "…" button (Radix DropdownMenu: arrow keys move, Enter picks, Esc
 * closes and focus goes back to the button). `label` names the button, e.g. "Actions for Home page".
 */
export function ActionsMenu({ label, actions }: { label: string; actions: readonly MenuAction[] }) {
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger asChild>
        <button type="button" className="ghost icon-only" aria-label={label}>
          <Ellipsis aria-hidden size={18} />
        </button>
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          {actions.map((a) => (
            <RadixMenu.Item key={a.label} className={`menu-item${a.danger ? ' is-danger' : ''}`} onSelect={a.onSelect}>
              {a.icon}
              {a.label}
            </RadixMenu.Item>
          ))}
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}

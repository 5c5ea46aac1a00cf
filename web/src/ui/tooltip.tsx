import * as RadixTooltip from '@radix-ui/react-tooltip';
import type { ReactElement, ReactNode } from 'react';

/**
 * A tooltip (Radix Tooltip) on `children`, which must be one element that takes a ref and is focusable
 * when keyboard users need the tip too: it opens on hover and on focus, and Esc closes it. Each tip has its
 * own provider, so the app frame does not load Radix Tooltip (and its positioning code) before a page needs it.
 */
export function Tip({ content, children }: { content: ReactNode; children: ReactElement }) {
  return (
    <RadixTooltip.Provider delayDuration={300}>
      <RadixTooltip.Root>
        <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content className="tooltip" sideOffset={4} collisionPadding={8}>
            {content}
            <RadixTooltip.Arrow className="tooltip-arrow" />
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}

/** A record's name with its id in a tooltip: pages show names, and the id is there for whoever needs it. */
export function NameWithId({ name, id }: { name: string; id: string }) {
  return (
    <Tip content={<>Id: <code>{id}</code></>}>
      <span className="has-tip" tabIndex={0}>
        {name}
      </span>
    </Tip>
  );
}

import { useEffect, useRef, type ReactNode } from 'react';
import { tabbables, wrapTab } from './focus-trap';

/**
 * A modal dialog on the native <dialog> element, rendered only while `open`. Escape and the Close button
 * call `onClose` (the page closes it by no longer rendering it open); Tab and Shift+Tab stay inside; the
 * first field gets focus on opening, and the control that opened it gets focus back on closing.
 */
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  if (!open) return null;
  return (
    <OpenDialog title={title} onClose={onClose}>
      {children}
    </OpenDialog>
  );
}

function OpenDialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    d.showModal();
    (d.querySelector<HTMLElement>('form input:not([disabled]), form select:not([disabled]), form textarea:not([disabled])') ?? tabbables(d)[0])?.focus();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        // The native Escape closes the element behind React's back (and not at all without a recent user
        // activation): the page decides, by unmounting.
        e.preventDefault();
        close.current();
      } else if (e.key === 'Tab') {
        const items = tabbables(d);
        const to = wrapTab(items.length, items.indexOf(document.activeElement as HTMLElement), e.shiftKey);
        if (to !== null) {
          e.preventDefault();
          items[to]?.focus();
        }
      }
    };
    // A cancel that bypasses keydown (a close request from the browser) is the page's decision too.
    const onCancel = (e: Event) => {
      e.preventDefault();
      close.current();
    };
    d.addEventListener('keydown', onKeyDown);
    d.addEventListener('cancel', onCancel);
    return () => {
      d.removeEventListener('keydown', onKeyDown);
      d.removeEventListener('cancel', onCancel);
      if (d.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="ui-dialog" aria-label={title}>
      <header>
        <h2>{title}</h2>
        <button type="button" aria-label="Close" onClick={() => close.current()}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}

import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useRef, type ReactNode } from 'react';

/**
 * A modal dialog (Radix Dialog), rendered only while `open`. Escape and the Close button call `onClose` (the
 * page closes it by no longer rendering it open); a click outside does not, so a half-filled form is never
 * lost to a stray click. Radix traps Tab inside, labels the dialog by its title (and `description`, when
 * given) and gives focus back to the control that opened it; the first field of its form gets focus on
 * opening, so typing can start at once.
 */
export function Dialog({ open, title, description, onClose, children }: { open: boolean; title: string; description?: string; onClose: () => void; children: ReactNode }) {
  // Radix gives focus back to its own Trigger; the pages open dialogs from any button (a row's Edit), so
  // the dialog remembers what had focus when it opened and gives focus back to that.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={(next) => !next && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="ui-dialog-overlay" />
        <RadixDialog.Content
          className="ui-dialog"
          // Without a description, say so: Radix then leaves aria-describedby out instead of warning.
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(e) => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            const field = (e.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('form input:not([disabled]), form select:not([disabled]), form textarea:not([disabled])');
            if (field) {
              e.preventDefault();
              field.focus();
            }
          }}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            if (opener.current?.isConnected) opener.current.focus();
            opener.current = null;
          }}
          onPointerDownOutside={(e) => e.preventDefault()}
        >
          <header>
            <RadixDialog.Title>{title}</RadixDialog.Title>
            <RadixDialog.Close asChild>
              <button type="button" className="ghost icon-only" aria-label="Close">
                <X aria-hidden size={18} />
              </button>
            </RadixDialog.Close>
          </header>
          {description && <RadixDialog.Description className="muted">{description}</RadixDialog.Description>}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

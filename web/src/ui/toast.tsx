import * as RadixToast from '@radix-ui/react-toast';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

const ToastContext = createContext<(text: string, kind?: Toast['kind']) => void>(() => {});

/**
 * Short confirmations ("Saved"), gone after four seconds (Radix Toast: the timer pauses while hovered or
 * focused, F8 focuses them, Esc dismisses). Only the newest is shown; `ToastOutlet` says where.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  // Radix announces each toast through a hidden live region of its own; ToastOutlet's viewport is that
  // live region already (always there, so it is announced), so Radix's copy goes to a container that is
  // never rendered: one announcement, and one element with role "status".
  const [silent] = useState(() => document.createElement('div'));
  const show = useCallback((text: string, kind: Toast['kind'] = 'info') => {
    setToasts((t) => [...t, { id: Date.now() + Math.random(), text, kind }]);
  }, []);
  const newest = toasts.at(-1);
  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider duration={4000} label="Notification" announcerContainer={silent}>
        {children}
        {newest && (
          <RadixToast.Root
            key={newest.id}
            asChild
            type="background"
            onOpenChange={(open) => !open && setToasts((t) => t.filter((x) => x.id !== newest.id))}
          >
            <div className={`toast toast-${newest.kind}`}>
              {newest.kind === 'error' ? <CircleAlert aria-hidden size={16} /> : <CircleCheck aria-hidden size={16} />}
              <RadixToast.Description asChild>
                <span className="toast-text">{newest.text}</span>
              </RadixToast.Description>
            </div>
          </RadixToast.Root>
        )}
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

/**
 * Where toasts appear: a polite live region that is always there. The layout gives it a place of its own in
 * the app header, between the navigation and the account: a toast floating over the page covered the
 * buttons beneath it (the inbox's last Accept / Reject).
 */
export function ToastOutlet() {
  return (
    <RadixToast.Viewport asChild>
      <div className="toasts" role="status" aria-live="polite" />
    </RadixToast.Viewport>
  );
}

/** Shows a toast: `const toast = useToast(); toast('Saved')`. */
export function useToast() {
  return useContext(ToastContext);
}

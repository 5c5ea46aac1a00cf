import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

const ToastContext = createContext<(text: string, kind?: Toast['kind']) => void>(() => {});
const ToastsContext = createContext<readonly Toast[]>([]);

/** Short confirmations ("Saved"), gone after a few seconds; `ToastOutlet` shows them where the layout puts it. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((text: string, kind: Toast['kind'] = 'info') => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      <ToastsContext.Provider value={toasts}>{children}</ToastsContext.Provider>
    </ToastContext.Provider>
  );
}

/**
 * The newest toast, in a polite live region that is always there (so it is announced). The layout gives it
 * a place of its own in the app header, between the navigation and the account: a toast floating over the
 * page covered the buttons beneath it (the inbox's last Accept / Reject).
 */
export function ToastOutlet() {
  const newest = useContext(ToastsContext).at(-1);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {newest && (
        <div key={newest.id} className={`toast toast-${newest.kind}`} title={newest.text}>
          {newest.text}
        </div>
      )}
    </div>
  );
}

/** Shows a toast: `const toast = useToast(); toast('Saved')`. */
export function useToast() {
  return useContext(ToastContext);
}

import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` (or what `getText` resolves to) to the clipboard, then says "Copied" for a moment; when the
 * browser refuses the clipboard it says so, and the value stays on screen to select by hand.
 */
export function CopyButton({ text, getText, label, disabled = false }: { text?: string; getText?: () => Promise<string>; label: string; disabled?: boolean }) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      const value = getText ? await getText() : (text ?? '');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <button type="button" className={`te-copy is-${state}`} onClick={() => void copy()} disabled={disabled} aria-label={state === 'copied' ? `${label}: copied` : label} title={label}>
      {state === 'copied' ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy blocked: select it' : 'Copy'}</span>
    </button>
  );
}

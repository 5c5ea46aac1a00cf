import { Loader2, Pin, PinOff, TriangleAlert } from 'lucide-react';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, read } from '../../api/client';
import type { LeadRun, WaitOutcome } from '../api/queries';
import { useDirectoryNames } from '../directory/directory-names';
import type { DirectoryNames } from '../directory/names';
import { browserStorage } from '../hooks/kept-draft';
import { useEditorApi } from '../store/editor-context';
import { createRerunner, loadPin, pinLabel, sameRouting, savePin, type PinnedLead } from './pin';
import { leadOverlay } from './run-overlay';
import './test-run.css';

/** How long editing must pause before the pinned lead runs again. */
export const PIN_RERUN_DELAY_MS = 400;

/** Where the pinned lead's run stands: re-running, its path current, the draft invalid, or a failure. */
export type PinStatus = 'running' | 'current' | 'invalid' | 'error';

/** The pinned lead of the builder's workflow and its latest run. */
export interface PinnedRun {
  pin: PinnedLead | null;
  status: PinStatus;
  /** The latest run's result: current while `status` is `current`, the one being replaced while `running`. */
  run: LeadRun | null;
  error: string | null;
  pinLead: (lead: Record<string, unknown>, wait: WaitOutcome) => void;
  unpin: () => void;
}

const NO_PIN: PinnedRun = { pin: null, status: 'current', run: null, error: null, pinLead: () => {}, unpin: () => {} };
const PinnedRunContext = createContext<PinnedRun>(NO_PIN);

/** The draft does not compile: nothing to run until the author fixes it. */
class InvalidDraft extends Error {}

/**
 * Keeps one test lead pinned to the canvas of a workflow (localStorage, so it survives a reload) and runs it
 * through the draft again after every edit: debounced, one request at a time, the latest edit winning (see
 * pin.ts). Its path is the canvas overlay while pinned; a draft with errors clears it and says so instead of
 * leaving an old path up as if it were current.
 * @example <PinnedRunProvider workflowId={id} flush={saveFirst}><Builder… /></PinnedRunProvider>
 */
export function PinnedRunProvider({ workflowId, flush, children }: { workflowId: string; flush?: () => Promise<void>; children: ReactNode }) {
  const store = useEditorApi();
  const [pin, setPin] = useState<PinnedLead | null>(() => loadPin(browserStorage(), workflowId));
  const [state, setState] = useState<{ status: PinStatus; run: LeadRun | null; error: string | null }>({ status: 'running', run: null, error: null });
  // The builder's save-first function changes identity every render; the re-run reads the latest.
  const flushRef = useRef(flush);
  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  useEffect(() => {
    if (!pin) return;
    const hasErrors = () => store.getState().problems.some((p) => p.severity === 'error');
    const rerunner = createRerunner<LeadRun | undefined>({
      delayMs: PIN_RERUN_DELAY_MS,
      run: async () => {
        if (hasErrors()) throw new InvalidDraft();
        await flushRef.current?.();
        // Test runs read the draft as saved: one that could not be saved would show an older draft's path.
        const save = store.getState().save;
        if (save.state === 'conflict' || save.state === 'error') throw new Error(`The draft is not saved (${save.message}); the pinned lead runs again once it is.`);
        const body = await read(
          api.api.workflows[':id'].simulate.$post({
            param: { id: workflowId },
            json: { leads: [pin.lead], source: 'draft', waits: { default: { outcome: pin.wait } }, detail: 'full' },
          }),
        );
        return body.results[0];
      },
      deliver: (r) => {
        const editor = store.getState();
        if (r.ok && r.value) {
          setState({ status: 'current', run: r.value, error: null });
          editor.setOverlay(leadOverlay(editor.graph, r.value));
          return;
        }
        editor.setOverlay(null);
        if (!r.ok && (r.error instanceof InvalidDraft || (r.error instanceof ApiError && r.error.code === 'invalid_graph'))) setState({ status: 'invalid', run: null, error: null });
        else setState({ status: 'error', run: null, error: r.ok ? 'The run answered no result.' : r.error instanceof Error ? r.error.message : String(r.error) });
      },
    });
    rerunner.now();
    let seen = store.getState().graph;
    const unsubscribe = store.subscribe((s) => {
      if (s.graph === seen) return;
      const same = sameRouting(seen, s.graph);
      seen = s.graph;
      if (same) return;
      setState((old) => (old.status === 'running' ? old : { ...old, status: 'running' }));
      rerunner.schedule();
    });
    return () => {
      unsubscribe();
      rerunner.dispose();
    };
  }, [pin, store, workflowId]);

  const value = useMemo<PinnedRun>(
    () => ({
      pin,
      ...state,
      pinLead: (lead, wait) => {
        const next = { lead, wait };
        savePin(browserStorage(), workflowId, next);
        setState({ status: 'running', run: null, error: null });
        setPin(next);
      },
      unpin: () => {
        savePin(browserStorage(), workflowId, null);
        setPin(null);
        store.getState().setOverlay(null);
      },
    }),
    [pin, state, store, workflowId],
  );
  return <PinnedRunContext.Provider value={value}>{children}</PinnedRunContext.Provider>;
}

/** The builder's pinned lead and its latest run (nothing pinned outside a provider). */
export function usePinnedRun(): PinnedRun {
  return useContext(PinnedRunContext);
}

/** What the chip says of the pinned lead's run. */
function statusText(p: PinnedRun, names: DirectoryNames): string {
  switch (p.status) {
    case 'running':
      return 'Re-running…';
    case 'invalid':
      return 'Fix the problems to re-run';
    case 'error':
      return p.error ?? 'The run failed';
    case 'current':
      return p.run ? `Path current: ${p.run.assignee ? names.assignee(p.run.assignee) : p.run.outcome.replace(/_/g, ' ')}` : 'Path current';
  }
}

/**
 * The pinned lead, always in view above the canvas: who it is, whether the path shown is current, and
 * unpin. Renders nothing when no lead is pinned.
 */
export function PinnedChip() {
  const p = usePinnedRun();
  const names = useDirectoryNames();
  if (!p.pin) return null;
  const label = pinLabel(p.pin.lead);
  const Icon = p.status === 'running' ? Loader2 : p.status === 'invalid' || p.status === 'error' ? TriangleAlert : Pin;
  return (
    <div className={`tr-pin-chip tr-pin-${p.status}`} data-testid="pinned-chip" role="status" aria-label={`Pinned test lead ${label}`}>
      <Icon size={14} aria-hidden className={p.status === 'running' ? 'tr-spin' : undefined} />
      <span className="tr-pin-name" title={label}>
        {label}
      </span>
      <span className="tr-pin-status" data-testid="pinned-status" title={p.status === 'error' ? (p.error ?? undefined) : undefined}>
        {statusText(p, names)}
      </span>
      <button type="button" className="tr-pin-unpin" onClick={p.unpin} aria-label={`Unpin ${label}`} title="Unpin: stop re-running this lead on each edit">
        <PinOff size={14} aria-hidden />
      </button>
    </div>
  );
}

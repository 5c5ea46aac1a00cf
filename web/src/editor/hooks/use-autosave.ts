import type { Graph } from '@lead-router/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api as http, ApiError, read } from '../../api/client';
import { draftQuery, goldenQuery, type GoldenOutcome } from '../api/queries';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { EditorStore, Problem } from '../store/editor-store';
import { browserStorage, dropKeptDraft, keepDraft, keepThenReset, listKeptDrafts, restoreKept, type KeptDraft } from './kept-draft';

/** How long editing must pause before the draft is saved. */
export const AUTOSAVE_DELAY_MS = 800;

/** Codes only the server can find: they need the workspace directory and secret names, which the browser does not load. */
const DIRECTORY_CODES = new Set(['unknown_rep', 'unknown_team', 'unknown_queue', 'unknown_territory', 'empty_team', 'unknown_secret']);

/** The directory problems of a server answer; the browser's compiler finds the rest live. */
export function directoryProblems(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => DIRECTORY_CODES.has(p.code));
}

type GoldenResult = Extract<GoldenOutcome, readonly unknown[]>[number];

/** Failing golden leads as problems, so they show in the problems panel beside the compiler's. */
export function goldenProblems(golden: Exclude<GoldenOutcome, readonly unknown[]> | ReadonlyArray<Pick<GoldenResult, 'name' | 'passed' | 'message' | 'expected'>>): Problem[] {
  if (!Array.isArray(golden)) return [];
  return golden
    .filter((g) => !g.passed)
    .map((g) => ({ code: 'golden_failed', severity: 'error' as const, message: `Golden lead "${g.name}": ${g.message}`, nodeId: g.expected.node }));
}

/**
 * Leaving with edits not saved yet. Inside the app (a link such as "← Workflows") the builder unmounts before
 * the autosave's pause is over: what is pending is saved right away instead of dropped, and should that save
 * fail (a conflict, the server unreachable) the local version is kept, and offered again on coming back.
 * Leaving the page (closing the tab, reloading) asks first.
 */
function useSaveOnLeave(store: EditorStore, saveNow: () => Promise<void>, workflowId: string, revision: { readonly current: number }) {
  useEffect(
    () => () => {
      const s = store.getState();
      if (s.readOnly || s.save.state === 'saved') return;
      void saveNow().then(() => {
        const after = store.getState();
        if (after.save.state === 'saved') return;
        keepDraft(browserStorage(), { workflowId, baseRevision: revision.current, keptAt: new Date().toISOString(), graph: after.graph });
      });
    },
    [store, saveNow, workflowId, revision],
  );
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (store.getState().save.state !== 'saved') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);
}

/**
 * Saves the draft with its revision after a pause in editing. A stale revision (someone saved first) is never
 * merged or overwritten silently: the store goes to `conflict` and the author chooses Reload or Overwrite.
 * Reload keeps the author's version first (see kept-draft.ts) and offers to restore it on top of the fresh
 * revision. Edits made while a save is in flight are saved next, so nothing typed is lost.
 */
export function useAutosave(workflowId: string, initialRevision: number) {
  const store = useEditorApi();
  const queryClient = useQueryClient();
  const revision = useRef(initialRevision);
  const inFlight = useRef<Promise<void> | null>(null);
  const editCount = useEditor((s) => s.editCount);
  const saveState = useEditor((s) => s.save.state);

  // A restored kept version waiting for its first successful save, and the edit count that save must reach.
  const restored = useRef<{ kept: KeptDraft; atEdit: number } | null>(null);
  // Versions kept by earlier reloads (this tab or an earlier one), newest first; a restored one is not offered.
  const [kept, setKept] = useState<KeptDraft[]>(() => listKeptDrafts(browserStorage(), workflowId));
  const refreshKept = useCallback(() => {
    const r = restored.current?.kept;
    setKept(listKeptDrafts(browserStorage(), workflowId).filter((k) => !(r && k.baseRevision === r.baseRevision)));
  }, [workflowId]);

  const saveOnce = useCallback(async () => {
    const s = store.getState();
    const startedAt = s.editCount;
    s.setSave({ state: 'saving' });
    try {
      const graph = s.graph;
      const saved = await read(http.api.workflows[':id'].draft.$put({ param: { id: workflowId }, json: { graph, revision: revision.current } }));
      revision.current = saved.revision;
      // The builder opens from the cached draft (never refetched on its own): keep it what the server has,
      // so coming back to this workflow shows this save and saves on from its revision.
      queryClient.setQueryData(draftQuery(workflowId).queryKey, (old) => (old ? { ...old, graph: graph as typeof old.graph, revision: saved.revision, problems: saved.problems } : old));
      const r = restored.current;
      if (r && startedAt >= r.atEdit) {
        // The restored version is on the server now: its copy is no longer needed.
        dropKeptDraft(browserStorage(), r.kept.workflowId, r.kept.baseRevision);
        restored.current = null;
        refreshKept();
      }
      store.getState().setServerProblems([...directoryProblems(saved.problems), ...goldenProblems(saved.golden)]);
      store.getState().setSave(store.getState().editCount === startedAt ? { state: 'saved' } : { state: 'dirty' });
      void queryClient.invalidateQueries({ queryKey: goldenQuery(workflowId).queryKey });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) store.getState().setSave({ state: 'conflict', message: err.message });
      else store.getState().setSave({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }, [store, workflowId, queryClient, refreshKept]);

  /** Saves now; when a save is already under way, waits for it and saves again if edits came in meanwhile. */
  const saveNow = useCallback(async (): Promise<void> => {
    while (inFlight.current) await inFlight.current;
    const s = store.getState();
    if (s.readOnly || s.save.state === 'conflict' || s.save.state === 'saved') return;
    const pending = saveOnce();
    inFlight.current = pending;
    try {
      await pending;
    } finally {
      inFlight.current = null;
    }
  }, [store, saveOnce]);

  useEffect(() => {
    if (saveState !== 'dirty') return;
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [editCount, saveState, saveNow]);

  useSaveOnLeave(store, saveNow, workflowId, revision);

  /** Loads what the server has, keeping the local version to restore. */
  const reload = useCallback(async () => {
    const draft = await queryClient.fetchQuery({ ...draftQuery(workflowId), staleTime: 0 });
    const storage = browserStorage();
    // The JSON body type widens recursive conditions; the document is our graph as saved.
    keepThenReset(store, storage, { workflowId, baseRevision: revision.current, theirs: draft.graph as Graph });
    revision.current = draft.revision;
    // A restored version not saved yet was part of the local graph just kept (under this base revision).
    restored.current = null;
    refreshKept();
  }, [queryClient, store, workflowId, refreshKept]);

  /** Re-applies a kept version on top of the current draft as one edit; autosave saves it, then drops the copy. */
  const restore = useCallback(
    (k: KeptDraft) => {
      const atEdit = restoreKept(store, k);
      if (atEdit === null) return;
      restored.current = { kept: k, atEdit };
      refreshKept();
    },
    [store, refreshKept],
  );

  /** Forgets a kept version for good (the author's explicit choice). */
  const discardKept = useCallback(
    (k: KeptDraft) => {
      const storage = browserStorage();
      dropKeptDraft(storage, k.workflowId, k.baseRevision);
      refreshKept();
    },
    [refreshKept],
  );

  /** Saves local edits over what someone else saved. */
  const overwrite = useCallback(async () => {
    const draft = await queryClient.fetchQuery({ ...draftQuery(workflowId), staleTime: 0 });
    revision.current = draft.revision;
    store.getState().setSave({ state: 'dirty' });
    await saveNow();
  }, [queryClient, store, workflowId, saveNow]);

  return { saveNow, reload, overwrite, revision, kept, restore, discardKept };
}

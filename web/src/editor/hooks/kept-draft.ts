import type { Graph } from '@lead-router/shared';
import type { EditorStore } from '../store/editor-store';

/**
 * The author's own version of a draft, kept when a save conflict is resolved by reloading the other save, so
 * no work is lost: it can be restored on top of the fresh revision as a normal (undoable) edit. Kept in
 * localStorage (it survives closing the tab), one entry per workflow and revision the edits were based on.
 */
export interface KeptDraft {
  workflowId: string;
  /** The revision the local edits started from (the one the server refused as stale). */
  baseRevision: number;
  /** ISO time it was kept. */
  keptAt: string;
  graph: Graph;
}

/** The part of the Web Storage API used here (localStorage, or the in-memory stand-in below). */
export type KeptStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'lead-router:kept-draft:';

/** The storage key of a kept draft. */
export const keptKey = (workflowId: string, baseRevision: number): string => `${PREFIX}${workflowId}:${baseRevision}`;

/** A Storage in memory, for browsers that refuse localStorage (private modes, quota): kept for the tab's life. */
export class MemoryStorage implements KeptStorage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(i: number): string | null {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, String(v));
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

const fallback = new MemoryStorage();

/** localStorage when the browser lets us write to it, else the tab's memory. */
export function browserStorage(): KeptStorage {
  try {
    const s = globalThis.localStorage;
    const probe = `${PREFIX}probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return fallback;
  }
}

/** Keeps a copy; if storage is full or refuses, the copy goes to memory instead, never nowhere. */
export function keepDraft(storage: KeptStorage, kept: KeptDraft): KeptStorage {
  const text = JSON.stringify(kept);
  try {
    storage.setItem(keptKey(kept.workflowId, kept.baseRevision), text);
    return storage;
  } catch {
    fallback.setItem(keptKey(kept.workflowId, kept.baseRevision), text);
    return fallback;
  }
}

/** The kept drafts of a workflow, newest first. Entries that do not parse are skipped (and left alone). */
export function listKeptDrafts(storage: KeptStorage, workflowId: string): KeptDraft[] {
  const prefix = `${PREFIX}${workflowId}:`;
  const out: KeptDraft[] = [];
  for (const s of new Set([storage, fallback])) {
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (!k?.startsWith(prefix)) continue;
      try {
        const v = JSON.parse(s.getItem(k) ?? '') as KeptDraft;
        if (v && v.workflowId === workflowId && typeof v.baseRevision === 'number' && v.graph && Array.isArray(v.graph.nodes)) out.push(v);
      } catch {
        // Not ours to judge: leave it.
      }
    }
  }
  return out.sort((a, b) => b.keptAt.localeCompare(a.keptAt) || b.baseRevision - a.baseRevision);
}

/** Forgets a kept draft. */
export function dropKeptDraft(storage: KeptStorage, workflowId: string, baseRevision: number): void {
  storage.removeItem(keptKey(workflowId, baseRevision));
  fallback.removeItem(keptKey(workflowId, baseRevision));
}

/**
 * Resolves a conflict by taking the other save: the local graph is kept first (when it differs from theirs),
 * then the store shows theirs. Returns what was kept, if anything.
 */
export function keepThenReset(store: EditorStore, storage: KeptStorage, at: { workflowId: string; baseRevision: number; theirs: Graph; now?: Date }): KeptDraft | null {
  const mine = store.getState().graph;
  let kept: KeptDraft | null = null;
  if (JSON.stringify(mine) !== JSON.stringify(at.theirs)) {
    kept = { workflowId: at.workflowId, baseRevision: at.baseRevision, keptAt: (at.now ?? new Date()).toISOString(), graph: mine };
    keepDraft(storage, kept);
  }
  store.getState().reset(at.theirs);
  return kept;
}

/**
 * Re-applies a kept version on top of what the store shows, as one normal edit: it is saved with the current
 * revision by autosave, and undo goes back to the other save. The copy stays stored until that save has
 * succeeded (the caller drops it then), so closing the tab before it does loses nothing. Returns the store's
 * edit count after the edit (a save that began at or after it carries the restored version), or null.
 */
export function restoreKept(store: EditorStore, kept: KeptDraft): number | null {
  if (store.getState().readOnly) return null;
  store.getState().edit(() => kept.graph);
  return store.getState().editCount;
}

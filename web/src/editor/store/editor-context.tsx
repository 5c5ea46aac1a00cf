import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createEditorStore, type EditorState, type EditorStore } from './editor-store';
import type { Graph } from '@lead-router/shared';

const EditorContext = createContext<EditorStore | null>(null);

/** Gives its children their own editor store, created once from the first props (`grid`: snapping, off by default). */
export function EditorProvider({ graph, readOnly, grid, children }: { graph: Graph; readOnly?: boolean; grid?: number | null; children: ReactNode }) {
  const [store] = useState(() => createEditorStore({ graph, readOnly: readOnly ?? false, grid: grid ?? null }));
  return <EditorContext.Provider value={store}>{children}</EditorContext.Provider>;
}

/** The store of the nearest EditorProvider (for actions and reads outside render). */
export function useEditorApi(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorApi must be used inside <EditorProvider>.');
  return store;
}

/**
 * A slice of the editor state; the component re-renders only when the slice changes.
 * @example const graph = useEditor((s) => s.graph);
 */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorApi(), selector);
}

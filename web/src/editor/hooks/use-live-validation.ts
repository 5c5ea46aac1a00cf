import { validateGraph, type CustomField } from '@lead-router/shared';
import { useEffect } from 'react';
import { useEditor, useEditorApi } from '../store/editor-context';

/** How long typing may pause before the graph is checked again. */
const VALIDATE_DELAY_MS = 150;

/**
 * Runs the shared compiler's checks in the browser as the author edits (shared/ has no Node imports), so
 * problems show on their nodes before anything is saved. Debounced, so a burst of keystrokes checks once.
 */
export function useLiveValidation(customFields: readonly CustomField[]) {
  const api = useEditorApi();
  const graph = useEditor((s) => s.graph);
  useEffect(() => {
    const timer = setTimeout(() => api.getState().setProblems(validateGraph(graph, { customFields })), VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, graph, customFields]);
}

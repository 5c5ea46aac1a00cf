import { useEditor } from '../store/editor-context';
import type { Problem } from '../store/editor-store';

const NONE: readonly Problem[] = [];

/**
 * The problem (if any) the live compiler reports at a config path of the selected node, e.g.
 * `problemAt('rules.0.points')` for `config.rules.0.points`. A path also matches problems deeper under it,
 * so a row's control can show what is wrong anywhere inside it.
 */
export function problemAtPath(problems: readonly Problem[], path: string): string | undefined {
  const full = `config.${path}`;
  const hit = problems.find((p) => p.path === full || (p.path?.startsWith(`${full}.`) ?? false));
  return hit?.message;
}

/** `problemAt(path)` over the selected node's problems (the inspector shows one node at a time). */
export function useConfigProblems(): (path: string) => string | undefined {
  // Select the stored array itself (a stable reference); filtering happens per call, outside the selector.
  const problems = useEditor((s) => (s.selectedNodes.length === 1 ? (s.problemsByNode[s.selectedNodes[0] ?? ''] ?? NONE) : NONE));
  return (path) => problemAtPath(problems, path);
}

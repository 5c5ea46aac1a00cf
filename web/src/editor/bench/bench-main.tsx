import { generateGraph } from '@lead-router/shared/fixtures';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { EditorCanvas } from '../canvas/editor-canvas';
import { useFitGraph } from '../canvas/use-fit-graph';
import '../editor.css';
import { EditorProvider } from '../store/editor-context';

// The page bench/canvas.ts loads: the builder's canvas (same store, node views and conversions) with a
// generated graph of `?n=` nodes, no server. It reports when every rendered node has been measured and
// painted, i.e. when the author first sees the graph; then, on request, the same after "zoom to fit".

declare global {
  interface Window {
    benchResult?: { nodes: number; renderedNodes: number; sinceNavigationMs: number; sinceRenderCallMs: number };
    benchFit?: () => void;
    benchFitResult?: { renderedNodes: number; ms: number };
  }
}

const n = Number(new URLSearchParams(location.search).get('n') ?? '100');
const graph = generateGraph(n, { seed: 7 });

/** Resolves once at least `min` nodes are in the DOM, all measured (React Flow hides unmeasured ones) and painted. */
function whenDrawn(min: number): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      const els = document.querySelectorAll<HTMLElement>('.react-flow__node');
      const drawn = els.length >= min && [...els].every((el) => el.style.visibility !== 'hidden');
      if (!drawn) return void requestAnimationFrame(check);
      // One more frame, so the measured layout has been painted.
      requestAnimationFrame(() => resolve(els.length));
    };
    requestAnimationFrame(check);
  });
}

function Ready({ startedAt }: { startedAt: number }) {
  const fit = useFitGraph();
  useEffect(() => {
    void whenDrawn(1).then((rendered) => {
      const now = performance.now();
      window.benchResult = { nodes: graph.nodes.length, renderedNodes: rendered, sinceNavigationMs: now, sinceRenderCallMs: now - startedAt };
    });
    window.benchFit = () => {
      const t = performance.now();
      void fit().then(() => whenDrawn(graph.nodes.length).then((rendered) => (window.benchFitResult = { renderedNodes: rendered, ms: performance.now() - t })));
    };
  }, [startedAt, fit]);
  return null;
}

const startedAt = performance.now();
createRoot(document.getElementById('root') as HTMLElement).render(
  <EditorProvider graph={graph}>
    <ReactFlowProvider>
      <EditorCanvas />
      <Ready startedAt={startedAt} />
    </ReactFlowProvider>
  </EditorProvider>,
);

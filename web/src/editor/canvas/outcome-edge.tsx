import { BaseEdge, getBezierPath, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo } from 'react';
import type { RouteFlowEdge } from '../store/to-flow';

/** How far below its outcome handle an edge's label sits. */
const LABEL_OFFSET = 26;

/**
 * An edge labelled just below the outcome it leaves from, not at its middle: edges from many outcomes often
 * converge on one step (an end), where middle labels would pile up on each other.
 */
function OutcomeEdge(props: EdgeProps<RouteFlowEdge>) {
  const [path] = getBezierPath(props);
  return (
    <BaseEdge
      path={path}
      markerEnd={props.markerEnd}
      style={props.style}
      label={props.label}
      labelX={props.sourceX}
      labelY={props.sourceY + LABEL_OFFSET}
      labelStyle={{ fontSize: 10 }}
      labelBgPadding={[3, 1]}
      interactionWidth={props.interactionWidth ?? 20}
    />
  );
}

/** The canvas's edge types, built once at module scope (like nodeTypes). */
export const edgeTypes: EdgeTypes = { outcome: memo(OutcomeEdge) as EdgeTypes[string] };

import type { NodeType } from '@lead-router/shared';
import type { NodeTypes } from '@xyflow/react';
import { summarizeAssign } from './assign/summary';
import { summarizeBranch } from './branch/summary';
import { summarizeEnd } from './end/summary';
import { summarizeEnrich } from './enrich/summary';
import { summarizeEscalate } from './escalate/summary';
import { summarizeMatchAccount } from './match-account/summary';
import { nodeView } from './node-card';
import { summarizeNotify } from './notify/summary';
import { summarizeScore } from './score/summary';
import { summarizeSplit } from './split/summary';
import { summarizeTrigger } from './trigger/summary';
import { summarizeUpdate } from './update/summary';
import { summarizeWait } from './wait/summary';

/**
 * React Flow's node types, built once here at module scope: a new object per render would make React Flow
 * re-mount every node (and warn). Keyed by our node kinds, so a flow node's `type` is our `type`.
 */
export const nodeTypes: Record<NodeType, NodeTypes[string]> = {
  trigger: nodeView(summarizeTrigger),
  branch: nodeView(summarizeBranch),
  split: nodeView(summarizeSplit),
  enrich: nodeView(summarizeEnrich),
  match_account: nodeView(summarizeMatchAccount),
  score: nodeView(summarizeScore),
  assign: nodeView(summarizeAssign),
  notify: nodeView(summarizeNotify),
  wait: nodeView(summarizeWait),
  escalate: nodeView(summarizeEscalate),
  update: nodeView(summarizeUpdate),
  end: nodeView(summarizeEnd),
};

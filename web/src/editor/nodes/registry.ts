import { NODE_KINDS, NODE_TYPES, type NodeConfig, type NodeType } from '@lead-router/shared';
import type { NodeTypes } from '@xyflow/react';
import type { LucideIcon } from 'lucide-react';
import type { ComponentType } from 'react';
import type { DirectoryNames } from '../directory/names';
import type { FormProps } from '../inspector/form-props';
import { KIND_ICONS } from '../palette/kind-icons';
import { AssignForm } from './assign/inspector';
import { summarizeAssign } from './assign/summary';
import { BranchForm } from './branch/inspector';
import { CrmUpdateForm } from './crm-update/inspector';
import { summarizeCrmUpdate } from './crm-update/summary';
import { summarizeBranch } from './branch/summary';
import { EndForm } from './end/inspector';
import { summarizeEnd } from './end/summary';
import { EnrichForm } from './enrich/inspector';
import { summarizeEnrich } from './enrich/summary';
import { EscalateForm } from './escalate/inspector';
import { summarizeEscalate } from './escalate/summary';
import { MatchAccountForm } from './match-account/inspector';
import { summarizeMatchAccount } from './match-account/summary';
import { nodeView } from './node-card';
import { NotifyForm } from './notify/inspector';
import { summarizeNotify } from './notify/summary';
import { ScoreForm } from './score/inspector';
import { summarizeScore } from './score/summary';
import { SplitForm } from './split/inspector';
import { summarizeSplit } from './split/summary';
import { TriggerForm } from './trigger/inspector';
import { summarizeTrigger } from './trigger/summary';
import { UpdateForm } from './update/inspector';
import { summarizeUpdate } from './update/summary';
import { WaitForm } from './wait/inspector';
import { summarizeWait } from './wait/summary';

/** What the web knows about one node kind, besides its schema (which lives in shared/). */
export interface NodeKindEntry<T extends NodeType> {
  /** The kind's name in the palette, on the card and in the inspector (shared's label, not a copy). */
  label: string;
  /** The kind's icon (lucide) for the palette, the card and the "+" menu; decorative beside the label. */
  Icon: LucideIcon;
  /** A text glyph, for the inspector's heading until it shows `Icon` (plain text, no asset needed). */
  icon: string;
  /**
   * One line for the node card, naming directory records by `names` (`ID_NAMES` gives the ids, for the
   * tooltip). It may see a half-filled config (a draft saved mid-edit), so it may throw.
   */
  summarize: (config: NodeConfig<T>, names: DirectoryNames) => string;
  /** The inspector's settings form, or 'json' for a kind edited as JSON only. */
  form: ComponentType<FormProps<T>> | 'json';
}

const entry = <T extends NodeType>(type: T, rest: Omit<NodeKindEntry<T>, 'label' | 'Icon'>): NodeKindEntry<T> => ({ label: NODE_KINDS[type].label, Icon: KIND_ICONS[type], ...rest });

/**
 * Every node kind of the web, in one place. The type is exhaustive over shared's `NodeType`: adding a kind to
 * shared/ makes TypeScript name the entry missing here, and that entry is all the web needs for the new kind.
 */
export const NODE_REGISTRY: { [T in NodeType]: NodeKindEntry<T> } = {
  trigger: entry('trigger', { icon: '⚡', summarize: summarizeTrigger, form: TriggerForm }),
  branch: entry('branch', { icon: '⋔', summarize: summarizeBranch, form: BranchForm }),
  split: entry('split', { icon: '⚖', summarize: summarizeSplit, form: SplitForm }),
  enrich: entry('enrich', { icon: '✚', summarize: summarizeEnrich, form: EnrichForm }),
  match_account: entry('match_account', { icon: '⌕', summarize: summarizeMatchAccount, form: MatchAccountForm }),
  score: entry('score', { icon: '★', summarize: summarizeScore, form: ScoreForm }),
  assign: entry('assign', { icon: '☺', summarize: summarizeAssign, form: AssignForm }),
  notify: entry('notify', { icon: '✉', summarize: summarizeNotify, form: NotifyForm }),
  wait: entry('wait', { icon: '◷', summarize: summarizeWait, form: WaitForm }),
  escalate: entry('escalate', { icon: '⤴', summarize: summarizeEscalate, form: EscalateForm }),
  update: entry('update', { icon: '✎', summarize: summarizeUpdate, form: UpdateForm }),
  crm_update: entry('crm_update', { icon: '⇪', summarize: summarizeCrmUpdate, form: CrmUpdateForm }),
  end: entry('end', { icon: '■', summarize: summarizeEnd, form: EndForm }),
};

/**
 * React Flow's node types, built once here at module scope from the registry: a new object per render would
 * make React Flow re-mount every node (and warn). Keyed by our node kinds, so a flow node's `type` is ours.
 */
export const nodeTypes = Object.fromEntries(NODE_TYPES.map((type) => [type, nodeView(NODE_REGISTRY[type])])) as Record<NodeType, NodeTypes[string]>;

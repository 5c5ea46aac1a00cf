import type { NodeType } from '@lead-router/shared';
import { Bell, Building2, CircleStop, Clock, CloudUpload, Gauge, GitBranch, PencilLine, Siren, Sparkles, Split, UserCheck, Zap, type LucideIcon } from 'lucide-react';

/**
 * Each kind's icon (lucide), exhaustive over shared's `NodeType`. The registry hands them to the cards and
 * the palette; the "+" menu reads them here, since the cards that show it are built by the registry.
 */
export const KIND_ICONS: { [T in NodeType]: LucideIcon } = {
  trigger: Zap,
  branch: GitBranch,
  split: Split,
  enrich: Sparkles,
  match_account: Building2,
  score: Gauge,
  assign: UserCheck,
  notify: Bell,
  wait: Clock,
  escalate: Siren,
  update: PencilLine,
  crm_update: CloudUpload,
  end: CircleStop,
};

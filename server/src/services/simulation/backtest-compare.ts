import {
  buildCatalog,
  indexDirectory,
  interpretSync,
  isPaused,
  normalizeLead,
  SimulationEffects,
  type Directory,
  type Plan,
  type RoutingStateSnapshot,
} from '@lead-router/shared';

// The backtest's comparison, pure (no database, no HTTP): it runs inside the simulation threads
// (simulation.worker.ts), and directly in unit tests.

/** A real lead as it was routed and as the tested graph would route it now. */
export interface BacktestLead {
  leadId: string;
  receivedAt: string;
  actual: { assignee: string | null; path: string[] };
  predicted: { assignee: string | null; assigneeType: 'rep' | 'queue' | null; path: string[]; outcome: string };
  /** The predicted assignee differs from the one the lead actually got. */
  moved: boolean;
}

/** Counts over a backtest. */
export interface BacktestSummary {
  leads: number;
  moved: number;
  /** Leads predicted to end in a queue or with nobody. */
  fallback: number;
  /** Assignee -> leads it actually got (leads with nobody are not counted). */
  shareBefore: Record<string, number>;
  /** Assignee -> leads it would get (leads with nobody are not counted). */
  shareAfter: Record<string, number>;
}

/** A backtest's answer. */
export interface BacktestResponse {
  leads: BacktestLead[];
  summary: BacktestSummary;
}

/** A stored lead with what production did with it. */
export interface HistoricLead {
  id: string;
  data: Record<string, unknown>;
  receivedAt: Date;
  actualAssignee: string | null;
  actualPath: string[];
}

/**
 * Predicts each historic lead on simulated effects and compares. Each lead starts at the instant it was
 * received (working hours, out-of-office and daily caps as of then); the routing state starts from `state`
 * and carries from lead to lead, oldest first, as production's would. Waits are accepted at once.
 */
export function compareWithHistory(plan: Plan, history: readonly HistoricLead[], directory: Directory, state: RoutingStateSnapshot): BacktestResponse {
  const catalog = buildCatalog(directory.customFields);
  const index = indexDirectory(directory);
  let moved = 0;
  let fallback = 0;
  // Maps, not records: an assignee id read back from the database could be "__proto__".
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  let carried: RoutingStateSnapshot = state;
  const out = history.map((h): BacktestLead => {
    const predicted = predict(h);
    const isMoved = predicted.assignee !== h.actualAssignee;
    if (isMoved) moved++;
    if (predicted.assigneeType !== 'rep') fallback++;
    if (h.actualAssignee !== null) before.set(h.actualAssignee, (before.get(h.actualAssignee) ?? 0) + 1);
    if (predicted.assignee !== null) after.set(predicted.assignee, (after.get(predicted.assignee) ?? 0) + 1);
    return { leadId: h.id, receivedAt: h.receivedAt.toISOString(), actual: { assignee: h.actualAssignee, path: h.actualPath }, predicted, moved: isMoved };
  });
  return { leads: out, summary: { leads: history.length, moved, fallback, shareBefore: Object.fromEntries(before), shareAfter: Object.fromEntries(after) } };

  function predict(h: HistoricLead): BacktestLead['predicted'] {
    // The catalog may have changed since the lead was stored: a lead that no longer reads is reported, not run.
    const n = normalizeLead(h.data, catalog);
    if (!n.ok) return { assignee: null, assigneeType: null, path: [], outcome: 'invalid' };
    // One effects object per lead, because each starts at its own instant; the state carries over.
    const effects = new SimulationEffects({ directory, state: carried, startTime: h.receivedAt.getTime() }, index);
    effects.beginLead(h.id);
    const r = interpretSync(plan, n.lead, effects, { leadId: h.id });
    carried = effects.state.snapshot();
    if (isPaused(r)) return { assignee: null, assigneeType: null, path: [], outcome: 'paused' };
    return { assignee: r.assignee ? r.assignee.id : null, assigneeType: r.assignee ? r.assignee.type : null, path: r.path, outcome: r.outcome };
  }
}

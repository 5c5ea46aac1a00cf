import { chooseAssignee } from '../assignment/choose';
import { indexDirectory, type DirectoryIndex } from '../assignment/directory-index';
import { MemoryRoutingState, type RoutingStateSnapshot } from '../assignment/memory-state';
import type { Assignee, Candidate, FairnessCredit } from '../assignment/types';
import { dayKey } from '../assignment/working-hours';
import { capsDayKey, isTeamPool } from '../assignment/periods';
import { firmographicsAnswer, firmographicsLookup } from '../directory/firmographics';
import type { Directory } from '../directory/schema';
import { isFreeMailDomain } from '../fields/free-mail';
import { isMissing } from '../fields/lead';
import { crmFieldValues } from '../graph/nodes/crm-update';
import type {
  AssignRequest,
  AssignResult,
  CrmUpdateRequest,
  CrmUpdateResult,
  Effects,
  EnrichRequest,
  EnrichResult,
  EscalateRequest,
  EscalateResult,
  MatchAccountRequest,
  MatchAccountResult,
  NotifyRequest,
  NotifyResult,
  UpdateRequest,
  UpdateResult,
  WaitRequest,
  WaitResult,
} from '../interpreter/effects';
import { pickEarlierLead, type EarlierLead } from '../matching/duplicates';
import { matchAccountResult } from '../matching/match-step';
import { formatMs } from '../util/format';
import { needsSlaSchedule, reminderNotifyRequest, slaSchedule } from '../calendar/sla';
import { workCalendarFor } from '../calendar/work-calendar';
import type { ReminderSent } from '../interpreter/effects';

/** How a simulated wait ends: accepted (or rejected) after some minutes, or timed out. */
export interface WaitChoice {
  outcome: 'accepted' | 'timed_out' | 'rejected';
  /** Minutes after the wait starts; at or past the SLA the wait times out instead. Default 0. */
  afterMinutes?: number;
  /** The same in milliseconds, for a delay known to the millisecond (a backtest's real answer); wins over afterMinutes. */
  afterMs?: number;
}

/**
 * How waits resolve in a test run: a default, and per lead. A list applies to a lead's successive waits
 * (first wait, second wait...), its last entry repeating. Without any choice a wait is accepted at once.
 */
export interface WaitPlan {
  default?: WaitChoice | WaitChoice[];
  byLead?: Record<string, WaitChoice | WaitChoice[]>;
}

/** Options of simulated effects. */
export interface SimulationOptions {
  directory: Directory;
  /** Round-robin cursors and rep loads to start from (a snapshot of production); empty by default. */
  state?: RoutingStateSnapshot;
  /** The virtual instant each lead starts at, ms since epoch. */
  startTime: number;
  waits?: WaitPlan;
  /**
   * Leads production routed before, for `match_account`'s duplicate check (a test run loads those sharing an
   * email with its leads). The leads this simulation routes join them as it goes.
   */
  earlierLeads?: readonly EarlierLead[];
}

const ACCEPT_AT_ONCE: WaitChoice = { outcome: 'accepted', afterMinutes: 0 };

/**
 * The choice for a lead's `round`-th wait (1-based) out of a choice or a list of them: a list's entries
 * apply in turn, its last one repeating; nothing (or an empty list) is accepted at once.
 */
export function waitChoiceAt(spec: WaitChoice | WaitChoice[] | undefined, round: number): WaitChoice {
  if (spec === undefined) return ACCEPT_AT_ONCE;
  if (!Array.isArray(spec)) return spec;
  if (spec.length === 0) return ACCEPT_AT_ONCE;
  return spec[Math.min(round, spec.length) - 1] ?? ACCEPT_AT_ONCE;
}

/** How a simulated wait with an SLA of `timeoutMs` ends on `choice`: an answer at or past the SLA times out. */
/** A weighted pool's counters after a choice, when the choice was from one (see AssignResult.wrrAfter). */
export function wrrAfter(r: { assignee: unknown; update?: { wrrCurrent?: Record<string, number> } | null }): { wrrAfter?: Record<string, number> } {
  return r.assignee !== null && r.update?.wrrCurrent !== undefined ? { wrrAfter: { ...r.update.wrrCurrent } } : {};
}

/** A choice's credit-back, when it has one (see AssignResult.credit). */
export function creditOf(r: { assignee: unknown; credit?: FairnessCredit | undefined }): { credit?: FairnessCredit } {
  return r.assignee !== null && r.credit !== undefined ? { credit: { ...r.credit } } : {};
}

const NOTHING = (): void => undefined;

export function resolveWait(choice: WaitChoice, timeoutMs: number): { outcome: WaitResult['outcome']; elapsedMs: number } {
  const after = Math.max(0, choice.afterMs ?? (choice.afterMinutes ?? 0) * 60_000);
  if (choice.outcome === 'timed_out' || after >= timeoutMs) return { outcome: 'timed_out', elapsedMs: timeoutMs };
  return { outcome: choice.outcome, elapsedMs: after };
}

/**
 * Effects for test runs: the same choices production makes, against a copy of the directory and routing
 * state held in memory. Nothing is sent or written anywhere; time is virtual and waits resolve as planned.
 */
export class SimulationEffects implements Effects {
  readonly index: DirectoryIndex;
  readonly state: MemoryRoutingState;
  private readonly options: SimulationOptions;
  private clock: number;
  private leadId = '';
  private leadStart = 0;
  /** Earlier leads by id, for the duplicate check: the given history, then each lead as this simulation assigns it. */
  private readonly earlier = new Map<string, EarlierLead>();

  constructor(options: SimulationOptions, index?: DirectoryIndex) {
    this.options = options;
    this.index = index ?? indexDirectory(options.directory);
    this.state = new MemoryRoutingState(options.state);
    this.clock = options.startTime;
    for (const e of options.earlierLeads ?? []) this.earlier.set(e.leadId, e);
  }

  /**
   * Starts a new lead: its own virtual clock from the start time, or from `at` (a backtest starts each lead
   * at its real arrival, and resumes a paused one at the end of its wait, on one shared routing state).
   */
  beginLead(leadId: string, at?: number): void {
    this.leadId = leadId;
    this.clock = at ?? this.options.startTime;
    // A resumed lead keeps the arrival time it was first seen with.
    this.leadStart = this.earlier.get(leadId)?.receivedAt ?? this.clock;
  }

  now(): number {
    return this.clock;
  }

  enrich(req: EnrichRequest): EnrichResult {
    if (req.config.provider === 'http') {
      return { found: false, fields: {}, detail: 'HTTP enrichment is not called in test runs; treated as not found' };
    }
    const lookup = firmographicsLookup(req.lead);
    if (lookup.answer) return lookup.answer;
    return firmographicsAnswer(lookup.domain, this.index.companiesByDomain.get(lookup.key));
  }

  matchAccount(req: MatchAccountRequest): MatchAccountResult {
    const days = req.config.duplicateWithinDays;
    const dup = days ? pickEarlierLead(this.earlier.values(), { leadId: this.leadId, email: req.lead.email, at: this.leadStart }, days) : null;
    return matchAccountResult(req, this.index, isFreeMailDomain, dup);
  }

  assign(req: AssignRequest): AssignResult {
    const exclude = req.config.excludePreviousAssignees ? req.previousAssignees : [];
    const undo = this.creditBack(req.credit, req.currentAssignee);
    const r = chooseAssignee(
      { strategy: req.config.strategy, eligibility: req.config.eligibility, lead: req.lead, now: this.clock, exclude, fairness: req.config.fairness },
      this.index,
      this.state,
    );
    // Nobody chosen: the lead stays, uncredited (production's transaction rolls back).
    if (r.assignee === null) undo();
    if (r.assignee) this.take(r.assignee, req.currentAssignee, req.lead.email, r.poolKey);
    this.state.apply(r.update);
    return { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey, explanation: r.explanation, ...wrrAfter(r), ...creditOf(r) };
  }

  notify(req: NotifyRequest): NotifyResult {
    const to =
      req.config.channel === 'slack' || req.config.channel === 'webhook'
        ? (req.config.url ?? 'its URL')
        : this.recipientName(req);
    return { delivered: true, detail: `Test run: would send ${req.config.channel.replace('_', '-')} to ${to}; nothing was sent` };
  }

  update(req: UpdateRequest): UpdateResult {
    return { ok: true, detail: `Test run: ${Object.keys(req.set).length} field(s) set on the simulated lead only` };
  }

  /** Nothing is sent in a test run: the step records what it would write and takes `written`. */
  crmUpdate(req: CrmUpdateRequest): CrmUpdateResult {
    const fields = crmFieldValues(req.config.fields, req.lead);
    const owner = req.config.writeOwner ? (req.assignee ? req.assignee.name : 'nobody (no rep holds the lead)') : null;
    const parts = [owner ? `owner ${owner}` : null, Object.keys(fields).length > 0 ? `${Object.keys(fields).length} field(s)` : null, req.config.task ? `task “${req.config.task.subject}”` : null].filter(Boolean);
    return {
      written: true,
      connectionId: req.config.connectionId,
      object: null,
      recordId: null,
      ownerCrmId: null,
      fields,
      taskId: null,
      errorCode: null,
      message: null,
      detail: `Test run: nothing is sent to the CRM; a real run writes ${parts.join(', ') || 'nothing'}`,
    };
  }

  wait(req: WaitRequest): WaitResult {
    const choice = this.waitChoice(req.round);
    const after = Math.max(0, choice.afterMs ?? (choice.afterMinutes ?? 0) * 60_000);
    // A business clock or reminders: the SLA worked out as the workflow does (same function, same calendar).
    const start = this.clock;
    const sla = needsSlaSchedule(req.config)
      ? slaSchedule(start, req.config, req.config.clock === 'business' ? workCalendarFor(req.assignee, this.index.reps, this.index.calendars ?? this.options.directory) : null)
      : null;
    const { outcome, elapsedMs } = resolveWait(choice, sla ? sla.timeoutMs : req.timeoutMs);
    // Reminders due before the wait ends are sent (simulated) at their instants, as the workflow's timers fire them.
    const reminders: ReminderSent[] = [];
    for (const due of sla?.reminders ?? []) {
      if (due.at >= start + elapsedMs) break;
      const notice = reminderNotifyRequest(req, reminders.length + 1);
      if (notice === null) break;
      this.clock = due.at;
      const sent = this.notify(notice);
      reminders.push({ percent: due.percent, at: due.at, delivered: sent.delivered, detail: sent.detail });
    }
    this.clock = start + elapsedMs;
    // Named as production names a rep's answer ("Rejected by Ana Diaz"), never by id.
    const planned = choice.outcome === 'timed_out' ? 'to time out' : `${choice.outcome} by ${req.assignee ? req.assignee.name : 'nobody'} after ${formatMs(after)}`;
    const result: WaitResult = { outcome, elapsedMs, detail: `Test run: planned ${planned}` };
    if (sla) {
      result.sla = { clock: sla.clock, deadline: sla.deadline, line: sla.line };
      if (reminders.length > 0) result.reminders = reminders;
    }
    return result;
  }

  escalate(req: EscalateRequest): EscalateResult {
    const current = req.currentAssignee;
    const cfg = req.config;
    if (cfg.to === 'queue') {
      const q = this.index.queues.get(cfg.queueId);
      if (!q) return { assignee: null, candidates: [], poolKey: null, released: null, explanation: [`Queue ${cfg.queueId} is not in the directory`] };
      const assignee: Assignee = { type: 'queue', id: q.id, name: q.name };
      this.creditBack(req.lastAssignment?.creditBack, current);
      const released = this.take(assignee, current, req.lead.email);
      return { assignee, candidates: [], poolKey: `queue:${q.id}`, released, explanation: [`Moved to queue ${q.name}`] };
    }
    if (cfg.to === 'manager') {
      const managerId = this.managerOf(current, req.lastAssignment?.poolKey ?? null);
      const manager = managerId ? this.index.reps.get(managerId) : undefined;
      if (!manager || !manager.active) {
        const who = current ? current.name : 'the lead';
        return { assignee: null, candidates: [], poolKey: null, released: null, explanation: [`No active manager found for ${who}`] };
      }
      const assignee: Assignee = { type: 'rep', id: manager.id, name: manager.name };
      if (manager.id !== current?.id) this.creditBack(req.lastAssignment?.creditBack, current);
      const released = this.take(assignee, current, req.lead.email);
      const candidates: Candidate[] = [{ repId: manager.id, name: manager.name, verdict: 'chosen', reason: `manager of ${current?.name ?? 'the team'}` }];
      return { assignee, candidates, poolKey: null, released, explanation: [`Escalated to ${manager.name}, manager of ${current?.name ?? 'the team'}`] };
    }
    const last = req.lastAssignment;
    if (!last) return { assignee: null, candidates: [], poolKey: null, released: null, explanation: ['The lead was never assigned from a pool, so there is no next rep'] };
    const undo = this.creditBack(last.creditBack, current);
    const r = chooseAssignee(
      { strategy: last.config.strategy, eligibility: last.config.eligibility, lead: req.lead, now: this.clock, exclude: req.previousAssignees, fairness: last.config.fairness },
      this.index,
      this.state,
    );
    if (r.assignee === null) undo();
    let released: string | null = null;
    if (r.assignee) released = this.take(r.assignee, current, req.lead.email, r.poolKey);
    this.state.apply(r.update);
    return { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey, released, explanation: r.explanation, ...wrrAfter(r), ...creditOf(r) };
  }

  /**
   * Fairness credit-back (issue #16): the lead leaves `from`, so the lead counted for them (in the window it
   * was counted in) no longer counts. Returns what undoes it, for a choice that then finds nobody.
   */
  private creditBack(credit: FairnessCredit | undefined, from: Assignee | null): () => void {
    if (credit === undefined || from === null || from.type !== 'rep') return NOTHING;
    const before = this.state.poolFairness(credit.poolKey);
    if (before === null || !this.state.creditBack(credit, from.id)) return NOTHING;
    return () => this.state.apply({ poolKey: credit.poolKey, fairness: before });
  }

  /**
   * Gives the lead to `to`, releasing the previous rep's open load; returns the released rep. A rep's day
   * counts in their caps' zone; a lead handed out by a team's pool counts for the team's caps (#16).
   */
  private take(to: Assignee, from: Assignee | null, email: unknown, poolKey: string | null = null): string | null {
    // Who holds the lead now, for later leads' duplicate check (as routing_runs has it in production).
    if (typeof email === 'string') this.earlier.set(this.leadId, { leadId: this.leadId, email, receivedAt: this.leadStart, repId: to.type === 'rep' ? to.id : null });
    if (to.type === 'rep') {
      const rep = this.index.reps.get(to.id);
      const zone = this.index.settings?.timeZone ?? 'UTC';
      this.state.recordAssignment(to.id, capsDayKey(rep, zone, this.clock));
      if (isTeamPool(poolKey)) this.state.recordPoolAssignment(poolKey, dayKey(this.clock, zone));
    }
    if (from && from.type === 'rep' && !(to.type === 'rep' && to.id === from.id)) {
      this.state.release(from.id);
      return from.id;
    }
    return null;
  }

  private managerOf(current: Assignee | null, poolKey: string | null): string | null {
    if (current?.type === 'rep') {
      const m = this.index.reps.get(current.id)?.managerId;
      if (m) return m;
    }
    if (poolKey?.startsWith('team:')) return this.index.teams.get(poolKey.slice(5))?.managerId ?? null;
    return null;
  }

  private recipientName(req: NotifyRequest): string {
    const r = req.config.recipient;
    switch (r.type) {
      case 'assignee':
        return req.assignee ? req.assignee.name : 'the assignee (none yet)';
      case 'manager': {
        const id = this.managerOf(req.assignee, null);
        return id ? (this.index.reps.get(id)?.name ?? id) : 'the manager (none found)';
      }
      case 'rep':
        return this.index.reps.get(r.repId)?.name ?? r.repId;
      case 'email':
        return r.address;
    }
  }

  private waitChoice(round: number): WaitChoice {
    const plan = this.options.waits;
    const own = plan?.byLead && !isMissing(this.leadId) && Object.prototype.hasOwnProperty.call(plan.byLead, this.leadId);
    return waitChoiceAt((own ? plan.byLead?.[this.leadId] : undefined) ?? plan?.default, round);
  }
}

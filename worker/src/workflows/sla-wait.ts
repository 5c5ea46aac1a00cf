import { condition, patched } from '@temporalio/workflow';
import {
  needsSlaSchedule,
  reminderNotifyRequest,
  reminderTraceStep,
  slaSchedule,
  type Assignee,
  type NotifyRequest,
  type NotifyResult,
  type ReminderSent,
  type SlaSchedule,
  type TraceStep,
  type WaitRequest,
  type WorkCalendar,
} from '@lead-router/shared/workflow';

// Business-hours SLAs and reminders of a `wait` (issue #16), for route-lead.workflow.ts. Determinism boundary
// as there: the calendar comes from an activity (recorded in history), the deadline and reminder instants
// from the shared `slaSchedule` on workflow time, the waiting from durable timers. Simulation calls the
// same `slaSchedule` on its virtual clock, so both count the same instants.

/**
 * Patch id: waits with a business clock or reminders ask for a work calendar (an activity) and run a timer
 * per reminder. Only such waits ask `patched`, and no run before this change had one, so old histories
 * replay untouched; the marker records that a run took the new path.
 */
export const BUSINESS_SLA = 'business-sla';

/**
 * Patch id: a reminder's trace step is recorded as the reminder goes out (the lead's trace shows it while the
 * wait goes on), not only with the wait's step when the wait ends. Asked only once a reminder has been sent,
 * so histories without one replay untouched; older runs with reminders replay without the extra activity.
 */
export const LIVE_REMINDER_STEPS = 'live-reminder-steps';

/** What the SLA race needs of the workflow: its clock, the calendar activity and the notify effect. */
export interface SlaIo {
  now(): number;
  calendar(assignee: Assignee | null): Promise<WorkCalendar>;
  notify(req: NotifyRequest): Promise<NotifyResult>;
  /**
   * When the lead reached the wait, if that was before this activation: a segment (issue #18) suspends at
   * the wait at its own clock, and the trace's wait step starts then. The SLA counts from there, as
   * simulation's does.
   */
  reachedAt?(): number | null;
  /**
   * Records a reminder's trace step while the run still waits (marked waiting as before: its node, its
   * deadline and who holds it), so the trace shows the reminder when it goes out.
   */
  recordReminder?(step: TraceStep, waiting: { nodeId: string; deadline: number; assignee: Assignee | null }): Promise<void>;
}

/** The SLA of a wait that started at `started`, or null for a plain wait (which runs exactly as before). */
export async function slaOf(req: WaitRequest, started: number, io: SlaIo): Promise<SlaSchedule | null> {
  if (!needsSlaSchedule(req.config) || !patched(BUSINESS_SLA)) return null;
  const calendar = req.config.clock === 'business' ? await io.calendar(req.assignee) : null;
  return slaSchedule(started, req.config, calendar);
}

/**
 * Races the rep's answer against each reminder's timer, then the deadline's: a reminder whose instant comes
 * first is sent (as the `n`-th reminder's notify, seq = the wait's + n) and its trace step recorded, the run
 * still marked waiting, held by `holder`. `got` is whether the answer came.
 */
export async function raceSla(req: WaitRequest, sla: SlaSchedule, answered: () => boolean, io: SlaIo, holder: Assignee | null = req.assignee): Promise<{ got: boolean; reminders: ReminderSent[] }> {
  const reminders: ReminderSent[] = [];
  for (const due of sla.reminders) {
    if (await condition(answered, Math.max(1, due.at - io.now()))) return { got: true, reminders };
    const notice = reminderNotifyRequest(req, reminders.length + 1);
    if (notice === null) break;
    const sent = await io.notify(notice);
    const reminder = { percent: due.percent, at: due.at, delivered: sent.delivered, detail: sent.detail };
    reminders.push(reminder);
    const step = reminderTraceStep(req, reminders.length, reminder);
    if (step !== null && io.recordReminder && patched(LIVE_REMINDER_STEPS)) await io.recordReminder(step, { nodeId: req.nodeId, deadline: sla.deadline, assignee: holder });
  }
  const got = await condition(answered, Math.max(1, sla.deadline - io.now()));
  return { got, reminders };
}

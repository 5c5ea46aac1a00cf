// When a wait's SLA runs out and when its reminders are due: one function that simulation and the Temporal
// workflow both call with the wait's start (virtual or workflow time) and the assignee's WorkCalendar, so
// both count the same instants. Pure: no clock of its own, no holiday package.
import { formatLocalDateTime } from '../assignment/working-hours';
import { durationToMs, formatDuration } from '../graph/nodes/kind';
import type { WaitConfig } from '../graph/nodes/wait';
import type { NotifyRequest, WaitRequest } from '../interpreter/effects';
import type { WorkCalendar } from './work-calendar';
import { addWorkingTime } from './working-time';

/** One reminder of a wait: at which share of the SLA, and the instant it is due. */
export interface ReminderDue {
  percent: number;
  at: number;
}

/** A wait's SLA worked out: the deadline, the reminders in order, and how the trace explains it. */
export interface SlaSchedule {
  clock: 'calendar' | 'business';
  deadline: number;
  /** The deadline less the start: how long the timer runs in real time. */
  timeoutMs: number;
  reminders: ReminderDue[];
  /** One line for the trace: what was counted, in whose hours, and when it is due. */
  line: string;
}

/** The reminder percents of a wait, sorted, without duplicates. */
export function reminderPercents(config: WaitConfig): number[] {
  return [...new Set(config.reminders?.atPercent ?? [])].sort((a, b) => a - b);
}

function hoursText(cal: WorkCalendar): string {
  const parts = [cal.timeZone];
  if (cal.workingHours === null) parts.push('all hours');
  if (cal.holidays) parts.push(`holidays ${cal.holidays}`);
  return parts.join(', ');
}

/**
 * The SLA of a wait that starts at `start`. A `calendar` clock counts every minute; a `business` clock counts
 * the working time of `calendar` (the assignee's, or the workspace's for a queue): spans of the weekly
 * hours on dates that are not holidays or company days off. A calendar with no working time at all falls
 * back to calendar time, and says so. Reminders are due at their share of the counted time.
 */
export function slaSchedule(start: number, config: WaitConfig, calendar: WorkCalendar | null): SlaSchedule {
  const total = durationToMs(config.timeout);
  const percents = reminderPercents(config);
  const what = formatDuration(config.timeout);
  if (config.clock === 'business' && calendar !== null) {
    const deadline = addWorkingTime(start, total, calendar);
    if (deadline !== null) {
      const reminders = percents.map((percent) => ({ percent, at: addWorkingTime(start, Math.round((total * percent) / 100), calendar) ?? deadline }));
      const due = `${formatLocalDateTime(deadline, calendar.timeZone)} ${calendar.timeZone}`;
      return { clock: 'business', deadline, timeoutMs: deadline - start, reminders, line: `SLA ${what} of ${calendar.owner}'s working time (${hoursText(calendar)}): due ${due}` };
    }
    const reminders = percents.map((percent) => ({ percent, at: start + Math.round((total * percent) / 100) }));
    return { clock: 'calendar', deadline: start + total, timeoutMs: total, reminders, line: `SLA ${what}: ${calendar.owner} has no working time in the coming years, so it counts calendar time` };
  }
  const reminders = percents.map((percent) => ({ percent, at: start + Math.round((total * percent) / 100) }));
  return { clock: 'calendar', deadline: start + total, timeoutMs: total, reminders, line: `SLA ${what}` };
}

/** True when a wait needs its SLA worked out before it starts: a business clock, or reminders. */
export function needsSlaSchedule(config: WaitConfig): boolean {
  return config.clock === 'business' || reminderPercents(config).length > 0;
}

/** The notify request of a wait's `n`-th reminder sent (1-based): seq `req.seq + n`, as the trace numbers it. */
export function reminderNotifyRequest(req: WaitRequest, n: number): NotifyRequest | null {
  const r = req.reminders;
  if (!r) return null;
  return { leadId: req.leadId, nodeId: req.nodeId, seq: req.seq + n, config: r.config, lead: r.lead, assignee: req.assignee, message: r.message, subject: r.subject };
}

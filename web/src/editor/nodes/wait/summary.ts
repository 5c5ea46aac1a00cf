import { formatDuration, type WaitConfig } from '@lead-router/shared';

/** `Until accepted, SLA 15 minutes of working time, reminders at 50%, 80%`. */
export const summarizeWait = (c: WaitConfig): string =>
  `Until ${c.until}, SLA ${formatDuration(c.timeout)}${c.clock === 'business' ? ' of working time' : ''}${c.reminders ? `, reminders at ${c.reminders.atPercent.map((p) => `${p}%`).join(', ')}` : ''}`;

import { workCalendarFor, type Assignee, type WorkCalendar } from '@lead-router/shared';
import type { ActivityContext } from './context';
import type { RoutingActivities, RunRef } from './types';

/**
 * `workCalendar`: the working calendar a business-hours SLA counts in (issue #16), as plain data: the
 * assignee's zone, hours and closed dates (their holiday calendar's public holidays, resolved from
 * date-holidays when the directory was loaded, and the company days off); a queue or nobody counts in the
 * workspace's. Its answer is recorded in the run's history, so a replay counts with the calendar the run saw.
 */
export function createWorkCalendar(ctx: ActivityContext): Pick<RoutingActivities, 'workCalendar'> {
  return {
    async workCalendar(input: RunRef & { assignee: Assignee | null }): Promise<WorkCalendar> {
      const dir = await ctx.directory(input.workspaceId);
      return workCalendarFor(input.assignee, dir.reps, dir.calendars ?? {});
    },
  };
}

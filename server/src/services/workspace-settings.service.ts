import { defaultWorkspaceSettings, type WorkspaceSettings } from '@lead-router/shared';
import { workspaces } from '@lead-router/db/schema';
import type { Db } from '@lead-router/db/client';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { invalidInput, type ErrorDetail } from '../errors/domain-error';
import { audit } from './audit.service';
import { calendarProblems } from './holiday-calendars.service';

// Workspace settings (issue 16): the time zone days are counted in, the default holiday calendar of the
// reps, and the company's days off. Stored whole in workspaces.settings; the directory snapshot carries them
// to the compiler, test runs and the worker.

/** The workspace's settings (the defaults when nobody has set them). */
export async function getWorkspaceSettings(db: Db, p: Principal): Promise<WorkspaceSettings> {
  const [row] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, p.workspaceId)).limit(1);
  return row?.settings ?? defaultWorkspaceSettings();
}

/**
 * Replaces the settings (already shape-checked by the route): the holiday calendar must be one date-holidays
 * knows, a day off appears once. Audited with the settings before and after, in the same transaction.
 */
export async function putWorkspaceSettings(db: Db, p: Principal, input: WorkspaceSettings): Promise<WorkspaceSettings> {
  const problems: ErrorDetail[] = input.holidayCalendar ? calendarProblems(input.holidayCalendar) : [];
  const seen = new Map<string, number>();
  input.daysOff.forEach((d, i) => {
    if (seen.has(d.date)) problems.push({ path: `daysOff.${i}.date`, message: `${d.date} is already a day off (row ${seen.get(d.date)})` });
    else seen.set(d.date, i);
  });
  if (problems.length > 0) throw invalidInput(problems);
  const settings: WorkspaceSettings = {
    timeZone: input.timeZone,
    holidayCalendar: input.holidayCalendar ? { country: input.holidayCalendar.country, ...(input.holidayCalendar.region ? { region: input.holidayCalendar.region } : {}) } : null,
    daysOff: [...input.daysOff].sort((a, b) => a.date.localeCompare(b.date)),
  };
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, p.workspaceId)).for('update');
    await tx.update(workspaces).set({ settings }).where(eq(workspaces.id, p.workspaceId));
    await audit(tx, p, p.workspaceId, 'workspace.settings.update', { type: 'workspace', id: p.workspaceId }, { before: before?.settings ?? null, after: settings });
    return settings;
  });
}

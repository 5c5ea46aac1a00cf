// Working calendars and SLA clocks (issue #16). `holidays.ts` (date-holidays) is deliberately not here: it is
// `@lead-router/shared/holidays`, for code outside the workflow sandbox only.
export * from './work-calendar';
export { addWorkingMinutes, addWorkingTime, closedReason, isWorkingAt } from './working-time';
export * from './sla';

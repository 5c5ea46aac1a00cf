// Closing a lead: its rep worked it (converted, disqualified, ...). A closed lead no longer counts as one of
// the rep's open leads, so the open-lead caps the assign step honours free up as reps work their leads.

/** Why a lead was closed. */
export const LEAD_CLOSE_REASONS = ['converted', 'disqualified', 'not_a_fit', 'duplicate', 'unresponsive', 'other'] as const;
export type LeadCloseReason = (typeof LEAD_CLOSE_REASONS)[number];

/** Each reason as a person reads it. */
export const LEAD_CLOSE_REASON_LABELS: { readonly [R in LeadCloseReason]: string } = {
  converted: 'Converted (meeting or opportunity)',
  disqualified: 'Disqualified',
  not_a_fit: 'Not a fit',
  duplicate: 'Duplicate',
  unresponsive: 'Unresponsive',
  other: 'Other',
};

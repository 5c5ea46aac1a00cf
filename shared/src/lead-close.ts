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

/**
 * Closes that say the lead should not have counted for the rep: with a balanced assign step's credit-back on
 * (fairness, issue #16), the lead is taken back from the rep's count in the window it was assigned in.
 */
export const CREDIT_BACK_CLOSE_REASONS: readonly LeadCloseReason[] = ['disqualified', 'not_a_fit', 'duplicate'];

/** A small colored label for a status (run status, workflow status, active/inactive). */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`status-badge is-${status.replace(/[^a-z_-]/gi, '')}`}>{label ?? status.replace(/_/g, ' ')}</span>;
}

/** A horizontal bar chart of counts, largest first: leads per rep, per outcome. */
export function BarChart({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return (
    <figure style={{ margin: '0.5rem 0' }} aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {rows.map(([k, n]) => (
        <div key={k} className="bar">
          <span title={k}>{k}</span>
          <div className="bar-fill" style={{ width: `${(n / max) * 100}%` }} />
          <span>{n}</span>
        </div>
      ))}
    </figure>
  );
}

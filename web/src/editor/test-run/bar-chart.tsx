/**
 * A horizontal bar chart of counts, largest first: leads per rep, per outcome. `nameOf` names a key (a rep's
 * id by the rep's name); the key itself stays in the row's tooltip.
 */
export function BarChart({ title, counts, nameOf = (k) => k }: { title: string; counts: Record<string, number>; nameOf?: (key: string) => string }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return (
    <figure style={{ margin: '0.5rem 0' }} aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {rows.map(([k, n]) => (
        <div key={k} className="bar">
          <span title={k}>{nameOf(k)}</span>
          <div className="bar-fill" style={{ width: `${(n / max) * 100}%` }} />
          <span>{n}</span>
        </div>
      ))}
    </figure>
  );
}

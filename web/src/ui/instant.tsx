import { formatInstant, formatInstantFull } from './format';

/** An instant as the pages show it (formatInstant: always with its day), the full instant and zone on hover. */
export function Instant({ iso, seconds = false }: { iso: string | null | undefined; seconds?: boolean }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={formatInstantFull(iso)}>
      {formatInstant(iso, { seconds })}
    </time>
  );
}

import { formatInstant, formatInstantFull } from './format';
import { Tip } from './tooltip';

/** An instant as the pages show it (formatInstant: always with its day), the full instant and zone in a tooltip. */
export function Instant({ iso, seconds = false }: { iso: string | null | undefined; seconds?: boolean }) {
  if (!iso) return <>—</>;
  return (
    <Tip content={formatInstantFull(iso)}>
      <time dateTime={iso}>{formatInstant(iso, { seconds })}</time>
    </Tip>
  );
}

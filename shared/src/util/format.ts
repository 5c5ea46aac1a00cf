/** A span of milliseconds in words: `45 seconds`, `15 minutes`, `2 hours 5 minutes`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  if (m < 60) {
    const rest = s % 60;
    return `${m} minute${m === 1 ? '' : 's'}${rest ? ` ${rest} s` : ''}`;
  }
  const h = Math.floor(m / 60);
  const rm = m % 60;
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}${rm ? ` ${rm} minute${rm === 1 ? '' : 's'}` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} days${h % 24 ? ` ${h % 24} hours` : ''}`;
}

/**
 * Text in double quotes, escaped exactly as JSON.stringify would; explanations quote a value per clause on
 * the hot path, and most values need no escaping, so those skip the serializer.
 */
export function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** A lead value for explanations: text quoted, numbers and booleans bare, missing as `empty`. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'empty';
  if (typeof v === 'string') return quote(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  return String(v);
}

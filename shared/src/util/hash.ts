/** FNV-1a 32-bit hash of a string: deterministic everywhere, for splits by lead id. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The bucket (0..9999) a lead falls in at a split node; the same lead always lands in the same bucket. */
export function splitBucket(leadId: string, nodeId: string): number {
  return fnv1a(`${leadId}\u0000${nodeId}`) % 10000;
}

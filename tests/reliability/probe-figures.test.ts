import { describe, expect, it } from 'vitest';
import { probeFigures } from './hostile-load.scenario';

// The hostile-load test's /healthz probe: a slow server shows as slow polls among regular sends and counts; a
// gap in the sends is the probe's own stall, and the polls in flight across it are left out.
const every100 = (from: number, to: number, ms = 5) => Array.from({ length: (to - from) / 100 }, (_, i) => ({ at: from + i * 100, ms }));

describe('probeFigures', () => {
  it('keeps a slow server: regular sends, long answers', () => {
    const sent = [...every100(0, 1000), ...every100(1000, 1500, 900), ...every100(1500, 3000)];
    const f = probeFigures(sent);
    expect(f.polls).toHaveLength(30);
    expect(f.probeStalls).toEqual([]);
    expect(f.slow.map((p) => p.ms)).toEqual([900, 900, 900, 900, 900]);
  });

  it('leaves out the polls in flight across a gap in the sends (the probe stalled), and reports the gap', () => {
    // Sends every 100 ms to 1.4 s, nothing until 4.4 s, then on; the poll sent at 1.4 s "took" 3 s.
    const sent = [...every100(0, 1400), { at: 1400, ms: 3000 }, ...every100(4400, 5000)];
    const f = probeFigures(sent);
    expect(f.probeStalls).toEqual([{ at: 1.4, ms: 3000 }]);
    expect(f.polls).toHaveLength(20);
    expect(Math.max(...f.polls)).toBe(5);
  });
});

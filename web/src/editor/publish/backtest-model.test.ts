import { describe, expect, it } from 'vitest';
import { customWindow, fidelityPercent, fidelityTone, formatPoints, formatShare, presetWindow, shareRows, toLocalInput } from './backtest-model';

const names: Record<string, string> = { 'rep-bo': 'Bo Chen', 'q-unassigned': 'Unassigned leads' };
const nameOf = (id: string) => names[id] ?? id;

describe('shareRows', () => {
  const summary = {
    leads: 200,
    moved: 7,
    assignees: [
      { id: 'rep-bo', type: 'rep' as const, actual: 26, active: 25, candidate: 32 },
      { id: 'q-unassigned', type: 'queue' as const, actual: 53, active: 53, candidate: 46 },
      { id: 'rep-gone', type: 'rep' as const, actual: 0, active: 0, candidate: 0 },
      { id: null, type: null, actual: 1, active: 0, candidate: 0 },
    ],
  };

  it('counts and shares of the window per assignee by name, and the change in points', () => {
    const rows = shareRows({ summary, active: { version: 3 } }, nameOf);
    expect(rows.map((r) => [r.name, r.before, formatShare(r.beforeShare), r.after, formatShare(r.afterShare), formatPoints(r.deltaPts)])).toEqual([
      ['Bo Chen', 25, '12.5%', 32, '16%', '+3.5 pts'],
      ['Unassigned leads', 53, '26.5%', 46, '23%', '−3.5 pts'],
      ['Nobody (unassigned)', 0, '0%', 0, '0%', 'no change'],
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['rep', 'queue', 'nobody']);
  });

  it('without an active version the baseline is what really happened', () => {
    const rows = shareRows({ summary, active: null }, nameOf);
    expect(rows.map((r) => [r.name, r.before, r.after])).toEqual([
      ['Bo Chen', 26, 32],
      ['Unassigned leads', 53, 46],
      ['Nobody (unassigned)', 1, 0],
    ]);
  });
});

describe('formatting', () => {
  it('shares and points', () => {
    expect(formatShare(0.125)).toBe('12.5%');
    expect(formatShare(1)).toBe('100%');
    expect(formatPoints(0)).toBe('no change');
    expect(formatPoints(12)).toBe('+12 pts');
    expect(formatPoints(0.01)).toBe('+<0.1 pts');
  });

  it('fidelity never rounds up to 100%', () => {
    expect(fidelityPercent({ compared: 200, matched: 200 })).toBe('100%');
    expect(fidelityPercent({ compared: 200, matched: 199 })).toBe('99.5%');
    expect(fidelityPercent({ compared: 3, matched: 2 })).toBe('66.6%');
    expect(fidelityPercent({ compared: 0, matched: 0 })).toBeNull();
    expect([fidelityTone({ compared: 100, matched: 97 }), fidelityTone({ compared: 100, matched: 90 }), fidelityTone({ compared: 100, matched: 50 })]).toEqual(['good', 'fair', 'poor']);
  });
});

describe('windows', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  it('a preset ends now', () => {
    expect(presetWindow('24h', now)).toEqual({ since: '2026-03-09T12:00:00.000Z', until: '2026-03-10T12:00:00.000Z' });
    expect(presetWindow('30d', now).since).toBe('2026-02-08T12:00:00.000Z');
  });

  it('a custom window names what is wrong', () => {
    const from = toLocalInput('2026-03-01T09:30:00Z');
    const to = toLocalInput('2026-03-02T09:30:00Z');
    expect(customWindow(from, to)).toEqual({ ok: true, window: { since: '2026-03-01T09:30:00.000Z', until: '2026-03-02T09:30:00.000Z' } });
    expect(customWindow('', to)).toMatchObject({ ok: false, field: 'from' });
    expect(customWindow(to, from)).toMatchObject({ ok: false, field: 'to', message: 'The end must come after the start.' });
    expect(customWindow(toLocalInput('2025-01-01T00:00:00Z'), to)).toMatchObject({ ok: false, field: 'to', message: 'A window may span at most 92 days.' });
  });
});

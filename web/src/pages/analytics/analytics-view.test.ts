import { describe, expect, it } from 'vitest';
import { csvHref, formatPoints, formatShare, fromLocalInput, leadsHref, parseView, resolveRange, toLocalInput, verdictText, viewSearch, type AnalyticsView } from './analytics-view';
import { flowOrder, groupBy, pathCounts, pivotByBucket } from './pivot';

const WF = '0b7e1c9a-2f4d-4c7e-9a11-3d5e6f708192';

describe('the view in the URL', () => {
  it('reads a shared link back into the same view', () => {
    const view: AnalyticsView = { workflow: WF, range: 'custom', from: '2026-11-01T08:00:00.000Z', to: '2026-11-03T17:30:00.000Z', clock: 'working', section: 'fairness' };
    expect(parseView(`?${viewSearch(view)}`)).toEqual(view);
  });

  it('leaves defaults out of the URL and falls back to them for unknown values', () => {
    expect(viewSearch({ workflow: WF, range: '7d', from: null, to: null, clock: 'wall', section: 'speed' })).toBe(`workflow=${WF}`);
    expect(parseView('?range=1y&clock=sundial&section=nope')).toEqual({ workflow: null, range: '7d', from: null, to: null, clock: 'wall', section: 'speed' });
  });

  it('ignores from and to unless the range is custom', () => {
    expect(parseView('?range=24h&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z')).toMatchObject({ range: '24h', from: null, to: null });
  });
});

describe('resolveRange', () => {
  const now = new Date('2026-12-04T14:25:10.000Z');

  it('ends a preset at the next full hour, so the range stays put for the hour', () => {
    expect(resolveRange(parseView('?range=24h'), now)).toEqual({ ok: true, from: '2026-12-03T15:00:00.000Z', to: '2026-12-04T15:00:00.000Z' });
    expect(resolveRange(parseView('?range=24h'), new Date('2026-12-04T14:59:59.000Z'))).toEqual(resolveRange(parseView('?range=24h'), now));
    expect(resolveRange(parseView('?range=90d'), now)).toMatchObject({ from: '2026-09-05T15:00:00.000Z' });
  });

  it('checks a custom range', () => {
    expect(resolveRange(parseView('?range=custom&from=2026-11-01T08:00:00Z&to=2026-11-02T08:00:00Z'), now)).toEqual({ ok: true, from: '2026-11-01T08:00:00.000Z', to: '2026-11-02T08:00:00.000Z' });
    expect(resolveRange(parseView('?range=custom&from=2026-11-02T08:00:00Z&to=2026-11-01T08:00:00Z'), now)).toEqual({ ok: false, message: 'The range must end after it starts.' });
    expect(resolveRange(parseView('?range=custom&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'), now)).toEqual({ ok: false, message: 'A range covers at most 400 days.' });
    expect(resolveRange(parseView('?range=custom&to=2026-11-01T08:00:00Z'), now)).toEqual({ ok: false, message: 'Pick the start and the end of the range.' });
  });
});

describe('leadsHref', () => {
  it('turns a figure’s filter into the lead list’s query, every field and in a fixed order', () => {
    const href = leadsHref({ assignedTo: 'rep-ben', until: '2026-12-04T15:00:00.000Z', workflow: WF, assignedBy: 'assign-drill', since: '2026-11-27T15:00:00.000Z' });
    expect(href).toBe(`/leads?workflow=${WF}&since=2026-11-27T15%3A00%3A00.000Z&until=2026-12-04T15%3A00%3A00.000Z&assignedTo=rep-ben&assignedBy=assign-drill`);
    expect(Object.fromEntries(new URL(href, 'http://x').searchParams)).toEqual({ workflow: WF, since: '2026-11-27T15:00:00.000Z', until: '2026-12-04T15:00:00.000Z', assignedTo: 'rep-ben', assignedBy: 'assign-drill' });
  });

  it('keeps a field it does not know yet, and drops empty ones', () => {
    const filter = { workflow: WF, since: 'a', until: 'b', waitOutcome: '', team: 'team-drill' } as Parameters<typeof leadsHref>[0];
    expect(leadsHref(filter)).toBe(`/leads?workflow=${WF}&since=a&until=b&team=team-drill`);
  });

  it('encodes what a query string must', () => {
    expect(leadsHref({ workflow: WF, since: 'a', until: 'b', nodeOutcome: 'no eligible & more' })).toContain('nodeOutcome=no+eligible+%26+more');
  });
});

describe('csvHref', () => {
  it('asks the section for one table as CSV over the page’s range', () => {
    const href = csvHref('sla', 'byRep', WF, { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/api/analytics/sla');
    expect(Object.fromEntries(url.searchParams)).toEqual({ workflowId: WF, from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', format: 'csv', table: 'byRep' });
  });
});

describe('formatting', () => {
  it('shows shares and deviation points', () => {
    expect(formatShare(0.4166)).toBe('41.7%');
    expect(formatShare(null)).toBe('—');
    expect(formatPoints(4.249)).toBe('+4.2 pts');
    expect(formatPoints(-3)).toBe('−3.0 pts');
    expect(formatPoints(0.01)).toBe('0.0 pts');
    expect(formatPoints(null)).toBe('—');
  });

  it('names the candidates’ verdicts', () => {
    expect(verdictText('out_of_office')).toBe('Out of office');
    expect(verdictText('over_daily_cap')).toBe('Over daily cap');
    expect(verdictText('some_new_reason')).toBe('Some new reason');
  });

  it('round-trips a datetime-local value in the viewer’s zone', () => {
    const iso = fromLocalInput('2026-11-03T09:45');
    expect(iso).not.toBeNull();
    expect(toLocalInput(iso)).toBe('2026-11-03T09:45');
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});

describe('pivotByBucket', () => {
  it('makes one row per bucket in time order with each series’ value and filter', () => {
    const f = (rep: string, at: string) => ({ workflow: WF, since: at, until: at, assignedTo: rep });
    const rows = [
      { bucketStart: '2026-12-02T00:00:00.000Z', repId: 'rep-cara', repName: 'Cara Singh', leads: 1 },
      { bucketStart: '2026-12-01T00:00:00.000Z', repId: 'rep-ben', repName: 'Ben Okafor', leads: 2 },
      { bucketStart: '2026-12-02T00:00:00.000Z', repId: 'rep-ben', repName: 'Ben Okafor', leads: 3 },
    ];
    const p = pivotByBucket(
      rows,
      (r) => ({ key: r.repId, name: r.repName }),
      (r) => r.leads,
      (r) => f(r.repId, r.bucketStart),
    );
    expect(p.series).toEqual([
      { key: 'rep-ben', name: 'Ben Okafor' },
      { key: 'rep-cara', name: 'Cara Singh' },
    ]);
    expect(p.rows.map((r) => [r.bucketStart, r.values])).toEqual([
      ['2026-12-01T00:00:00.000Z', { 'rep-ben': 2 }],
      ['2026-12-02T00:00:00.000Z', { 'rep-cara': 1, 'rep-ben': 3 }],
    ]);
    expect(p.rows[1]!.filters['rep-cara']).toEqual(f('rep-cara', '2026-12-02T00:00:00.000Z'));
  });

  it('groups rows keeping the first-seen order', () => {
    expect(groupBy(['b1', 'a1', 'b2'], (s) => s[0]!)).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1']],
    ]);
  });
});

describe('flowOrder', () => {
  it('lists the steps in the order a lead meets them, from the trigger', () => {
    const edge = (nodeId: string, nodeType: string, next: string | null) => ({ nodeId, nodeType, next });
    // As the API sorts them: by node id.
    const edges = [edge('assign-us', 'assign', 'sla'), edge('done', 'end', null), edge('orphan', 'assign', 'done'), edge('region', 'branch', 'to-queue'), edge('region', 'branch', 'assign-us'), edge('sla', 'wait', 'done'), edge('to-queue', 'assign', 'done'), edge('trigger', 'trigger', 'region')];
    expect(flowOrder(edges)).toEqual(['trigger', 'region', 'to-queue', 'assign-us', 'done', 'sla', 'orphan']);
  });
});

describe('pathCounts', () => {
  it('puts each step’s outcomes and counts on one line', () => {
    const edge = (nodeId: string, outcome: string | null, steps: number) => ({ nodeId, outcome, steps });
    expect(pathCounts([edge('region', 'else', 1), edge('region', 'us', 3), edge('assign', 'no_eligible_rep', 1), edge('done', null, 2), edge('sla', 'accepted', 1)])).toEqual({
      region: 'else 1 · us 3',
      assign: 'no eligible rep 1',
      done: '2 steps',
      sla: 'accepted 1',
    });
  });
});

import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, ArrowRight, CheckCircle2, Info, Loader2, Route } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { ErrorMessage } from '../../ui/error-message';
import { formatInstant, formatInstantFull } from '../../ui/format';
import type { Backtest, BacktestLead } from '../api/queries';
import { useDirectoryNames } from '../directory/directory-names';
import { useEditorApi } from '../store/editor-context';
import { leadOverlay } from '../test-run/run-overlay';
import { DEFAULT_PRESET, fidelityPercent, fidelityTone, formatPoints, formatShare, leadsText, presetWindow, shareRows, type ShareRow } from './backtest-model';
import { BacktestWindowPicker, type WindowChoice } from './backtest-window';
import './publish.css';

/** The most leads one backtest replays (the API's default `limit`). */
const LIMIT = 1000;
/** The moved leads listed by name; the counts cover them all. */
const MOVED_SHOWN = 20;

/**
 * The backtest before publishing: the window's real leads replayed through the active version and through
 * the draft from the same starting state (an unchanged draft moves nothing), counts and shares per assignee
 * by name with the change in points, the leads that would move, how faithfully the active replay
 * reproduces reality, and the assumptions behind it all. The person picks the window.
 */
export function BacktestSummary({ workflowId, onShow }: { workflowId: string; onShow: () => void }) {
  const [choice, setChoice] = useState<WindowChoice>(() => ({ preset: DEFAULT_PRESET, window: presetWindow(DEFAULT_PRESET, Date.now()) }));
  const { since, until } = choice.window;
  const bt = useQuery({
    queryKey: ['workflow', workflowId, 'backtest', since, until],
    queryFn: () => read(api.api.workflows[':id'].backtest.$post({ param: { id: workflowId }, json: { since, until, source: 'draft', limit: LIMIT } })),
    staleTime: 0,
    // A backtest answers for the draft as it was: never shown again from the cache after an edit.
    gcTime: 0,
  });
  return (
    <section className="backtest" aria-label="Backtest" data-testid="publish-backtest">
      <div className="backtest-head">
        <h3>Backtest</h3>
        <BacktestWindowPicker value={choice} onChange={setChoice} />
      </div>
      {bt.isPending ? (
        <p className="backtest-muted" role="status">
          <Loader2 aria-hidden size={16} className="backtest-spin" /> Replaying the window…
        </p>
      ) : bt.isError ? (
        <ErrorMessage error={bt.error} />
      ) : (
        <BacktestResult bt={bt.data} onShow={onShow} />
      )}
    </section>
  );
}

function BacktestResult({ bt, onShow }: { bt: Backtest; onShow: () => void }) {
  const names = useDirectoryNames();
  const nameOf = (id: string | null) => (id === null ? 'nobody' : names.assignee(id));
  const n = bt.summary.leads;
  const range = (
    <>
      <time dateTime={bt.window.since} title={formatInstantFull(bt.window.since)}>
        {formatInstant(bt.window.since)}
      </time>{' '}
      to{' '}
      <time dateTime={bt.window.until} title={formatInstantFull(bt.window.until)}>
        {formatInstant(bt.window.until)}
      </time>
    </>
  );
  const firstPublish = !bt.active && (
    <p className="backtest-note" data-testid="backtest-first-publish">
      <Info aria-hidden size={16} /> No version is active yet, so there is no active version to replay: the draft&apos;s replay is held against what
      really happened to the window&apos;s leads instead.
    </p>
  );
  if (bt.window.total === 0) {
    return (
      <>
        {firstPublish}
        <p className="backtest-empty" data-testid="backtest-empty">
          No lead arrived from {range}. Pick a longer window to replay real traffic.
        </p>
      </>
    );
  }
  const rows = shareRows(bt, (id) => names.assignee(id));
  const moved = bt.leads.filter((l) => l.moved);
  const baseline = bt.active ? `Version ${bt.active.version} (active)` : 'Really';
  return (
    <>
      <p className="backtest-window-text">
        {leadsText(n)} from {range}
        {bt.window.total > n ? ` (the first ${n.toLocaleString('en-US')} of ${bt.window.total.toLocaleString('en-US')})` : ''},{' '}
        {bt.active ? `replayed through version ${bt.active.version}, the active one, and through the draft, from the same starting state.` : 'replayed through the draft.'}
      </p>
      {firstPublish}
      <p className={`backtest-moved${bt.summary.moved === 0 ? ' is-none' : ''}`} data-testid="backtest-moved">
        {bt.summary.moved === 0
          ? bt.active
            ? 'No lead would move: the draft routes every lead of the window as the active version does.'
            : 'No lead would go elsewhere than it really went.'
          : bt.active
            ? `${leadsText(bt.summary.moved)} of ${n.toLocaleString('en-US')} would move to another assignee.`
            : `${leadsText(bt.summary.moved)} of ${n.toLocaleString('en-US')} would go elsewhere than they really went.`}
      </p>
      {bt.fidelity && <Fidelity fidelity={bt.fidelity} />}
      {rows.length > 0 && <SharesTable rows={rows} baseline={baseline} showActual={bt.active !== null} />}
      {moved.length > 0 && (
        <div className="backtest-moves">
          <h4>Leads that would move</h4>
          <ul data-testid="backtest-moved-leads">
            {moved.slice(0, MOVED_SHOWN).map((l) => (
              <MovedLead key={l.leadId} lead={l} from={nameOf(bt.active ? (l.active?.assignee ?? null) : l.actual.assignee)} to={nameOf(l.candidate.assignee)} onShow={onShow} />
            ))}
          </ul>
          {moved.length > MOVED_SHOWN && <p className="backtest-muted">and {leadsText(moved.length - MOVED_SHOWN)} more.</p>}
        </div>
      )}
      <details className="backtest-assumptions">
        <summary>How the replay works: {bt.assumptions.length} assumptions</summary>
        <ul data-testid="backtest-assumptions">
          {bt.assumptions.map((a) => (
            <li key={a.id} data-assumption={a.id}>
              {a.text}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

function Fidelity({ fidelity }: { fidelity: NonNullable<Backtest['fidelity']> }) {
  const pct = fidelityPercent(fidelity);
  const tone = fidelityTone(fidelity);
  const Icon = tone === 'good' ? CheckCircle2 : tone === 'none' ? Info : AlertTriangle;
  return (
    <p className={`backtest-fidelity is-${tone}`} data-testid="backtest-fidelity">
      <Icon aria-hidden size={16} />
      {pct === null ? (
        <span>No lead of this window is routed yet, so the replay cannot be held against reality.</span>
      ) : (
        <span>
          <strong>The model reproduces {pct} of real assignments</strong>: the active version&apos;s replay gives {fidelity.matched.toLocaleString('en-US')} of{' '}
          {leadsText(fidelity.compared)} the assignee they really got.
          {tone !== 'good' && ' The moves are less certain where it differs; see the assumptions.'}
        </span>
      )}
    </p>
  );
}

function SharesTable({ rows, baseline, showActual }: { rows: ShareRow[]; baseline: string; showActual: boolean }) {
  return (
    <table className="backtest-table" aria-label="Leads per assignee">
      <thead>
        <tr>
          <th scope="col">Assignee</th>
          <th scope="col" className="num">
            {baseline}
          </th>
          <th scope="col" className="num">
            Draft
          </th>
          <th scope="col" className="num">
            Change
          </th>
          {showActual && (
            <th scope="col" className="num" title="Leads each really has now">
              Really
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-assignee={r.id ?? ''}>
            <th scope="row" title={r.id ?? undefined}>
              {r.name}
              {r.kind === 'queue' && <span className="backtest-kind">queue</span>}
            </th>
            <td className="num">
              <Count n={r.before} share={r.beforeShare} />
            </td>
            <td className="num">
              <Count n={r.after} share={r.afterShare} />
            </td>
            <td className={`num backtest-delta${r.deltaPts > 0 ? ' is-up' : r.deltaPts < 0 ? ' is-down' : ''}`}>{formatPoints(r.deltaPts)}</td>
            {showActual && <td className="num backtest-muted">{r.actual}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Count({ n, share }: { n: number; share: number }) {
  return (
    <>
      <span className="backtest-count">{n}</span> <span className="backtest-share">{formatShare(share)}</span>
    </>
  );
}

function MovedLead({ lead, from, to, onShow }: { lead: BacktestLead; from: string; to: string; onShow: () => void }) {
  const store = useEditorApi();
  return (
    <li>
      <span className="backtest-lead">{lead.label}</span>
      <span className="backtest-move">
        {from} <ArrowRight aria-hidden size={14} />
        <span className="backtest-hidden">to</span> {to}
      </span>
      <button
        type="button"
        className="backtest-show"
        onClick={() => {
          store.getState().setOverlay(leadOverlay(store.getState().graph, { path: lead.candidate.path }));
          onShow();
        }}
      >
        <Route aria-hidden size={14} /> Show the draft&apos;s path<span className="backtest-hidden"> of {lead.label}</span>
      </button>
    </li>
  );
}

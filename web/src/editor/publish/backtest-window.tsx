import { CalendarRange } from 'lucide-react';
import { useId, useState } from 'react';
import { customWindow, presetWindow, toLocalInput, WINDOW_PRESETS, type TimeWindow, type WindowPreset } from './backtest-model';

/** The window a backtest replays, and the choice it came from. */
export interface WindowChoice {
  preset: WindowPreset;
  window: TimeWindow;
}

/**
 * Picks the window: the last 24 hours, 7 days or 30 days (ending when picked), or a custom from/to in the
 * viewer's local time, applied with Apply once both are valid (what is wrong is said under its field).
 */
export function BacktestWindowPicker({ value, onChange }: { value: WindowChoice; onChange: (choice: WindowChoice) => void }) {
  const id = useId();
  const [custom, setCustom] = useState(value.preset === 'custom');
  const [from, setFrom] = useState(() => toLocalInput(value.window.since));
  const [to, setTo] = useState(() => toLocalInput(value.window.until));
  const [problem, setProblem] = useState<{ field: 'from' | 'to'; message: string } | null>(null);
  const selected: WindowPreset = custom ? 'custom' : value.preset;

  const pick = (p: WindowPreset) => {
    setProblem(null);
    if (p === 'custom') {
      setCustom(true);
      setFrom(toLocalInput(value.window.since));
      setTo(toLocalInput(value.window.until));
      return;
    }
    setCustom(false);
    onChange({ preset: p, window: presetWindow(p, Date.now()) });
  };
  const apply = () => {
    const r = customWindow(from, to);
    if (!r.ok) {
      setProblem({ field: r.field, message: r.message });
      return;
    }
    setProblem(null);
    onChange({ preset: 'custom', window: r.window });
  };
  const errorId = `${id}-problem`;
  return (
    <div className="backtest-window" role="group" aria-label="Backtest window">
      <span className="backtest-window-preset">
        <CalendarRange aria-hidden size={16} />
        <select aria-label="Window" value={selected} onChange={(e) => pick(e.target.value as WindowPreset)}>
          {WINDOW_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </span>
      {custom && (
        <div className="backtest-window-custom">
          <label>
            <span>From</span>
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-invalid={problem?.field === 'from' || undefined}
              aria-describedby={problem?.field === 'from' ? errorId : undefined}
            />
          </label>
          <label>
            <span>To</span>
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={problem?.field === 'to' || undefined}
              aria-describedby={problem?.field === 'to' ? errorId : undefined}
            />
          </label>
          <button type="button" onClick={apply}>
            Apply
          </button>
          {problem && (
            <p id={errorId} className="backtest-window-problem" role="alert">
              {problem.field === 'from' ? 'From' : 'To'}: {problem.message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

import { Download } from 'lucide-react';
import type { ReactNode } from 'react';
import { Rectangle, type BarShapeProps } from 'recharts';
import { Link, useLocation } from 'wouter';
import { csvHref, leadsHref, type ApiSection, type LeadFilter } from './analytics-view';

/** What every section gets: the workflow, the resolved range, and the API section it reads. */
export interface SectionScope {
  workflowId: string;
  from: string;
  to: string;
}

/** A titled card of the page: a figure or a table, with its actions (CSV) on the right. */
export function Card({ title, hint, actions, children }: { title: string; hint?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const id = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="analytics-card" aria-labelledby={id}>
      <header className="analytics-card-head">
        <div>
          <h2 id={id}>{title}</h2>
          {hint && <p className="muted">{hint}</p>}
        </div>
        {actions && <div className="analytics-card-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/**
 * Downloads one table of a section as CSV. A plain link: the browser sends the session cookie with it (the
 * typed client authenticates the same way, `credentials: 'same-origin'`), and the API names the file.
 */
export function CsvLink({ section, table, scope, label }: { section: ApiSection; table: string; scope: SectionScope; label: string }) {
  return (
    <a className="button-link" href={csvHref(section, table, scope.workflowId, scope)} download aria-label={`Export ${label} as CSV`}>
      <Download aria-hidden size={14} /> CSV
    </a>
  );
}

/** A figure that links to the leads behind it (the lead list with the figure's filter). */
export function LeadsLink({ filter, children, label }: { filter: LeadFilter; children: ReactNode; label?: string }) {
  return (
    <Link href={leadsHref(filter)} aria-label={label}>
      {children}
    </Link>
  );
}

/** An empty state that says what to do. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** The colours of chart series, from the design tokens (SVG attributes cannot read CSS variables everywhere). */
export function tokenColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** The series palette: distinct token colours, in order. */
export function palette(): string[] {
  return [
    tokenColor('--color-primary', '#2f5bea'),
    tokenColor('--color-success-strong', '#12b76a'),
    tokenColor('--color-warning-strong', '#f79009'),
    tokenColor('--color-danger-strong', '#d92d20'),
    tokenColor('--color-info', '#175cd3'),
    tokenColor('--color-text-muted', '#667085'),
  ];
}

/** Navigates to the leads behind a clicked bar. */
export function useDrill(): (filter: LeadFilter | undefined) => void {
  const [, navigate] = useLocation();
  return (filter) => {
    if (filter) navigate(leadsHref(filter));
  };
}

/**
 * A bar shape that is a link for assistive technology and for tests: it carries `aria-label` (what the bar
 * shows) and role "link" when it has leads behind it. The click itself is the Bar's onClick.
 */
export function linkBar<T>(label: (row: T, props: BarShapeProps) => string | null) {
  function LinkBar(props: BarShapeProps) {
    const text = props.payload ? label(props.payload as T, props) : null;
    return <Rectangle {...props} {...(text ? { role: 'link', 'aria-label': text, tabIndex: -1 } : {})} style={{ cursor: text ? 'pointer' : 'default' }} />;
  }
  return LinkBar;
}

/** The axes' styling of the page's charts. */
export function axis(): { fontSize: number; stroke: string } {
  return { fontSize: 12, stroke: tokenColor('--color-text-muted', '#667085') };
}

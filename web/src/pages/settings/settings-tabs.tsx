import { Link } from 'wouter';
import { PageHeader } from '../../ui/page-header';

const TABS = [
  { href: '/settings/routing', label: 'Routing' },
  { href: '/settings/crm', label: 'CRM connections' },
  { href: '/settings/secrets', label: 'Secrets' },
] as const;

/** The Settings title and its pages' tabs. */
export function SettingsTabs({ current }: { current: (typeof TABS)[number]['href'] }) {
  return (
    <>
      <PageHeader title={<span id="settings-title">Settings</span>} />
      <nav className="section-tabs" aria-label="Settings sections">
        {TABS.map((t) => (
          <Link key={t.href} href={t.href} className={t.href === current ? 'active' : ''} aria-current={t.href === current ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
    </>
  );
}

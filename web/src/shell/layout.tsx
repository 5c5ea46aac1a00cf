import { useQueryClient } from '@tanstack/react-query';
import { BarChart3, BookUser, Inbox, ListOrdered, LogOut, Repeat, Route, Settings, UserRound, Users, Workflow, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client';
import { useCan, useSession, type Role } from '../auth/session';
import { ToastOutlet, ToastProvider } from '../ui/toast';
import { InboxCount } from './inbox-count';

const NAV: { href: string; label: string; icon: LucideIcon; role: Role }[] = [
  { href: '/workflows', label: 'Workflows', icon: Workflow, role: 'viewer' },
  { href: '/leads', label: 'Leads', icon: Users, role: 'viewer' },
  { href: '/queues', label: 'Queues', icon: ListOrdered, role: 'viewer' },
  { href: '/analytics', label: 'Analytics', icon: BarChart3, role: 'viewer' },
  { href: '/backfills', label: 'Backfills', icon: Repeat, role: 'viewer' },
  { href: '/inbox', label: 'Inbox', icon: Inbox, role: 'viewer' },
  { href: '/directory', label: 'Directory', icon: BookUser, role: 'viewer' },
  { href: '/settings/routing', label: 'Settings', icon: Settings, role: 'viewer' },
];

/** Whether a nav entry is the current page (Settings covers all of /settings/). */
const isCurrent = (location: string, href: string) => location.startsWith(href.startsWith('/settings/') ? '/settings' : href);

/** The app frame: navigation, the toasts' place, who is signed in, sign out. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location, navigate] = useLocation();
  const queryClient = useQueryClient();
  const isViewer = useCan('viewer');
  const signOut = async () => {
    await api.api.auth.logout.$post();
    queryClient.clear();
    navigate('/sign-in');
  };
  return (
    <ToastProvider>
      <div className="app">
        <header className="app-header">
          <span className="brand">
            <Route aria-hidden size={18} /> Lead Router
          </span>
          <nav aria-label="Main">
            {isViewer &&
              NAV.map(({ href, label, icon: Icon }) => (
                <Link key={href} href={href} className={isCurrent(location, href) ? 'active' : ''} aria-current={isCurrent(location, href) ? 'page' : undefined}>
                  <Icon aria-hidden size={16} />
                  {label}
                  {href === '/inbox' && <InboxCount />}
                </Link>
              ))}
          </nav>
          <ToastOutlet />
          {session && (
            <span className="who">
              <UserRound aria-hidden size={16} />
              <span>
                {session.name} · {session.role}
              </span>
              <button type="button" className="header-button" onClick={() => void signOut()}>
                <LogOut aria-hidden size={16} /> Sign out
              </button>
            </span>
          )}
        </header>
        <main className="app-main">{children}</main>
      </div>
    </ToastProvider>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client';
import { useCan, useSession, type Role } from '../auth/session';
import { ToastOutlet, ToastProvider } from '../ui/toast';
import { InboxCount } from './inbox-count';

const NAV: { href: string; label: string; role: Role }[] = [
  { href: '/workflows', label: 'Workflows', role: 'viewer' },
  { href: '/leads', label: 'Leads', role: 'viewer' },
  { href: '/inbox', label: 'Inbox', role: 'viewer' },
  { href: '/directory', label: 'Directory', role: 'viewer' },
];

/** The app frame: navigation, who is signed in, sign out. */
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
          <span className="brand">Lead Router</span>
          <nav aria-label="Main">
            {isViewer &&
              NAV.map((item) => (
                <Link key={item.href} href={item.href} className={location.startsWith(item.href) ? 'active' : ''}>
                  {item.label}
                  {item.href === '/inbox' && <InboxCount />}
                </Link>
              ))}
          </nav>
          <ToastOutlet />
          {session && (
            <span className="who">
              {session.name} · {session.role}
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </span>
          )}
        </header>
        <main className="app-main">{children}</main>
      </div>
    </ToastProvider>
  );
}

import type { ComponentType } from 'react';
import { Link, Redirect, useParams } from 'wouter';
import { useCan } from '../../auth/session';
import { PageHeader } from '../../ui/page-header';
import { AccountsSection } from './accounts-section';
import { FieldsSection } from './fields-section';
import { KeysSection } from './keys-section';
import { QueuesSection } from './queues-section';
import { RepsSection } from './reps-section';
import { TeamsSection } from './teams-section';
import { TerritoriesSection } from './territories-section';
import { UsersSection } from './users-section';

const SECTIONS: { id: string; label: string; component: ComponentType; adminOnly?: boolean }[] = [
  { id: 'reps', label: 'Reps', component: RepsSection },
  { id: 'teams', label: 'Teams', component: TeamsSection },
  { id: 'territories', label: 'Territories', component: TerritoriesSection },
  { id: 'accounts', label: 'Accounts', component: AccountsSection },
  { id: 'queues', label: 'Queues', component: QueuesSection },
  { id: 'fields', label: 'Fields', component: FieldsSection },
  { id: 'keys', label: 'API keys', component: KeysSection, adminOnly: true },
  { id: 'users', label: 'Users', component: UsersSection, adminOnly: true },
];

/**
 * `/directory/:section`: the routing directory (reps, teams, territories, accounts, queues, fields) and
 * the workspace's access (API keys, users). Everyone can read the directory; only admins see edit
 * controls, and only admins see keys and users at all (the server refuses the rest anyway).
 */
export function DirectoryPage() {
  const { section } = useParams<{ section?: string }>();
  const isAdmin = useCan('admin');
  const visible = SECTIONS.filter((s) => !s.adminOnly || isAdmin);
  const current = visible.find((s) => s.id === section);
  if (!current) return <Redirect to="/directory/reps" replace />;
  const Section = current.component;
  return (
    <section aria-labelledby="directory-title">
      <PageHeader title={<span id="directory-title">Directory</span>} />
      <nav className="section-tabs" aria-label="Directory sections">
        {visible.map((s) => (
          <Link key={s.id} href={`/directory/${s.id}`} className={s.id === current.id ? 'active' : ''} aria-current={s.id === current.id ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <Section />
    </section>
  );
}

import { lazy, type ComponentType } from 'react';

/** A page loaded on first visit (its own chunk), from a module that exports it by name. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ComponentType {
  return lazy<ComponentType>(() => load().then((m) => ({ default: m[name] })));
}

/**
 * Every page of the app. Pages live in `pages/<area>/`; the builder in `editor/`. Each page is its own
 * chunk, loaded when first visited (the app's `Suspense` shows "Loading…" meanwhile), so the sign-in and
 * list pages never download the canvas. Adding a page is one line here.
 */
export const ROUTES: { path: string; component: ComponentType; public?: boolean }[] = [
  { path: '/sign-in', component: page(() => import('./pages/sign-in/sign-in-page'), 'SignInPage'), public: true },
  { path: '/workflows', component: page(() => import('./pages/workflows/workflows-page'), 'WorkflowsPage') },
  { path: '/workflows/:id', component: page(() => import('./pages/workflows/builder-page'), 'BuilderPage') },
  { path: '/workflows/:id/versions/:n', component: page(() => import('./pages/workflows/version-page'), 'VersionPage') },
  { path: '/leads', component: page(() => import('./pages/leads/leads-page'), 'LeadsPage') },
  { path: '/leads/:id', component: page(() => import('./pages/leads/lead-page'), 'LeadPage') },
  { path: '/queues', component: page(() => import('./pages/queues/queues-page'), 'QueuesPage') },
  { path: '/queues/:id', component: page(() => import('./pages/queues/queue-page'), 'QueuePage') },
  { path: '/analytics', component: page(() => import('./pages/analytics/analytics-page'), 'AnalyticsPage') },
  { path: '/backfills', component: page(() => import('./pages/backfills/backfills-page'), 'BackfillsPage') },
  { path: '/inbox', component: page(() => import('./pages/inbox/inbox-page'), 'InboxPage') },
  { path: '/directory', component: page(() => import('./pages/directory/directory-page'), 'DirectoryPage') },
  { path: '/directory/:section', component: page(() => import('./pages/directory/directory-page'), 'DirectoryPage') },
  { path: '/settings/routing', component: page(() => import('./pages/settings/routing-page'), 'RoutingSettingsPage') },
  { path: '/settings/crm', component: page(() => import('./pages/settings/crm-page'), 'CrmSettingsPage') },
  { path: '/settings/secrets', component: page(() => import('./pages/settings/secrets-page'), 'SecretsSettingsPage') },
];

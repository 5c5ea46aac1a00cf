import type { ComponentType } from 'react';
import { DirectoryPage } from './pages/directory/directory-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { LeadPage } from './pages/leads/lead-page';
import { LeadsPage } from './pages/leads/leads-page';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { BuilderPage } from './pages/workflows/builder-page';
import { VersionPage } from './pages/workflows/version-page';
import { WorkflowsPage } from './pages/workflows/workflows-page';

/**
 * Every page of the app. Pages live in `pages/<area>/`; the builder in `editor/`.
 * Adding a page is one line here.
 */
export const ROUTES: { path: string; component: ComponentType; public?: boolean }[] = [
  { path: '/sign-in', component: SignInPage, public: true },
  { path: '/workflows', component: WorkflowsPage },
  { path: '/workflows/:id', component: BuilderPage },
  { path: '/workflows/:id/versions/:n', component: VersionPage },
  { path: '/leads', component: LeadsPage },
  { path: '/leads/:id', component: LeadPage },
  { path: '/inbox', component: InboxPage },
  { path: '/directory', component: DirectoryPage },
  { path: '/directory/:section', component: DirectoryPage },
];

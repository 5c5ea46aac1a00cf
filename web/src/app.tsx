import { Suspense } from 'react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { Redirect, Route, Switch } from 'wouter';
import { sessionQuery } from './auth/session';
import { ROUTES } from './routes';
import { Layout } from './shell/layout';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Gate() {
  const session = useQuery(sessionQuery);
  if (session.isPending) return <p className="loading">Loading…</p>;
  return (
    <Suspense fallback={<p className="loading">Loading…</p>}>
      <Switch>
        {ROUTES.filter((r) => r.public).map((r) => (
          <Route key={r.path} path={r.path} component={r.component} />
        ))}
        {!session.data && <Redirect to="/sign-in" />}
        {ROUTES.filter((r) => !r.public).map((r) => (
          <Route key={r.path} path={r.path} component={r.component} />
        ))}
        <Route path="/">
          <Redirect to="/workflows" />
        </Route>
        <Route>
          <p role="alert">This page does not exist.</p>
        </Route>
      </Switch>
    </Suspense>
  );
}

/** The web app: server data in react-query, pages behind the session gate. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Layout>
        <Gate />
      </Layout>
    </QueryClientProvider>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Redirect } from 'wouter';
import { api, ApiError, read } from '../../api/client';
import { sessionQuery, useSession } from '../../auth/session';

/**
 * Sign in with email and password; the server sets the session cookie. Once the session query has the
 * signed-in user, the page redirects to the app: navigating right after login would race the session
 * gate, which still holds the signed-out answer for a render and would send us back here.
 */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const session = useSession();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await read(api.api.auth.login.$post({ json: { email, password } }));
      await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server.');
    } finally {
      setBusy(false);
    }
  };

  if (session) return <Redirect to="/workflows" />;
  return (
    <form className="sign-in" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <label>
        Email
        <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

import { useState } from 'preact/hooks';
import { login } from '../../auth/session';

/** Placeholder login (the login feature replaces it). */
export function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget as HTMLFormElement);
        login(String(f.get('username')), String(f.get('password'))).catch((err: Error) => setError(err.message));
      }}
    >
      <input name="username" data-testid="login-username" />
      <input name="password" type="password" data-testid="login-password" />
      <button type="submit" data-testid="login-submit">login</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { login } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { LanguageSelect } from '../../i18n/language-select';
import './login.css';

/** Which message a failed login shows: wrong credentials, a refused request, or no server. */
export function loginErrorKey(err: unknown): 'error.credentials' | 'error.invalid' | 'error.network' | 'error.server' {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'error.credentials';
    if (err.status === 400) return 'error.invalid';
    return 'error.server';
  }
  return 'error.network';
}

/** Username/password form; on success the session store changes and the shell routes by role. */
export function LoginPage() {
  const t = useT('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ key: string; detail: string } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError({ key: loginErrorKey(err), detail: err instanceof Error ? err.message : String(err) });
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} noValidate>
        <div class="login-top">
          <h1>{t('title')}</h1>
          <LanguageSelect />
        </div>
        <p class="login-subtitle">{t('subtitle')}</p>
        <label>
          {t('username')}
          <input
            name="username"
            autocomplete="username"
            autocapitalize="none"
            required
            value={username}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
            data-testid="login-username"
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p class="login-error" role="alert" data-testid="login-error" title={error.detail}>
            {t(error.key, { detail: error.detail })}
          </p>
        )}
        <button type="submit" class="login-submit" disabled={busy || !username.trim() || !password} data-testid="login-submit">
          {busy ? t('signingIn') : t('submit')}
        </button>
      </form>
    </div>
  );
}

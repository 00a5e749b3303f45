import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { session } from '../src/auth/session';
import { LoginPage } from '../src/features/login/login.page';
import { initI18n, setLocale } from '../src/i18n/i18n';

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('LoginPage', () => {
  let root: HTMLElement;
  beforeAll(async () => {
    await initI18n('zh-CN');
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    session.set(null);
    vi.unstubAllGlobals();
  });

  function mount() {
    root = document.createElement('div');
    document.body.append(root);
    render(<LoginPage />, root);
    const q = <T extends Element>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`);
    return { q };
  }

  it('says the credentials are wrong on 401 and keeps the user logged out', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ statusCode: 401, message: 'wrong username or password' }), { status: 401 }));
    const { q } = mount();
    type(q<HTMLInputElement>('login-username')!, 'lin');
    type(q<HTMLInputElement>('login-password')!, 'nope');
    await waitFor(() => !q<HTMLButtonElement>('login-submit')!.disabled, 'submit enabled');
    q<HTMLButtonElement>('login-submit')!.click();
    await waitFor(() => q('login-error') !== null, 'the error');
    expect(q('login-error')!.textContent).toBe('用户名或密码错误');
    expect(session.get()).toBeNull();
    await setLocale('en');
    await waitFor(() => q('login-error')!.textContent === 'Wrong username or password', 'the English message');
    await setLocale('zh-CN');
  });

  it('logs in with the username and password typed', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      return new Response(
        JSON.stringify({ token: 't0k', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: { username: 'lin', role: 'crew' } }),
        { status: 200 },
      );
    });
    const { q } = mount();
    type(q<HTMLInputElement>('login-username')!, ' lin ');
    type(q<HTMLInputElement>('login-password')!, 'secret');
    await waitFor(() => !q<HTMLButtonElement>('login-submit')!.disabled, 'submit enabled');
    q<HTMLButtonElement>('login-submit')!.click();
    await waitFor(() => session.get() !== null, 'the session');
    expect(bodies).toEqual([{ username: 'lin', password: 'secret' }]);
    expect(session.get()).toMatchObject({ token: 't0k', username: 'lin', role: 'crew' });
    expect(q('login-error')).toBeNull();
  });
});

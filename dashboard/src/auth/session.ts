import type { LoginResponse, OperatorRole } from '@sanitation/contracts';
import { api, setBearerToken, setUnauthorizedHandler } from '../api/http';
import { Store } from '../state/store';

export interface Session {
  token: string;
  expiresAt: string;
  username: string;
  role: OperatorRole;
}

const STORAGE_KEY = 'sanitation.session';

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

/** The logged-in operator (null = show the login page). Survives a reload until the token expires. */
export const session = new Store<Session | null>(load());
setBearerToken(session.get()?.token ?? null);
session.subscribe((s) => {
  setBearerToken(s?.token ?? null);
  if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  else localStorage.removeItem(STORAGE_KEY);
});
setUnauthorizedHandler(() => session.set(null));

export async function login(username: string, password: string): Promise<Session> {
  const res = await api.post<LoginResponse>('/auth/login', { username, password });
  const s: Session = { token: res.token, expiresAt: res.expiresAt, username: res.user.username, role: res.user.role };
  session.set(s);
  return s;
}

export function logout(): void {
  session.set(null);
}

/** Crew members get the phone view; everyone else the ops screen. */
export function homeRouteFor(role: OperatorRole): '/crew' | '/ops' {
  return role === 'crew' ? '/crew' : '/ops';
}

export const canDispatch = (role: OperatorRole | undefined): boolean => role === 'admin' || role === 'dispatcher';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { grantLabel, type Role, type RoleGrant } from '@mashang/shared';
import { api, setUnauthenticatedHandler, tokenStore } from './api';

export interface ConsoleUser {
  id: string;
  roles: RoleGrant[];
  /** The name of each scope the roles cover (from the sign-in). */
  scopeNames?: Record<string, string>;
}

interface AuthState {
  user: ConsoleUser | null;
  signIn: (token: string, user: ConsoleUser) => void;
  signOut: () => void;
  /** Does the user hold one of these roles at any scope? */
  has: (...roles: Role[]) => boolean;
}

const USER_KEY = 'mashang.console.user';
const Ctx = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<ConsoleUser | null>(() => {
    if (!tokenStore.get()) return null;
    try {
      return JSON.parse(globalThis.localStorage.getItem(USER_KEY) ?? 'null');
    } catch {
      return null;
    }
  });
  const signOut = useCallback(() => {
    tokenStore.clear();
    globalThis.localStorage.removeItem(USER_KEY);
    setUser(null);
  }, []);
  useEffect(() => setUnauthenticatedHandler(signOut), [signOut]);
  const value = useMemo<AuthState>(
    () => ({
      user,
      signIn: (token, u) => {
        tokenStore.set(token);
        globalThis.localStorage.setItem(USER_KEY, JSON.stringify(u));
        setUser(u);
      },
      signOut,
      has: (...roles) => !!user?.roles.some((g) => roles.includes(g.role)),
    }),
    [user, signOut],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useAuth outside AuthProvider');
  return c;
}

/** 运维 · 海北州（全州）, 纪检监察 · 门源县: a role and its place by name, never by its internal id. */
export const roleText = (g: RoleGrant, names?: Record<string, string>) => grantLabel(g, names);

/** Stand-in login (local) and the WeChat website QR login both end in POST /v1/auth/...: {token, user}. */
export async function loginWithCode(code: string) {
  return api<{ token: string; user: ConsoleUser }>('/auth/wechat', { method: 'POST', body: { code } });
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../contracts/api.ts';
import type { Permission } from '../contracts/permissions.ts';
import { ApiError, setAuthProblemListener, setCsrfToken } from './api.ts';
import { authApi } from './endpoints.ts';

/** Who is signed in and what they may do; every page reads it through useSession(). */
export interface Session {
  me: Me | null;
  /** True until the first /api/auth/me answered. */
  loading: boolean;
  /** The person signed out here (rather than the session ending by itself): no way back to the last page. */
  signedOut: boolean;
  can(permission: Permission): boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  refresh(): Promise<Me | null>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [signedOut, setSignedOut] = useState(false);

  const setMe = useCallback((m: Me | null) => {
    setCsrfToken(m?.csrfToken ?? null);
    setMeState(m);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const m = await authApi.me();
      setMe(m);
      return m;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setMe(null);
        return null;
      }
      throw err;
    } finally {
      setLoading(false);
    }
  }, [setMe]);

  useEffect(() => {
    refresh().catch(() => setLoading(false));
  }, [refresh]);

  // A session that ended elsewhere (expired, signed out, password reset) or a reset password: ask again.
  useEffect(() => {
    setAuthProblemListener((err) => {
      if (err.status === 401) setMe(null);
      else void refresh();
    });
    return () => setAuthProblemListener(null);
  }, [refresh, setMe]);

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      signedOut,
      can: (p) => !!me && !me.user.mustChangePassword && me.permissions.includes(p),
      login: async (username, password) => {
        const m = await authApi.login(username, password);
        setSignedOut(false);
        setMe(m);
        return m;
      },
      logout: async () => {
        try {
          await authApi.logout();
        } finally {
          setSignedOut(true);
          setMe(null);
        }
      },
      refresh,
    }),
    [me, loading, signedOut, refresh, setMe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

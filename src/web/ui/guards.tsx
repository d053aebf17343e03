import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import type { Permission } from '../../contracts/permissions.ts';
import { useSession } from '../session.tsx';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', height: '100vh', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" tip={t('app.loading')}>
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </div>
  );
}

/** Signed in, and the initial password changed; otherwise to the sign-in or change-password page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading, signedOut } = useSession();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (!me) {
    // A session that ended by itself comes back to the page it was on after signing in again.
    const next = location.pathname + location.search;
    return <Navigate to={signedOut || next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.user.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={<span data-testid="forbidden">{t('errors.forbiddenTitle')}</span>}
      subTitle={t('errors.forbiddenText')}
      extra={
        <Link to="/">
          <Button type="primary">{t('errors.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('errors.notFoundTitle')}
      subTitle={t('errors.notFoundText')}
      extra={
        <Link to="/">
          <Button type="primary">{t('errors.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** A page needing a permission shows the no-access page to those without it. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

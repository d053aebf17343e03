import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { authApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FullPageSpin } from '../../ui/guards.tsx';
import { Page } from '../../ui/Page.tsx';
import { AuthFrame } from './LoginPage.tsx';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

function PasswordForm({ onDone }: { onDone: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordValues>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const change = async (v: PasswordValues) => {
    await authApi.changePassword(v.currentPassword, v.newPassword);
    notify.ok(t('password.success'));
    await onDone();
  };
  const { onFinish, alert } = useFormSubmit(form, ['currentPassword', 'newPassword'], change, { setBusy });

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} name="password" style={{ maxWidth: 420 }}>
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} extra={t('password.policy')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      {alert}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
        {t('password.submit')}
      </Button>
    </Form>
  );
}

/** The page every new or reset account lands on: nothing else works until the password is changed. */
export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { me, loading, refresh, logout } = useSession();
  const navigate = useNavigate();
  if (loading) return <FullPageSpin />;
  if (!me) return <Navigate to="/login" replace />;
  if (!me.user.mustChangePassword) return <Navigate to="/" replace />;
  return (
    <AuthFrame title={t('password.forcedTitle')}>
      <Alert type="info" showIcon title={t('password.forcedHint')} style={{ marginBottom: 16 }} />
      <PasswordForm
        onDone={async () => {
          await refresh();
          navigate('/', { replace: true });
        }}
      />
      <div style={{ textAlign: 'right', marginTop: 8 }}>
        <Button type="link" onClick={() => void logout()} data-testid="forced-logout">
          {t('userMenu.logout')}
        </Button>
      </div>
    </AuthFrame>
  );
}

/** The same form inside the console, from the user menu. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Page title={t('password.title')} testId="change-password-page">
      <PasswordForm onDone={() => navigate('/')} />
    </Page>
  );
}

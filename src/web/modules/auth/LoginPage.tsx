import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../../session.tsx';
import { useFormSubmit } from '../../ui/errors.tsx';
import { FullPageSpin } from '../../ui/guards.tsx';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';

interface LoginValues {
  username: string;
  password: string;
}

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** A centred card on a plain background, with the language switch in the corner (sign-in, forced password change). */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', background: 'linear-gradient(160deg, #e8f0fe 0%, #f5f6f8 60%)' }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 16 }}>
        <LanguageSwitch />
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
        <Card style={{ width: 400, maxWidth: '100%' }}>
          <div style={{ textAlign: 'center', marginBottom: 24 }}>
            <Typography.Title level={2} style={{ marginBottom: 4 }}>
              {t('app.fullName')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
          <Typography.Title level={4} data-testid="page-title">
            {title}
          </Typography.Title>
          {children}
        </Card>
      </div>
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, loading, login } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<LoginValues>();
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const signIn = async (v: LoginValues) => {
    try {
      const m = await login(v.username.trim(), v.password);
      navigate(m.user.mustChangePassword ? '/change-password' : next, { replace: true });
    } catch (err) {
      form.setFieldValue('password', '');
      throw err;
    }
  };
  const { onFinish, clear, alert } = useFormSubmit(form, ['username', 'password'], signIn, { setBusy });

  if (loading) return <FullPageSpin />;
  if (me && !busy) return <Navigate to={me.user.mustChangePassword ? '/change-password' : next} replace />;

  return (
    <AuthFrame title={t('login.title')}>
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} name="login" onValuesChange={clear}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" size="large" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" size="large" />
        </Form.Item>
        {alert}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}

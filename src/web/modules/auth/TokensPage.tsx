import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../contracts/api.ts';
import { authApi } from '../../endpoints.ts';
import { tid, useFormErrors, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { FormModal } from '../../ui/FormModal.tsx';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { Page } from '../../ui/Page.tsx';
import { useOpening } from '../../ui/useOpening.ts';

type TokenStatus = 'active' | 'revoked' | 'expired';
const statusOf = (tk: ApiToken): TokenStatus => (tk.revokedAt ? 'revoked' : tk.expiresAt && new Date(tk.expiresAt) <= new Date() ? 'expired' : 'active');
const statusColor: Record<TokenStatus, string> = { active: 'green', revoked: 'default', expired: 'orange' };

interface CreateValues {
  name: string;
  expiresInDays: number | null;
  noExpiry: boolean;
}

/** `opening` is a new object at every opening (the form then starts empty), null when closed. */
function CreateTokenModal({ opening, onClose, onCreated }: { opening: object | null; onClose: () => void; onCreated: (token: string) => void }) {
  const { t } = useTranslation();
  const { key } = useOpening(opening);
  const [busy, setBusy] = useState(false);
  return (
    <FormModal
      open={opening !== null}
      title={t('tokens.createTitle')}
      formId="token-form"
      okText={t('common.create')}
      busy={busy}
      okTestId="token-create-submit"
      onClose={onClose}
    >
      <CreateTokenForm key={key} onCreated={onCreated} setBusy={setBusy} />
    </FormModal>
  );
}

function CreateTokenForm({ onCreated, setBusy }: { onCreated: (token: string) => void; setBusy: (busy: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const { fail, clear, alert } = useFormErrors(form, ['name', 'expiresInDays']);
  const noExpiry = Form.useWatch('noExpiry', form);

  const submit = async (v: CreateValues) => {
    clear();
    setBusy(true);
    try {
      const created = await authApi.createToken(v.name.trim(), v.noExpiry ? null : (v.expiresInDays ?? 365));
      onCreated(created.token);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} id="token-form" noValidate layout="vertical" onFinish={submit} initialValues={{ expiresInDays: 365, noExpiry: false }} name="token">
      <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} data-testid="token-name" />
      </Form.Item>
      <Space align="start">
        <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')}>
          <InputNumber min={1} max={3650} disabled={noExpiry} data-testid="token-days" />
        </Form.Item>
        <Form.Item name="noExpiry" valuePropName="checked" label=" ">
          <Checkbox>{t('tokens.noExpiry')}</Checkbox>
        </Form.Item>
      </Space>
      {alert}
    </Form>
  );
}

/** The signed-in person's API tokens: create (shown once), list, revoke. */
export function TokensPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState<object | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setTokens(await authApi.tokens());
    } catch (err) {
      notify.fail(err);
    } finally {
      setLoading(false);
    }
  }, [notify]);
  useEffect(() => void load(), [load]);

  const revoke = async (tk: ApiToken) => {
    try {
      await authApi.revokeToken(tk.id);
      notify.ok(t('tokens.revoked'));
      await load();
    } catch (err) {
      notify.fail(err);
    }
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    { title: t('tokens.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: formatTime },
    { title: t('tokens.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatTime(v) : t('tokens.neverUsed')) },
    { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? formatTime(v) : t('tokens.noExpiry')) },
    {
      title: t('tokens.status'),
      key: 'status',
      render: (_, tk) => (
        <Tag color={statusColor[statusOf(tk)]} data-testid="token-status">
          {t(`tokens.statuses.${statusOf(tk)}`)}
        </Tag>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, tk) =>
        statusOf(tk) === 'active' ? (
          <Popconfirm title={t('tokens.revokeConfirm', { name: tk.name })} onConfirm={() => revoke(tk)} okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={tid('confirm-ok')}>
            <Button danger size="small" data-testid="token-revoke">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Page
      title={t('tokens.title')}
      testId="tokens-page"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({})} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Table rowKey="id" columns={columns} dataSource={tokens} loading={loading} pagination={false} locale={{ emptyText: t('tokens.empty') }} />
      <CreateTokenModal
        opening={creating}
        onClose={() => setCreating(null)}
        onCreated={(token) => {
          setCreating(null);
          setSecret(token);
          void load();
        }}
      />
      <OneTimeSecretModal
        open={secret !== null}
        title={t('tokens.createdTitle')}
        label={t('tokens.intro')}
        secret={secret}
        warning={t('tokens.createdWarning')}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}

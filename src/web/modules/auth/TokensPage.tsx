import { Checkbox, Form, Input, InputNumber, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../contracts/api.ts';
import { authApi } from '../../endpoints.ts';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';

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
  return (
    <FormModal
      opening={opening}
      title={() => t('tokens.createTitle')}
      formId="token-form"
      okText={t('common.create')}
      submitTestId="token-create-submit"
      onClose={onClose}
    >
      {(_, setBusy) => <CreateTokenForm onCreated={onCreated} setBusy={setBusy} />}
    </FormModal>
  );
}

function CreateTokenForm({ onCreated, setBusy }: { onCreated: (token: string) => void; setBusy: (busy: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const noExpiry = Form.useWatch('noExpiry', form);

  const create = async (v: CreateValues) => {
    const created = await authApi.createToken(v.name.trim(), v.noExpiry ? null : (v.expiresInDays ?? 365));
    onCreated(created.token);
  };
  const { onFinish, alert } = useFormSubmit(form, ['name', 'expiresInDays'], create, { setBusy });

  return (
    <Form form={form} id="token-form" noValidate layout="vertical" onFinish={onFinish} initialValues={{ expiresInDays: 365, noExpiry: false }} name="token">
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
    await notify.run(authApi.tokens().then(setTokens));
    setLoading(false);
  }, [notify]);
  useEffect(() => void load(), [load]);

  const revoke = async (tk: ApiToken) => {
    if (await notify.run(authApi.revokeToken(tk.id), t('tokens.revoked'))) await load();
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
          <RowAction type="default" danger confirm={t('tokens.revokeConfirm', { name: tk.name })} onClick={() => revoke(tk)} testId="token-revoke">
            {t('tokens.revoke')}
          </RowAction>
        ) : null,
    },
  ];

  return (
    <Page
      title={t('tokens.title')}
      testId="tokens-page"
      extra={
        <CreateButton onClick={() => setCreating({})} testId="token-create">
          {t('tokens.create')}
        </CreateButton>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <DataTable<ApiToken> columns={columns} dataSource={tokens} loading={loading} locale={{ emptyText: t('tokens.empty') }} />
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

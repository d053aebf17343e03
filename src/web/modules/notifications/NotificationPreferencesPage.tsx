import { Alert, Button, Form, Input, Select, Switch, Table, Tooltip, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailLanguages, type EmailLanguage, type NotificationKindName, type NotificationPreferences } from '../../../contracts/notifications.ts';
import { notificationDeliveryApi } from '../../endpoints.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';

type Item = NotificationPreferences['items'][number];
interface Values {
  email: string;
  emailLanguage: EmailLanguage;
}

/** 通知设置: the person's own address and e-mail language, and per kind whether the bell and e-mail tell them. */
export function NotificationPreferencesPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const p = await notificationDeliveryApi.preferences();
      setPrefs(p);
      setItems(p.items);
      form.setFieldsValue({ email: p.email ?? '', emailLanguage: p.emailLanguage });
    } catch (err) {
      notify.fail(err);
    }
  }, [form, notify]);
  useEffect(() => void load(), [load]);

  const save = async (v: Values) => {
    if (!prefs) return;
    const email = v.email.trim();
    const saved = await notificationDeliveryApi.savePreferences({
      version: prefs.version,
      email: email === '' ? null : email,
      emailLanguage: v.emailLanguage,
      items: items.map(({ kind, inApp, email: byEmail }) => ({ kind, inApp, email: byEmail })),
    });
    setPrefs(saved);
    setItems(saved.items);
    notify.ok(t('notificationDelivery.prefs.saved'));
  };
  const { onFinish, alert } = useFormSubmit(form, ['email', 'emailLanguage'], save, { setBusy, onConflict: () => void load() });

  const toggle = (kind: NotificationKindName, channel: 'inApp' | 'email', on: boolean) =>
    setItems((xs) => xs.map((x) => (x.kind === kind ? { ...x, [channel]: on } : x)));

  const columns: TableColumnsType<Item> = [
    { title: t('notificationDelivery.prefs.kind'), dataIndex: 'kind', render: (k: NotificationKindName) => t(`notificationDelivery.prefs.kinds.${k}`) },
    {
      title: t('notificationDelivery.prefs.inApp'),
      key: 'inApp',
      render: (_, x) => {
        const sw = <Switch checked={x.inApp} disabled={x.inAppRequired} onChange={(on) => toggle(x.kind, 'inApp', on)} data-testid={`pref-inapp-${x.kind}`} />;
        return x.inAppRequired ? <Tooltip title={t('notificationDelivery.prefs.inAppRequired')}>{sw}</Tooltip> : sw;
      },
    },
    {
      title: t('notificationDelivery.prefs.email'),
      key: 'email',
      render: (_, x) => <Switch checked={x.email} onChange={(on) => toggle(x.kind, 'email', on)} data-testid={`pref-email-${x.kind}`} />,
    },
  ];

  return (
    <Page title={t('notificationDelivery.prefs.title')} testId="notification-prefs-page">
      <Form form={form} layout="vertical" noValidate onFinish={onFinish} name="notification-prefs" style={{ maxWidth: 720 }}>
        <Form.Item name="email" label={t('notificationDelivery.prefs.address')} extra={t('notificationDelivery.prefs.addressHelp')} rules={[{ type: 'email', message: t('notificationDelivery.prefs.addressInvalid') }]}>
          <Input maxLength={254} inputMode="email" autoComplete="email" data-testid="pref-address" />
        </Form.Item>
        <Form.Item name="emailLanguage" label={t('notificationDelivery.prefs.language')}>
          <Select
            style={{ maxWidth: 320 }}
            options={emailLanguages.map((l) => ({ value: l, label: t(`notificationDelivery.prefs.languages.${l}`) }))}
            data-testid="pref-language"
          />
        </Form.Item>
        {prefs && !prefs.email && <Alert type="info" showIcon title={t('notificationDelivery.prefs.noAddress')} style={{ marginBottom: 16 }} />}
        <Table<Item> rowKey="kind" size="small" pagination={false} columns={columns} dataSource={items} loading={!prefs} style={{ marginBottom: 16 }} />
        {alert}
        <Button type="primary" htmlType="submit" loading={busy} disabled={!prefs} data-testid="pref-save">
          {t('common.save')}
        </Button>
      </Form>
    </Page>
  );
}

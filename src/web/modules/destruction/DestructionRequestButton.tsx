import { DeleteOutlined } from '@ant-design/icons';
import { Button, Form, Input, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { CustomerFile } from '../../../contracts/customers.ts';
import type { Destruction } from '../../../contracts/destruction.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { destructionApi } from './destructionApi.ts';

/**
 * On the customer file page: 申请销毁 for a records officer (never on a category A file), or where the
 * file's destruction stands — in approval (a link to the request) or destroyed.
 */
export function DestructionRequestButton({ file }: { file: Pick<CustomerFile, 'id' | 'category'> }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const notify = useNotify();
  const mayRead = can('customer:destruction_review') || can('customer:approve_destruction') || can('customer:destruction_final');
  const load = useCallback(() => destructionApi.list({ customerId: file.id }), [file.id]);
  const { data } = useLoaded<Destruction[]>(load, [], mayRead);
  const [asking, setAsking] = useState<object | null>(null);

  if (!mayRead) return null;
  if (data.some((d) => d.status === 'destroyed')) return <Tag color="red" data-testid="customer-destroyed">{t('destruction.destroyedTag')}</Tag>;
  const pending = data.find((d) => d.status === 'pending');
  if (pending) {
    return (
      <Link to={`/customer-destruction/${pending.id}`}>
        <Button data-testid="customer-destruction-link">{t('destruction.inProgress')}</Button>
      </Link>
    );
  }
  if (!can('customer:destruction_review') || file.category === 'A') return null;
  return (
    <>
      <Button danger icon={<DeleteOutlined />} onClick={() => setAsking({})} data-testid="customer-destroy-request">
        {t('destruction.request')}
      </Button>
      <FormModal opening={asking} title={() => t('destruction.requestTitle')} formId="destruction-request-form" submitTestId="destruction-request-submit" okText={t('destruction.request')} onClose={() => setAsking(null)}>
        {(_, setBusy) => <RequestForm customerId={file.id} setBusy={setBusy} onDone={(d) => {
          notify.ok(t('destruction.requested'));
          void navigate(`/customer-destruction/${d.id}`);
        }} />}
      </FormModal>
    </>
  );
}

function RequestForm({ customerId, setBusy, onDone }: { customerId: string; setBusy: (b: boolean) => void; onDone: (d: Destruction) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const { onFinish, alert } = useFormSubmit(form, ['reason'], async (v) => onDone(await destructionApi.request(customerId, v.reason.trim())), { setBusy });
  return (
    <Form form={form} id="destruction-request-form" layout="vertical" onFinish={onFinish} noValidate>
      <Typography.Paragraph type="secondary">{t('destruction.requestExplain')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('destruction.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('destruction.reasonRequired') }]}>
        <Input.TextArea autoFocus autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount data-testid="destruction-reason" />
      </Form.Item>
      {alert}
    </Form>
  );
}

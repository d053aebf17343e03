import { Form, Input, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACCESS_MAX_DAYS, type AccessRequest } from '../../../contracts/customer-access.ts';
import { protectedSections, type ProtectedSection } from '../../../contracts/customers.ts';
import { useFormSubmit } from '../../ui/errors.tsx';
import { accessApi } from './accessApi.ts';

interface Values {
  customerId: string;
  sections: ProtectedSection[];
  reason: string;
  days: number;
}

/**
 * 申请查阅: which file (given, from its page, or typed: the id the service department gave), which
 * sections, why and for how many days. Rendered inside a FormModal with `id="access-request-form"`.
 */
export function AccessRequestForm({ customerId, setBusy, onDone }: { customerId?: string; setBusy: (b: boolean) => void; onDone: (r: AccessRequest) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['customerId', 'sections', 'reason', 'days'],
    async (v) => onDone(await accessApi.create({ customerId: v.customerId.trim(), sections: v.sections, reason: v.reason.trim(), days: v.days })),
    { setBusy },
  );
  const required = { required: true, message: t('common.required') };
  return (
    <Form form={form} id="access-request-form" layout="vertical" onFinish={onFinish} noValidate initialValues={{ customerId, sections: ['contact'], days: 7 }}>
      <Typography.Paragraph type="secondary">{t('customerAccess.formExplain', { max: ACCESS_MAX_DAYS })}</Typography.Paragraph>
      <Form.Item name="customerId" label={t('customerAccess.fields.fileId')} rules={[{ ...required, whitespace: true }]} hidden={!!customerId} extra={t('customerAccess.fileIdHelp')}>
        <Input maxLength={36} data-testid="access-file-id" />
      </Form.Item>
      <Form.Item name="sections" label={t('customerAccess.fields.sections')} rules={[required]}>
        <Select mode="multiple" options={protectedSections.map((s) => ({ value: s, label: t(`customerFiles.sections.${s}`) }))} data-testid="access-sections" />
      </Form.Item>
      <Form.Item name="reason" label={t('customerAccess.fields.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('customerFiles.reasonRequired') }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} data-testid="access-reason" />
      </Form.Item>
      <Form.Item name="days" label={t('customerAccess.fields.days')} rules={[required]}>
        <InputNumber min={1} max={ACCESS_MAX_DAYS} data-testid="access-days" />
      </Form.Item>
      {alert}
    </Form>
  );
}

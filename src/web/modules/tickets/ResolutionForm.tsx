import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { COMPENSATION_APPROVAL_LIMIT_YUAN, type Ticket } from '../../../contracts/tickets.ts';
import { resolutionApi } from '../../endpoints.ts';
import { useFormSubmit } from '../../ui/errors.tsx';
import { compensationKinds, MAX_COMPENSATIONS, needsApproval, rootCauses, totalYuan, yuan } from './resolution.model.ts';

interface Values {
  reason: string;
  rootCause?: string;
  compensations?: { kind?: string; amount?: number | null; note?: string }[];
}

/**
 * The one way to resolve an order (the "resolve" action): what was done, the root-cause category
 * and up to 5 compensations. Above COMPENSATION_APPROVAL_LIMIT_YUAN in total the form says so: the
 * order then waits for a manager's approval instead of resolving (`onDone(pending)`).
 */
export function ResolutionForm({ ticket, setBusy, onDone, onConflict }: { ticket: Ticket; setBusy: (b: boolean) => void; onDone: (pending: boolean) => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const comps = Form.useWatch('compensations', form) ?? [];
  const total = totalYuan(comps.map((c) => c?.amount));
  const { onFinish, alert } = useFormSubmit(
    form,
    ['reason', 'summary', 'rootCause', 'compensations'],
    async (v) => {
      const res = await resolutionApi.record(ticket.id, {
        version: ticket.version,
        summary: v.reason.trim(),
        rootCause: v.rootCause ?? '',
        compensations: (v.compensations ?? []).map((c) => ({ kind: c.kind as (typeof compensationKinds)[number], amount: c.amount ?? 0, note: c.note?.trim() ?? '' })),
      });
      onDone(res.resolution.status === 'pending_approval');
    },
    { setBusy, onConflict },
  );
  const required = { required: true, message: t('common.required') };
  return (
    <Form form={form} id="ticket-reason-form" layout="vertical" onFinish={onFinish} noValidate>
      <Form.Item name="reason" label={t('resolution.form.summary')} extra={t('resolution.form.summaryHelp')} rules={[{ ...required, whitespace: true }]}>
        <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="ticket-reason" />
      </Form.Item>
      <Form.Item name="rootCause" label={t('resolution.form.rootCause')} rules={[required]}>
        <Select
          placeholder={t('resolution.form.rootCausePlaceholder')}
          options={rootCauses.map((c) => ({ value: c, label: t(`resolution.rootCauses.${c}`) }))}
          data-testid="resolution-root-cause"
        />
      </Form.Item>
      <Typography.Text strong>{t('resolution.form.compensations')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('resolution.form.compensationsHelp', { limit: yuan(COMPENSATION_APPROVAL_LIMIT_YUAN), max: MAX_COMPENSATIONS })}
      </Typography.Paragraph>
      <Form.List name="compensations">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Flex key={f.key} gap={8} align="start" data-testid={`compensation-row-${i}`}>
                <Form.Item name={[f.name, 'kind']} rules={[required]} style={{ width: 140 }}>
                  <Select
                    aria-label={t('resolution.form.kind')}
                    placeholder={t('resolution.form.kind')}
                    options={compensationKinds.map((k) => ({ value: k, label: t(`resolution.kinds.${k}`) }))}
                    data-testid={`compensation-kind-${i}`}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'amount']} rules={[required]} style={{ width: 150 }}>
                  <InputNumber aria-label={t('resolution.form.amount')} placeholder={t('resolution.form.amount')} prefix="¥" min={0} max={1_000_000} precision={2} style={{ width: '100%' }} data-testid={`compensation-amount-${i}`} />
                </Form.Item>
                <Form.Item name={[f.name, 'note']} style={{ flex: 1 }}>
                  <Input aria-label={t('resolution.form.note')} placeholder={t('resolution.form.note')} maxLength={500} data-testid={`compensation-note-${i}`} />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('resolution.form.remove')} data-testid={`compensation-remove-${i}`} />
              </Flex>
            ))}
            <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
              <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'refund' })} disabled={fields.length >= MAX_COMPENSATIONS} data-testid="compensation-add">
                {t('resolution.form.add')}
              </Button>
              {fields.length > 0 && <span data-testid="compensation-total">{t('resolution.form.total', { total: yuan(total) })}</span>}
            </Flex>
          </>
        )}
      </Form.List>
      {needsApproval(total) && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('resolution.form.needsApproval', { total: yuan(total), limit: yuan(COMPENSATION_APPROVAL_LIMIT_YUAN) })}
          data-testid="compensation-approval-hint"
        />
      )}
      {alert}
    </Form>
  );
}

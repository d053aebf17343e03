import { Alert, Descriptions, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Callback } from '../../../contracts/tickets.ts';
import { callbacksApi } from '../../endpoints.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { CustomerCell } from './TicketTags.tsx';

export type CallbackOpening = { mode: 'attempt' | 'complete'; callback: Callback };

interface Values {
  note?: string;
  solved?: boolean;
  satisfaction?: number;
  comment?: string;
}
/** 非常满意 first, as the callback script asks. */
const satisfactionScale = [5, 4, 3, 2, 1] as const;

/** Records a call: not reached (with a note), or reached with solved, satisfaction and the customer's words. */
export function CallbackModal({ opening, onClose, onDone }: { opening: CallbackOpening | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal
      opening={opening}
      title={(o) => t(o.mode === 'attempt' ? 'callbacks.attemptTitle' : 'callbacks.completeTitle', { number: o.callback.ticketNumber })}
      formId="callback-form"
      submitTestId="callback-submit"
      okText={t('common.save')}
      width={560}
      onClose={onClose}
    >
      {(o, setBusy) => <CallbackForm opening={o} setBusy={setBusy} onDone={onDone} />}
    </FormModal>
  );
}

function CallbackForm({ opening, setBusy, onDone }: { opening: CallbackOpening; setBusy: (busy: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const { mode, callback: c } = opening;
  const solved = Form.useWatch('solved', form);
  const satisfaction = Form.useWatch('satisfaction', form);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['note', 'solved', 'satisfaction', 'comment'],
    async (v) => {
      if (mode === 'attempt') {
        await callbacksApi.attempt(c.id, (v.note ?? '').trim());
        notify.ok(t('callbacks.attemptRecorded'));
      } else {
        await callbacksApi.complete(c.id, { solved: v.solved ?? true, satisfaction: v.satisfaction ?? 5, comment: (v.comment ?? '').trim() });
        notify.ok(t('callbacks.completed'));
      }
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  const required = [{ required: true, message: t('common.required') }];
  const reopens = solved === false || (typeof satisfaction === 'number' && satisfaction <= 2);

  return (
    <Form form={form} id="callback-form" layout="vertical" onFinish={onFinish} noValidate initialValues={{ note: t('callbacks.defaultNote'), solved: true }}>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'subject', label: t('tickets.fields.subject'), children: c.ticketSubject },
          { key: 'customer', label: t('tickets.fields.customer'), children: <CustomerCell name={c.customerName} phone={c.customerPhone} /> },
          { key: 'attempts', label: t('callbacks.attempts'), children: t('callbacks.attemptsOf', { attempts: c.attempts, max: c.maxAttempts }) },
        ]}
      />
      {mode === 'attempt' ? (
        <Form.Item name="note" label={t('callbacks.attemptNote')} extra={t('callbacks.attemptHelp', { max: c.maxAttempts })} rules={[{ ...required[0], whitespace: true }]}>
          <Input maxLength={1000} autoFocus data-testid="callback-note" />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="solved" label={t('callbacks.solved')} rules={required}>
            <Radio.Group
              optionType="button"
              options={[
                { value: true, label: t('callbacks.solvedYes') },
                { value: false, label: t('callbacks.solvedNo') },
              ]}
              data-testid="callback-solved"
            />
          </Form.Item>
          <Form.Item name="satisfaction" label={t('callbacks.satisfactionLabel')} rules={required}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={satisfactionScale.map((s) => ({ value: s, label: <span data-testid={`satisfaction-${s}`}>{t(`callbacks.satisfaction.${s}`)}</span> }))}
              data-testid="callback-satisfaction"
            />
          </Form.Item>
          <Form.Item name="comment" label={t('callbacks.comment')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="callback-comment" />
          </Form.Item>
          {reopens && <Alert type="warning" showIcon title={t('callbacks.reopenWarning')} style={{ marginBottom: 16 }} data-testid="callback-reopen-warning" />}
        </>
      )}
      {alert}
    </Form>
  );
}

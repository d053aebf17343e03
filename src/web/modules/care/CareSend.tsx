import { Alert, Button, Flex, Form, Input, InputNumber, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { careTask } from '../../../contracts/care.ts';
import { ApiError } from '../../api.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { outreachApi } from './outreachApi.ts';

type CareTask = z.infer<typeof careTask>;
interface Refusal {
  id: string;
  message: string;
}

function SendForm({ task, setBusy, onSent }: { task: CareTask; setBusy: (b: boolean) => void; onSent: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ giftValue: number; giftNote?: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['giftValue', 'giftNote'],
    async (v) => {
      await outreachApi.send(task.id, { version: task.version, giftValue: v.giftValue ?? 0, giftNote: v.giftNote?.trim() || undefined });
      notify.ok(t('outreach.sendOk'));
      onSent();
    },
    { setBusy, onConflict: onSent },
  );
  return (
    <Form id="care-send-form" form={form} layout="vertical" onFinish={onFinish} initialValues={{ giftValue: task.giftValue }} noValidate>
      <Form.Item label={t('outreach.messagePreview')}>
        <Typography.Paragraph style={{ margin: 0 }} data-testid="care-send-preview">
          {task.channel === 'gift' ? '—' : task.message}
        </Typography.Paragraph>
      </Form.Item>
      <Form.Item name="giftValue" label={t('outreach.giftValue')} extra={t('outreach.giftHelp')}>
        <InputNumber min={0} max={1_000_000} precision={0} data-testid="care-send-gift" />
      </Form.Item>
      <Form.Item name="giftNote" label={t('outreach.giftNote')}>
        <Input maxLength={200} data-testid="care-send-note" />
      </Form.Item>
      {alert}
    </Form>
  );
}

/** 发送关怀 for one task: the text the customer gets, the gift (value and what it is). */
export function SendTaskModal({ task, onClose, onSent }: { task: CareTask | null; onClose: () => void; onSent: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal opening={task} title={(x) => t('outreach.sendTitle', { name: x.customerName })} formId="care-send-form" submitTestId="care-send-submit" okText={t('outreach.send')} onClose={onClose}>
      {(x, setBusy) => (
        <SendForm
          task={x}
          setBusy={setBusy}
          onSent={() => {
            onClose();
            onSent();
          }}
        />
      )}
    </FormModal>
  );
}

/** Sends the selected pending tasks, all or nothing; a refusal lists each refused task and sends none. */
export function BulkSendBar({ selected, onDone }: { selected: CareTask[]; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<{ title: string; items: Refusal[] } | null>(null);
  const names = new Map(selected.map((x) => [x.id, x.customerName]));
  const send = async () => {
    setBusy(true);
    setRefused(null);
    try {
      const r = await outreachApi.bulkSend(selected.map((x) => ({ id: x.id, version: x.version })));
      notify.ok(t('outreach.bulkOk', { count: r.items.length }));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.body.refused)) setRefused({ title: err.title, items: err.body.refused as Refusal[] });
      else notify.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Flex gap={8} align="center">
        <Button type="primary" disabled={selected.length === 0} loading={busy} onClick={() => void send()} data-testid="care-bulk-send">
          {t('outreach.bulkSend', { count: selected.length })}
        </Button>
      </Flex>
      {refused && (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          showIcon
          closable
          onClose={() => setRefused(null)}
          title={refused.title}
          data-testid="care-bulk-refused"
          description={
            <>
              <div>{t('outreach.bulkRefused')}</div>
              {refused.items.map((r) => (
                <div key={r.id}>
                  {names.get(r.id) ?? r.id}: {r.message}
                </div>
              ))}
            </>
          }
        />
      )}
    </div>
  );
}

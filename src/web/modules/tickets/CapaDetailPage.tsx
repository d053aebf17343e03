import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Form, Input, List, Radio, Result, Space, Spin, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, errorText } from '../../api.ts';
import { capasApi, ticketsApi, type Capa } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CapaStatusTag } from './CapaTags.tsx';

type Step = { step: 'complete' } | { step: 'verify' };

/**
 * One CAPA: what it is, whose, by when; the work orders it answers (linked by order number); the
 * owner reports it done, a manager verifies it effective (closed) or ineffective (back to open, with why).
 */
export function CapaDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can, me } = useSession();
  const load = useCallback(() => capasApi.get(id), [id]);
  const { data: k, error, loading, reload } = useLoaded<Capa | null>(load, null);
  const notify = useNotify();
  const [step, setStep] = useState<Step | null>(null);

  if (!k) {
    if (error instanceof ApiError && error.status === 404) {
      return <Result status="404" title={t('capa.notFound')} extra={<Link to="/capas"><Button type="primary">{t('capa.backToList')}</Button></Link>} />;
    }
    if (error) return <Alert type="error" showIcon title={errorText(error)} />;
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  }
  const canAssign = can('ticket:assign');
  const mayComplete = k.status === 'open' && (canAssign || k.ownerId === me?.user.id);
  const mayVerify = k.status === 'done' && can('ticket:approve_compensation');

  return (
    <div data-testid="capa-page">
      <Page
        title={k.title}
        extra={
          <Space wrap>
            {mayComplete && (
              <Button type="primary" onClick={() => setStep({ step: 'complete' })} data-testid="capa-complete">
                {t('capa.complete')}
              </Button>
            )}
            {mayVerify && (
              <Button type="primary" onClick={() => setStep({ step: 'verify' })} data-testid="capa-verify">
                {t('capa.verify')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading} aria-label={t('common.refresh')} />
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          data-testid="capa-details"
          items={[
            { key: 'status', label: t('capa.fields.status'), children: <CapaStatusTag capa={k} /> },
            { key: 'kind', label: t('capa.fields.kind'), children: t(`capa.kinds.${k.kind}`) },
            { key: 'unit', label: t('capa.fields.unit'), children: k.orgUnitName },
            { key: 'owner', label: t('capa.fields.owner'), children: k.ownerName },
            { key: 'due', label: t('capa.fields.dueDate'), children: k.dueDate },
            ...(k.completedAt ? [{ key: 'completed', label: t('capa.fields.completedAt'), children: formatTime(k.completedAt) }] : []),
            ...(k.verificationResult
              ? [
                  {
                    key: 'verification',
                    label: t('capa.fields.verification'),
                    children: (
                      <span data-testid="capa-verification">
                        {t(`capa.results.${k.verificationResult}`)} · {k.verifiedBy} · {formatTime(k.verifiedAt)}
                        {k.verificationNote ? `：${k.verificationNote}` : ''}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 16 }} type={k.description ? undefined : 'secondary'}>
          {k.description || t('capa.noDescription')}
        </Typography.Paragraph>
        <Typography.Title level={5}>{t('capa.fields.tickets')}</Typography.Title>
        <List
          size="small"
          bordered
          dataSource={k.tickets}
          locale={{ emptyText: t('capa.noTickets') }}
          data-testid="capa-tickets"
          renderItem={(x) => (
            <List.Item
              data-testid={`capa-ticket-${x.number}`}
              actions={
                canAssign && k.status !== 'verified'
                  ? [
                      <RowAction key="unlink" testId="capa-unlink" confirm={t('capa.unlinkConfirm', { number: x.number })} onClick={() => notify.run(capasApi.unlink(k.id, x.id), t('capa.unlinked')).then(() => reload())}>
                        {t('capa.unlink')}
                      </RowAction>,
                    ]
                  : []
              }
            >
              <Space>
                <Link to={`/tickets/${x.id}`}>{x.number}</Link>
                <Typography.Text>{x.subject}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        {canAssign && k.status !== 'verified' && <LinkForm capa={k} onLinked={() => void reload()} />}
      </Page>
      <FormModal
        opening={step}
        title={(s) => t(s.step === 'complete' ? 'capa.completeTitle' : 'capa.verifyTitle')}
        formId="capa-step-form"
        submitTestId="capa-step-submit"
        okText={t('common.ok')}
        onClose={() => setStep(null)}
      >
        {(s, setBusy) => (
          <StepForm
            capa={k}
            step={s.step}
            setBusy={setBusy}
            onDone={(text) => {
              setStep(null);
              notify.ok(text);
              void reload();
            }}
            onConflict={() => {
              setStep(null);
              void reload();
            }}
          />
        )}
      </FormModal>
    </div>
  );
}

/** Links a work order typed by its number (工单号), found among the orders the person can see. */
function LinkForm({ capa, onLinked }: { capa: Capa; onLinked: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ number: string }>();
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['number'],
    async (v) => {
      const number = v.number.trim().toUpperCase();
      const found = (await ticketsApi.list({ q: number, limit: 20 })).items.find((x) => x.number.toUpperCase() === number);
      if (!found) {
        form.setFields([{ name: 'number', errors: [t('capa.ticketNotFound', { number })] }]);
        return;
      }
      await capasApi.link(capa.id, [found.id]);
      form.resetFields();
      notify.ok(t('capa.linked', { number: found.number }));
      onLinked();
    },
    { setBusy },
  );
  return (
    <Form form={form} layout="inline" onFinish={onFinish} style={{ marginTop: 12 }} noValidate>
      <Form.Item name="number" rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input placeholder={t('capa.linkPlaceholder')} maxLength={64} style={{ width: 260 }} data-testid="capa-link-number" />
      </Form.Item>
      <Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="capa-link-submit">
          {t('capa.link')}
        </Button>
      </Form.Item>
      {alert}
    </Form>
  );
}

function StepForm({ capa, step, setBusy, onDone, onConflict }: { capa: Capa; step: 'complete' | 'verify'; setBusy: (b: boolean) => void; onDone: (text: string) => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string; effective?: boolean }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['note', 'effective'],
    async (v) => {
      const note = v.note?.trim() ?? '';
      if (step === 'complete') {
        await capasApi.complete(capa.id, capa.version, note || undefined);
        onDone(t('capa.completed'));
      } else {
        await capasApi.verify(capa.id, capa.version, v.effective === true, note);
        onDone(t(v.effective ? 'capa.verifiedEffective' : 'capa.verifiedIneffective'));
      }
    },
    { setBusy, onConflict },
  );
  return (
    <Form form={form} id="capa-step-form" layout="vertical" onFinish={onFinish} initialValues={{ effective: true }} noValidate>
      {step === 'verify' && (
        <Form.Item name="effective" label={t('capa.fields.verification')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('capa.results.effective') },
              { value: false, label: t('capa.results.ineffective') },
            ]}
            data-testid="capa-effective"
          />
        </Form.Item>
      )}
      <Form.Item
        name="note"
        label={t(step === 'complete' ? 'capa.completeNote' : 'capa.verifyNote')}
        rules={step === 'verify' ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
      >
        <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="capa-note" />
      </Form.Item>
      {alert}
    </Form>
  );
}

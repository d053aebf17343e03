import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Form, Input, Result, Space, Spin, Steps, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { destructionSteps, type Destruction, type DestructionStep } from '../../../contracts/destruction.ts';
import { ApiError, errorText } from '../../api.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { destructionApi } from './destructionApi.ts';
import { statusColor } from './DestructionsPage.tsx';

interface Deciding {
  step: DestructionStep;
  approve: boolean;
}

/** One destruction request: the file, the reason, the three steps with who decided when; the current step's approver decides here. */
export function DestructionDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const notify = useNotify();
  const load = useCallback(() => destructionApi.get(id), [id]);
  const { data: d, error, loading, reload } = useLoaded<Destruction | null>(load, null);
  const [deciding, setDeciding] = useState<Deciding | null>(null);

  if (!d) {
    if (error instanceof ApiError && error.status === 404) {
      return <Result status="404" title={t('destruction.notFound')} extra={<Link to="/customer-destruction"><Button type="primary">{t('destruction.backToList')}</Button></Link>} />;
    }
    if (error) return <Alert type="error" showIcon title={errorText(error)} />;
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  }
  const stepOf = (n: number) => d.steps.find((s) => s.step === n);
  const current = d.currentStep as DestructionStep | null;

  return (
    <Page
      title={t('destruction.detailTitle', { name: d.customerName })}
      testId="destruction-detail-page"
      extra={
        <Space wrap>
          <Tag color={statusColor[d.status]} data-testid="destruction-status">{t(`destruction.statuses.${d.status}`)}</Tag>
          <Link to={`/customers/${d.customerId}`}>
            <Button data-testid="destruction-customer-link">{t('destruction.fields.customer')}</Button>
          </Link>
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading} aria-label={t('common.refresh')} />
        </Space>
      }
    >
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('destruction.fields.customer')}>
          <span data-testid="destruction-customer">{d.customerName}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('destruction.fields.category')}>{t(`customerFiles.categories.${d.customerCategory}`)}</Descriptions.Item>
        <Descriptions.Item label={t('destruction.fields.unit')}>{d.orgUnitName}</Descriptions.Item>
        <Descriptions.Item label={t('destruction.fields.requestedBy')}>{`${d.requestedByName} · ${formatTime(d.requestedAt)}`}</Descriptions.Item>
        <Descriptions.Item label={t('destruction.fields.reason')} span={2}>
          <span data-testid="destruction-reason-text">{d.reason}</span>
        </Descriptions.Item>
        {d.endedAt && <Descriptions.Item label={t('destruction.fields.endedAt')}>{formatTime(d.endedAt)}</Descriptions.Item>}
      </Descriptions>
      <Steps
        orientation="vertical"
        current={current ? current - 1 : destructionSteps.length}
        status={d.status === 'rejected' ? 'error' : d.status === 'destroyed' ? 'finish' : 'process'}
        items={destructionSteps.map((n) => {
          const s = stepOf(n);
          return {
            title: t(`destruction.steps.${n}`),
            status: (s ? (s.decision === 'approve' ? 'finish' : 'error') : n === current ? 'process' : 'wait') as 'finish' | 'error' | 'process' | 'wait',
            content: (
              <div data-testid={`destruction-step-${n}`}>
                {s ? (
                  <Space direction="vertical" size={0}>
                    <span>{`${t(`destruction.decisions.${s.decision}`)} · ${s.userName} · ${formatTime(s.at)}`}</span>
                    {s.comment && <Typography.Text type="secondary">{s.comment}</Typography.Text>}
                  </Space>
                ) : n === current ? (
                  d.canDecide ? (
                    <Space direction="vertical">
                      <Typography.Text strong>{t('destruction.yourTurn')}</Typography.Text>
                      <Space>
                        <Button type="primary" danger={n === 3} onClick={() => setDeciding({ step: n, approve: true })} data-testid="destruction-approve">
                          {t('destruction.approve')}
                        </Button>
                        <Button onClick={() => setDeciding({ step: n, approve: false })} data-testid="destruction-reject">
                          {t('destruction.reject')}
                        </Button>
                      </Space>
                    </Space>
                  ) : (
                    t('destruction.waiting')
                  )
                ) : (
                  t('destruction.notYet')
                )}
              </div>
            ),
          };
        })}
      />
      <FormModal
        opening={deciding}
        title={(o) => t(o.approve ? 'destruction.approveTitle' : 'destruction.rejectTitle', { step: o.step, role: t(`destruction.steps.${o.step}`) })}
        formId="destruction-decision-form"
        submitTestId="destruction-submit"
        okText={deciding?.approve === false ? t('destruction.reject') : t('destruction.approve')}
        onClose={() => setDeciding(null)}
      >
        {(o, setBusy) => (
          <DecisionForm
            id={d.id}
            deciding={o}
            setBusy={setBusy}
            onDone={(after) => {
              setDeciding(null);
              notify.ok(t(after.status === 'destroyed' ? 'destruction.destroyedOk' : after.status === 'rejected' ? 'destruction.rejectedOk' : 'destruction.approved'));
              void reload();
            }}
          />
        )}
      </FormModal>
    </Page>
  );
}

function DecisionForm({ id, deciding, setBusy, onDone }: { id: string; deciding: Deciding; setBusy: (b: boolean) => void; onDone: (d: Destruction) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ comment?: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['comment'],
    async (v) => onDone(await destructionApi.decide(id, deciding.step, deciding.approve ? 'approve' : 'reject', v.comment?.trim() ?? '')),
    { setBusy },
  );
  return (
    <Form form={form} id="destruction-decision-form" layout="vertical" onFinish={onFinish} noValidate>
      {deciding.approve && deciding.step === 3 && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('destruction.finalWarning')} data-testid="destruction-final-warning" />}
      <Form.Item
        name="comment"
        label={t('destruction.comment')}
        extra={deciding.approve ? undefined : t('destruction.rejectHelp')}
        rules={deciding.approve ? [] : [{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea autoFocus autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount data-testid="destruction-comment" />
      </Form.Item>
      {alert}
    </Form>
  );
}

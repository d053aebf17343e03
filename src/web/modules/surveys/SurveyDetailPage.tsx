import { Alert, Button, Card, Form, List, Modal, Result, Select, Space, Spin, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { customerCategories } from '../../../contracts/customers.ts';
import type { Survey, SurveyInvitation } from '../../../contracts/surveys.ts';
import { ApiError, errorText } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AnswersView, StaffAnswerModal } from './StaffAnswer.tsx';
import { SurveyForm } from './SurveyForm.tsx';
import { SurveyResults } from './SurveyResults.tsx';
import { statusColor } from './SurveysPage.tsx';
import { surveysApi, type SendInput } from './surveysApi.ts';

/** One survey: its questions, sending to a segment and the invitations (record an answer, a link), and the results. */
export function SurveyDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const navigate = useNavigate();
  const load = useCallback(() => surveysApi.get(id), [id]);
  const { data: s, error, reload } = useLoaded<Survey | null>(load, null);
  const [editing, setEditing] = useState<object | null>(null);
  const [tab, setTab] = useState('invitations');

  if (!s) {
    if (error instanceof ApiError && error.status === 404) return <Result status="404" title={t('surveys.notFound')} extra={<Link to="/surveys"><Button type="primary">{t('surveys.backToList')}</Button></Link>} />;
    if (error) return <Alert type="error" showIcon title={errorText(error)} />;
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  }
  const manage = can('customer:manage');
  const act = (p: Promise<unknown>, ok: string) => void notify.run(p, ok, reload).then((done) => done && void reload());
  return (
    <Page
      title={s.title}
      testId="survey-page"
      extra={
        <Space wrap>
          <Tag color={statusColor[s.status]} data-testid="survey-status">
            {t(`surveys.statuses.${s.status}`)}
          </Tag>
          {manage && s.status === 'draft' && (
            <>
              <Button onClick={() => setEditing({})} data-testid="survey-edit">
                {t('common.edit')}
              </Button>
              <Button onClick={() => act(surveysApi.status(s.id, s.version, 'open'), t('surveys.opened'))} data-testid="survey-open">
                {t('surveys.open')}
              </Button>
              <Button danger onClick={() => void notify.run(surveysApi.remove(s.id), t('surveys.deleted')).then((ok) => ok && navigate('/surveys'))} data-testid="survey-delete">
                {t('surveys.delete')}
              </Button>
            </>
          )}
          {manage && s.status === 'open' && (
            <Button danger onClick={() => act(surveysApi.status(s.id, s.version, 'closed'), t('surveys.closed'))} data-testid="survey-close">
              {t('surveys.close')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {s.orgUnitName} · {t('surveys.countSummary', { invited: s.invited, answered: s.answered })}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'invitations', label: <span data-testid="survey-tab-invitations">{t('surveys.tabs.invitations')}</span>, children: <Invitations survey={s} onChanged={() => void reload()} /> },
          { key: 'questions', label: <span data-testid="survey-tab-questions">{t('surveys.tabs.questions')}</span>, children: <Questions survey={s} /> },
          ...(manage ? [{ key: 'results', label: <span data-testid="survey-tab-results">{t('surveys.tabs.results')}</span>, children: <SurveyResults survey={s} /> }] : []),
        ]}
      />
      <FormDrawer opening={editing} title={() => t('surveys.editTitle')} formId="survey-form" submitTestId="survey-submit" size={640} onClose={() => setEditing(null)}>
        {(_, setBusy) => (
          <SurveyForm
            survey={s}
            setBusy={setBusy}
            onConflict={() => {
              setEditing(null);
              void reload();
            }}
            onDone={() => {
              setEditing(null);
              notify.ok(t('common.saved'));
              void reload();
            }}
          />
        )}
      </FormDrawer>
    </Page>
  );
}

function Questions({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  return (
    <>
      {survey.intro && <Typography.Paragraph>{survey.intro}</Typography.Paragraph>}
      <List
        dataSource={survey.questions}
        renderItem={(q, k) => (
          <List.Item data-testid={`survey-question-view-${k}`}>
            <List.Item.Meta
              title={`${k + 1}. ${q.text}${q.required ? ' *' : ''}`}
              description={
                q.kind === 'scale'
                  ? `${t('surveys.kinds.scale')} 1–${q.max}${q.minLabel || q.maxLabel ? `（${q.minLabel} … ${q.maxLabel}）` : ''}`
                  : q.kind === 'choice'
                    ? `${t('surveys.kinds.choice')}：${q.options.join(' / ')}`
                    : `${t('surveys.kinds.text')}（≤ ${q.maxLength}）`
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}

function Invitations({ survey, onChanged }: { survey: Survey; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const [status, setStatus] = useState<string | undefined>();
  // The counts in the dependencies reload the list after a send or an answer.
  const load = useCallback(() => surveysApi.invitations(survey.id, status), [survey.id, status, survey.invited, survey.answered]);
  const list = useLoaded(load, [] as SurveyInvitation[]);
  const [answering, setAnswering] = useState<SurveyInvitation | null>(null);
  const [viewing, setViewing] = useState<SurveyInvitation | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const manage = can('customer:manage');
  const open = survey.status === 'open';
  const issue = async (i: SurveyInvitation) => {
    try {
      setLink((await surveysApi.link(i.id)).url);
    } catch (err) {
      notify.fail(err);
    }
  };
  const columns: TableColumnsType<SurveyInvitation> = [
    { title: t('surveys.fields.customer'), key: 'customer', render: (_, i) => <Link to={`/customers/${i.customerId}`}>{i.customerName}</Link> },
    { title: t('surveys.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('surveys.fields.tier'), key: 'tier', render: (_, i) => t(`customerFiles.tiers.${i.tier}`) },
    { title: t('surveys.fields.channel'), key: 'channel', render: (_, i) => t(`surveys.channels.${i.channel}`) },
    {
      title: t('surveys.fields.status'),
      key: 'status',
      render: (_, i) => (
        <Tag color={i.status === 'answered' ? 'green' : 'default'} data-testid="invitation-status">
          {i.status === 'answered' ? t(`surveys.answeredVia.${i.answeredVia ?? 'staff'}`) : t('surveys.invitationStatuses.pending')}
        </Tag>
      ),
    },
    { title: t('surveys.fields.answeredAt'), key: 'answeredAt', render: (_, i) => (i.answeredAt ? new Date(i.answeredAt).toLocaleString() : '—') },
    {
      title: t('surveys.actions'),
      key: 'actions',
      render: (_, i) =>
        i.status === 'answered' ? (
          <RowAction testId="invitation-view" onClick={() => setViewing(i)}>
            {t('surveys.viewAnswers')}
          </RowAction>
        ) : (
          open && (
            <Space size={0}>
              <RowAction testId="invitation-record" onClick={() => setAnswering(i)}>
                {t('surveys.record')}
              </RowAction>
              {manage && (
                <RowAction testId="invitation-link" onClick={() => void issue(i)}>
                  {t('surveys.newLink')}
                </RowAction>
              )}
            </Space>
          )
        ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {manage && survey.status !== 'closed' && <SendForm survey={survey} onSent={onChanged} />}
      <Select
        allowClear
        style={{ width: 200 }}
        value={status}
        onChange={setStatus}
        placeholder={t('surveys.fields.status')}
        aria-label={t('surveys.fields.status')}
        options={(['pending', 'answered'] as const).map((v) => ({ value: v, label: t(`surveys.invitationStatuses.${v}`) }))}
      />
      <DataTable<SurveyInvitation>
        columns={columns}
        dataSource={list.data}
        loading={list.loading}
        error={list.error}
        rowTestId={(i) => `invitation-row-${i.customerName}`}
        locale={{ emptyText: t('surveys.noInvitations') }}
        scroll={{ x: 'max-content' }}
      />
      <StaffAnswerModal
        invitation={answering}
        onClose={() => setAnswering(null)}
        onDone={() => {
          setAnswering(null);
          onChanged();
        }}
      />
      <Modal open={viewing !== null} title={viewing ? t('surveys.answersOf', { name: viewing.customerName }) : ''} onCancel={() => setViewing(null)} footer={null} destroyOnHidden width={640}>
        {viewing && <AnswersView invitation={viewing} />}
      </Modal>
      <OneTimeSecretModal open={link !== null} title={t('surveys.linkTitle')} label={t('surveys.linkLabel')} secret={link} warning={t('surveys.linkWarning')} onClose={() => setLink(null)} />
    </Space>
  );
}

function SendForm({ survey, onSent }: { survey: Survey; onSent: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<SendInput>();
  const [busy, setBusy] = useState(false);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['tiers', 'categories', 'tags', 'channel'],
    async (v) => {
      const r = await surveysApi.send(survey.id, v);
      notify.ok(t('surveys.sent', r));
      onSent();
    },
    { setBusy },
  );
  return (
    <Card size="small" title={t('surveys.sendTitle')} data-testid="survey-send">
      <Typography.Paragraph type="secondary">{t('surveys.sendHelp', { unit: survey.orgUnitName })}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={onFinish} initialValues={{ tiers: [], categories: [], tags: [], channel: 'sms' }} style={{ rowGap: 8 }}>
        <Form.Item name="tiers" label={t('surveys.fields.tiers')}>
          <Select mode="multiple" style={{ minWidth: 180 }} options={(['strategic', 'key', 'ordinary'] as const).map((c) => ({ value: c, label: t(`customerFiles.tiers.${c}`) }))} data-testid="survey-send-tiers" />
        </Form.Item>
        <Form.Item name="categories" label={t('surveys.fields.categories')}>
          <Select mode="multiple" style={{ minWidth: 180 }} options={customerCategories.map((c) => ({ value: c, label: t(`customerFiles.categories.${c}`) }))} data-testid="survey-send-categories" />
        </Form.Item>
        <Form.Item name="tags" label={t('surveys.fields.tags')}>
          <Select mode="tags" maxCount={20} open={false} style={{ minWidth: 160 }} data-testid="survey-send-tags" />
        </Form.Item>
        <Form.Item name="channel" label={t('surveys.fields.channel')}>
          <Select style={{ width: 140 }} options={(['sms', 'email', 'none'] as const).map((c) => ({ value: c, label: t(`surveys.channels.${c}`) }))} data-testid="survey-send-channel" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="survey-send-submit">
          {t('surveys.send')}
        </Button>
      </Form>
      {alert && <div style={{ marginTop: 12 }}>{alert}</div>}
    </Card>
  );
}

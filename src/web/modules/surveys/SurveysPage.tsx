import { Tag, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Survey } from '../../../contracts/surveys.ts';
import { useSession } from '../../session.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { SurveyForm } from './SurveyForm.tsx';
import { surveysApi } from './surveysApi.ts';

export const statusColor: Record<Survey['status'], string> = { draft: 'default', open: 'green', closed: 'red' };
export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** 满意度调查: the surveys in the person's scope; a new one starts as a draft and opens on its first send. */
export function SurveysPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const load = useCallback(() => surveysApi.list(), []);
  const { data, loading, error } = useLoaded(load, [] as Survey[]);
  const [creating, setCreating] = useState<object | null>(null);
  const columns: TableColumnsType<Survey> = [
    {
      title: t('surveys.fields.title'),
      key: 'title',
      render: (_, s) => (
        <Link to={`/surveys/${s.id}`} data-testid="survey-link">
          {s.title}
        </Link>
      ),
    },
    { title: t('surveys.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('surveys.fields.status'), key: 'status', render: (_, s) => <Tag color={statusColor[s.status]}>{t(`surveys.statuses.${s.status}`)}</Tag> },
    { title: t('surveys.fields.questions'), key: 'questions', render: (_, s) => s.questions.length },
    { title: t('surveys.fields.invited'), dataIndex: 'invited' },
    { title: t('surveys.fields.answered'), dataIndex: 'answered' },
    { title: t('surveys.fields.responseRate'), key: 'rate', render: (_, s) => percent(s.invited > 0 ? s.answered / s.invited : null) },
    { title: t('surveys.fields.createdAt'), key: 'createdAt', render: (_, s) => new Date(s.createdAt).toLocaleDateString() },
  ];
  return (
    <Page
      title={t('surveys.title')}
      testId="surveys-page"
      extra={
        can('customer:manage') && (
          <CreateButton testId="survey-create" onClick={() => setCreating({})}>
            {t('surveys.create')}
          </CreateButton>
        )
      }
    >
      <DataTable<Survey> columns={columns} dataSource={data} loading={loading} error={error} rowTestId={(s) => `survey-row-${s.title}`} locale={{ emptyText: t('surveys.none') }} scroll={{ x: 'max-content' }} />
      <FormDrawer opening={creating} title={() => t('surveys.create')} formId="survey-form" submitTestId="survey-submit" size={640} onClose={() => setCreating(null)}>
        {(_, setBusy) => <SurveyForm survey={null} setBusy={setBusy} onDone={(s) => navigate(`/surveys/${s.id}`)} />}
      </FormDrawer>
    </Page>
  );
}

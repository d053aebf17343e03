import { Modal, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SurveyInvitation } from '../../../contracts/surveys.ts';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AnswersView, StaffAnswerModal } from './StaffAnswer.tsx';
import { surveysApi } from './surveysApi.ts';

/** The customer's survey invitations on the customer file, where staff record the answers given on a call. */
export function CustomerSurveys({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const load = useCallback(() => surveysApi.ofCustomer(customerId), [customerId]);
  const list = useLoaded(load, [] as SurveyInvitation[]);
  const [answering, setAnswering] = useState<SurveyInvitation | null>(null);
  const [viewing, setViewing] = useState<SurveyInvitation | null>(null);
  const columns: TableColumnsType<SurveyInvitation> = [
    { title: t('surveys.fields.title'), key: 'survey', render: (_, i) => <Link to={`/surveys/${i.surveyId}`}>{i.surveyTitle}</Link> },
    { title: t('surveys.fields.status'), key: 'status', render: (_, i) => <Tag>{i.status === 'answered' ? t(`surveys.answeredVia.${i.answeredVia ?? 'staff'}`) : t('surveys.invitationStatuses.pending')}</Tag> },
    { title: t('surveys.fields.answeredAt'), key: 'answeredAt', render: (_, i) => (i.answeredAt ? new Date(i.answeredAt).toLocaleString() : '—') },
    {
      title: t('surveys.actions'),
      key: 'actions',
      render: (_, i) =>
        i.status === 'answered' ? (
          <RowAction testId="customer-survey-view" onClick={() => setViewing(i)}>
            {t('surveys.viewAnswers')}
          </RowAction>
        ) : (
          i.surveyStatus === 'open' && (
            <RowAction testId="customer-survey-record" onClick={() => setAnswering(i)}>
              {t('surveys.record')}
            </RowAction>
          )
        ),
    },
  ];
  if (!list.loading && list.data.length === 0) return null;
  return (
    <div data-testid="customer-surveys" style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('surveys.customerSection')}</Typography.Title>
      <DataTable<SurveyInvitation> columns={columns} dataSource={list.data} loading={list.loading} error={list.error} rowTestId={(i) => `customer-survey-${i.surveyTitle}`} />
      <StaffAnswerModal
        invitation={answering}
        onClose={() => setAnswering(null)}
        onDone={() => {
          setAnswering(null);
          void list.reload();
        }}
      />
      <Modal open={viewing !== null} title={viewing ? t('surveys.answersOf', { name: viewing.customerName }) : ''} onCancel={() => setViewing(null)} footer={null} destroyOnHidden width={640}>
        {viewing && <AnswersView invitation={viewing} />}
      </Modal>
    </div>
  );
}

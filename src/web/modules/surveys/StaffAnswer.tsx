import { Descriptions, Spin, Tag } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Survey, SurveyInvitation } from '../../../contracts/surveys.ts';
import { useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AnswerForm } from './AnswerForm.tsx';
import { surveysApi } from './surveysApi.ts';

/** Staff record the answers a customer gives on a call (电话答卷), for one invitation. */
export function StaffAnswerModal({ invitation, onClose, onDone }: { invitation: SurveyInvitation | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal
      opening={invitation}
      title={(i) => t('surveys.recordTitle', { name: i.customerName })}
      formId="survey-answer-form"
      submitTestId="survey-answer-submit"
      okText={t('surveys.recordSave')}
      width={640}
      onClose={onClose}
    >
      {(i, setBusy) => <StaffAnswerForm invitation={i} setBusy={setBusy} onDone={onDone} />}
    </FormModal>
  );
}

function StaffAnswerForm({ invitation, setBusy, onDone }: { invitation: SurveyInvitation; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const load = useCallback(() => surveysApi.get(invitation.surveyId), [invitation.surveyId]);
  const { data } = useLoaded<Survey | null>(load, null);
  if (!data) return <Spin />;
  return (
    <AnswerForm
      questions={data.questions}
      formId="survey-answer-form"
      setBusy={setBusy}
      submit={async (answers) => {
        await surveysApi.answer(invitation.id, answers);
        notify.ok(t('surveys.recorded'));
        onDone();
      }}
    />
  );
}

/** The answers of an answered invitation, question by question. */
export function AnswersView({ invitation }: { invitation: SurveyInvitation }) {
  const { t } = useTranslation();
  const loadSurvey = useCallback(() => surveysApi.get(invitation.surveyId), [invitation.surveyId]);
  const loadAnswers = useCallback(() => surveysApi.answers(invitation.id), [invitation.id]);
  const survey = useLoaded<Survey | null>(loadSurvey, null);
  const answers = useLoaded<{ answers: (number | string | null)[] } | null>(loadAnswers, null);
  if (!survey.data || !answers.data) return <Spin />;
  return (
    <Descriptions column={1} size="small" bordered data-testid="survey-answers">
      {survey.data.questions.map((q, k) => {
        const a = answers.data!.answers[k];
        const shown = a === null || a === undefined || a === '' ? t('common.none') : q.kind === 'choice' ? q.options[Number(a)] : q.kind === 'scale' ? <Tag>{`${a} / ${q.max}`}</Tag> : String(a);
        return (
          <Descriptions.Item key={k} label={`${k + 1}. ${q.text}`}>
            {shown}
          </Descriptions.Item>
        );
      })}
    </Descriptions>
  );
}

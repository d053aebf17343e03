import { Button, Result, Spin, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { PublicSurvey } from '../../../contracts/surveys.ts';
import { ApiError, errorText } from '../../api.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AuthFrame } from '../auth/LoginPage.tsx';
import { AnswerForm } from './AnswerForm.tsx';
import { surveysApi } from './surveysApi.ts';

/**
 * The customer's survey page `/survey/:token` (满意度调查), outside the sign-in like the rating page:
 * the company, the survey's title and intro, its questions; a thank-you after. A used or expired link
 * says so and takes nothing.
 */
export function SurveyAnswerPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const load = useCallback(() => surveysApi.publicView(token), [token]);
  const { data, error, loading } = useLoaded<PublicSurvey | null>(load, null);
  const [done, setDone] = useState<'thanks' | 'used' | 'expired' | null>(null);
  const [busy, setBusy] = useState(false);

  let body;
  if (loading && !data) body = <Spin size="large" style={{ display: 'block', margin: '40px auto' }} />;
  else if (error || !data) {
    body = <Result status="warning" title={error instanceof ApiError && error.status === 404 ? t('surveys.answer.unknown') : errorText(error)} data-testid="survey-unknown" />;
  } else if (done === 'thanks') body = <Result status="success" title={t('surveys.answer.thanks')} subTitle={t('surveys.answer.thanksDetail')} data-testid="survey-thanks" />;
  else if (data.state === 'answered' || done === 'used') body = <Result status="info" title={t('surveys.answer.alreadyAnswered')} data-testid="survey-answered" />;
  else if (data.state === 'expired' || done === 'expired') body = <Result status="warning" title={t('surveys.answer.expired')} data-testid="survey-expired" />;
  else {
    body = (
      <AnswerForm
        questions={data.questions}
        formId="public-survey"
        setBusy={setBusy}
        submit={async (answers) => {
          try {
            await surveysApi.publicAnswer(token, answers);
            setDone('thanks');
          } catch (err) {
            if (err instanceof ApiError && err.code === 'SURVEY_LINK_USED') setDone('used');
            else if (err instanceof ApiError && err.code === 'SURVEY_LINK_EXPIRED') setDone('expired');
            else throw err;
          }
        }}
        footer={
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="survey-submit">
            {t('surveys.answer.submit')}
          </Button>
        }
      />
    );
  }

  return (
    <AuthFrame title={t('surveys.answer.title')}>
      {data && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary" data-testid="survey-company">
            {data.companyName}
          </Typography.Text>
          <Typography.Title level={5} style={{ marginTop: 4 }} data-testid="survey-title">
            {data.title}
          </Typography.Title>
          {data.intro && <Typography.Paragraph>{data.intro}</Typography.Paragraph>}
        </div>
      )}
      {body}
    </AuthFrame>
  );
}

import { Alert, Button, Descriptions, Form, Input, Radio, Result, Spin } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { PublicRating } from '../../../contracts/merge.ts';
import { ApiError, errorText } from '../../api.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AuthFrame } from '../auth/LoginPage.tsx';
import { mergeApi } from './mergeApi.ts';

/** 非常满意 first, as the callback script asks. */
const scale = [5, 4, 3, 2, 1] as const;

interface Values {
  satisfaction?: number;
  solved?: boolean;
  comment?: string;
}

/**
 * The customer's rating page `/rate/:token` (满意度评价), outside the sign-in: the order's number and
 * subject, the company, then the five-step scale, solved yes/no and a comment; a thank-you after.
 */
export function RatePage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const load = useCallback(() => mergeApi.publicRating(token), [token]);
  const { data, error, loading } = useLoaded<PublicRating | null>(load, null);
  const [done, setDone] = useState<'thanks' | 'used' | 'expired' | null>(null);

  let body;
  if (loading && !data) body = <Spin size="large" style={{ display: 'block', margin: '40px auto' }} />;
  else if (error || !data) {
    body = <Result status="warning" title={error instanceof ApiError && error.status === 404 ? t('merge.rate.unknown') : errorText(error)} data-testid="rate-unknown" />;
  } else if (done === 'thanks') body = <Result status="success" title={t('merge.rate.thanks')} subTitle={t('merge.rate.thanksDetail')} data-testid="rate-thanks" />;
  else if (data.state === 'rated' || done === 'used') body = <Result status="info" title={t('merge.rate.alreadyRated')} data-testid="rate-rated" />;
  else if (data.state === 'expired' || done === 'expired') body = <Result status="warning" title={t('merge.rate.expired')} data-testid="rate-expired" />;
  else body = <RateForm token={token} onDone={setDone} />;

  return (
    <AuthFrame title={t('merge.rate.title')}>
      {data && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'company', label: t('merge.rate.company'), children: <span data-testid="rate-company">{data.companyName}</span> },
            { key: 'number', label: t('merge.rate.number'), children: <span data-testid="rate-number">{data.number}</span> },
            { key: 'subject', label: t('merge.rate.subject'), children: data.subject },
          ]}
        />
      )}
      {body}
    </AuthFrame>
  );
}

function RateForm({ token, onDone }: { token: string; onDone: (s: 'thanks' | 'used' | 'expired') => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setFailure(null);
    try {
      await mergeApi.rate(token, v.solved ?? true, v.satisfaction ?? 5, (v.comment ?? '').trim());
      onDone('thanks');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RATING_LINK_USED') onDone('used');
      else if (err instanceof ApiError && err.code === 'RATING_LINK_EXPIRED') onDone('expired');
      else setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const required = [{ required: true, message: t('merge.rate.required') }];
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="rate">
      <Form.Item name="satisfaction" label={t('merge.rate.satisfaction')} rules={required}>
        <Radio.Group data-testid="rate-satisfaction" style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
          {scale.map((n) => (
            <Radio key={n} value={n} data-testid={`rate-satisfaction-${n}`}>
              {t(`callbacks.satisfaction.${n}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="solved" label={t('merge.rate.solved')} rules={required}>
        <Radio.Group data-testid="rate-solved">
          <Radio value={true} data-testid="rate-solved-yes">
            {t('merge.rate.yes')}
          </Radio>
          <Radio value={false} data-testid="rate-solved-no">
            {t('merge.rate.no')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="comment" label={t('merge.rate.comment')}>
        <Input.TextArea maxLength={500} showCount rows={3} data-testid="rate-comment" />
      </Form.Item>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="rate-submit">
        {t('merge.rate.submit')}
      </Button>
    </Form>
  );
}

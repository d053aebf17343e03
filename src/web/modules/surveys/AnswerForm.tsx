import { Flex, Form, Input, Radio, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SurveyAnswerValue, SurveyQuestion } from '../../../contracts/surveys.ts';
import { useFormSubmit } from '../../ui/errors.tsx';

interface Values {
  answers: (number | string | undefined)[];
}

/**
 * The questions of a survey as a form, one item per question (scale points as buttons with the end
 * labels, single choice as radios, text as a text area), used by the customer's link page and by staff
 * recording an answer on a call. The server checks the same rules; its per-question errors land under
 * the question (`answers.<k>`).
 */
export function AnswerForm({
  questions,
  formId,
  setBusy,
  submit,
  footer,
}: {
  questions: SurveyQuestion[];
  formId: string;
  setBusy: (busy: boolean) => void;
  submit: (answers: SurveyAnswerValue[]) => Promise<void>;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['answers'],
    async (v) => {
      const answers = questions.map((q, k) => {
        const a = v.answers?.[k];
        if (a === undefined || a === null) return null;
        if (q.kind === 'text') return String(a).trim() || null;
        return Number(a);
      });
      await submit(answers);
    },
    { setBusy },
  );
  return (
    <Form form={form} id={formId} layout="vertical" onFinish={onFinish} requiredMark noValidate>
      {questions.map((q, k) => (
        <Form.Item
          key={k}
          name={['answers', k]}
          label={`${k + 1}. ${q.text}`}
          required={q.required}
          rules={q.required ? [q.kind === 'text' ? { required: true, whitespace: true, message: t('surveys.answer.required') } : { required: true, type: 'number', message: t('surveys.answer.required') }] : []}
          data-testid={`survey-q-${k}`}
        >
          {q.kind === 'scale' ? (
            <ScaleInput max={q.max} minLabel={q.minLabel} maxLabel={q.maxLabel} k={k} />
          ) : q.kind === 'choice' ? (
            <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              {q.options.map((o, v) => (
                <Radio key={v} value={v} data-testid={`survey-q-${k}-${v}`}>
                  {o}
                </Radio>
              ))}
            </Radio.Group>
          ) : (
            <Input.TextArea maxLength={q.maxLength} showCount autoSize={{ minRows: 2, maxRows: 6 }} data-testid={`survey-q-${k}-text`} />
          )}
        </Form.Item>
      ))}
      {alert}
      {footer}
    </Form>
  );
}

function ScaleInput({ max, minLabel, maxLabel, k, value, onChange }: { max: number; minLabel: string; maxLabel: string; k: number; value?: number; onChange?: (v: number) => void }) {
  return (
    <div>
      <Radio.Group value={value} onChange={(e) => onChange?.(e.target.value as number)} optionType="button" buttonStyle="solid" style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
          <Radio.Button key={n} value={n} data-testid={`survey-q-${k}-${n}`} style={{ minWidth: 36, textAlign: 'center' }}>
            {n}
          </Radio.Button>
        ))}
      </Radio.Group>
      {(minLabel || maxLabel) && (
        <Flex justify="space-between" style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">{minLabel ? `1 = ${minLabel}` : ''}</Typography.Text>
          <Typography.Text type="secondary">{maxLabel ? `${max} = ${maxLabel}` : ''}</Typography.Text>
        </Flex>
      )}
    </div>
  );
}

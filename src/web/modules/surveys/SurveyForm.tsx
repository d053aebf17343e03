import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Flex, Form, Input, InputNumber, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { questionKinds, SURVEY_MAX_QUESTIONS, type Survey, type SurveyQuestion } from '../../../contracts/surveys.ts';
import { useFormSubmit } from '../../ui/errors.tsx';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { surveysApi } from './surveysApi.ts';

interface QuestionValues {
  kind: SurveyQuestion['kind'];
  text: string;
  required: boolean;
  max?: 5 | 10;
  minLabel?: string;
  maxLabel?: string;
  options?: string[];
  maxLength?: number;
}
interface Values {
  orgUnitId: string;
  title: string;
  intro: string;
  questions: QuestionValues[];
}

const blank = (kind: SurveyQuestion['kind']): QuestionValues =>
  kind === 'scale' ? { kind, text: '', required: true, max: 5, minLabel: '', maxLabel: '' } : kind === 'choice' ? { kind, text: '', required: true, options: [] } : { kind, text: '', required: false, maxLength: 500 };

/** The question as the API takes it: only the fields of its kind. */
function toQuestion(q: QuestionValues): SurveyQuestion {
  const text = (q.text ?? '').trim();
  if (q.kind === 'scale') return { kind: 'scale', text, required: q.required, max: q.max ?? 5, minLabel: (q.minLabel ?? '').trim(), maxLabel: (q.maxLabel ?? '').trim() };
  if (q.kind === 'choice') return { kind: 'choice', text, required: q.required, options: (q.options ?? []).map((o) => o.trim()).filter(Boolean) };
  return { kind: 'text', text, required: q.required, maxLength: q.maxLength ?? 500 };
}

/** Creates a survey (draft) or changes a draft: unit, title, intro and 1–30 questions of three kinds. */
export function SurveyForm({ survey, setBusy, onDone, onConflict }: { survey: Survey | null; setBusy: (b: boolean) => void; onDone: (s: Survey) => void; onConflict?: () => void }) {
  const { t } = useTranslation();
  const { tree } = useOrgUnits(!survey);
  const [form] = Form.useForm<Values>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['orgUnitId', 'title', 'intro', 'questions'],
    async (v) => {
      const body = { title: v.title.trim(), intro: (v.intro ?? '').trim(), questions: v.questions.map(toQuestion) };
      onDone(survey ? await surveysApi.update(survey.id, { ...body, version: survey.version }) : await surveysApi.create({ ...body, orgUnitId: v.orgUnitId }));
    },
    { setBusy, onConflict },
  );
  const required = { required: true, message: t('common.required') };
  const initial: Partial<Values> = survey
    ? { title: survey.title, intro: survey.intro, questions: survey.questions.map((q) => ({ ...blank(q.kind), ...q })) }
    : { intro: '', questions: [blank('scale')] };
  return (
    <Form form={form} id="survey-form" layout="vertical" onFinish={onFinish} initialValues={initial} noValidate>
      {!survey && (
        <Form.Item name="orgUnitId" label={t('surveys.fields.unit')} rules={[required]}>
          <TreeSelect treeData={unitOptions(tree)} treeDefaultExpandAll data-testid="survey-unit" />
        </Form.Item>
      )}
      <Form.Item name="title" label={t('surveys.fields.title')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={100} data-testid="survey-title-input" />
      </Form.Item>
      <Form.Item name="intro" label={t('surveys.fields.intro')}>
        <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="survey-intro" />
      </Form.Item>
      <Form.List name="questions">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, k) => (
              <QuestionCard key={field.key} name={field.name} index={k} onRemove={fields.length > 1 ? () => remove(field.name) : undefined} />
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add(blank('scale'))} disabled={fields.length >= SURVEY_MAX_QUESTIONS} data-testid="survey-add-question" style={{ marginBottom: 16 }}>
              {t('surveys.addQuestion')}
            </Button>
          </>
        )}
      </Form.List>
      {alert}
    </Form>
  );
}

function QuestionCard({ name, index, onRemove }: { name: number; index: number; onRemove?: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const kind = Form.useWatch(['questions', name, 'kind'], form) as SurveyQuestion['kind'] | undefined;
  const required = { required: true, message: t('common.required') };
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={t('surveys.questionNo', { n: index + 1 })}
      data-testid={`survey-question-${index}`}
      extra={onRemove && <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('surveys.removeQuestion')} data-testid={`survey-remove-question-${index}`} />}
    >
      <Flex gap={8} wrap>
        <Form.Item name={[name, 'kind']} label={t('surveys.fields.kind')} rules={[required]} style={{ minWidth: 140 }}>
          <Select
            options={questionKinds.map((k) => ({ value: k, label: t(`surveys.kinds.${k}`) }))}
            onChange={(k: SurveyQuestion['kind']) => form.setFieldValue(['questions', name], { ...blank(k), text: form.getFieldValue(['questions', name, 'text']) })}
            data-testid={`survey-kind-${index}`}
          />
        </Form.Item>
        <Form.Item name={[name, 'required']} valuePropName="checked" label=" ">
          <Checkbox data-testid={`survey-required-${index}`}>{t('surveys.fields.required')}</Checkbox>
        </Form.Item>
      </Flex>
      <Form.Item name={[name, 'text']} label={t('surveys.fields.text')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={300} data-testid={`survey-text-${index}`} />
      </Form.Item>
      {kind === 'scale' && (
        <Flex gap={8} wrap>
          <Form.Item name={[name, 'max']} label={t('surveys.fields.max')}>
            <Select style={{ width: 100 }} options={[5, 10].map((m) => ({ value: m, label: `1–${m}` }))} data-testid={`survey-max-${index}`} />
          </Form.Item>
          <Form.Item name={[name, 'minLabel']} label={t('surveys.fields.minLabel')}>
            <Input maxLength={30} placeholder={t('surveys.minLabelHint')} data-testid={`survey-min-label-${index}`} />
          </Form.Item>
          <Form.Item name={[name, 'maxLabel']} label={t('surveys.fields.maxLabel')}>
            <Input maxLength={30} placeholder={t('surveys.maxLabelHint')} data-testid={`survey-max-label-${index}`} />
          </Form.Item>
        </Flex>
      )}
      {kind === 'choice' && (
        <Form.Item name={[name, 'options']} label={t('surveys.fields.options')} extra={t('surveys.optionsHelp')} rules={[{ required: true, type: 'array', min: 2, message: t('surveys.optionsRequired') }]}>
          <Select mode="tags" maxCount={10} open={false} data-testid={`survey-options-${index}`} />
        </Form.Item>
      )}
      {kind === 'text' && (
        <Form.Item name={[name, 'maxLength']} label={t('surveys.fields.maxLength')}>
          <InputNumber min={1} max={2000} data-testid={`survey-max-length-${index}`} />
        </Form.Item>
      )}
    </Card>
  );
}

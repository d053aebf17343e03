import { Card, DatePicker, Flex, Radio, Select, Space, Statistic, Table, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resultGroupings, type Survey, type SurveyResults as Results } from '../../../contracts/surveys.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { percent } from './SurveysPage.tsx';
import { surveysApi } from './surveysApi.ts';

type QuestionRow = Results['groups'][number]['questions'][number];
type Period = 'all' | 'month' | 'range';

/** The results tab: per group (segment or month) the response rate and, per question, the answers, the average and the distribution. */
export function SurveyResults({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<(typeof resultGroupings)[number]>('none');
  const [period, setPeriod] = useState<Period>('all');
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const query = {
    groupBy,
    month: period === 'month' && month ? month.format('YYYY-MM') : undefined,
    from: period === 'range' && range?.[0] ? range[0].format('YYYY-MM-DD') : undefined,
    to: period === 'range' && range?.[1] ? range[1].format('YYYY-MM-DD') : undefined,
  };
  // Reloads when the filters or the number of answers change (the query object is new at each render).
  const key = JSON.stringify(query);
  const load = useCallback(() => surveysApi.results(survey.id, JSON.parse(key) as typeof query), [survey.id, survey.answered, key]);
  const { data, loading } = useLoaded<Results | null>(load, null);

  const groupLabel = (g: Results['groups'][number]) => {
    if (groupBy === 'none') return t('surveys.results.all');
    if (groupBy === 'tier') return t(`customerFiles.tiers.${g.key}`);
    if (groupBy === 'category') return t(`customerFiles.categories.${g.key}`);
    return g.label;
  };
  const distribution = (q: QuestionRow) => {
    const def = survey.questions[q.index];
    if (!def || def.kind === 'text') return '—';
    return q.distribution.map((d) => `${def.kind === 'choice' ? def.options[d.value] : d.value}: ${d.count}`).join(' · ');
  };
  const columns: TableColumnsType<QuestionRow> = [
    { title: '#', key: 'n', width: 48, render: (_, q) => q.index + 1 },
    { title: t('surveys.fields.text'), dataIndex: 'text' },
    { title: t('surveys.fields.kind'), key: 'kind', render: (_, q) => t(`surveys.kinds.${q.kind}`) },
    { title: t('surveys.results.answers'), dataIndex: 'answers' },
    { title: t('surveys.results.average'), key: 'average', render: (_, q) => <span data-testid={`survey-average-${q.index}`}>{q.average ?? '—'}</span> },
    { title: t('surveys.results.distribution'), key: 'distribution', render: (_, q) => distribution(q) },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="survey-results">
      <Flex gap={12} wrap align="center">
        <Select
          style={{ width: 180 }}
          value={groupBy}
          onChange={setGroupBy}
          aria-label={t('surveys.results.groupBy')}
          data-testid="survey-group-by"
          options={resultGroupings.map((g) => ({ value: g, label: t(`surveys.results.groupings.${g}`) }))}
        />
        <Radio.Group value={period} onChange={(e) => setPeriod(e.target.value as Period)} optionType="button" data-testid="survey-period">
          <Radio.Button value="all">{t('surveys.results.allTime')}</Radio.Button>
          <Radio.Button value="month">{t('surveys.results.month')}</Radio.Button>
          <Radio.Button value="range">{t('surveys.results.range')}</Radio.Button>
        </Radio.Group>
        {period === 'month' && <DatePicker picker="month" value={month} onChange={setMonth} data-testid="survey-month" />}
        {period === 'range' && <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} data-testid="survey-range" />}
      </Flex>
      {data && (
        <Flex gap={32} wrap>
          <Statistic title={t('surveys.fields.invited')} value={data.invited} />
          <Statistic title={t('surveys.fields.answered')} value={data.answered} valueRender={() => <span data-testid="survey-answered-count">{data.answered}</span>} />
          <Statistic title={t('surveys.fields.responseRate')} value={percent(data.responseRate)} />
        </Flex>
      )}
      {data?.groups.map((g) => (
        <Card
          key={g.key}
          size="small"
          data-testid={`survey-group-${g.key}`}
          title={groupLabel(g)}
          extra={t('surveys.results.groupSummary', { invited: g.invited, answered: g.answered, rate: percent(g.responseRate) })}
        >
          <Table<QuestionRow> rowKey="index" size="small" pagination={false} columns={columns} dataSource={g.questions} scroll={{ x: 'max-content' }} />
        </Card>
      ))}
      {data && data.groups.length === 0 && <Card size="small" loading={loading}>{t('surveys.results.empty')}</Card>}
    </Space>
  );
}

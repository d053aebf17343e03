import { DownloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Select, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { slaReportGroupBys, slaReportTargets, type SlaBreach, type SlaReportRow } from '../../../contracts/reports.ts';
import { orgApi } from '../../endpoints.ts';
import { CursorTable, DataTable, filterProps } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { reportsApi } from './reportsApi.ts';
import { formatRate, periodOf, rateTone } from './slaReport.model.ts';

type GroupBy = (typeof slaReportGroupBys)[number];
type Target = (typeof slaReportTargets)[number];
type Filter = { from: string; to: string; target: Target; orgUnitId?: string };
type BreachRow = SlaBreach & { id: string };

const fetchBreaches = async (f: Filter, cursor?: string) => {
  const page = await reportsApi.slaBreaches({ ...f, cursor, limit: 50 });
  return { items: page.items.map((b): BreachRow => ({ ...b, id: b.clockId })), nextCursor: page.nextCursor };
};
const toDay = (d: Dayjs) => d.format('YYYY-MM-DD');

/** 服务时限报表: compliance per department, branch, type or period; the breaches with their cause; the XLSX export. */
export function SlaReportPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [params] = useSearchParams();
  const [initialFrom, initialTo] = useMemo(() => periodOf(params, new Date()), [params]);
  const [filter, setFilter] = useState<Filter>({ from: initialFrom, to: initialTo, target: 'resolution' });
  const [groupBy, setGroupBy] = useState<GroupBy>('department');
  const [exporting, setExporting] = useState(false);
  const units = useLoaded(orgApi.list, []);
  const branches = units.data.filter((u) => u.kind === 'company');

  const loadReport = useCallback(() => reportsApi.sla({ ...filter, groupBy }), [filter, groupBy]);
  const report = useLoaded(loadReport, null);
  const breaches = useCursorList(fetchBreaches, filter);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await reportsApi.downloadSlaXlsx({ ...filter, groupBy });
    } catch (err) {
      notify.fail(err);
    } finally {
      setExporting(false);
    }
  };

  const rateCell = (rate: number | null) => {
    const tone = rateTone(rate);
    return tone ? (
      <Tag color={tone} data-testid="sla-report-rate">
        {formatRate(rate)}
      </Tag>
    ) : (
      '—'
    );
  };
  const columns: TableColumnsType<SlaReportRow & { id: string }> = [
    { title: t(`slaReport.groupBys.${groupBy}`), dataIndex: 'label', render: (v: string, r) => (r.key === 'total' ? <Typography.Text strong>{v}</Typography.Text> : v) },
    { title: t('slaReport.total'), dataIndex: 'total', align: 'right' },
    { title: t('slaReport.met'), dataIndex: 'met', align: 'right' },
    { title: t('slaReport.breached'), dataIndex: 'breached', align: 'right' },
    { title: t('slaReport.complianceRate'), dataIndex: 'complianceRate', align: 'right', render: rateCell },
    { title: t('slaReport.avgUsedMinutes'), dataIndex: 'avgUsedMinutes', align: 'right', render: (v: number | null) => v ?? '—' },
  ];
  const breachColumns: TableColumnsType<BreachRow> = [
    { title: t('slaReport.number'), dataIndex: 'number', render: (v: string, b) => <Link to={`/tickets/${b.ticketId}`}>{v}</Link> },
    { title: t('slaReport.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('slaReport.type'), dataIndex: 'typeLabel' },
    { title: t('slaReport.department'), dataIndex: 'departmentName', render: (v: string | null) => v ?? '—' },
    { title: t('slaReport.branch'), dataIndex: 'branchName', render: (v: string | null) => v ?? '—' },
    { title: t('slaReport.dueAt'), dataIndex: 'dueAt', render: (v: string | null) => formatTime(v) },
    { title: t('slaReport.breachedAt'), dataIndex: 'breachedAt', render: (v: string) => formatTime(v) },
    { title: t('slaReport.lateMinutes'), dataIndex: 'lateMinutes', align: 'right' },
    {
      title: t('slaReport.cause'),
      dataIndex: 'causeLabel',
      render: (v: string | null, b) => (
        <>
          {v ?? t('slaReport.notRecorded')} {b.open && <Tag color="red">{t('slaReport.stillRunning')}</Tag>}
        </>
      ),
    },
  ];

  const rows = report.data ? [...report.data.rows, report.data.total].map((r) => ({ ...r, id: `${r.key}|${r.label}` })) : [];
  return (
    <Page
      title={t('slaReport.title')}
      testId="sla-report-page"
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting} data-testid="sla-report-export">
          {t('slaReport.export')}
        </Button>
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          value={[dayjs(filter.from), dayjs(filter.to)]}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setFilter((f) => ({ ...f, from: toDay(v[0]!), to: toDay(v[1]!) }))}
          aria-label={t('slaReport.period')}
          data-testid="sla-report-range"
        />
        <Select<GroupBy>
          aria-label={t('slaReport.groupBy')}
          style={{ width: 160 }}
          value={groupBy}
          onChange={setGroupBy}
          options={slaReportGroupBys.map((g) => ({ value: g, label: `${t('slaReport.groupBy')}: ${t(`slaReport.groupBys.${g}`)}` }))}
          data-testid="sla-report-group"
        />
        <Select<Target>
          aria-label={t('slaReport.target')}
          style={{ width: 160 }}
          value={filter.target}
          onChange={(target) => setFilter((f) => ({ ...f, target }))}
          options={slaReportTargets.map((x) => ({ value: x, label: t(`slaReport.targets.${x}`) }))}
          data-testid="sla-report-target"
        />
        <Select<string>
          {...filterProps(t('slaReport.allBranches'), 200)}
          value={filter.orgUnitId}
          onChange={(orgUnitId) => setFilter((f) => ({ ...f, orgUnitId }))}
          options={branches.map((u) => ({ value: u.id, label: u.name }))}
          data-testid="sla-report-branch"
        />
      </Flex>
      <DataTable
        dataSource={rows}
        columns={columns}
        loading={report.loading}
        error={report.error}
        rowTestId={(r) => (r.key === 'total' ? 'sla-report-total' : 'sla-report-row')}
        locale={{ emptyText: t('slaReport.empty') }}
      />
      {report.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('slaReport.note', { timeZone: report.data.timeZone })}
        </Typography.Paragraph>
      )}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('slaReport.breaches')}
      </Typography.Title>
      <CursorTable<BreachRow> list={breaches} loadMoreTestId="sla-breaches-more" columns={breachColumns} rowTestId={() => 'sla-breach-row'} locale={{ emptyText: t('slaReport.noBreaches') }} />
    </Page>
  );
}

import { ReloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Input, Segmented, Spin, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { jobKindPattern, jobStatuses, type Job, type JobCounts, type JobDetail, type JobStatus } from '../../../contracts/jobs.ts';
import { jobsApi } from '../../endpoints.ts';
import { EmailOutboxSection } from '../notifications/EmailOutboxSection.tsx';
import { CursorTable, RowAction, filterProps } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';

type Filter = { status?: JobStatus; kind?: string };
const fetchPage = (f: Filter, cursor?: string) => jobsApi.list({ ...f, cursor, limit: 50 });
const statusColor: Record<JobStatus, string> = { queued: 'blue', running: 'gold', done: 'green', failed: 'red' };

/** 后台任务: counts per status, the jobs newest first (filter by status and kind), error text, retry of failed ones. */
export function JobsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [filter, setFilter] = useState<Filter>({});
  const [kindText, setKindText] = useState('');
  const list = useCursorList(fetchPage, filter);
  const [counts, setCounts] = useState<JobCounts | null>(null);

  const loadCounts = useCallback(async () => {
    try {
      setCounts((await jobsApi.list({ kind: filter.kind, limit: 1 })).counts);
    } catch (err) {
      notify.fail(err);
    }
  }, [filter.kind, notify]);
  useEffect(() => void loadCounts(), [loadCounts]);

  const reload = () => {
    list.reload();
    void loadCounts();
  };

  const retry = async (x: Job) => {
    try {
      await jobsApi.retry(x.id);
      notify.ok(t('jobs.retried'));
      reload();
    } catch (err) {
      notify.fail(err);
    }
  };

  const columns: TableColumnsType<Job> = [
    { title: t('jobs.kind'), dataIndex: 'kind', render: (v: string) => <Typography.Text code data-testid="job-kind">{v}</Typography.Text> },
    {
      title: t('jobs.status'),
      dataIndex: 'status',
      render: (v: JobStatus) => (
        <Tag color={statusColor[v]} data-testid="job-status">
          {t(`jobs.statuses.${v}`)}
        </Tag>
      ),
    },
    { title: t('jobs.runAt'), dataIndex: 'runAt', render: (v: string) => formatTime(v) },
    { title: t('jobs.attempts'), key: 'attempts', render: (_, x) => `${x.attempts} / ${x.maxAttempts}` },
    {
      title: t('jobs.lastError'),
      dataIndex: 'lastError',
      render: (v: string | null) =>
        v ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }} data-testid="job-error">
            {v}
          </Typography.Text>
        ) : (
          t('common.none')
        ),
    },
    { title: t('jobs.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, x) =>
        x.status === 'failed' && (
          <RowAction testId="job-retry" confirm={t('jobs.retryConfirm')} onClick={() => retry(x)}>
            {t('jobs.retry')}
          </RowAction>
        ),
    },
  ];

  const statusOptions = [
    { value: 'all', label: t('common.all') },
    ...jobStatuses.map((s) => ({ value: s, label: counts ? `${t(`jobs.statuses.${s}`)} (${counts[s]})` : t(`jobs.statuses.${s}`) })),
  ];

  return (
    <Page
      title={t('jobs.title')}
      testId="jobs-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="jobs-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        {jobStatuses.map((s) => (
          <Tag key={s} color={statusColor[s]} data-testid={`job-count-${s}`}>
            {t(`jobs.statuses.${s}`)}: {counts ? counts[s] : '…'}
          </Tag>
        ))}
      </Flex>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<string>
          value={filter.status ?? 'all'}
          onChange={(v) => setFilter((f) => ({ ...f, status: v === 'all' ? undefined : (v as JobStatus) }))}
          options={statusOptions}
          data-testid="job-status-filter"
        />
        <Input.Search
          {...filterProps(t('jobs.kind'), 240)}
          value={kindText}
          maxLength={64}
          status={kindText && !jobKindPattern.test(kindText.trim()) ? 'error' : undefined}
          onChange={(e) => setKindText(e.target.value)}
          onSearch={(v) => {
            const kind = v.trim();
            if (kind && !jobKindPattern.test(kind)) return;
            setFilter((f) => ({ ...f, kind: kind || undefined }));
          }}
          data-testid="job-kind-filter"
        />
      </Flex>
      <CursorTable<Job>
        list={list}
        loadMoreTestId="job-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('jobs.empty') }}
        rowTestId={(x) => `job-row-${x.id}`}
        expandable={{ expandedRowRender: (x) => <JobDetails id={x.id} /> }}
      />
      <EmailOutboxSection />
    </Page>
  );
}

/** The whole job: payload, full error text, lease. */
function JobDetails({ id }: { id: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [job, setJob] = useState<JobDetail | null>(null);
  useEffect(() => {
    let live = true;
    jobsApi.get(id).then((j) => live && setJob(j), (err) => notify.fail(err));
    return () => {
      live = false;
    };
  }, [id, notify]);
  if (!job) return <Spin size="small" />;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="job-details"
      items={[
        { key: 'id', label: 'ID', children: <Typography.Text copyable>{job.id}</Typography.Text> },
        { key: 'dedupe', label: t('jobs.dedupeKey'), children: job.dedupeKey ?? t('common.none') },
        { key: 'payload', label: t('jobs.payload'), children: <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(job.payload, null, 2)}</pre> },
        { key: 'error', label: t('jobs.lastError'), children: job.lastError ? <Typography.Text type="danger" style={{ whiteSpace: 'pre-wrap' }}>{job.lastError}</Typography.Text> : t('common.none') },
        { key: 'lock', label: t('jobs.lockedBy'), children: job.lockedBy ? `${job.lockedBy} → ${formatTime(job.lockedUntil)}` : t('common.none') },
        { key: 'created', label: t('jobs.createdAt'), children: formatTime(job.createdAt) },
        { key: 'finished', label: t('jobs.finishedAt'), children: job.finishedAt ? formatTime(job.finishedAt) : t('common.none') },
      ]}
    />
  );
}

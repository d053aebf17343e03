import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Flex, Progress, Radio, Select, Space, Table, Typography, Upload, type UploadProps } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { importFields, importKeys, type ImportError, type ImportField, type ImportKey, type ImportMode, type ImportRun } from '../../../contracts/customer-import.ts';
import { api, errorText, sendBytes } from '../../api.ts';
import { rowTid, tid, useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';

const busy = (r: ImportRun | null) => !!r && (r.status === 'queued' || r.status === 'running');
const finished = (r: ImportRun | null) => !!r && (r.status === 'validated' || r.status === 'done' || r.status === 'failed');

/**
 * 导入客户档案: upload a CSV / XLSX, check the suggested column mapping and the matching key, run a dry
 * run that lists every bad row, then import all (nothing if a row is bad) or only the good rows. The
 * pass runs on the server as a job; the page polls the run for its progress.
 */
export function CustomerImportPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, setRun] = useState<ImportRun | null>(null);
  const [mapping, setMapping] = useState<(ImportField | null)[]>([]);
  const [key, setKey] = useState<ImportKey>('phone');
  const [errors, setErrors] = useState<{ items: ImportError[]; total: number } | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  // Poll while the job has the run.
  useEffect(() => {
    if (!run || !busy(run)) return;
    const timer = setTimeout(() => {
      api.get<ImportRun>(`/api/customer-imports/${run.id}`).then(setRun, (err: unknown) => notify.fail(err));
    }, 600);
    return () => clearTimeout(timer);
  }, [run, notify]);

  const loadErrors = useCallback(async (id: string) => {
    const page = await api.get<{ items: ImportError[]; total: number }>(`/api/customer-imports/${id}/errors`, { limit: 200 });
    setErrors(page);
  }, []);
  useEffect(() => {
    if (run && finished(run)) void loadErrors(run.id).catch((err: unknown) => notify.fail(err));
  }, [run?.id, run?.status, run?.finishedAt, loadErrors, notify]); // eslint-disable-line react-hooks/exhaustive-deps

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const f = file as File;
    setRefused(null);
    setUploading(true);
    sendBytes<ImportRun>('/api/customer-imports', f, { 'x-file-name': encodeURIComponent(f.name) }).then(
      (r) => {
        setUploading(false);
        onSuccess?.(r);
        setRun(r);
        setMapping(r.suggested);
        setKey(r.key);
        setErrors(null);
      },
      (err: unknown) => {
        setUploading(false);
        onError?.(err as Error);
        setRefused(errorText(err) + (err instanceof Error && 'fieldErrors' in err ? ` ${((err as { fieldErrors: { message: string }[] }).fieldErrors ?? []).map((e) => e.message).join(' ')}` : ''));
      },
    );
  };

  const start = async (mode: ImportMode) => {
    if (!run) return;
    setErrors(null);
    try {
      setRun(await api.post<ImportRun>(`/api/customer-imports/${run.id}/run`, { mode, key, mapping }));
    } catch (err) {
      notify.fail(err);
    }
  };

  const canStart = !!run && !busy(run) && run.status !== 'done';
  const percent = run ? (finished(run) ? 100 : run.progress) : 0;

  return (
    <Page title={t('customerImport.title')} testId="customer-import-page">
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('customerImport.intro')}
        </Typography.Paragraph>
        <Upload customRequest={customRequest} showUploadList={false} accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="import-upload">
          <Button icon={<UploadOutlined />} loading={uploading} {...tid('import-upload-button')}>
            {run ? t('customerImport.another') : t('customerImport.upload')}
          </Button>
        </Upload>
        {refused && <Alert type="error" showIcon closable title={refused} onClose={() => setRefused(null)} {...tid('import-refused')} />}
        {run && (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="import-file">
              <Descriptions.Item label={t('customerImport.file')}>{run.fileName}</Descriptions.Item>
              <Descriptions.Item label={t('customerImport.format')}>{run.format.toUpperCase()}</Descriptions.Item>
              <Descriptions.Item label={t('customerImport.encoding')}>
                <span data-testid="import-encoding">{run.format === 'xlsx' ? '—' : run.encoding === 'gb18030' ? t('customerImport.encodingGbk') : t('customerImport.encodingUtf8')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('customerImport.unit')}>{run.orgUnitName}</Descriptions.Item>
            </Descriptions>
            <div>
              <Typography.Title level={5}>{t('customerImport.mapping')}</Typography.Title>
              <Table
                size="small"
                pagination={false}
                rowKey="index"
                data-testid="import-mapping"
                dataSource={run.headers.map((h, index) => ({ index, header: h }))}
                columns={[
                  { title: t('customerImport.column'), dataIndex: 'header', width: 240 },
                  {
                    title: t('customerImport.field'),
                    key: 'field',
                    render: (_, row) => (
                      <Select<ImportField | ''>
                        style={{ width: 220 }}
                        value={mapping[row.index] ?? ''}
                        disabled={!canStart}
                        data-testid={`import-map-${row.index}`}
                        onChange={(v) => setMapping((m) => m.map((f, i) => (i === row.index ? (v === '' ? null : v) : f)))}
                        options={[{ value: '', label: t('customerImport.ignore') }, ...importFields.map((f) => ({ value: f, label: t(`customerImport.fields.${f}`) }))]}
                      />
                    ),
                  },
                ]}
              />
            </div>
            <div>
              <Typography.Text strong>{t('customerImport.key')}：</Typography.Text>
              <Radio.Group value={key} disabled={!canStart} onChange={(e) => setKey(e.target.value as ImportKey)} data-testid="import-key">
                {importKeys.map((k) => (
                  <Radio key={k} value={k} data-testid={`import-key-${k}`}>
                    {t(`customerImport.keys.${k}`)}
                  </Radio>
                ))}
              </Radio.Group>
              <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
                {t('customerImport.keyHint')} {t('customerImport.allHint')}
              </Typography.Paragraph>
            </div>
            <Space wrap>
              <Button onClick={() => void start('dry_run')} disabled={!canStart} {...tid('import-dry-run')}>
                {t('customerImport.dryRun')}
              </Button>
              <Button type="primary" onClick={() => void start('all')} disabled={!canStart} {...tid('import-all')}>
                {t('customerImport.importAll')}
              </Button>
              <Button onClick={() => void start('good_rows')} disabled={!canStart} {...tid('import-good-rows')}>
                {t('customerImport.importGood')}
              </Button>
            </Space>
            {run.mode && (
              <div data-testid="import-result">
                <Flex gap={12} align="center">
                  <Typography.Text strong data-testid="import-status">
                    {t(`customerImport.status.${run.status}`)}
                  </Typography.Text>
                  <Progress percent={percent} status={run.status === 'failed' ? 'exception' : busy(run) ? 'active' : 'success'} style={{ maxWidth: 480 }} data-testid="import-progress" />
                </Flex>
                <div data-testid="import-counts">{t('customerImport.counts', { read: run.rowsRead, ok: run.rowsOk, bad: run.rowsBad, empty: run.rowsEmpty })}</div>
                {finished(run) && run.status !== 'failed' && (
                  <div data-testid="import-outcome">{t(run.mode === 'dry_run' ? 'customerImport.outcomeDry' : 'customerImport.outcome', { created: run.created, updated: run.updated, unchanged: run.unchanged })}</div>
                )}
                {run.failure && <Alert type="warning" showIcon title={run.failure} style={{ marginTop: 8 }} {...tid('import-failure')} />}
                {run.status === 'done' && (
                  <Link to="/customers" data-testid="import-to-list">
                    {t('customerImport.toList')}
                  </Link>
                )}
              </div>
            )}
            {errors && finished(run) && (
              <div>
                <Flex justify="space-between" align="center">
                  <Typography.Title level={5}>{t('customerImport.errors')}</Typography.Title>
                  {errors.total > 0 && (
                    <a href={`/api/customer-imports/${run.id}/errors/csv`} download data-testid="import-errors-csv">
                      {t('customerImport.downloadErrors')}
                    </a>
                  )}
                </Flex>
                {errors.total > errors.items.length && <Typography.Paragraph type="secondary">{t('customerImport.errorsMore', { total: errors.total, shown: errors.items.length })}</Typography.Paragraph>}
                <Table<ImportError & { n: number }>
                  size="small"
                  rowKey="n"
                  data-testid="import-errors"
                  pagination={{ pageSize: 50, hideOnSinglePage: true }}
                  locale={{ emptyText: t('customerImport.noErrors') }}
                  dataSource={errors.items.map((e, n) => ({ ...e, n }))}
                  onRow={(e) => rowTid(`import-error-${e.line}`)}
                  columns={[
                    { title: t('customerImport.line'), dataIndex: 'line', width: 90 },
                    { title: t('customerImport.column'), key: 'column', width: 160, render: (_, e) => e.column ?? (e.field ? t(`customerImport.fields.${e.field}`, { defaultValue: e.field }) : '—') },
                    { title: t('customerImport.reason'), dataIndex: 'message' },
                  ]}
                />
              </div>
            )}
          </>
        )}
      </Space>
    </Page>
  );
}

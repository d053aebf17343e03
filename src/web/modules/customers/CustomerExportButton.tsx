import { DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '../../../contracts/customer-export.ts';
import { ApiError, queryString, type Query } from '../../api.ts';
import { currentLanguage, i18n } from '../../i18n/index.ts';
import { useNotify } from '../../ui/errors.tsx';

/**
 * Fetches an export (CSV or XLSX) in the UI's language — the server names the columns in it — and hands
 * it to the browser as a download under the server's file name. Failures come back as ApiError.
 */
export async function downloadExport(path: string, query: Query): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path + queryString(query), { headers: { 'accept-language': currentLanguage() }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  if (!res.ok) {
    let body: { title?: string; code?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.title ?? i18n.t('common.httpError', { status: res.status }));
  }
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : `export.${String(query.format ?? 'xlsx')}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 导出 ▾ CSV / Excel: exports what the page lists under its current filters (masked as shown). */
export function CustomerExportButton({ path, query, testId }: { path: string; query: Query; testId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      await downloadExport(path, { ...query, format });
    } catch (err) {
      notify.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      disabled={busy}
      menu={{
        items: (['xlsx', 'csv'] as const).map((f) => ({ key: f, label: <span data-testid={`${testId}-${f}`}>{t(`customerExport.formats.${f}`)}</span> })),
        onClick: ({ key }) => void run(key as ExportFormat),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={testId} title={t('customerExport.hint')}>
        {t('customerExport.button')}
      </Button>
    </Dropdown>
  );
}

import type { SlaBreach, SlaReport, SlaReportQuery } from '../../../contracts/reports.ts';
import { api, ApiError, type Query } from '../../api.ts';
import { currentLanguage, i18n } from '../../i18n/index.ts';

/** The report endpoints (服务时限报表); kept with the page rather than in the shared endpoints file. */
export const reportsApi = {
  sla: (q: SlaReportQuery) => api.get<SlaReport>('/api/reports/sla', q as Query),
  slaBreaches: (q: Omit<SlaReportQuery, 'groupBy'> & { cursor?: string; limit?: number }) =>
    api.get<{ items: SlaBreach[]; nextCursor: string | null }>('/api/reports/sla/breaches', q as Query),
  /** Fetches the workbook in the UI's language and hands it to the browser as a download. */
  async downloadSlaXlsx(q: SlaReportQuery): Promise<void> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(`/api/reports/sla.xlsx?${params.toString()}`, { headers: { 'accept-language': currentLanguage() }, credentials: 'same-origin' });
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
    a.download = name ? decodeURIComponent(name) : 'sla-report.xlsx';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

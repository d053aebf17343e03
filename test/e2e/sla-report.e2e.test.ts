import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, type Api } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, poll, screenshotOnFailure, texts } from './ui.ts';

/**
 * 服务时限报表 in the console, against a server whose clock the test moves (KEFU_TEST_CLOCK=true):
 * a one-hour (calendar time) resolution limit; one complaint resolved in time, one left new past its
 * limit. The report shows 50 % in red, the breach with its cause, and the export downloads a
 * workbook whose formula-looking subject is neutralised.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const SUBJECT = '=SUM(1,2) 房卡失效无法进门';

describe('service-time report in the console', () => {
  let h: Harness;
  let admin: Page;
  let api: Api;
  let period = '';

  beforeAll(async () => {
    h = await startHarness({ env: { KEFU_TEST_CLOCK: 'true' } });
    api = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const made = await addBranch(api, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    const branch = { id: made.branchId };
    const service = { id: made.departmentIds[0]! };
    await api('POST', '/api/sla-policies', { orgUnitId: branch.id, name: '一小时解决', targets: { resolution: { minutes: 60, mode: 'calendar' } } });
    const create = (subject: string) =>
      api<{ id: string; version: number }>('POST', '/api/tickets', { orgUnitId: service.id, type: 'complaint', channel: 'phone', subject, description: '客人来电。', severity: 3 });
    const met = await create('客房淋浴水小且发黄无法洗澡');
    await create(SUBJECT);
    const taken = await api<{ version: number }>('POST', `/api/tickets/${met.id}/take`, { version: met.version });
    const moving = await api<{ version: number }>('POST', `/api/tickets/${met.id}/transitions`, { to: 'in_progress', version: taken.version });
    await api('POST', `/api/tickets/${met.id}/transitions`, { to: 'resolved', version: moving.version });
    const { now } = await api<{ now: string }>('POST', '/api/test/clock', { advanceMinutes: 61 }); // the other one breaches
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10); // Shanghai, +08:00 all year
    period = `from=${day(Date.parse(now) - 86_400_000)}&to=${day(Date.parse(now))}`;
    ({ page: admin } = await h.newPage());
    await enter(admin, { username: 'admin', password: ADMIN_PASSWORD });
  });
  screenshotOnFailure({ '/tmp/kefu-sla-report-failure.png': () => admin });
  afterAll(async () => {
    await h?.stop();
  });

  it('shows the compliance rate in colour and the breach with its cause', async () => {
    await admin.getByTestId('nav-slaReport').waitFor();
    await admin.goto(`/reports/sla?${period}`);
    const row = admin.getByTestId('sla-report-row');
    await poll(() => texts(row)).toEqual([expect.stringContaining('洛阳分店 / 客服部')]);
    const rate = row.getByTestId('sla-report-rate');
    expect(await rate.innerText()).toBe('50.0%');
    expect(await rate.getAttribute('class')).toContain('red');
    const breach = admin.getByTestId('sla-breach-row');
    await poll(() => texts(breach)).toEqual([expect.stringContaining(SUBJECT)]);
    expect(await breach.innerText()).toContain('新建');
    await pick(admin, 'sla-report-group', '分组: 类型');
    await poll(() => texts(row)).toEqual([expect.stringContaining('投诉')]);
    await admin.screenshot({ path: '/tmp/kefu-sla-report-zh.png', fullPage: true });
  });

  it('downloads the workbook', async () => {
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('sla-report-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^服务时限报表_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const path = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总', '超时明细']);
    expect(wb.getWorksheet('超时明细')!.getRow(2).getCell(2).value).toBe(`'${SUBJECT}`);
  });
});

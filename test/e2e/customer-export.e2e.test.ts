import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, screenshotOnFailure, shows } from './ui.ts';

/**
 * Exporting customer files in the console, in Chinese: an agent exports the list as Excel; the workbook
 * read back shows the 机密 file's phone masked (138****1234), its notes left out, the ordinary file in
 * full; a manager exports the reading log.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'zhao.lei', name: '赵磊', initial: 'Zhao-lei-first-2026', password: 'Zhao-lei-secret-2026' };
const MANAGER = { username: 'sun.li', name: '孙丽', initial: 'Sun-li-first-2026', password: 'Sun-li-secret-2026' };
const SECRET = { name: '牡丹重工集团', phone: '13803791234', notes: '董事长每年春节前拜访' };
const PLAIN = { name: '牡丹茶社', phone: '13803795678' };

async function readWorkbook(path: string): Promise<Array<Record<string, string>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  ws.eachRow((r) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(String(r.getCell(c).value ?? ''));
    rows.push(cells);
  });
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe('customer export in the console', () => {
  let h: Harness;
  let shot: Page | undefined;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, AGENT, 'agent', serviceId!);
    await addStaff(admin, MANAGER, 'manager', branchId);
    await apiSession(h.baseUrl, AGENT.username, AGENT.initial, AGENT.password);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    const secret = await manager<{ id: string }>('POST', '/api/customers', { name: SECRET.name, phone: SECRET.phone, tier: 'strategic', notes: SECRET.notes, confidentiality: 'confidential' });
    await manager('POST', '/api/customers', { name: PLAIN.name, phone: PLAIN.phone, tier: 'ordinary' });
    await manager('POST', `/api/customers/${secret.id}/open`, { reason: '年度客户走访准备' });
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-export-failure.png': () => shot });

  it('lets an agent export the list as Excel, with the 机密 file masked as the list shows it', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, AGENT);
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customers-page').waitFor();
      await shows(page.getByTestId(`customer-row-${SECRET.name}`).getByTestId('customer-phone'), '138****1234');
      await page.getByTestId('customer-export').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('customer-export-xlsx').click()]);
      expect(download.suggestedFilename()).toMatch(/^客户档案_\d{8}-\d{4}\.xlsx$/);
      const rows = await readWorkbook(await download.path());
      expect(rows.map((r) => r['客户名称']).sort()).toEqual([SECRET.name, PLAIN.name].sort());
      const secret = rows.find((r) => r['客户名称'] === SECRET.name)!;
      expect(secret).toMatchObject({ 电话: '138****1234', 备注: '', 密级: '机密', 客户等级: '战略客户' });
      expect(JSON.stringify(rows)).not.toContain(SECRET.phone);
      expect(JSON.stringify(rows)).not.toContain(SECRET.notes);
      expect(rows.find((r) => r['客户名称'] === PLAIN.name)).toMatchObject({ 电话: PLAIN.phone, 密级: '普通' });
    } finally {
      await context.close();
    }
  });

  it('lets the manager export the reading log as CSV', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.goto('/customer-reading-log');
      await shows(page.getByTestId('reading-reason').first(), '年度客户走访准备');
      await page.getByTestId('reading-log-export').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reading-log-export-csv').click()]);
      expect(download.suggestedFilename()).toMatch(/^借阅记录_\d{8}-\d{4}\.csv$/);
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(await download.path(), 'utf8');
      expect(text.startsWith('\uFEFF查阅时间,客户,所属单位,查阅人,密级')).toBe(true);
      expect(text).toContain(`${SECRET.name},洛阳分店,${MANAGER.name},机密`);
      expect(text).toContain('年度客户走访准备');
    } finally {
      await context.close();
    }
  });
});

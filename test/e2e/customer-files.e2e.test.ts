import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, screenshotOnFailure, shows } from './ui.ts';

/**
 * A 机密 customer file in the console, in Chinese: the branch manager finds it, sees it masked, opens it
 * (查阅) after giving a reason, sees the protected sections, and the reading log shows the reading; an
 * agent of the same branch sees the same file masked, with no way to open it.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'wang.fang', name: '王芳', initial: 'Wang-fang-first-2026', password: 'Wang-fang-secret-2026' };
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const FILE = { name: '牡丹实业集团', phone: '13903791234', idNumber: '410302198001011234', notes: '董事长对花粉过敏，客房不摆鲜花' };
const REASON = '核对大客户投诉背景';

describe('a confidential customer file in the console', () => {
  let h: Harness;
  let shot: Page | undefined;
  let fileId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, AGENT, 'agent', serviceId!);
    await addStaff(admin, MANAGER, 'manager', branchId);
    await apiSession(h.baseUrl, AGENT.username, AGENT.initial, AGENT.password);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    const file = await manager<{ id: string }>('POST', '/api/customers', {
      name: FILE.name,
      kind: 'organisation',
      industry: '制造业',
      phone: FILE.phone,
      tier: 'strategic',
      vip: true,
      category: 'A',
      creditClass: 'AAA',
      notes: FILE.notes,
      confidentiality: 'confidential',
      identifiers: [{ kind: 'id_number', value: FILE.idNumber }],
    });
    fileId = file.id;
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-files-failure.png': () => shot });

  it('lets the manager open the 机密 file after giving a reason, and the reading log shows it', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customers-page').waitFor();
      await page.getByTestId('customer-search').locator('input').fill('139037');
      await page.getByTestId('customer-search').locator('input').press('Enter');
      const row = page.getByTestId(`customer-row-${FILE.name}`);
      await shows(row.getByTestId('customer-phone'), '139****1234');
      expect(await row.innerText()).toContain('机密');
      await row.getByTestId('customer-link').click();

      await page.getByTestId('customer-page').waitFor();
      await page.getByTestId('customer-masked').waitFor();
      expect(await page.getByTestId('customer-detail-phone').innerText()).toBe('139****1234');
      expect(await page.getByTestId('customer-detail-notes').innerText()).toBe('（已隐藏）');
      expect(await page.getByTestId('customer-page').innerText()).not.toContain(FILE.idNumber);

      await page.getByTestId('customer-open').click();
      await page.getByTestId('customer-open-submit').click();
      await shows(page.locator('.ant-form-item-explain-error').first(), '请说明查阅事由');
      await page.getByTestId('customer-open-reason').fill(REASON);
      await page.getByTestId('customer-open-submit').click();
      await page.getByTestId('customer-opened').waitFor();
      await shows(page.getByTestId('customer-detail-phone'), FILE.phone);
      await shows(page.getByTestId('customer-detail-notes'), FILE.notes);
      await shows(page.getByTestId('customer-identifier-id_number'), FILE.idNumber);
      await page.screenshot({ path: '/tmp/kefu-customer-opened-zh.png', fullPage: true });

      await page.getByTestId('nav-customerReadingLog').click();
      await page.getByTestId('reading-log-page').waitFor();
      const entry = page.locator('[data-testid^="reading-row-"]').first();
      await shows(entry.getByTestId('reading-reason'), REASON);
      const text = await entry.innerText();
      for (const s of [MANAGER.name, FILE.name, '机密', '联系方式']) expect(text).toContain(s);
    } finally {
      await context.close();
    }
  });

  it('shows an agent the same file masked, with no way to open it', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, AGENT);
      expect(await page.getByTestId('nav-customerReadingLog').count()).toBe(0);
      await page.goto(`/customers/${fileId}`);
      await page.getByTestId('customer-masked').waitFor();
      expect(await page.getByTestId('customer-detail-phone').innerText()).toBe('139****1234');
      expect(await page.getByTestId('customer-detail-notes').innerText()).toBe('（已隐藏）');
      expect(await page.getByTestId('customer-masked').innerText()).toContain('您没有查阅该密级档案的权限');
      expect(await page.getByTestId('customer-open').count()).toBe(0);
      const body = await page.getByTestId('customer-page').innerText();
      for (const s of [FILE.phone, FILE.notes, FILE.idNumber]) expect(body).not.toContain(s);
    } finally {
      await context.close();
    }
  });
});

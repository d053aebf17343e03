import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, poll, screenshotOnFailure, shows, texts } from './ui.ts';

/**
 * Importing customer files in the console, in Chinese: a branch manager uploads a small CSV with two
 * bad rows, sees exactly those rows in the dry run, chooses 只导入正确的行 without fixing anything,
 * watches the progress reach 100 % and finds the imported files in the customer list.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const CSV = [
  '姓名,手机,客户等级,VIP,备注',
  '陈建国,13903790001,重点,是,常住行政楼层',
  '林晓梅,13903790002,普通,否,',
  ',13903790003,普通,否,没有姓名',
  '黄志强,1390-abc,战略,是,电话写错了',
  '周丽华,13903790005,战略,否,喜欢安静的房间',
].join('\r\n');

describe('importing customer files in the console', () => {
  let h: Harness;
  let shot: Page | undefined;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', branchId);
    await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-import-failure.png': () => shot });

  it('lists the two bad rows of the dry run, imports the good rows, and the files are in the list', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customers-page').waitFor();
      await page.getByTestId('customer-import').click();
      await page.getByTestId('customer-import-page').waitFor();
      await shows(page.getByTestId('page-title'), '导入客户档案');

      await page.getByTestId('customer-import-page').locator('input[type=file]').setInputFiles({ name: '客户名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${CSV}\r\n`) });
      await shows(page.getByTestId('import-file'), '客户名单.csv');
      // The suggested mapping from the Chinese headers.
      await poll(() => texts(page.getByTestId('import-mapping').locator('.ant-select-content, .ant-select-selection-item'))).toEqual(['姓名/名称', '电话', '客户等级', 'VIP', '备注']);

      await page.getByTestId('import-dry-run').click();
      await shows(page.getByTestId('import-status'), '试导入完成');
      await shows(page.getByTestId('import-counts'), '读取 5 行：正确 3 行，错误 2 行');
      await shows(page.getByTestId('import-outcome'), '预计新建 3');
      await page.getByTestId('import-error-4').waitFor();
      await page.getByTestId('import-error-5').waitFor();
      await poll(() => page.getByTestId('import-errors').locator('tbody tr[data-testid^="import-error-"]').count()).toBe(2);
      await shows(page.getByTestId('import-error-4'), '必填，不能为空');
      await shows(page.getByTestId('import-error-5'), '手机');

      await page.getByTestId('import-good-rows').click();
      await shows(page.getByTestId('import-status'), '导入完成');
      await poll(() => page.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('100');
      await shows(page.getByTestId('import-outcome'), '新建 3，更新 0，无变化 0');

      await page.getByTestId('import-to-list').click();
      await page.getByTestId('customers-page').waitFor();
      for (const name of ['陈建国', '林晓梅', '周丽华']) await page.getByTestId(`customer-row-${name}`).waitFor();
      await poll(() => page.getByTestId('customer-row-黄志强').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

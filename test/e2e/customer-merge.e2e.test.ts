import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, screenshotOnFailure, shows } from './ui.ts';

/**
 * Duplicates and merge in the console, in Chinese: the branch manager sees two 王秀兰 files with the same
 * phone suggested (with the reasons), merges them keeping the address of one and the e-mail of the other;
 * the kept file shows both, lists the merge, and the other file points to it.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const KEPT = { name: '王秀兰', phone: '13812345678', email: 'wxl@old.example', address: '洛阳市西工区中州中路1号' };
const OTHER = { name: '王秀兰', phone: '13900001111', email: 'wxl@new.example', address: '洛阳市涧西区建设路88号' };

describe('duplicates and merge of customer files in the console', () => {
  let h: Harness;
  let shot: Page | undefined;
  const ids = { kept: '', other: '' };

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', branchId);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    ids.kept = (await manager<{ id: string }>('POST', '/api/customers', { kind: 'person', ...KEPT })).id;
    // The same customer registered again at the front desk: another primary phone, the same one as a further number.
    ids.other = (await manager<{ id: string }>('POST', '/api/customers', { kind: 'person', ...OTHER, identifiers: [{ kind: 'phone', value: KEPT.phone }] })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-merge-failure.png': () => shot });

  it('suggests the two 王秀兰 files, merges them field by field, and the other file points to the kept one', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customers-page').waitFor();
      await page.getByTestId('customer-duplicates').click();
      await page.getByTestId('duplicates-page').waitFor();
      const row = page.getByTestId(`duplicate-row-${KEPT.name}`);
      await shows(row.getByTestId('duplicate-reasons'), '电话相同');
      expect(await row.getByTestId('duplicate-reasons').innerText()).toContain('姓名相同');
      expect(await page.locator('[data-testid^="duplicate-row-"]').count()).toBe(1);

      await row.getByTestId('duplicate-merge').click();
      await page.getByTestId('merge-dialog').waitFor();
      await page.locator('[data-testid^="merge-keep-"]', { hasText: KEPT.phone }).click();
      await shows(page.getByTestId('merge-field-address-survivor'), KEPT.address);
      await shows(page.getByTestId('merge-field-email-merged'), OTHER.email);
      // Keep this file's address (the default) and take the other's e-mail.
      await page.getByTestId('merge-field-email-merged').click();
      await page.screenshot({ path: '/tmp/kefu-customer-merge-dialog-zh.png', fullPage: true });
      await page.getByTestId('merge-confirm').click();

      await page.waitForURL(`**/customers/${ids.kept}`);
      await page.getByTestId('customer-merge-history').waitFor();
      const body = await page.getByTestId('customer-page').innerText();
      expect(body).toContain(KEPT.address);
      expect(body).toContain(OTHER.email);
      expect(body).not.toContain(OTHER.address);
      expect(await page.getByTestId('customer-merge-entry').innerText()).toContain('邮箱');
      expect(await page.getByTestId('customer-detail-phone').innerText()).toBe(KEPT.phone);

      await page.goto(`/customers/${ids.other}`);
      await shows(page.getByTestId('customer-merged-into'), '此档案已合并到另一份档案');
      await page.getByTestId('customer-merged-into-link').click();
      await page.waitForURL(`**/customers/${ids.kept}`);
      await page.getByTestId('customer-merge-history').waitFor();

      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customer-duplicates').click();
      await page.getByTestId('duplicates-page').waitFor();
      await shows(page.getByTestId('duplicates-page').locator('.ant-table-placeholder'), '没有疑似重复的档案');
    } finally {
      await context.close();
    }
  });
});

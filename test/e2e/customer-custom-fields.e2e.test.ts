import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * Custom fields 自定义字段 on customer files, in Chinese: the manager of 洛阳分店 adds a required select
 * field 客户来源 for 客户档案 in 工单设置, opens a file with it in the console, and the detail shows the value.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'sun.li', name: '孙丽', initial: 'Sun-li-first-2026', password: 'Sun-li-secret-2026' };

describe('custom fields of customer files in the console', () => {
  let h: Harness;
  let manager: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', serviceId!, branchId);
    await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    manager = await h.newPage();
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-custom-fields-failure.png': () => manager?.page });

  it('the manager adds the field 客户来源 for customer files in 工单设置', async () => {
    const { page } = manager;
    await enter(page, MANAGER);
    await page.getByTestId('nav-ticketSettings').click();
    await page.getByTestId('ticket-settings-page').waitFor();
    await shows(page.getByTestId('fields-unit'), '洛阳分店');
    await page.getByTestId('fields-type').getByText('客户档案', { exact: true }).click();
    await shows(page.getByTestId('ticket-settings-page'), '客户档案还没有自定义字段');

    await page.getByTestId('field-create').click();
    await page.getByTestId('field-label-zh').fill('客户来源');
    await page.getByTestId('field-label-en').fill('Source');
    await page.getByTestId('field-key').fill('source');
    await pick(page, 'field-kind', '单选');
    await page.getByTestId('field-required').click();
    const option = (i: number) => page.getByTestId('field-option').nth(i);
    await option(0).getByTestId('option-zh').fill('老客介绍');
    await option(0).getByTestId('option-en').fill('Referral');
    await option(0).getByTestId('option-value').fill('referral');
    await page.getByTestId('option-add').click();
    await option(1).getByTestId('option-zh').fill('网络');
    await option(1).getByTestId('option-en').fill('Online');
    await option(1).getByTestId('option-value').fill('online');
    await page.getByTestId('field-submit').click();
    await toast(page, '已保存');
    await shows(page.getByTestId('field-row-source'), '客户来源');
    // Not a work-order field: the repairs (报修) list does not have it.
    await page.getByTestId('fields-type').getByText('报修', { exact: true }).click();
    await shows(page.getByTestId('ticket-settings-page'), '此类工单还没有自定义字段');
    expect(await page.getByTestId('field-row-source').count()).toBe(0);
  });

  it('the manager opens a file with it, and the detail shows the value', async () => {
    const { page } = manager;
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-page').waitFor();
    await page.getByTestId('customer-create').click();
    await page.getByTestId('customer-name').fill('周建国');
    await page.getByTestId('customer-phone-input').fill('13903790001');
    await page.getByTestId('custom-field-source').waitFor();
    // Required: saving without it names the field.
    await page.getByTestId('customer-submit').click();
    await shows(page.locator('.ant-form-item-has-error'), '客户来源');
    await pick(page, 'custom-field-source', '老客介绍');
    await page.getByTestId('customer-submit').click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await shows(page.getByTestId('customer-custom-values'), '客户来源');
    expect(await page.getByTestId('customer-custom-value-source').innerText()).toBe('老客介绍');
    await page.screenshot({ path: '/tmp/kefu-customer-custom-fields-zh.png', fullPage: true });
  });
});

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * Custom fields 自定义字段 in the console: a manager of 洛阳分店 adds a select field to repairs
 * (报修); an agent registering a repair fills it in; the detail page shows the value.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'li.jing', name: '李静', initial: 'Li-jing-first-2026', password: 'Li-jing-secret-2026' };
const AGENT = { username: 'zhao.min', name: '赵敏', initial: 'Zhao-min-first-2026', password: 'Zhao-min-secret-2026' };

describe('work-order settings in the console', () => {
  let h: Harness;
  let manager: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    for (const [p, key, grantUnit] of [[MANAGER, 'manager', branchId], [AGENT, 'agent', serviceId!]] as const) {
      await addStaff(admin, p, key, serviceId!, grantUnit);
      await apiSession(h.baseUrl, p.username, p.initial, p.password);
    }
    manager = await h.newPage();
    agent = await h.newPage();
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-settings-manager-failure.png': () => manager?.page, '/tmp/kefu-settings-agent-failure.png': () => agent?.page });

  it('a manager adds a select field for repairs (报修)', async () => {
    const { page } = manager;
    await enter(page, MANAGER);
    await page.getByTestId('nav-ticketSettings').click();
    await page.getByTestId('ticket-settings-page').waitFor();
    await shows(page.getByTestId('fields-unit'), '洛阳分店');
    expect(await page.getByTestId('fields-type').locator('.ant-radio-button-wrapper-checked').innerText()).toBe('报修');

    await page.getByTestId('field-create').click();
    await page.getByTestId('field-label-zh').fill('故障部位');
    await page.getByTestId('field-label-en').fill('Faulty part');
    await page.getByTestId('field-key').fill('part');
    await pick(page, 'field-kind', '单选');
    await page.getByTestId('field-required').click();
    const option = (i: number) => page.getByTestId('field-option').nth(i);
    await option(0).getByTestId('option-zh').fill('灯具');
    await option(0).getByTestId('option-en').fill('Lamp');
    await option(0).getByTestId('option-value').fill('lamp');
    await page.getByTestId('option-add').click();
    await option(1).getByTestId('option-zh').fill('空调');
    await option(1).getByTestId('option-en').fill('Air conditioner');
    await option(1).getByTestId('option-value').fill('ac');
    await page.getByTestId('field-submit').click();
    await toast(page, '已保存');
    const row = page.getByTestId('field-row-part');
    await shows(row, '故障部位');
    await shows(row, '单选');
    await page.screenshot({ path: '/tmp/kefu-ticket-fields-zh.png', fullPage: true });
    // The category tree is the group's: a branch manager sees it, changing it is refused.
    await page.getByRole('tab', { name: '工单分类' }).click();
    await shows(page.getByTestId('category-tree'), '设施设备');
    await page.getByTestId('category-node-客房').click();
    await page.getByTestId('category-panel').waitFor();
    await page.getByTestId('category-add-child-name').fill('卫浴');
    await page.getByTestId('category-add-child').click();
    await page.locator('.ant-message').getByText('没有权限执行此操作').first().waitFor();
    await page.screenshot({ path: '/tmp/kefu-ticket-categories-zh.png', fullPage: true });
  });

  it('an agent registers a repair with it, and the detail page shows the value', async () => {
    const { page } = agent;
    await enter(page, AGENT);
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-page').waitFor();
    await page.getByTestId('intake-type').getByText('报修', { exact: true }).click();
    await page.getByTestId('custom-field-part').waitFor();
    await page.getByTestId('intake-subject').fill('1512 房空调不制冷');
    // Required: registering without it names the field.
    await page.getByTestId('intake-submit').click();
    await shows(page.locator('.ant-form-item-has-error'), '故障部位');
    await pick(page, 'custom-field-part', '空调');
    await page.getByTestId('intake-submit').click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await shows(page.getByTestId('ticket-custom-fields'), '故障部位');
    expect(await page.getByTestId('custom-value-part').innerText()).toBe('空调');
    // Watching it from the detail page.
    await page.getByTestId('watch-toggle').click();
    await shows(page.getByTestId('ticket-watchers'), AGENT.name);
    await page.screenshot({ path: '/tmp/kefu-ticket-custom-fields-zh.png', fullPage: true });
  });
});

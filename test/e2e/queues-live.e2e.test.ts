import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff, type Api } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enterFirstTime, pick, poll, screenshotOnFailure, toast } from './ui.ts';

/**
 * Live queues in two browsers at once: an agent and a manager of 洛阳分店 watch the unassigned queue;
 * an order registered through the API appears in both without a reload (Server-Sent Events, no
 * polling); the manager selects two orders and assigns them to the agent in one bulk action, and the
 * agent's queues follow live.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const MANAGER = { username: 'zhao.lei', name: '赵磊', initial: 'Zhao-lei-first-2026', password: 'Zhao-lei-secret-2026' };

describe('live queues and bulk actions in the console', () => {
  let h: Harness;
  let agent: { context: BrowserContext; page: Page };
  let manager: { context: BrowserContext; page: Page };
  let admin: Api;
  let serviceId = '';

  beforeAll(async () => {
    h = await startHarness();
    admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }, { name: '工程部', code: 'LY-GC' }]);
    serviceId = departmentIds[0]!;
    await addStaff(admin, AGENT, 'agent', serviceId);
    await addStaff(admin, MANAGER, 'manager', serviceId, branchId);
    agent = await h.newPage();
    manager = await h.newPage();
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-queues-agent-failure.png': () => agent?.page, '/tmp/kefu-queues-manager-failure.png': () => manager?.page });

  const register = (subject: string) =>
    admin<{ id: string; number: string }>('POST', '/api/tickets', { type: 'repair', channel: 'phone', subject, description: '客人来电报修。', orgUnitId: serviceId });

  it('shows an order registered through the API in the other user’s unassigned queue without a reload', async () => {
    await enterFirstTime(agent.page, AGENT);
    await enterFirstTime(manager.page, MANAGER);
    for (const { page } of [agent, manager]) {
      await page.goto('/tickets?queue=unassigned');
      await page.getByTestId('tickets-page').waitFor();
      await poll(() => page.getByTestId('queue-count-unassigned').innerText()).toBe('0');
    }
    await agent.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const first = await register('床头阅读灯一直闪烁');
    const second = await register('走廊烟感半夜误报两次');
    for (const { page } of [agent, manager]) {
      await page.getByTestId(`ticket-row-${first.number}`).waitFor();
      await page.getByTestId(`ticket-row-${second.number}`).waitFor();
      await poll(() => page.getByTestId('queue-count-unassigned').innerText()).toBe('2');
    }
    expect(await agent.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await agent.page.screenshot({ path: '/tmp/kefu-queues-live.png', fullPage: true });
  });

  it('bulk-assigns two orders from the console; the agent’s queues follow live', async () => {
    const { page } = manager;
    const rows = page.locator('[data-testid^="ticket-row-"]');
    await poll(() => rows.count()).toBe(2);
    for (const i of [0, 1]) await rows.nth(i).locator('.ant-table-selection-column .ant-checkbox-input').check();
    await poll(() => page.getByTestId('bulk-count').innerText()).toBe('已选 2 个工单');
    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('bulk-assignee-picker').click();
    await page.keyboard.type('li.na'); // the picker searches the staff on the server
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(`${AGENT.name} (${AGENT.username}) · 客服部`).click();
    await page.getByTestId('bulk-submit').click();
    await toast(page, '已完成 2 个工单');
    await poll(() => page.getByTestId('queue-count-unassigned').innerText()).toBe('0');
    await page.screenshot({ path: '/tmp/kefu-queues-bulk.png', fullPage: true });
    // The agent's console, untouched: the orders leave the unassigned queue, "mine" counts them, the bell rings.
    await poll(() => agent.page.locator('[data-testid^="ticket-row-"]').count()).toBe(0);
    await poll(() => agent.page.getByTestId('queue-count-mine').innerText()).toBe('2');
    await poll(() => agent.page.getByTestId('notification-count').innerText()).toContain('2');
  });

  it('bulk-transfers an order to 工程部: the limit may be left to the time-limit policy, and without one the refusal says so', async () => {
    const { page } = manager;
    await page.goto('/tickets?queue=all');
    await page.getByTestId('tickets-page').waitFor();
    const rows = page.locator('[data-testid^="ticket-row-"]');
    await poll(() => rows.count()).toBe(2);
    await rows.nth(0).locator('.ant-table-selection-column .ant-checkbox-input').check();
    await poll(() => page.getByTestId('bulk-count').innerText()).toBe('已选 1 个工单');
    await page.getByTestId('bulk-transfer').click();
    await pick(page, 'bulk-departments', '工程部');
    await page.getByTestId('bulk-reason').fill('灯具需工程部检修');
    // Left empty: this order has no policy giving a hand-off limit, so the server asks for one.
    expect(await page.getByTestId('bulk-time-limit').inputValue()).toBe('');
    await page.getByTestId('bulk-submit').click();
    await page.getByText('请填写处理时限（本工单的时限策略未规定部门转派时限）').first().waitFor();
    await page.getByTestId('bulk-time-limit').fill('120');
    await page.getByTestId('bulk-submit').click();
    await toast(page, '已完成 1 个工单');
  });

  it('saves the current filter, shares it with the department, and applies it from the list', async () => {
    const { page } = manager;
    await page.goto('/tickets?queue=all');
    await page.getByTestId('tickets-page').waitFor();
    await page.getByTestId('ticket-search').locator('input').fill('烟感');
    await page.getByTestId('ticket-search').locator('input').press('Enter');
    await poll(() => page.locator('[data-testid^="ticket-row-"]').count()).toBe(1);
    await page.getByTestId('saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill('烟感报修');
    await page.getByTestId('saved-filter-shared').check();
    await page.getByTestId('saved-filter-submit').click();
    await toast(page, '已保存');
    // The agent of the same department finds it in their list and gets the same orders.
    const { page: other } = agent;
    await other.goto('/tickets?queue=all');
    await other.getByTestId('tickets-page').waitFor();
    await poll(() => other.locator('[data-testid^="ticket-row-"]').count()).toBe(2);
    await other.getByTestId('saved-filter-select').click();
    await other.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(`烟感报修 · ${MANAGER.name}`).click();
    await poll(() => other.locator('[data-testid^="ticket-row-"]').count()).toBe(1);
    expect(await other.locator('[data-testid^="ticket-row-"]').first().getByTestId('ticket-subject').innerText()).toBe('走廊烟感半夜误报两次');
  });
});

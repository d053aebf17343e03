import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff, type Api } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enterFirstTime, pick, poll, screenshotOnFailure, toast } from './ui.ts';

/**
 * The queue's filters in the console (issue §8), against a server whose clock the test moves
 * (KEFU_TEST_CLOCK=true): two orders of 洛阳分店 are registered "three days ago", three today (server
 * time); the manager filters by two statuses, sorts by priority, narrows to the days of the first two
 * and to 工程部, reloads the page (the address keeps the filter), applies it again as a saved filter,
 * and clears it. An agent, who may not list staff, is offered only "me" and "unassigned" as assignee.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'qian.jl', name: '钱经理', initial: 'Qian-jl-first-2026', password: 'Qian-jl-secret-2026' };
const AGENT = { username: 'sun.kf', name: '孙客服', initial: 'Sun-kf-first-2026', password: 'Sun-kf-secret-2026' };
const DAYS = 3;

const pad = (n: number) => String(n).padStart(2, '0');
/** Today in the machine's zone (the browser runs on the same machine, in the same zone). */
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

describe('queue filters in the console', () => {
  let h: Harness;
  let page: Page;
  let api: Api;
  const n: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({ env: { KEFU_TEST_CLOCK: 'true' } });
    api = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds } = await addBranch(api, { name: '洛阳分店', code: 'LY' }, [
      { name: '客服部', code: 'LY-KF' },
      { name: '工程部', code: 'LY-GC' },
    ]);
    const branch = { id: branchId };
    const [service, works] = departmentIds.map((id) => ({ id })) as [{ id: string }, { id: string }];
    const { user: manager } = await addStaff(api, MANAGER, 'manager', service.id, branch.id);
    await addStaff(api, AGENT, 'agent', service.id);

    const register = async (key: string, type: string, priority: string, departmentId: string, subject: string, orgUnitId = branch.id) => {
      const t = await api<{ id: string; number: string; version: number }>('POST', '/api/tickets', { type, channel: 'phone', subject, description: '客人来电。', priority, orgUnitId, departmentId });
      n[key] = t.number;
      return t;
    };
    const assign = (t: { id: string; version: number }) => api<{ version: number }>('POST', `/api/tickets/${t.id}/assign`, { assigneeId: manager.id, version: t.version });
    // Three days ago (server time): new / high / 工程部, and assigned / urgent / 客服部.
    await register('oldNew', 'repair', 'high', works.id, '空调外机噪音太大');
    await assign(await register('oldAssigned', 'complaint', 'urgent', service.id, '前台办理入住等了四十分钟'));
    await api('POST', '/api/test/clock', { advanceMinutes: DAYS * 24 * 60 });
    api = await apiSession(h.baseUrl, 'admin', ADMIN_PASSWORD); // idle sessions expire as days pass
    // Today (server time): assigned / low / 工程部, new / normal / 客服部, in progress / urgent / 工程部.
    await assign(await register('nowAssigned', 'repair', 'low', works.id, '卫生间地漏反味'));
    await register('nowNew', 'inquiry', 'normal', service.id, '早餐几点开始供应', service.id); // owned by 客服部: the agent sees it
    const elevator = await register('nowStarted', 'repair', 'urgent', works.id, '电梯停在三楼不动');
    const started = await assign(elevator);
    const mgr = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    await mgr('POST', `/api/tickets/${elevator.id}/transitions`, { to: 'in_progress', version: started.version });

    ({ page } = await h.newPage());
    await enterFirstTime(page, { ...MANAGER, initial: MANAGER.password });
  });
  screenshotOnFailure({ '/tmp/kefu-queue-filters-failure.png': () => page });
  afterAll(async () => {
    await h?.stop();
  });

  const rows = () => page.locator('[data-testid^="ticket-row-"]');
  const numbers = () => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('ticket-row-'.length)));
  const shownSet = async () => (await numbers()).sort();
  const expectRows = (...keys: string[]) => poll(shownSet).toEqual(keys.map((k) => n[k]).sort());
  /** The values a multi-select shows as tags (not antd's hidden "+ N …" counter). */
  const chosen = async (testId: string) =>
    (await page.getByTestId(testId).locator('.ant-select-selection-item-content').allInnerTexts()).filter((x) => !/^\+ \d+ \.\.\.$/.test(x));
  const popup = () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();

  it('filters by two statuses and sorts by priority', async () => {
    await page.goto('/tickets?queue=all');
    await page.getByTestId('tickets-page').waitFor();
    await expectRows('oldNew', 'oldAssigned', 'nowAssigned', 'nowNew', 'nowStarted');

    await page.getByTestId('ticket-status-filter').click();
    await popup().getByTitle('新建', { exact: true }).click();
    await poll(() => new URL(page.url()).searchParams.get('status')).toBe('new');
    await popup().getByTitle('已分派', { exact: true }).click();
    await page.keyboard.press('Escape');
    await expectRows('oldNew', 'oldAssigned', 'nowAssigned', 'nowNew');
    expect(new URL(page.url()).searchParams.get('status')).toBe('new,assigned');

    await pick(page, 'ticket-sort', '优先级');
    await poll(numbers).toEqual([n.oldAssigned, n.oldNew, n.nowNew, n.nowAssigned]); // urgent, high, normal, low
    await pick(page, 'ticket-order', '升序');
    await poll(numbers).toEqual([n.nowAssigned, n.nowNew, n.oldNew, n.oldAssigned]);
  });

  it('narrows to a range of days and to a department', async () => {
    await page.getByTestId('queue-more-filters').click();
    // "Three days ago" in the server's moved clock is today on the browser's real clock.
    const range = page.getByTestId('ticket-created-range').locator('input');
    await range.nth(0).click();
    await range.nth(0).fill(today());
    await range.nth(0).press('Enter');
    await range.nth(1).fill(today());
    await range.nth(1).press('Enter');
    await poll(numbers).toEqual([n.oldNew, n.oldAssigned]);
    const url = new URL(page.url()).searchParams;
    const [y, m, d] = today().split('-').map(Number);
    expect([url.get('createdFrom'), url.get('createdTo')]).toEqual([new Date(y, m - 1, d).toISOString(), new Date(y, m - 1, d + 1).toISOString()]);

    await pick(page, 'ticket-department-filter', '工程部');
    await expectRows('oldNew');
    await poll(() => page.getByTestId('queue-more-filters').innerText()).toBe('更多筛选（2）');
    await page.screenshot({ path: '/tmp/kefu-queue-filters.png', fullPage: true });
  });

  it('keeps the filter when the page is reloaded', async () => {
    await page.reload();
    await page.getByTestId('tickets-page').waitFor();
    await expectRows('oldNew');
    await poll(() => chosen('ticket-status-filter')).toEqual(['新建', '已分派']);
    expect(await page.getByTestId('ticket-sort').innerText()).toContain('优先级');
    expect(await page.getByTestId('ticket-department-filter').innerText()).toContain('工程部');
    const range = page.getByTestId('ticket-created-range').locator('input');
    expect([await range.nth(0).inputValue(), await range.nth(1).inputValue()]).toEqual([today(), today()]);
  });

  it('saves the filter, clears it, and applies the saved one again', async () => {
    await page.getByTestId('saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill('工程部旧单');
    await page.getByTestId('saved-filter-submit').click();
    await toast(page, '已保存');

    await page.getByTestId('queue-clear-filters').click();
    await expectRows('oldNew', 'oldAssigned', 'nowAssigned', 'nowNew', 'nowStarted');
    expect(new URL(page.url()).search).toBe('?queue=all');
    expect(await chosen('ticket-status-filter')).toEqual([]);

    await pick(page, 'saved-filter-select', '工程部旧单');
    await expectRows('oldNew');
    await poll(() => chosen('ticket-status-filter')).toEqual(['新建', '已分派']);

    await page.getByTestId('queue-clear-filters').click();
    await expectRows('oldNew', 'oldAssigned', 'nowAssigned', 'nowNew', 'nowStarted');
  });

  it('offers an agent, who may not list staff, only me and unassigned as assignee', async () => {
    const { page: agent } = await h.newPage();
    await enterFirstTime(agent, AGENT);
    await agent.goto('/tickets?queue=all&assigneeId=unassigned');
    await agent.getByTestId('tickets-page').waitFor();
    await agent.getByTestId('ticket-assignee-filter').click();
    const options = agent.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await poll(() => options.allInnerTexts()).toEqual(['我', '未分派']);
    await agent.keyboard.press('Escape');
    // The unassigned order owned by 客服部 (the agent sees 客服部's orders only).
    await poll(() => agent.locator('[data-testid^="ticket-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([`ticket-row-${n.nowNew}`]);
  });
});

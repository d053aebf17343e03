import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, poll, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * Resolution with compensation, its approval and a CAPA, in the console, in Chinese: an agent of
 * 洛阳分店 resolves a complaint with an ¥800 refund, so the order waits; the branch manager approves
 * it on 补偿审批 and the order is resolved, awaiting its callback; the manager opens a corrective
 * action, links the order by its number, marks it done and verifies it effective, and the order shows it.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'wang.fang', name: '王芳', initial: 'Wang-fang-first-2026', password: 'Wang-fang-secret-2026' };
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const CAPA = '热水管路季度除垢';

const status = (page: Page) => page.getByTestId('ticket-details').getByTestId('ticket-status');
const timelineTexts = (page: Page) => page.getByTestId('timeline-text').allInnerTexts();

describe('resolution, compensation approval and CAPA in the console', () => {
  let h: Harness;
  let shot: Page | undefined;
  let ticketUrl = '';
  let number = '';
  let agentApi: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, AGENT, 'agent', serviceId!);
    await addStaff(admin, MANAGER, 'manager', branchId);
    // The agent's complaint, taken and being worked on (registering is another story's subject).
    const agent = (agentApi = await apiSession(h.baseUrl, AGENT.username, AGENT.initial, AGENT.password));
    await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    let tk = await agent<{ id: string; number: string; version: number }>('POST', '/api/tickets', {
      type: 'complaint',
      channel: 'phone',
      severity: 2,
      subject: '客房空调噪音大，一夜未睡好',
      description: '0816 房客人投诉空调噪音，要求退还当晚房费。',
      customerName: '赵女士',
      customerPhone: '13703791234',
    });
    tk = await agent('POST', `/api/tickets/${tk.id}/take`, { version: tk.version });
    await agent('POST', `/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version });
    ticketUrl = `/tickets/${tk.id}`;
    number = tk.number;
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-resolution-failure.png': () => shot });

  it('holds the order when the agent resolves with an ¥800 refund', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, AGENT);
      // 补偿审批 and 纠正预防措施 are for managers and leads: not in an agent's menu.
      await page.getByTestId('nav-tickets').waitFor();
      expect(await page.getByTestId('nav-compensations').count()).toBe(0);
      expect(await page.getByTestId('nav-capas').count()).toBe(0);

      await page.goto(ticketUrl);
      await poll(() => status(page).innerText()).toBe('处理中');
      await page.getByTestId('ticket-action-resolve').click();
      await page.getByTestId('ticket-reason').fill('为客人更换至 0918 房，并检修 0816 房空调风机');
      await pick(page, 'resolution-root-cause', '设施设备');
      await page.getByTestId('compensation-add').click();
      await shows(page.getByTestId('compensation-kind-0'), '退款');
      await page.locator('input[data-testid="compensation-amount-0"], [data-testid="compensation-amount-0"] input').first().fill('800');
      await page.getByTestId('compensation-note-0').fill('退还当晚房费');
      await shows(page.getByTestId('compensation-total'), '合计 ¥800.00');
      await shows(page.getByTestId('compensation-approval-hint'), '超过 ¥500.00');
      await page.screenshot({ path: '/tmp/kefu-resolution-form-zh.png' });
      await page.getByTestId('ticket-reason-submit').click();
      await toast(page, '处理结果已提交，补偿待经理审批');

      const panel = page.getByTestId('ticket-resolution');
      await shows(panel.getByTestId('resolution-status'), '待审批');
      await panel.getByTestId('resolution-waiting').waitFor();
      expect(await panel.getByTestId('resolution-compensation').innerText()).toContain('退款');
      expect(await panel.getByTestId('resolution-compensation').innerText()).toContain('¥800.00');
      expect(await status(page).innerText()).toBe('处理中');
      expect(await timelineTexts(page)).toContain('提交了处理结果（根因：设施设备），补偿待审批：退款 ¥800.00');
    } finally {
      await context.close();
    }
  });

  it('lets the manager approve it on 补偿审批, which resolves the order for its callback', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-compensations').click();
      await page.getByTestId('compensations-page').waitFor();
      const row = page.getByTestId(`approval-row-${number}`);
      await shows(row, '退款 ¥800.00');
      const text = await row.innerText();
      for (const s of ['客房空调噪音大', '赵女士', AGENT.name, '退还当晚房费']) expect(text).toContain(s);
      await page.screenshot({ path: '/tmp/kefu-approvals-zh.png', fullPage: true });

      await row.getByTestId('approval-approve').click();
      await page.getByTestId('approval-note').fill('同意，客人为重点客户');
      await page.getByTestId('approval-submit').click();
      await toast(page, `已批准工单 ${number} 的补偿`);
      await row.waitFor({ state: 'detached' });
      await page.getByTestId('compensation-status-filter').getByText('已批准', { exact: true }).click();
      await shows(page.getByTestId(`approval-row-${number}`), '同意，客人为重点客户');

      await page.getByTestId(`approval-row-${number}`).getByTestId('approval-ticket').click();
      await page.waitForURL(`**${ticketUrl}`);
      await poll(() => status(page).innerText()).toBe('待回访');
      const panel = page.getByTestId('ticket-resolution');
      await shows(panel.getByTestId('resolution-status'), '已生效');
      expect(await panel.getByTestId('compensation-status').innerText()).toBe('已生效');
      expect(await panel.innerText()).toContain(`${MANAGER.name}：同意，客人为重点客户`);
      const lines = await timelineTexts(page);
      expect(lines).toContain('批准了补偿：退款 ¥800.00');
      expect(lines).toContain('状态：处理中 → 已解决');
    } finally {
      await context.close();
    }
  });

  it('lets the manager open a CAPA, link the order, complete and verify it', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-capas').click();
      await page.getByTestId('capas-page').waitFor();
      await page.getByTestId('capa-create').click();
      await pick(page, 'capa-unit', '洛阳分店');
      await page.getByTestId('capa-title').fill(CAPA);
      await page.getByTestId('capa-description').fill('全店客房空调与热水管路每季度除垢检修，工程部记录。');
      await page.getByTestId('capa-owner').click();
      await page.keyboard.type('li.na');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(`${MANAGER.name} (${MANAGER.username}) · 洛阳分店`).click();
      const due = page.locator('input[data-testid="capa-due"], [data-testid="capa-due"] input').first();
      await due.click();
      await due.fill('2099-12-31');
      // Leaving the field keeps the typed date (Enter would submit the form).
      await page.getByTestId('capa-title').click();
      await poll(() => due.inputValue()).toBe('2099-12-31');
      await page.getByTestId('capa-submit').click();
      await toast(page, '已新建纠正预防措施');
      await page.waitForURL(/\/capas\/[0-9a-f-]{36}$/);
      await poll(() => page.getByTestId('page-title').innerText()).toBe(CAPA);
      await shows(page.getByTestId('capa-status'), '进行中');

      await page.getByTestId('capa-link-number').fill(number);
      await page.getByTestId('capa-link-submit').click();
      await toast(page, `已关联工单 ${number}`);
      await shows(page.getByTestId(`capa-ticket-${number}`), '客房空调噪音大');

      await page.getByTestId('capa-complete').click();
      await page.getByTestId('capa-note').fill('已完成首轮除垢');
      await page.getByTestId('capa-step-submit').click();
      await toast(page, '已标记完成，等待验证');
      await shows(page.getByTestId('capa-status'), '已完成待验证');

      await page.getByTestId('capa-verify').click();
      await page.getByTestId('capa-effective').getByText('有效', { exact: true }).click();
      await page.getByTestId('capa-note').fill('一个月内无同类投诉');
      await page.getByTestId('capa-step-submit').click();
      await toast(page, '已验证有效，措施关闭');
      await shows(page.getByTestId('capa-status'), '已验证');
      expect(await page.getByTestId('capa-verification').innerText()).toContain('有效');
      await page.screenshot({ path: '/tmp/kefu-capa-zh.png', fullPage: true });

      // The list: verified, not open.
      await page.getByTestId('nav-capas').click();
      await page.getByTestId('capa-filter').getByText('已验证', { exact: true }).click();
      await shows(page.getByTestId(`capa-row-${CAPA}`), '已验证');

      // The order shows its CAPA, and the link on its timeline.
      await page.goto(ticketUrl);
      await shows(page.getByTestId('ticket-capa'), CAPA);
      expect(await page.getByTestId('ticket-capa').innerText()).toContain('已验证');
      expect(await timelineTexts(page)).toContain(`关联了纠正预防措施「${CAPA}」`);
    } finally {
      await context.close();
    }
  });

  it('lets the manager reject a request (in English), which leaves the order open for a new resolution', async () => {
    let tk = await agentApi<{ id: string; number: string; version: number }>('POST', '/api/tickets', { type: 'complaint', channel: 'phone', subject: '早餐过敏未提示', customerName: '孙先生' });
    tk = await agentApi('POST', `/api/tickets/${tk.id}/take`, { version: tk.version });
    tk = await agentApi('POST', `/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version });
    await agentApi('POST', `/api/tickets/${tk.id}/resolution`, {
      version: tk.version,
      summary: '致歉并赔偿',
      rootCause: 'service',
      compensations: [{ kind: 'refund', amount: 400 }, { kind: 'gift', amount: 200, note: '果篮' }],
    });
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('lang-switch').click();
      await poll(() => page.getByTestId('nav-compensations').innerText()).toBe('Compensation approvals');
      await page.getByTestId('nav-compensations').click();
      await poll(() => page.getByTestId('page-title').innerText()).toBe('Compensation approvals');
      const row = page.getByTestId(`approval-row-${tk.number}`);
      await shows(row, 'Total ¥600.00');
      expect(await row.innerText()).toContain('Gift ¥200.00');
      await row.getByTestId('approval-reject').click();
      await page.getByTestId('approval-submit').click();
      await shows(page.locator('.ant-form-item-explain-error'), 'Required'); // a rejection says why
      await page.getByTestId('approval-note').fill('Offer a free dinner instead');
      await page.getByTestId('approval-submit').click();
      await toast(page, `Compensation of ${tk.number} rejected`);
      await row.waitFor({ state: 'detached' });

      await page.goto(`/tickets/${tk.id}`);
      await shows(page.getByTestId('resolution-status'), 'Rejected');
      expect(await page.getByTestId('compensation-status').allInnerTexts()).toEqual(['Rejected', 'Rejected']);
      expect(await status(page).innerText()).toBe('In progress');
      await page.screenshot({ path: '/tmp/kefu-resolution-en.png', fullPage: true });
      await page.getByTestId('lang-switch').click();
    } finally {
      await context.close();
    }
  });
});

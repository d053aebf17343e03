import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { poll, shows, signIn, toast } from './ui.ts';

/**
 * A guest who wrote in by e-mail rates the service through the link staff sent (满意度评价链接):
 * no account, no session — the page opens in Chinese, switches to English and back, the guest chooses
 * 非常满意 and 已解决, and the order closes (checked through the API). The link then says it was used.
 * Then the staff side on the work-order page: link two orders by number, merge the duplicate, follow
 * the banner to the survivor and find the duplicate's conversation there.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };

describe('the customer rating page', () => {
  let h: Harness;
  let guest: { context: BrowserContext; page: Page };
  let agent: Awaited<ReturnType<typeof apiSession>>;
  let ticket: { id: string; number: string };
  let path = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const units = await admin<{ id: string; kind: string }[]>('GET', '/api/org-units');
    const root = units.find((u) => u.kind === 'group')!;
    const branch = await admin<{ id: string }>('POST', '/api/org-units', { parentId: root.id, kind: 'company', name: '洛阳分店', code: 'LY' });
    const service = await admin<{ id: string }>('POST', '/api/org-units', { parentId: branch.id, kind: 'department', name: '客服部', code: 'LY-KF' });
    const roles = await admin<{ id: string; key: string }[]>('GET', '/api/roles');
    await admin('POST', '/api/users', {
      username: AGENT.username,
      displayName: AGENT.name,
      orgUnitId: service.id,
      password: AGENT.initial,
      grants: [{ roleId: roles.find((r) => r.key === 'agent')!.id, orgUnitId: service.id }],
    });
    agent = await apiSession(h.baseUrl, AGENT.username, AGENT.initial, AGENT.password);
    // An e-mailed inquiry, answered and resolved: it awaits its callback, and the agent sends a rating link.
    let tk = await agent<{ id: string; number: string; version: number }>('POST', '/api/tickets', {
      type: 'inquiry',
      channel: 'email',
      subject: '公司统一结算能否开专用发票',
      description: '您好，我公司员工下周入住贵酒店，费用由公司统一支付，请问能否开具增值税专用发票？',
    });
    tk = await agent('POST', `/api/tickets/${tk.id}/take`, { version: tk.version });
    tk = await agent('POST', `/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version });
    tk = await agent('POST', `/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: tk.version });
    ticket = tk;
    const callbacks = await agent<{ items: { id: string; ticketId: string }[] }>('GET', '/api/callbacks');
    const cb = callbacks.items.find((c) => c.ticketId === tk.id)!;
    path = (await agent<{ path: string }>('POST', `/api/callbacks/${cb.id}/rating-link`)).path;
    guest = await h.newPage();
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('lets a guest without a session rate, and the order closes', async () => {
    onTestFailed(() => console.log(h.output()));
    const { page, context } = guest;
    expect(await context.cookies()).toEqual([]);
    await page.goto(path);
    await shows(page.getByTestId('page-title'), '满意度评价');
    await shows(page.getByTestId('rate-number'), ticket.number);
    await shows(page.getByTestId('rate-company'), '洛阳分店');
    expect(page.url()).toContain('/rate/'); // not sent to the sign-in page

    await page.getByTestId('lang-switch').click();
    await shows(page.getByTestId('page-title'), 'Rate our service');
    await shows(page.getByTestId('rate-satisfaction'), 'Very satisfied');
    await page.getByTestId('lang-switch').click();
    await shows(page.getByTestId('page-title'), '满意度评价');

    const scale = await page.getByTestId('rate-satisfaction').locator('label').allInnerTexts();
    expect(scale.map((s) => s.trim())).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意']);
    await page.getByTestId('rate-satisfaction').getByText('非常满意', { exact: true }).click();
    await page.getByTestId('rate-solved').getByText('已解决', { exact: true }).click();
    await page.getByTestId('rate-comment').fill('回复很及时，发票已经收到，谢谢！');
    await page.getByTestId('rate-submit').click();
    await shows(page.getByTestId('rate-thanks'), '感谢您的评价');

    await poll(async () => (await agent<{ status: string }>('GET', `/api/tickets/${ticket.id}`)).status).toBe('closed');
    const events = await agent<{ kind: string; actorName: string; data: Record<string, unknown> }[]>('GET', `/api/tickets/${ticket.id}/timeline`);
    expect(events.find((e) => e.kind === 'callback.completed')).toMatchObject({ actorName: '客户（评价链接）', data: { satisfaction: 5, solved: true, comment: '回复很及时，发票已经收到，谢谢！' } });

    // The link served once: opening it again says so.
    await page.reload();
    await shows(page.getByTestId('rate-rated'), '已经评价过');
    expect(await page.getByTestId('rate-submit').count()).toBe(0);
  });

  it('lets an agent link two orders and merge a duplicate from the work-order page', async () => {
    onTestFailed(() => console.log(h.output()));
    const intake = { type: 'complaint', channel: 'phone', subject: '房间空调不制冷一晚没睡好', description: '客人来电反映1512房间的空调不制冷。' };
    const survivor = await agent<{ id: string; number: string }>('POST', '/api/tickets', intake);
    const dup = await agent<{ id: string; number: string }>('POST', '/api/tickets', { ...intake, description: '客人再次来电催促空调维修。' });
    await agent('POST', `/api/tickets/${dup.id}/messages`, { kind: 'reply', body: '您好，工程部马上到。' });
    const { page } = await h.newPage();
    await page.goto(`/tickets/${dup.id}`);
    await signIn(page, AGENT.username, AGENT.password);
    await page.getByTestId('ticket-links').waitFor();

    await page.getByTestId('link-number').fill(survivor.number);
    await page.getByTestId('link-add').click();
    await toast(page, '已关联');
    await shows(page.getByTestId('ticket-link'), survivor.number);

    await page.getByTestId('merge-open').click();
    await page.getByTestId('merge-number').fill(survivor.number);
    await page.getByTestId('merge-reason').fill('同一客人重复来电');
    await page.getByTestId('merge-submit').click();
    await toast(page, `已合并到 ${survivor.number}`);
    await shows(page.getByTestId('merged-banner'), survivor.number);
    await poll(async () => (await agent<{ status: string; mergedInto: { id: string } | null }>('GET', `/api/tickets/${dup.id}`)).mergedInto?.id).toBe(survivor.id);

    await page.getByTestId('merged-into-link').click();
    await page.waitForURL(new RegExp(`/tickets/${survivor.id}$`));
    await shows(page.getByTestId('merged-messages'), dup.number);
    await shows(page.getByTestId('merged-messages'), '您好，工程部马上到。');
    await shows(page.getByTestId('ticket-timeline'), `${dup.number} 合并到本工单`);
  });
});

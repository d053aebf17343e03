import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, poll, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * 客户关怀 → 发送 in the console, in Chinese: the branch manager generates the Mid-Autumn greetings,
 * sends two of them at once and finds them in 发送记录 (recorded: no SMS gateway is installed);
 * then creates a 沙龙, invites two VIP customers by search, records one acceptance and sees the counts.
 */
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const VIPS = [
  { name: '张秀英', phone: '13903790001', tier: 'strategic' },
  { name: '李建国', phone: '13903790002', tier: 'key' },
];
const EVENT = '中秋品茶沙龙';

describe('care outreach in the console', () => {
  let h: Harness;
  let shot: Page | undefined;
  let ruleId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, 'Outreach-root-secret-2026');
    const { branchId } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', branchId);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    for (const c of VIPS) await manager('POST', '/api/customers', { orgUnitId: branchId, kind: 'person', name: c.name, phone: c.phone, tier: c.tier, tags: ['VIP'] });
    await manager('POST', '/api/customers', { orgUnitId: branchId, kind: 'person', name: '王小明', phone: '13903790003', tier: 'ordinary' });
    const rule = await manager<{ id: string }>('POST', '/api/care-rules', {
      orgUnitId: branchId,
      name: '中秋问候（VIP）',
      occasion: 'festival',
      festival: 'mid_autumn',
      tiers: ['strategic', 'key'],
      tags: ['VIP'],
      channel: 'sms',
      template: '尊敬的{{name}}，洛阳分店祝您{{festival}}快乐！',
      giftValue: 100,
    });
    ruleId = rule.id;
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-care-outreach-failure.png': () => shot });

  it('generates the Mid-Autumn tasks, sends two, sees them in 发送记录; invites two VIPs to a 沙龙 and records an acceptance', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.getByTestId('nav-care').click();
      await page.getByTestId('care-page').waitFor();

      // 关怀规则: generate this year's tasks (the console's year: 2026).
      await page.getByRole('tab', { name: '关怀规则' }).click();
      await page.getByTestId(`care-generate-${ruleId}`).click();
      await toast(page, '已生成关怀任务');

      // 关怀任务: both VIPs' greetings; select both and send them at once.
      await page.getByRole('tab', { name: '关怀任务' }).click();
      for (const c of VIPS) await shows(page.getByTestId(`care-task-${c.name}`), `尊敬的${c.name}，洛阳分店祝您中秋节快乐！`);
      for (const c of VIPS) await page.getByTestId(`care-task-${c.name}`).locator('input[type="checkbox"]').check();
      await shows(page.getByTestId('care-bulk-send'), '批量发送（2）');
      await page.getByTestId('care-bulk-send').click();
      await toast(page, '已发送 2 项关怀');
      await poll(() => page.locator('[data-testid^="care-task-"]').count()).toBe(0);

      // 发送记录: the two messages, recorded by the default SMS provider (nothing leaves the machine).
      await page.getByRole('tab', { name: '发送记录' }).click();
      await page.getByTestId('care-outbox').waitFor();
      await shows(page.getByTestId('care-outbox'), '短信通道：仅记录');
      for (const c of VIPS) {
        const row = page.getByTestId(`outbox-row-${c.name}`);
        await shows(row.getByTestId('outbox-body'), `尊敬的${c.name}，洛阳分店祝您中秋节快乐！`);
        expect(await row.getByTestId('outbox-recipient').innerText()).toBe(c.phone);
      }
      await poll(async () => {
        await page.getByTestId('outbox-refresh').click();
        return page.getByTestId('outbox-count-recorded').innerText();
      }).toBe('已记录 2');
      for (const c of VIPS) await shows(page.getByTestId(`outbox-row-${c.name}`).getByTestId('outbox-status'), '已记录');

      // 活动邀请: a 沙龙 for 20 guests.
      await page.getByRole('tab', { name: '活动邀请' }).click();
      await page.getByTestId('event-create').click();
      await pick(page, 'event-unit', '洛阳分店');
      await page.getByTestId('event-title').fill(EVENT);
      // The input of a picker or number field (antd puts the test id on the input or on its wrapper).
      const dateInput = (id: string) => page.locator(`[data-testid="${id}"] input, input[data-testid="${id}"]`).first();
      await dateInput('event-start').click();
      await dateInput('event-start').fill('2026-12-12 14:00');
      await dateInput('event-start').press('Enter');
      await dateInput('event-end').click();
      await dateInput('event-end').fill('2026-12-12 17:00');
      await dateInput('event-end').press('Enter');
      await page.getByTestId('event-place').fill('洛阳分店三楼茶室');
      await dateInput('event-capacity').fill('20');
      await page.getByTestId('event-submit').click();
      await toast(page, '活动已创建');

      // The detail opens: invite the two VIPs found by name.
      const detail = page.getByTestId('event-detail');
      await detail.waitFor();
      await page.getByTestId('event-invite').click();
      for (const c of VIPS) await pick(page, 'invite-customers', c.name);
      await page.getByTestId('invite-submit').click();
      await toast(page, '已邀请 2 位客户，2 条邀请已进入发送队列');
      for (const c of VIPS) await page.getByTestId(`invitee-row-${c.name}`).waitFor();
      await shows(page.getByTestId('event-count-total'), '共邀请 2');
      await shows(page.getByTestId('event-count-pending'), '未回复 2');

      // 张秀英 accepts.
      await pick(page, `invitee-reply-${VIPS[0]!.name}`, '接受');
      await toast(page, '已登记回复');
      await shows(page.getByTestId('event-count-accepted'), '接受 1');
      await shows(page.getByTestId('event-count-pending'), '未回复 1');
      await shows(page.getByTestId('event-seats'), '名额 1/20');
      await page.screenshot({ path: '/tmp/kefu-care-event-zh.png', fullPage: true });

      // The events list shows the same counts.
      await page.locator('.ant-drawer-close').last().click();
      await detail.waitFor({ state: 'hidden' });
      await shows(page.getByTestId(`event-row-${EVENT}`), '接受 1');
      // The invitations are in 发送记录 too.
      await page.getByRole('tab', { name: '发送记录' }).click();
      await shows(page.getByTestId('care-outbox'), '活动邀请');
    } finally {
      await context.close();
    }
  });
});

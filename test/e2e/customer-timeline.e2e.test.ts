import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, poll, screenshotOnFailure, shows, texts, toast } from './ui.ts';

/**
 * Around a customer file in the console, in Chinese: the branch manager adds a key person 关键人 to an
 * organisation and a follow-up note 跟进记录, registers a work order for the customer at intake (the
 * caller's number links the file), and the file's timeline 时间线 shows the work order and the note. A 机密
 * organisation's contacts show masked (notes hidden) until the manager opens the file with a reason.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const ORG = { name: '洛阳牡丹科技有限公司', phone: '037965123456' };
const KEY = { name: '陈志强', title: '总经理', phone: '13911110000' };
const NOTE = '拜访陈总，确认明年会议室年度合作意向';
const SUBJECT = '咨询明年会议室年度协议价';
const SECRET_PHONE = '13855556666';

describe('contacts, notes and the timeline of a customer file', () => {
  let h: Harness;
  let shot: Page | undefined;
  let fileId = '';
  let secretId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', branchId);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    fileId = (await manager<{ id: string }>('POST', '/api/customers', { name: ORG.name, kind: 'organisation', industry: '软件', phone: ORG.phone, tier: 'key' })).id;
    secretId = (await manager<{ id: string }>('POST', '/api/customers', { name: '洛阳重工集团', kind: 'organisation', confidentiality: 'confidential' })).id;
    await manager('POST', `/api/customers/${secretId}/contacts`, { name: '周建军', title: '董事长', phones: [SECRET_PHONE], role: 'decision_maker', keyPerson: true });
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-timeline-failure.png': () => shot });

  it('adds a key person and a note, registers a work order, and the timeline shows both', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.goto(`/customers/${fileId}`);
      await page.getByTestId('customer-page').waitFor();

      // 联系人: a key person, the decision maker.
      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId('contact-add').click();
      await page.getByTestId('contact-name-input').fill(KEY.name);
      await page.getByTestId('contact-title-input').fill(KEY.title);
      await page.getByTestId('contact-key-input').check();
      await page.getByTestId('contact-phones-input').fill(KEY.phone);
      await page.getByTestId('contact-submit').click();
      await toast(page, '联系人已保存');
      const row = page.locator('[data-testid^="contact-row-"]').filter({ hasText: KEY.name });
      await shows(row.getByTestId('contact-key'), '关键人');
      expect(await row.getByTestId('contact-role').innerText()).toBe('决策者');
      expect(await row.getByTestId('contact-phones').innerText()).toBe(KEY.phone);

      // 跟进记录: a note; an empty one is refused in Chinese.
      await page.getByTestId('customer-tab-notes').click();
      await page.getByTestId('note-submit').click();
      await shows(page.locator('.ant-form-item-explain-error').first(), '请填写跟进内容');
      await page.getByTestId('note-body').fill(NOTE);
      await page.getByTestId('note-submit').click();
      await toast(page, '已添加跟进记录');
      await shows(page.getByTestId('note-text'), NOTE);

      // A work order for the customer at intake: the full number links the file.
      await page.getByTestId('nav-intake').click();
      await page.getByTestId('intake-page').waitFor();
      await page.getByTestId('intake-phone').fill(ORG.phone);
      await page.getByTestId('caller-customer').getByTestId('caller-unlink').waitFor();
      await page.getByTestId('intake-type').getByText('咨询').click();
      await page.getByTestId('intake-subject').fill(SUBJECT);
      await page.getByTestId('intake-description').fill('客户来电询问明年会议室年度协议价及付款方式。');
      await page.getByTestId('intake-submit').click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      const number = await page.getByTestId('ticket-number').innerText();

      // 时间线: newest first — the work order, then the note, then the file's creation.
      await page.goto(`/customers/${fileId}`);
      await page.getByTestId('customer-tab-timeline').click();
      const items = page.getByTestId('customer-timeline-item');
      await poll(() => items.count()).toBeGreaterThanOrEqual(3);
      const kinds = await texts(page.getByTestId('customer-timeline-kind'));
      expect(kinds.slice(0, 2)).toEqual(['登记工单', '跟进记录']);
      expect(kinds.at(-1)).toBe('档案变更');
      // The file's creation, with its classification as labels (no personal values).
      expect(await texts(items.last().getByTestId('customer-timeline-change'))).toContain('客户等级: 重点客户');
      expect(await items.last().innerText()).not.toContain(ORG.phone);
      expect(await items.nth(0).getByTestId('customer-timeline-ticket').innerText()).toBe(`${number} ${SUBJECT}`);
      expect(await items.nth(1).getByTestId('customer-timeline-text').innerText()).toBe(NOTE);
      expect(await items.nth(1).innerText()).toContain(MANAGER.name);
      await page.screenshot({ path: '/tmp/kefu-customer-timeline-zh.png', fullPage: true });

      // The work order is one click away.
      await items.nth(0).getByTestId('customer-timeline-ticket').click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      expect(await page.getByTestId('ticket-number').innerText()).toBe(number);
    } finally {
      await context.close();
    }
  });

  it('masks the contacts of a 机密 organisation until the manager opens the file', async () => {
    const { context, page } = await h.newPage();
    shot = page;
    try {
      await enter(page, MANAGER);
      await page.goto(`/customers/${secretId}`);
      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId('contacts-masked').waitFor();
      const row = page.locator('[data-testid^="contact-row-"]').filter({ hasText: '周建军' });
      await shows(row.getByTestId('contact-phones'), '138****6666');
      expect(await page.getByTestId('contact-add').isDisabled()).toBe(true);
      await page.getByTestId('customer-tab-notes').click();
      await page.getByTestId('notes-hidden').waitFor();

      await page.getByTestId('customer-open').click();
      await page.getByTestId('customer-open-reason').fill('准备年度拜访');
      await page.getByTestId('customer-open-submit').click();
      await page.getByTestId('customer-opened').waitFor();
      await page.getByTestId('customer-tab-contacts').click();
      await shows(row.getByTestId('contact-phones'), SECRET_PHONE);
      expect(await page.getByTestId('contacts-masked').count()).toBe(0);
      expect(await page.getByTestId('contact-add').isDisabled()).toBe(false);
    } finally {
      await context.close();
    }
  });
});

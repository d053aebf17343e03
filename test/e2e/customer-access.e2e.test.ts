import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enterFirstTime, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * An access request 申请查阅 in the console, in Chinese: a sales clerk sees a 秘密 file masked and asks for its
 * contact details from the file's page; the sales manager and then the service department's manager approve
 * under 待我审批; the clerk opens the file from 我的申请 with a reason and sees the phone.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const CLERK = { username: 'zhao.min', name: '赵敏', initial: 'Zhao-min-first-2026', password: 'Zhao-min-secret-2026' };
const SALES_MANAGER = { username: 'sun.qiang', name: '孙强', initial: 'Sun-qiang-first-2026', password: 'Sun-qiang-secret-2026' };
const SERVICE_MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const FILE = { name: '牡丹实业集团', phone: '13903791234' };

describe('an access request in the console', () => {
  let h: Harness;
  let page: Page | undefined;
  let fileId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId, departmentIds: [serviceId, salesId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [
      { name: '客服部', code: 'LY-KF' },
      { name: '销售部', code: 'LY-XS' },
    ]);
    await addStaff(admin, CLERK, 'agent', salesId!);
    await addStaff(admin, SALES_MANAGER, 'manager', salesId!);
    await addStaff(admin, SERVICE_MANAGER, 'manager', serviceId!, branchId);
    const service = await apiSession(h.baseUrl, SERVICE_MANAGER.username, SERVICE_MANAGER.initial, SERVICE_MANAGER.password);
    await apiSession(h.baseUrl, SALES_MANAGER.username, SALES_MANAGER.initial, SALES_MANAGER.password);
    await apiSession(h.baseUrl, CLERK.username, CLERK.initial, CLERK.password);
    fileId = (await service<{ id: string }>('POST', '/api/customers', { orgUnitId: branchId, name: FILE.name, phone: FILE.phone, tier: 'strategic', confidentiality: 'secret' })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-access-failure.png': () => page });

  const approve = async (who: typeof SALES_MANAGER, step: string) => {
    const { context, page: p } = await h.newPage();
    page = p;
    try {
      await enterFirstTime(p, { ...who, initial: who.password });
      await p.getByTestId('nav-customerAccess').click();
      await p.getByTestId('customer-access-page').waitFor();
      await p.getByTestId('access-tab-approve').click();
      const approveButton = p.locator('[data-testid^="access-approve-"]').first();
      await shows(approveButton, step);
      await approveButton.click();
      await toast(p, '已批准');
    } finally {
      await context.close();
    }
  };

  it('asks from the file page, is approved by both, and opens the contact details', async () => {
    const { context, page: p } = await h.newPage();
    page = p;
    try {
      await enterFirstTime(p, { ...CLERK, initial: CLERK.password });
      await p.goto(`/customers/${fileId}`);
      await p.getByTestId('customer-masked').waitFor();
      expect(await p.getByTestId('customer-open').count()).toBe(0);
      await p.getByTestId('customer-request-access').click();
      await p.getByTestId('access-reason').fill('核对大客户宴请联系人');
      await p.getByTestId('access-submit').click();
      await toast(p, '申请已提交');
    } finally {
      await context.close();
    }

    await approve(SALES_MANAGER, '上级审批');
    await approve(SERVICE_MANAGER, '客服部审批');

    const { context: c2, page: p2 } = await h.newPage();
    page = p2;
    try {
      await enterFirstTime(p2, { ...CLERK, initial: CLERK.password });
      await p2.getByTestId('nav-customerAccess').click();
      await p2.getByTestId('customer-access-page').waitFor();
      const row = p2.locator('[data-testid^="access-row-"]').first();
      await shows(row, '已批准');
      await row.locator('[data-testid^="access-open-"]').click();
      await p2.getByTestId('access-open-form-note').fill('宴请前核对联系人电话');
      await p2.getByTestId('access-open-submit').click();
      await shows(p2.getByTestId('access-opened-phone'), FILE.phone);
      await p2.screenshot({ path: '/tmp/kefu-customer-access-zh.png', fullPage: true });
    } finally {
      await c2.close();
    }
  });
});

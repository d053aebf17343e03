import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff, type Api } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enterFirstTime, poll, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * Re-verification 定期核定 in the console, in Chinese: three files opened a quarter and more ago are overdue;
 * the records officer (客户信息管理员) confirms one unchanged and corrects another's address from the work
 * list, and the branch's overdue count on the dashboard drops from 3 to 1.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const OFFICER = { username: 'qian.li', name: '钱丽', initial: 'Qian-li-first-2026', password: 'Qian-li-secret-2026' };
const NEW_ADDRESS = '洛阳市西工区凯旋路9号';

describe('re-verification from the work list', () => {
  let h: Harness;
  let page: Page | undefined;
  let branchId = '';
  let officer: Api;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({ env: { KEFU_TEST_CLOCK: 'true' } });
    let admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const made = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    branchId = made.branchId;
    await addStaff(admin, OFFICER, 'records_officer', made.departmentIds[0]!, branchId);
    officer = await apiSession(h.baseUrl, OFFICER.username, OFFICER.initial, OFFICER.password);
    for (const [name, phone] of [['陈建国', '13803790001'], ['林秀英', '13803790002'], ['何志强', '13803790003']] as const) {
      files[name] = (await officer<{ id: string }>('POST', '/api/customers', { orgUnitId: branchId, name, phone, tier: 'key', address: '洛阳市老城区中州路1号' })).id;
    }
    // A quarter and ten days later: all three are overdue.
    admin = await apiSession(h.baseUrl, 'admin', ADMIN_PASSWORD);
    await admin('POST', '/api/test/clock', { advanceMinutes: 100 * 24 * 60 });
    officer = await apiSession(h.baseUrl, OFFICER.username, OFFICER.password); // idle sessions expire as days pass
  });
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-verification-failure.png': () => page });

  it('confirms one file, corrects another, and the dashboard’s overdue count drops', async () => {
    ({ page } = await h.newPage());
    await enterFirstTime(page, { ...OFFICER, initial: OFFICER.password });
    await page.getByTestId('nav-customerVerification').click();
    await page.getByTestId('verification-page').waitFor();
    const overdue = page.getByTestId(`verification-branch-overdue-${branchId}`);
    await shows(overdue, '3');
    for (const id of Object.values(files)) await page.getByTestId(`verification-row-${id}`).waitFor();
    expect(await page.getByTestId(`verification-row-${files['陈建国']}`).innerText()).toContain('逾期');

    // 核定无误
    await page.getByTestId(`verification-confirm-${files['陈建国']}`).click();
    await page.getByTestId('verification-confirm-note').fill('电话回访核实，信息无变化');
    await page.getByTestId('verification-confirm-submit').click();
    await toast(page, '已核定');
    await page.getByTestId(`verification-row-${files['陈建国']}`).waitFor({ state: 'detached' });
    await shows(overdue, '2');

    // 更正: the address changed
    await page.getByTestId(`verification-correct-${files['林秀英']}`).click();
    const address = page.getByTestId('verification-correct-address');
    await address.waitFor();
    await address.fill(NEW_ADDRESS);
    await page.getByTestId('verification-correct-note').fill('客户搬迁，更新地址');
    await page.getByTestId('verification-correct-submit').click();
    await toast(page, '已更正并核定');
    await page.getByTestId(`verification-row-${files['林秀英']}`).waitFor({ state: 'detached' });
    await shows(overdue, '1');
    await page.screenshot({ path: '/tmp/kefu-verification-zh.png', fullPage: true });

    // What the records say.
    expect((await officer<{ address: string }>('GET', `/api/customers/${files['林秀英']}`)).address).toBe(NEW_ADDRESS);
    expect(await officer('GET', `/api/customers/${files['林秀英']}/verifications`)).toMatchObject([{ result: 'corrected', userName: OFFICER.name, note: '客户搬迁，更新地址' }]);
    expect(await officer('GET', `/api/customers/${files['陈建国']}/verifications`)).toMatchObject([{ result: 'confirmed', userName: OFFICER.name }]);
    await poll(async () => (await officer<{ items: { customerId: string }[] }>('GET', '/api/customer-verifications/due')).items.map((d) => d.customerId)).toEqual([files['何志强']]);
  });
});

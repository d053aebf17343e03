import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { enter, pick, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * A satisfaction survey in the console, in Chinese: the branch manager writes a three-question survey
 * (a 1–5 scale, a single choice, a text), sends it to the branch's VIP customers — exactly those two are
 * invited — and issues a link for one of them; the customer opens it in a fresh browser context (no
 * session), answers on the public page and cannot answer twice; the manager records the other customer's
 * answers given on a call, and the survey's results tab shows both.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const TITLE = '2026年冬季住客满意度调查';

describe('a satisfaction survey from writing to results', () => {
  let h: Harness;
  let shot: Page | undefined;
  let guestShot: Page | undefined;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const { branchId } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, MANAGER, 'manager', branchId);
    const manager = await apiSession(h.baseUrl, MANAGER.username, MANAGER.initial, MANAGER.password);
    const customer = (name: string, phone: string, tags: string[]) => manager('POST', '/api/customers', { kind: 'person', orgUnitId: branchId, name, phone, tier: 'strategic', category: 'A', tags });
    await customer('张秀英', '13900000001', ['VIP']);
    await customer('李建国', '13900000002', ['VIP', '商务']);
    await customer('王小明', '13900000003', []);
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-surveys-failure.png': () => shot, '/tmp/kefu-surveys-guest-failure.png': () => guestShot });

  it('a manager writes and sends a survey, a VIP customer answers through the link, the results show it', async () => {
    onTestFailed(() => console.log(h.output()));
    const { page } = await h.newPage();
    shot = page;
    await enter(page, MANAGER);
    await page.getByTestId('nav-surveys').click();
    await page.getByTestId('surveys-page').waitFor();
    await shows(page.getByTestId('page-title'), '满意度调查');

    // Three questions: a scale with its end labels, a single choice, a text.
    await page.getByTestId('survey-create').click();
    await pick(page, 'survey-unit', '洛阳分店');
    await page.getByTestId('survey-title-input').fill(TITLE);
    await page.getByTestId('survey-intro').fill('感谢您抽出两分钟时间。');
    await page.getByTestId('survey-text-0').fill('您对本次入住的总体满意度');
    await page.getByTestId('survey-min-label-0').fill('非常不满意');
    await page.getByTestId('survey-max-label-0').fill('非常满意');
    await page.getByTestId('survey-add-question').click();
    await pick(page, 'survey-kind-1', '单选');
    await page.getByTestId('survey-text-1').fill('您是通过什么渠道预订的？');
    await page.getByTestId('survey-options-1').click();
    for (const option of ['电话', '官网', '旅行社']) {
      await page.keyboard.type(option);
      await page.keyboard.press('Enter');
    }
    await page.getByTestId('survey-add-question').click();
    await pick(page, 'survey-kind-2', '文字');
    await page.getByTestId('survey-text-2').fill('您还有什么建议？');
    await page.getByTestId('survey-submit').click();

    await page.getByTestId('survey-page').waitFor();
    await shows(page.getByTestId('page-title'), TITLE);
    await shows(page.getByTestId('survey-status'), '草稿');

    // To the VIP customers: exactly the two holding the tag are invited, and the survey opens.
    await page.getByTestId('survey-send-tags').click();
    await page.keyboard.type('VIP');
    await page.keyboard.press('Enter');
    await page.getByTestId('survey-send-submit').click();
    await toast(page, '新邀请 2 位');
    await shows(page.getByTestId('survey-status'), '进行中');
    await page.getByTestId('invitation-row-张秀英').waitFor();
    await page.getByTestId('invitation-row-李建国').waitFor();
    expect(await page.getByTestId('invitation-row-王小明').count()).toBe(0);

    await page.getByTestId('invitation-row-张秀英').getByTestId('invitation-link').click();
    const url = await page.getByTestId('one-time-secret').innerText();
    expect(url).toMatch(/\/survey\/[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('secret-close').click();

    // The customer, in another browser context without any session, answers on the public page.
    const guest = await h.newPage();
    guestShot = guest.page;
    expect(await guest.context.cookies()).toEqual([]);
    await guest.page.setViewportSize({ width: 390, height: 844 }); // a phone
    await guest.page.goto(new URL(url).pathname);
    await shows(guest.page.getByTestId('page-title'), '满意度调查');
    await shows(guest.page.getByTestId('survey-title'), TITLE);
    await shows(guest.page.getByTestId('survey-company'), '洛阳分店');
    expect(guest.page.url()).toContain('/survey/');
    await guest.page.getByTestId('lang-switch').click();
    await shows(guest.page.getByTestId('page-title'), 'Satisfaction survey');
    await shows(guest.page.getByTestId('survey-submit'), 'Submit');
    await guest.page.getByTestId('lang-switch').click();
    await shows(guest.page.getByTestId('page-title'), '满意度调查');
    await guest.page.getByTestId('survey-submit').click();
    await shows(guest.page.locator('.ant-form-item-explain-error').first(), '请回答此题');
    await guest.page.getByTestId('survey-q-0').getByText('5', { exact: true }).click();
    await guest.page.getByTestId('survey-q-1').getByText('电话', { exact: true }).click();
    await guest.page.getByTestId('survey-q-2-text').fill('前台服务很热情，早餐可以更丰富些。');
    await guest.page.getByTestId('survey-submit').click();
    await guest.page.getByTestId('survey-thanks').waitFor();
    await guest.page.reload();
    await guest.page.getByTestId('survey-answered').waitFor();
    await guest.context.close();

    // Back in the console: the invitation shows the answer; the other VIP answers on a call, recorded by the manager.
    await page.reload();
    await shows(page.getByTestId('invitation-row-张秀英').getByTestId('invitation-status'), '已答（链接）');
    await page.getByTestId('invitation-row-李建国').getByTestId('invitation-record').click();
    await page.getByTestId('survey-q-1').waitFor();
    await page.getByTestId('survey-q-0').getByText('3', { exact: true }).click();
    await page.getByTestId('survey-q-1').getByText('官网', { exact: true }).click();
    await page.getByTestId('survey-answer-submit').click();
    await toast(page, '答卷已保存');
    await shows(page.getByTestId('invitation-row-李建国').getByTestId('invitation-status'), '已答（电话）');

    // The results count both: two answers, the average of 5 and 3.
    await page.getByTestId('survey-tab-results').click();
    await shows(page.getByTestId('survey-answered-count'), '2');
    await shows(page.getByTestId('survey-average-0'), '4');
    await shows(page.getByTestId('survey-results'), '电话: 1 · 官网: 1 · 旅行社: 0');
    await page.screenshot({ path: '/tmp/kefu-survey-results-zh.png', fullPage: true });
  });
});

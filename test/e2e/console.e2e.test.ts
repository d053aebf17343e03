import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { changePassword, confirm, pick, poll, shows, signIn, texts, toast } from './ui.ts';

/**
 * The console in real Chromium against a real server (fresh SQLite, printed one-time password).
 * The stories build on each other: the administrator sets up a branch and an agent, the agent
 * signs in, roles and tokens come and go, the audit trail shows it all, then English.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT_PASSWORD = 'Liu-yang-secret-2026';

describe('the Kefu console', () => {
  let h: Harness;
  let admin: { context: BrowserContext; page: Page };
  let agentOneTimePassword = '';

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.newPage();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('forces the administrator to replace the one-time password, enforcing the policy, then shows every module', async () => {
    const { page } = admin;
    await page.goto('/users');
    await page.waitForURL('**/login?next=%2Fusers');
    expect(await page.getByTestId('page-title').innerText()).toBe('登录');

    await signIn(page, 'admin', h.adminPassword);
    await page.waitForURL('**/change-password');
    expect(await page.getByTestId('page-title').innerText()).toBe('请设置新密码');

    // Nothing else opens until the password is changed.
    await page.goto('/org');
    await page.waitForURL('**/change-password');

    await changePassword(page, h.adminPassword, 'short');
    await shows(page.getByTestId('form-error'), '密码不符合安全要求');
    await page.getByText('至少 12 个字符', { exact: true }).waitFor();

    await changePassword(page, h.adminPassword, ADMIN_PASSWORD);
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toBe('系统管理员');
    expect(await texts(page.locator('[data-testid^="nav-"]'))).toEqual(['工作台', '工单', '登记工单', '回访', '客户档案', '借阅记录', '申请查阅', '客户关怀', '定期核定', '档案销毁', '部门转派', '补偿审批', '纠正预防措施', '分流规则', '服务时限', '工作日历', '时限报表', '满意度调查', '工单设置', '组织架构', '员工', '角色', '审计日志', '后台任务']);
  });

  it('builds a branch with a service department and creates an agent there, showing the password once', async () => {
    const { page } = admin;
    await page.getByTestId('nav-org').click();
    await page.getByTestId('unit-row-HQ').getByTestId('unit-add-child').click();
    expect(await page.getByTestId('unit-kind').innerText()).toBe('分公司/分店');
    await page.getByTestId('unit-name').fill('洛阳分店');
    await page.getByTestId('unit-code').fill('LY');
    await page.getByTestId('unit-save').click();
    await toast(page, '组织单元已创建');
    await page.getByTestId('unit-row-LY').waitFor();

    await page.getByTestId('unit-row-LY').getByTestId('unit-add-child').click();
    expect(await page.getByTestId('unit-kind').innerText()).toBe('部门');
    await page.getByTestId('unit-name').fill('客服部');
    // A code already in use: the server's field error shows under the field.
    await page.getByTestId('unit-code').fill('LY');
    await page.getByTestId('unit-save').click();
    await shows(page.getByTestId('form-error'), '编码已被使用');
    await page.getByTestId('unit-code').fill('LY-KF');
    await page.getByTestId('unit-save').click();
    await page.getByTestId('unit-row-LY-KF').waitFor();
    expect(await page.getByTestId('unit-row-LY-KF').innerText()).toContain('部门');

    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row-admin').waitFor();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-username').fill('liu.yang');
    await page.getByTestId('user-display-name').fill('刘洋');
    await page.getByTestId('user-phone').fill('13903790104');
    await page.getByTestId('user-employee-no').fill('E0006');
    await pick(page, 'user-unit', '客服部');
    await page.getByTestId('grant-add').click();
    await pick(page, 'grant-role-0', '客服专员');
    // The new grant starts in the person's own unit.
    expect(await page.getByTestId('grant-unit-0').innerText()).toContain('客服部');
    await page.getByTestId('user-save').click();

    agentOneTimePassword = await page.getByTestId('one-time-secret').innerText();
    expect(agentOneTimePassword).toMatch(/^\S{12,}$/);
    await page.getByText('此密码只显示这一次').waitFor();
    await page.getByTestId('secret-close').click();
    await page.getByTestId('one-time-secret').waitFor({ state: 'detached' });

    const row = page.getByTestId('user-row-liu.yang');
    await shows(row, '客服专员 · 客服部');
    expect(await row.innerText()).toContain('待改密');
    await page.screenshot({ path: '/tmp/kefu-users-zh.png', fullPage: true });
  });

  it('lets the agent in only after a password change, and shows an agent only what an agent may use', async () => {
    const { context, page } = await h.newPage();
    try {
      await page.goto('/');
      await signIn(page, 'liu.yang', agentOneTimePassword);
      await page.waitForURL('**/change-password');
      await changePassword(page, agentOneTimePassword, AGENT_PASSWORD);
      await page.getByTestId('home-page').waitFor();
      expect(await page.getByTestId('page-title').innerText()).toBe('您好，刘洋');
      expect(await texts(page.locator('[data-testid^="nav-"]'))).toEqual(['工作台', '工单', '登记工单', '回访', '客户档案', '申请查阅', '部门转派', '组织架构']);

      // The agent's org:read covers the department where the role was granted, nothing above it.
      await page.getByTestId('nav-org').click();
      await page.getByTestId('unit-row-LY-KF').waitFor();
      expect(await page.getByTestId('unit-row-HQ').count()).toBe(0);
      expect(await page.getByTestId('unit-add-child').count()).toBe(0);

      await page.goto('/users');
      await page.getByTestId('forbidden').waitFor();
      expect(await page.getByTestId('forbidden').innerText()).toBe('无权访问');
      await page.goto('/audit');
      await page.getByTestId('forbidden').waitFor();
    } finally {
      await context.close();
    }
  });

  it('creates a custom role, changes its permissions, and deletes it', async () => {
    const { page } = admin;
    await page.getByTestId('nav-roles').click();
    await page.getByTestId('role-row-agent').waitFor();
    await page.getByTestId('role-create').click();
    await page.getByTestId('role-key').fill('night_auditor');
    await page.getByTestId('role-name-zh').fill('夜审员');
    await page.getByTestId('role-name-en').fill('Night auditor');
    await page.getByTestId('perm-ticket:read').click();
    await page.getByTestId('perm-report:read').click();
    await page.getByTestId('role-save').click();
    await toast(page, '角色已创建');
    const row = page.getByTestId('role-row-night_auditor');
    await shows(row, '夜审员');
    expect(await row.getByTestId('role-permission-count').innerText()).toBe('2 项');

    await row.getByTestId('role-edit').click();
    await page.getByTestId('perm-audit:read').click();
    await page.getByTestId('role-description').fill('夜班审核，查看工单与报表');
    await page.getByTestId('role-save').click();
    await toast(page, '角色已更新');
    await poll(() => row.getByTestId('role-permission-count').innerText()).toBe('3 项');

    // Built-in roles cannot be deleted; the custom one can.
    expect(await page.getByTestId('role-row-agent').getByTestId('role-delete').count()).toBe(0);
    await row.getByTestId('role-delete').click();
    await confirm(page);
    await toast(page, '角色已删除');
    await row.waitFor({ state: 'detached' });
  });

  it('creates an API token, shows it once, and revokes it', async () => {
    const { page } = admin;
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-tokens').click();
    await page.getByTestId('tokens-page').waitFor();
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('CRM 对接');
    await page.getByTestId('token-create-submit').click();
    const token = await page.getByTestId('one-time-secret').innerText();
    expect(token).toMatch(/^kefu_/);
    await page.getByText('关闭此窗口后将无法再次查看').waitFor();
    await page.getByTestId('secret-close').click();

    const bearer = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${h.baseUrl}/api/auth/me`, bearer)).status).toBe(200);

    const row = page.locator('tr', { hasText: 'CRM 对接' });
    expect(await row.getByTestId('token-status').innerText()).toBe('有效');
    expect(await row.innerText()).toContain(token.slice(0, 11));
    await row.getByTestId('token-revoke').click();
    await confirm(page);
    await toast(page, '令牌已撤销');
    await poll(() => row.getByTestId('token-status').innerText()).toBe('已撤销');
    expect(await row.getByTestId('token-revoke').count()).toBe(0);
    expect((await fetch(`${h.baseUrl}/api/auth/me`, bearer)).status).toBe(401);
  });

  it('shows those actions in the audit trail, filters by action, expands changes, and verifies the chain', async () => {
    const { page } = admin;
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row-api_token.revoke').waitFor();
    for (const action of ['user.create', 'org_unit.create', 'role.create', 'role.update', 'role.delete', 'session.login', 'user.change_password']) {
      expect(await page.getByTestId(`audit-row-${action}`).count(), action).toBeGreaterThan(0);
    }

    await pick(page, 'audit-action-filter', '创建员工');
    await poll(async () => [...new Set(await page.getByTestId('audit-action').allInnerTexts())]).toEqual(['创建员工']);
    const created = page.getByTestId('audit-row-user.create').filter({ hasText: '刘洋' });
    await created.click();
    const changes = page.getByTestId('audit-changes');
    await poll(() => changes.getByTestId('change-to').allInnerTexts()).toEqual(expect.arrayContaining(['刘洋', 'liu.yang', '13903790104', '客服部', '客服专员 · 客服部']));

    await pick(page, 'audit-action-filter', '修改角色');
    await page.getByTestId('audit-row-role.update').first().click();
    const roleChange = page.getByTestId('audit-changes').last();
    await shows(roleChange, '查看审计日志');
    expect(await roleChange.getByTestId('change-from').allInnerTexts()).toEqual(expect.arrayContaining(['查看报表、查看工单']));

    await page.getByTestId('audit-verify').click();
    await poll(() => page.getByTestId('verify-result').innerText()).toMatch(/审计链完整：已校验 \d+ 条记录/);
  });

  it('switches to English, keeps it after a reload, and signs in again in English', async () => {
    const { page } = admin;
    await page.getByTestId('lang-switch').click();
    await poll(() => page.getByTestId('nav-users').innerText()).toBe('Users');
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row-liu.yang').waitFor();
    expect(await page.getByTestId('page-title').innerText()).toBe('Users');
    expect(await page.locator('th', { hasText: 'Name' }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('user-row-liu.yang').innerText()).toContain('Agent · 客服部');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.screenshot({ path: '/tmp/kefu-users-en.png', fullPage: true });

    await page.reload();
    await page.getByTestId('user-row-liu.yang').waitFor();
    expect(await page.getByTestId('page-title').innerText()).toBe('Users');
    expect(await texts(page.locator('[data-testid^="nav-"]'))).toEqual(['Home', 'Work orders', 'New work order', 'Callbacks', 'Customer files', 'Reading log', 'Access requests', 'Customer care', 'Re-verification', 'File destruction', 'Department hand-offs', 'Compensation approvals', 'Corrective actions', 'Routing rules', 'Time limits', 'Working calendars', 'SLA report', 'Satisfaction surveys', 'Work-order settings', 'Organisation', 'Users', 'Roles', 'Audit trail', 'Background jobs']);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    await page.waitForURL('**/login');
    expect(await page.getByTestId('page-title').innerText()).toBe('Sign in');
    expect(await page.getByTestId('login-submit').innerText()).toBe('Sign in');

    await signIn(page, 'admin', 'not-the-password');
    await shows(page.getByTestId('form-error'), 'Wrong username or password');

    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('page-title').innerText()).toBe('Hello, 系统管理员');
  });
});

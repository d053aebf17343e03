import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServed, type ServedConsole } from './harness.ts';
import { poll, signIn, toast } from './ui.ts';

/**
 * 通知设置 in the console: from the user menu a person gives their address and turns e-mail off for
 * escalations (in-app stays on and cannot be switched off); the jobs page shows the e-mail outbox
 * and says SMTP is not configured.
 */
const ADMIN_PASSWORD = 'Notify-console-admin-2026';

describe('notification settings page', () => {
  let served: ServedConsole;

  beforeAll(async () => {
    served = await startServed('notify', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('a person turns e-mail off for escalations and gives their address (zh-CN)', async () => {
    const { db } = served;
    const { context, page } = await served.newPage();
    await page.goto('/');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-notification-prefs').click();
    await page.getByTestId('notification-prefs-page').waitFor();
    expect(await page.getByTestId('page-title').innerText()).toBe('通知设置');
    await poll(() => page.getByTestId('pref-email-escalation').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('pref-inapp-escalation').isDisabled()).toBe(true);
    expect(await page.getByTestId('pref-email-assigned').getAttribute('aria-checked')).toBe('false');

    await page.getByTestId('pref-address').fill('admin@example.test');
    await page.getByTestId('pref-email-escalation').click();
    await page.getByTestId('pref-save').click();
    await toast(page, '通知设置已保存');

    const admin = await db.db.selectFrom('users').select(['id', 'email']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(admin.email).toBe('admin@example.test');
    const rows = await db.db.selectFrom('notification_preferences').selectAll().where('user_id', '=', admin.id).execute();
    expect(rows).toEqual([{ user_id: admin.id, kind: 'escalation', in_app: 1, email: 0 }]);
    // As saved after a reload.
    await page.reload();
    await poll(() => page.getByTestId('pref-email-escalation').getAttribute('aria-checked')).toBe('false');
    expect(await page.getByTestId('pref-address').inputValue()).toBe('admin@example.test');

    // The administrator's outbox on the jobs page, with SMTP not configured.
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('email-outbox').waitFor();
    await page.getByTestId('outbox-smtp-missing').waitFor();
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { systemClock } from '../../src/server/platform/clock.ts';
import { enqueue } from '../../src/server/modules/jobs/jobs.ts';
import { startServed, type ServedConsole } from './harness.ts';
import { poll, signIn, toast } from './ui.ts';

/**
 * 后台任务 in the console: an administrator sees the counts, a failed job with its error, retries it;
 * someone without system:jobs has no menu entry and no page.
 */
const ADMIN_PASSWORD = 'Jobs-console-admin-2026';

describe('background jobs page', () => {
  let served: ServedConsole;
  let db: DatabaseHandle;
  let failedId: string;

  beforeAll(async () => {
    served = await startServed('jobs', ADMIN_PASSWORD);
    db = served.db;
    // A kind nobody handles fails at once (one attempt); a future one waits queued.
    failedId = (await db.db.transaction().execute((trx) => enqueue(trx, { clock: systemClock }, { kind: 'report.nightly', payload: { day: '2026-11-24' }, maxAttempts: 1 }))).id;
    await db.db.transaction().execute((trx) => enqueue(trx, { clock: systemClock }, { kind: 'sla.escalate', payload: { level: 2 }, runAt: new Date(Date.now() + 3600_000) }));
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('shows counts, the failed job’s error, and retries it (zh-CN)', async () => {
    // The served runner has tried it once (it polls every second).
    await poll(async () => (await db.db.selectFrom('jobs').select('status').where('id', '=', failedId).executeTakeFirst())?.status).toBe('failed');
    const { context, page } = await served.newPage();
    await page.goto('/');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('jobs-page').waitFor();
    expect(await page.getByTestId('page-title').innerText()).toBe('后台任务');
    await poll(() => page.getByTestId('job-count-failed').innerText()).toBe('失败: 1');
    await poll(() => page.getByTestId('job-count-queued').innerText()).toBe('排队中: 1');
    const row = page.getByTestId(`job-row-${failedId}`);
    expect(await row.getByTestId('job-kind').innerText()).toBe('report.nightly');
    expect(await row.getByTestId('job-status').innerText()).toBe('失败');
    expect(await row.getByTestId('job-error').innerText()).toContain('no handler registered for kind report.nightly');

    await row.getByTestId('job-retry').click();
    await page.getByTestId('confirm-ok').last().click();
    await toast(page, '任务已重新排队');
    const audit = await db.db.selectFrom('audit_entries').select('action').where('entity_id', '=', failedId).execute();
    expect(audit).toEqual([{ action: 'job.retry' }]);
    await context.close();
  });
});

import BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBranch, addStaff } from './fixtures.ts';
import { apiSession, startServed, type ServedConsole } from './harness.ts';
import { enter, screenshotOnFailure, shows, toast } from './ui.ts';

/**
 * Destruction 销毁 of a 秘密 category-B customer file in the console, in Chinese: the records officer marks
 * it and approves step 1, the service manager approves step 2, the general manager approves the last
 * step; then the served instance's SQLite file, opened read-only, holds none of the personal data while
 * the audit trail keeps the tombstone (customer.destroy) and the erasure (subject.erase).
 */
const ADMIN_PASSWORD = 'Xiaohui-root-secret-2026';
const RECORDS = { username: 'qian.xue', name: '钱雪', initial: 'Qian-xue-first-2026', password: 'Qian-xue-secret-2026' };
const MANAGER = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };
const DIRECTOR = { username: 'zhou.jg', name: '周建国', initial: 'Zhou-jg-first-2026', password: 'Zhou-jg-secret-2026' };
const FILE = { name: '赵丽娟', phone: '13903795566', email: 'zhao.lijuan@example.com', idNumber: '410302199003031122', address: '洛阳市老城区西大街12号', notes: '合作旅行社对接人，偏好电话联系' };
const REASON = '合作已终止满五年，超过档案保管期限';

describe('destroying a customer file with three approvals in the console', () => {
  let served: ServedConsole;
  let shot: Page | undefined;
  let fileId = '';
  let ticketId = '';
  let destructionId = '';

  beforeAll(async () => {
    served = await startServed('destruction', ADMIN_PASSWORD);
    const admin = await apiSession(served.url, 'admin', ADMIN_PASSWORD);
    const { rootId, branchId, departmentIds: [serviceId] } = await addBranch(admin, { name: '洛阳分店', code: 'LY' }, [{ name: '客服部', code: 'LY-KF' }]);
    await addStaff(admin, RECORDS, 'records_officer', serviceId!, branchId);
    await addStaff(admin, MANAGER, 'manager', serviceId!, branchId);
    await addStaff(admin, DIRECTOR, 'director', rootId);
    for (const p of [RECORDS, DIRECTOR]) await apiSession(served.url, p.username, p.initial, p.password);
    const manager = await apiSession(served.url, MANAGER.username, MANAGER.initial, MANAGER.password);
    const file = await manager<{ id: string }>('POST', '/api/customers', {
      orgUnitId: branchId,
      name: FILE.name,
      kind: 'person',
      phone: FILE.phone,
      email: FILE.email,
      category: 'B',
      confidentiality: 'secret',
      address: FILE.address,
      notes: FILE.notes,
      identifiers: [{ kind: 'id_number', value: FILE.idNumber }],
    });
    fileId = file.id;
    const ticket = await manager<{ id: string }>('POST', '/api/tickets', { orgUnitId: serviceId, type: 'inquiry', channel: 'phone', subject: '咨询团队订房协议价', customerId: fileId });
    ticketId = ticket.id;
  });
  afterAll(async () => {
    await served?.stop();
  });
  screenshotOnFailure({ '/tmp/kefu-customer-destruction-failure.png': () => shot });

  /** Signs in as `who`, runs the steps, closes the browser context. */
  const as = async (who: { username: string; password: string }, steps: (page: Page) => Promise<void>) => {
    const { context, page } = await served.newPage();
    shot = page;
    try {
      await enter(page, who);
      await steps(page);
    } finally {
      await context.close();
    }
  };

  /** On the request's page: approves the current step with a comment. */
  const approve = async (page: Page, step: number, comment: string) => {
    const box = page.getByTestId(`destruction-step-${step}`);
    await box.getByTestId('destruction-approve').click();
    await page.getByTestId('destruction-comment').fill(comment);
    await page.getByTestId('destruction-submit').click();
  };

  it('lets the records officer mark the file and approve step 1', async () => {
    await as(RECORDS, async (page) => {
      await page.goto(`/customers/${fileId}`);
      await page.getByTestId('customer-page').waitFor();
      await page.getByTestId('customer-destroy-request').click();
      await page.getByTestId('destruction-request-submit').click();
      await shows(page.locator('.ant-form-item-explain-error').first(), '请填写销毁事由');
      await page.getByTestId('destruction-reason').fill(REASON);
      await page.getByTestId('destruction-request-submit').click();

      await page.getByTestId('destruction-detail-page').waitFor();
      await toast(page, '已提交销毁申请');
      destructionId = page.url().split('/').at(-1)!;
      await shows(page.getByTestId('destruction-status'), '审批中');
      await shows(page.getByTestId('destruction-reason-text'), REASON);
      expect(await page.getByTestId('destruction-step-2').innerText()).toContain('未开始');

      await approve(page, 1, '已核对档案，同意销毁');
      await toast(page, '已批准');
      await shows(page.getByTestId('destruction-step-1'), `批准 · ${RECORDS.name}`);
      await shows(page.getByTestId('destruction-step-2'), '待审批');
      // Step 2 is not the records officer's.
      expect(await page.getByTestId('destruction-approve').count()).toBe(0);
    });
  });

  it('lets the service manager approve step 2 from the list awaiting them', async () => {
    await as(MANAGER, async (page) => {
      await page.getByTestId('nav-customerDestruction').click();
      await page.getByTestId('destruction-page').waitFor();
      expect(await page.getByTestId('page-title').innerText()).toBe('档案销毁');
      const row = page.getByTestId(`destruction-row-${destructionId}`);
      await shows(row, FILE.name);
      expect(await row.innerText()).toContain('客服部经理审批');
      await row.getByTestId('destruction-link').click();
      await page.getByTestId('destruction-detail-page').waitFor();
      await approve(page, 2, '同意');
      await toast(page, '已批准');
      await shows(page.getByTestId('destruction-step-2'), `批准 · ${MANAGER.name}`);
    });
  });

  it('lets the general manager approve the last step, after which the database holds no personal data', async () => {
    const pseudonym = `已销毁客户 #${fileId.slice(0, 8)}`;
    await as(DIRECTOR, async (page) => {
      await page.getByTestId('nav-customerDestruction').click();
      await page.getByTestId('destruction-row-' + destructionId).getByTestId('destruction-link').click();
      await page.getByTestId('destruction-detail-page').waitFor();
      await page.getByTestId('destruction-step-3').getByTestId('destruction-approve').click();
      await shows(page.getByTestId('destruction-final-warning'), '不可恢复');
      await page.getByTestId('destruction-comment').fill('批准销毁');
      await page.getByTestId('destruction-submit').click();
      await toast(page, '已批准，客户档案已销毁');
      await shows(page.getByTestId('destruction-status'), '已销毁');
      await shows(page.getByTestId('destruction-customer'), pseudonym);
      await shows(page.getByTestId('destruction-step-3'), `批准 · ${DIRECTOR.name}`);
      await page.screenshot({ path: '/tmp/kefu-customer-destruction-zh.png', fullPage: true });

      // The file itself is a tombstone now.
      await page.getByTestId('destruction-customer-link').click();
      await page.getByTestId('customer-page').waitFor();
      await shows(page.getByTestId('customer-destroyed'), '已销毁');
      const body = await page.getByTestId('customer-page').innerText();
      expect(body).toContain(pseudonym);
      for (const v of Object.values(FILE)) expect(body).not.toContain(v);
      // Nothing is written into a tombstone: no edit, no archive.
      expect(await page.getByTestId('customer-edit').count()).toBe(0);
      expect(await page.getByTestId('customer-archive').count()).toBe(0);
    });

    // The served instance's database, read-only: personal data nowhere, the tombstone and the erasure kept.
    const sqlite = new BetterSqlite3(served.db.file!, { readonly: true, fileMustExist: true });
    try {
      const row = sqlite.prepare('select name, phone, email, address, notes, destroyed_at from customers where id = ?').get(fileId) as Record<string, string | null>;
      expect(row).toMatchObject({ name: pseudonym, phone: null, email: null, address: null, notes: null });
      expect(row.destroyed_at).not.toBeNull();
      expect(sqlite.prepare('select count(*) as n from customer_identifiers where customer_id = ?').get(fileId)).toEqual({ n: 0 });
      expect(sqlite.prepare('select customer_id, customer_name, customer_phone from tickets where id = ?').get(ticketId)).toEqual({ customer_id: fileId, customer_name: pseudonym, customer_phone: null });
      const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['customers', 'customer_identifiers', 'tickets', 'audit_entries']));
      for (const table of tables) {
        const text = JSON.stringify(sqlite.prepare(`select * from "${table}"`).all());
        for (const v of Object.values(FILE)) expect(text, `${table} holds ${v}`).not.toContain(v);
      }
      const trail = sqlite.prepare('select action, changes from audit_entries where entity_id = ? order by id').all(fileId) as { action: string; changes: string }[];
      expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['customer.create', 'customer.destroy', 'subject.erase']));
      expect(JSON.parse(trail.find((e) => e.action === 'customer.destroy')!.changes)).toMatchObject({ name: { to: pseudonym }, category: { to: 'B' } });
      expect(sqlite.prepare("select count(*) as n from audit_subject_keys where subject_type = 'customer' and subject_id = ?").get(fileId)).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });
});

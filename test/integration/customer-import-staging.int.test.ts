import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/database.ts';
import { newSubjectKey } from '../../src/server/modules/audit/audit.crypto.ts';
import { ERASED, eraseAuditSubject, recordAuditBatch } from '../../src/server/modules/audit/audit.service.ts';
import { importStaging } from '../../src/server/modules/customer-import/customer-import.repository.ts';
import { JobRunner } from '../../src/server/modules/jobs/job.runner.ts';
import { iso } from '../../src/server/platform/clock.ts';
import { newId } from '../../src/server/platform/ids.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { ADMIN_PASSWORD, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * The write pass of an import (perf, issue #5): all-or-nothing stages its writes in temporary tables
 * and applies them in one short transaction; the audit entries of a batch are written by
 * recordAuditBatch. What users rely on: the files and their audit entries are as one-by-one writes
 * would make them (personal values readable, erasable, the chain intact), and a file changed by
 * someone else between the check and the apply rolls the whole import back.
 */

let t: TestApp;
let w: World;
let manager: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t);
  manager = await t.login(w.users.managerA.username);
  admin = await t.login('admin', ADMIN_PASSWORD);
}, 60_000);
afterAll(() => t.close());

async function upload(c: Client, csv: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/customer-imports',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'a.csv', cookie: `kefu_session=${c.cookie}`, 'x-csrf-token': c.csrf! },
    payload: Buffer.from(`\uFEFF${csv}`),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function pass(c: Client, id: string, body: Record<string, unknown>) {
  expect((await c.post(`/api/customer-imports/${id}/run`, body)).statusCode).toBe(202);
  const r = await new JobRunner({ db: t.kefu.db, dialect: t.kefu.dialect, clock: t.clock, log: t.kefu.log, workerId: 'test', random: () => 0 }).runOnce();
  expect(r.done).toBe(1);
  return (await c.get(`/api/customer-imports/${id}`)).json();
}

const fileOf = async (phone: string) => (await manager.get(`/api/customers?q=${phone}`)).json().items[0];
const auditOf = async (id: string, action: string) => (await admin.get(`/api/audit?entityId=${id}&action=${action}`)).json().items;

/** As the service does: PostgreSQL's temporary tables live in one session. */
const within = <T>(fn: (db: Tx) => Promise<T>): Promise<T> => (importStaging.isPostgres(t.kefu.db) ? t.kefu.db.connection().execute(fn) : fn(t.kefu.db));

describe('customer import write pass', () => {
  it('all-or-nothing files and audit entries are as one-by-one writes make them: personal values readable, then erasable; the chain verifies', async () => {
    const id = await upload(manager, '姓名,手机,会员卡号,地址\n冯一,13700000001,C-001,洛阳市涧西区\n陈二,13700000002,C-002,洛阳市老城区\n');
    expect(await pass(manager, id, { mode: 'all', key: 'phone' })).toMatchObject({ status: 'done', created: 2 });
    const feng = await fileOf('13700000001');
    expect(feng).toMatchObject({ name: '冯一', phone: '13700000001' });
    const detail = await manager.get(`/api/customers/${feng.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const ids = detail.json().identifiers;
    expect(ids).toEqual([expect.objectContaining({ kind: 'member_card', value: 'C-001' })]);

    // A changed row through the batch writer of good_rows: an update entry, sealed under the same key.
    const id2 = await upload(manager, '姓名,手机,会员卡号,地址\n冯一,13700000001,C-001,洛阳市西工区\n');
    expect(await pass(manager, id2, { mode: 'good_rows', key: 'phone' })).toMatchObject({ status: 'done', updated: 1 });
    await t.kefu.sealer.flush();
    const raw = await t.kefu.db.selectFrom('audit_entries').select('changes').where('entity_id', '=', feng.id).execute();
    expect(raw.map((r) => r.changes).join()).not.toContain('13700000001'); // sealed at rest
    const created = await auditOf(feng.id, 'customer.create');
    expect(created).toHaveLength(1);
    expect(created[0].changes).toMatchObject({ name: { to: '冯一' }, phone: { to: '13700000001' }, address: { to: '洛阳市涧西区' }, importId: { to: id }, identifiers: { to: ['member_card:*-001'] } });
    expect((await auditOf(feng.id, 'customer.update'))[0].changes.address).toEqual({ from: '洛阳市涧西区', to: '洛阳市西工区' });

    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    await t.kefu.db.transaction().execute((trx) => eraseAuditSubject(trx, ctx, 'customer', feng.id, w.units.branchA.id));
    await t.kefu.sealer.flush();
    expect((await auditOf(feng.id, 'customer.create'))[0].changes.name).toEqual({ to: ERASED });
    expect((await auditOf(feng.id, 'customer.update'))[0].changes.address).toEqual({ from: ERASED, to: ERASED });
    // The other file of the same import keeps its own key.
    const chen = await fileOf('13700000002');
    expect((await auditOf(chen.id, 'customer.create'))[0].changes.name).toEqual({ to: '陈二' });
    expect((await admin.post('/api/audit/verify')).json()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('recordAuditBatch keeps a subject key stored meanwhile by another writer, and seals under it', async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    const subject = newId();
    // Another writer gave the subject its key first; the batch believed it new.
    await t.kefu.db.insertInto('audit_subject_keys').values({ subject_type: 'customer', subject_id: subject, key: newSubjectKey(), created_at: iso(t.clock.now()) }).execute();
    await t.kefu.db.transaction().execute((trx) =>
      recordAuditBatch(trx, ctx, [
        { action: 'customer.create', entityType: 'customer', entityId: subject, orgUnitId: w.units.branchA.id, after: { name: '褚三' }, personal: { subjectType: 'customer', subjectId: subject, fields: ['name'], newSubject: true } },
        { action: 'customer.update', entityType: 'customer', entityId: subject, orgUnitId: w.units.branchA.id, before: { name: '褚三' }, after: { name: '褚叁', vip: true }, personal: { subjectType: 'customer', subjectId: subject, fields: ['name'] } },
      ]),
    );
    await t.kefu.sealer.flush();
    expect((await auditOf(subject, 'customer.create'))[0].changes).toEqual({ name: { to: '褚三' } });
    expect((await auditOf(subject, 'customer.update'))[0].changes).toEqual({ name: { from: '褚三', to: '褚叁' }, vip: { to: true } });
    expect((await admin.post('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('a file changed by someone else between the check and the apply is seen, so the import is rolled back whole', async () => {
    const now = iso(t.clock.now());
    const made = await manager.post('/api/customers', { name: '卫四', phone: '13700000004', orgUnitId: w.units.branchA.id });
    expect(made.statusCode, made.body).toBe(201);
    const existing = made.json();
    await within(async (db) => {
      const st = await importStaging.create(db, newId());
      try {
        const base = { ...(await t.kefu.db.selectFrom('customers').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow()) };
        await importStaging.customers(db, st, [{ ...base, id: newId(), name: '蒋五', phone: '13700000005', version: 1, created_at: now, updated_at: now }]);
        await importStaging.update(db, st, { id: existing.id, version: Number(existing.version), patch: { vip: 1 } });
        expect(await db.transaction().execute((trx) => importStaging.conflicts(trx, st, 'phone'))).toBe(false);

        // Someone creates a file with the staged phone, and changes the staged update's file.
        const rival = await manager.post('/api/customers', { name: '沈六', phone: '13700000005', orgUnitId: w.units.branchA.id });
        expect(rival.statusCode, rival.body).toBe(201);
        expect(await db.transaction().execute((trx) => importStaging.conflicts(trx, st, 'phone'))).toBe(true);
        await t.kefu.db.deleteFrom('customers').where('id', '=', rival.json().id).execute();
        expect(await db.transaction().execute((trx) => importStaging.conflicts(trx, st, 'phone'))).toBe(false);
        expect((await manager.patch(`/api/customers/${existing.id}`, { version: existing.version, notes: '改过' })).statusCode).toBe(200);
        expect(await db.transaction().execute((trx) => importStaging.conflicts(trx, st, 'phone'))).toBe(true);
      } finally {
        await importStaging.drop(db, st);
      }
    });
    expect(Number((await sql<{ n: number }>`select count(*) as n from customers where phone = '13700000005'`.execute(t.kefu.db)).rows[0].n)).toBe(0);
  });
});

import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataCipher, loadDataKey } from '../../src/server/modules/customers/customer.crypto.ts';
import { exportCustomerFiles, exportReadingLog } from '../../src/server/modules/customers/customer-export.service.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { createTestApp, customerRoles, seedWorld, signInEveryRole, type CustomerRole, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Exports of customer files (CSV and XLSX) under confidentiality: the access-control matrix of
 * customer-files.int.test.ts extended to the exports. For every built-in role × every level, the
 * exported row holds exactly what the list and the detail show that role — protected contact values
 * masked, hidden sections empty, ID numbers masked — and not one protected value anywhere in the file.
 * Files outside the scope never appear; formulas are neutralised; a row limit; the reading-log export.
 */
const levels = ['ordinary', 'secret', 'confidential', 'top_secret'] as const;
const roles = customerRoles;
type Role = CustomerRole;

const secrets = (k: number) => ({
  phone: `1391234000${k}`,
  phone2: `1375555000${k}`,
  email: `vip${k}.zhang@example.com`,
  idNumber: `41030219800101123${k}`,
  card: `MD-88000${k}`,
  address: `洛阳市涧西区牡丹路${k}号`,
  notes: `偏好无烟高层客房${k}`,
  needs: `每月商务宴请${k}`,
  creditBasis: `征信报告2026-0${k}`,
});

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

async function parseXlsx(body: Buffer): Promise<{ sheet: string; rows: string[][]; types: ExcelJS.ValueType[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  const types: ExcelJS.ValueType[][] = [];
  ws.eachRow({ includeEmpty: false }, (r) => {
    const cells: string[] = [];
    const t: ExcelJS.ValueType[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = r.getCell(c).value;
      cells.push(v === null || v === undefined ? '' : String(v));
      t.push(r.getCell(c).type);
    }
    rows.push(cells);
    types.push(t);
  });
  return { sheet: ws.name, rows, types };
}

/** A table read back: header → column index, and the rows as records. */
function records(rows: string[][]): Array<Record<string, string>> {
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

interface Exported {
  csv: LightMyRequestResponse;
  xlsx: LightMyRequestResponse;
  csvRows: Array<Record<string, string>>;
  xlsxRows: Array<Record<string, string>>;
  /** Everything in both files, to look for leaks. */
  text: string;
}

async function exportBoth(c: Client, query = ''): Promise<Exported> {
  const csv = await c.get(`/api/customers/export?format=csv${query}`);
  const xlsx = await c.get(`/api/customers/export?format=xlsx${query}`);
  if (csv.statusCode !== 200 || xlsx.statusCode !== 200) return { csv, xlsx, csvRows: [], xlsxRows: [], text: csv.body + xlsx.body };
  const x = await parseXlsx(xlsx.rawPayload);
  return { csv, xlsx, csvRows: records(parseCsv(csv.body.replace(/^\uFEFF/, ''))), xlsxRows: records(x.rows), text: csv.body + '\n' + x.rows.flat().join('\n') };
}

describe('customer export: confidentiality matrix over CSV and XLSX, scope, formulas, row limit, reading log', () => {
  let t: TestApp;
  let w: World;
  const clients = {} as Record<Role, Client>;
  const files = {} as Record<(typeof levels)[number], { id: string }>;
  const exports = new Map<Role, Promise<Exported>>();
  let outside: { id: string };
  let formula: { id: string };
  const exportOf = (role: Role) => {
    if (!exports.has(role)) exports.set(role, exportBoth(clients[role]));
    return exports.get(role)!;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    Object.assign(clients, await signInEveryRole(t, w));
    for (const [k, level] of levels.entries()) {
      const s = secrets(k);
      const res = await clients.director.post('/api/customers', {
        orgUnitId: w.units.branchA.id,
        name: `档案${k}-${level}`,
        phone: s.phone,
        email: s.email,
        tier: 'strategic',
        vip: true,
        kind: 'person',
        gender: 'female',
        birthday: '1980-01-01',
        position: '总经理',
        address: s.address,
        needs: s.needs,
        notes: s.notes,
        ownerId: w.users.managerA.id,
        category: 'A',
        memberLevel: '金卡',
        creditClass: 'AA',
        creditDate: '2026-01-15',
        creditBasis: s.creditBasis,
        tags: ['重要'],
        confidentiality: level,
        identifiers: [
          { kind: 'id_number', value: s.idNumber },
          { kind: 'member_card', value: s.card },
          { kind: 'phone', value: s.phone2 },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      files[level] = res.json();
    }
    const b = await clients.director.post('/api/customers', { orgUnitId: w.units.branchB.id, name: '郑州客户-范围外', phone: '13700009999', tier: 'ordinary' });
    expect(b.statusCode, b.body).toBe(201);
    outside = b.json();
    const f = await clients.director.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '=HYPERLINK("x")', phone: '13600001111', email: '+cmd@example.com', tier: 'ordinary', notes: '@SUM(1,2)' });
    expect(f.statusCode, f.body).toBe(201);
    formula = f.json();
  });
  afterAll(() => t.close());

  const leaks = (text: string, k: number) => Object.values(secrets(k)).filter((v) => text.includes(v));

  for (const role of roles) {
    for (const [k, level] of levels.entries()) {
      const protectedLevel = level !== 'ordinary';
      it(`${role} × ${level}: CSV and XLSX ${role === 'qa_inspector' ? '403' : protectedLevel ? 'masked, hidden sections empty' : 'shown'} — as the list and detail show it`, async () => {
        const e = await exportOf(role);
        if (role === 'qa_inspector') {
          for (const res of [e.csv, e.xlsx]) expect(res.statusCode, res.body).toBe(403);
          expect(leaks(e.text, k)).toEqual([]);
          return;
        }
        expect(e.csv.statusCode, e.csv.body).toBe(200);
        expect(e.xlsx.statusCode).toBe(200);
        const s = secrets(k);
        const id = files[level].id;
        const list = (await clients[role].get(`/api/customers?q=${encodeURIComponent(`档案${k}`)}`)).json().items[0];
        const detail = (await clients[role].get(`/api/customers/${id}`)).json();
        for (const rows of [e.csvRows, e.xlsxRows]) {
          const row = rows.find((r) => r['档案编号'] === id);
          expect(row, `${role} ${level}`).toBeDefined();
          // Exactly what the list and the detail show this role.
          expect(row).toMatchObject({ 客户名称: list.name, 电话: list.phone ?? '', 邮箱: list.email ?? '', 地址: detail.address ?? '', 需求: detail.needs ?? '', 备注: detail.notes ?? '', 信用等级: detail.creditClass ?? '', 评级依据: detail.creditBasis ?? '' });
          expect(row!['证件与会员号']).toBe(detail.identifiers.map((i: { kind: string; value: string }) => `${{ id_number: '身份证号', member_card: '会员卡号', phone: '电话', email: '邮箱' }[i.kind]}: ${i.value}`).join('; '));
          expect(row).toMatchObject({ 客户等级: '战略客户', VIP: '是', 客户分类: 'A 公司客户', 职务: '总经理', 客户经理: '王经理', 标签: '重要', 所属单位: '洛阳分店' });
          if (protectedLevel) {
            expect(row).toMatchObject({ 电话: `139****000${k}`, 邮箱: 'v***@example.com', 地址: '', 需求: '', 备注: '', 信用等级: '', 评级日期: '', 评级依据: '', '受保护（未导出）': '证件与会员号、联系方式、信用、需求与备注' });
            expect(row!['密级']).toBe({ secret: '秘密', confidential: '机密', top_secret: '绝密' }[level]);
          } else {
            expect(row).toMatchObject({ 电话: s.phone, 邮箱: s.email, 地址: s.address, 备注: s.notes, 需求: s.needs, 信用等级: 'AA', 评级依据: s.creditBasis, 密级: '普通' });
            expect(row!['证件与会员号']).toBe(`身份证号: 4103**********123${k}; 会员卡号: ${s.card}; 电话: ${s.phone2}`);
          }
        }
        // Not one protected value anywhere in either file; the ID number never (masked on every file until opened).
        if (protectedLevel) expect(leaks(e.text, k)).toEqual([]);
        expect(e.text).not.toContain(s.idNumber);
      });
    }
  }

  it('answers files with the right headers: CSV in UTF-8 with a BOM, XLSX, attachment names, Chinese or English columns', async () => {
    const e = await exportOf('manager');
    expect(e.csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(e.csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(e.csv.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''%E5%AE%A2%E6%88%B7%E6%A1%A3%E6%A1%88_\d{8}-\d{4}\.csv$/);
    expect(e.csv.headers['cache-control']).toBe('private, no-store');
    expect(e.xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(e.xlsx.headers['content-disposition']).toContain('.xlsx');
    expect((await parseXlsx(e.xlsx.rawPayload)).sheet).toBe('客户档案');
    expect(e.csvRows).toHaveLength(5);
    expect(e.xlsxRows.map((r) => r['客户名称'])).toEqual(e.csvRows.map((r) => r['客户名称']));

    const en = await t.login('manager.a', undefined, 'en');
    const res = await en.get('/api/customers/export?format=csv');
    const [head, ...rows] = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(head.slice(0, 7)).toEqual(['Name', 'Kind', 'Category', 'Tier', 'VIP', 'Member level', 'Phone']);
    expect(rows.find((r) => r.includes(files.secret.id))).toContain('139****0001');
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''customer-files_\d{8}-\d{4}\.csv$/);
  });

  it('follows the list filters, and a customer outside the scope never appears', async () => {
    for (const role of roles.filter((r) => r !== 'qa_inspector' && r !== 'director')) {
      const e = await exportOf(role);
      expect(e.text, role).not.toContain('郑州客户-范围外');
      expect(e.text, role).not.toContain(outside.id);
    }
    expect((await exportOf('director')).csvRows.map((r) => r['客户名称'])).toContain('郑州客户-范围外');
    const b = await exportBoth(await t.login('manager.b'));
    expect(b.csvRows.map((r) => r['客户名称'])).toEqual(['郑州客户-范围外']);
    expect(b.xlsxRows.map((r) => r['客户名称'])).toEqual(['郑州客户-范围外']);

    const filtered = await exportBoth(clients.manager, `&q=${encodeURIComponent('档案2')}`);
    expect(filtered.csvRows.map((r) => r['档案编号'])).toEqual([files.confidential.id]);
    const byPhone = await exportBoth(clients.agent, '&phone=137555');
    expect(byPhone.xlsxRows.map((r) => r['档案编号']).sort()).toEqual(Object.values(files).map((f) => f.id).sort());
    expect((await clients.manager.get('/api/customers/export?format=csv&archived=true')).body.trim().split('\r\n')).toHaveLength(1);
    for (const bad of ['format=pdf', 'format=csv&limit=5', 'format=csv&phone=13', 'format=csv&q=' + 'x'.repeat(65)]) {
      expect((await clients.manager.get(`/api/customers/export?${bad}`)).statusCode, bad).toBe(400);
    }
    expect((await t.anonymous().get('/api/customers/export')).statusCode).toBe(401);
  });

  it("pages a phone search across the files' own phones and their phone identifiers in name order, as one list (the lookup and the export share it)", async () => {
    const m = clients.manager;
    for (const [name, body] of [['阿甲-电话', { phone: '13755557771' }], ['阿乙-证件电话', { identifiers: [{ kind: 'phone', value: '13755558882' }] }], ['阿丙-归档', { phone: '13755559993' }]] as const) {
      const res = await m.post('/api/customers', { orgUnitId: w.units.branchA.id, name, tier: 'ordinary', ...body });
      expect(res.statusCode, res.body).toBe(201);
      if (name === '阿丙-归档') expect((await m.post(`/api/customers/${res.json().id}/archive`, { version: 1 })).statusCode).toBe(200);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = (await m.get(`/api/customers?phone=1375555&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
      seen.push(...page.items.map((c: { name: string }) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = ['阿甲-电话', '阿乙-证件电话', ...levels.map((l, k) => `档案${k}-${l}`)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(seen).toEqual(expected);
    expect((await m.get('/api/customers?phone=1375555&archived=true')).json().items.map((c: { name: string }) => c.name)).toEqual(['阿丙-归档']);
    expect((await m.get('/api/customers/lookup?phone=1375555')).json().customers.map((c: { name: string }) => c.name)).toEqual([...expected.slice(0, 2), '阿丙-归档', ...expected.slice(2)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, 10));
    expect((await m.get('/api/customers?q=13755558882')).json().items.map((c: { name: string }) => c.name)).toEqual(['阿乙-证件电话']);
  });

  it('neutralises formulas: a name =HYPERLINK("x") comes out as text with a leading apostrophe', async () => {
    const e = await exportOf('agent');
    for (const rows of [e.csvRows, e.xlsxRows]) {
      const row = rows.find((r) => r['档案编号'] === formula.id)!;
      expect(row).toMatchObject({ 客户名称: `'=HYPERLINK("x")`, 邮箱: "'+cmd@example.com", 备注: "'@SUM(1,2)" });
    }
    const x = await parseXlsx(e.xlsx.rawPayload);
    const r = x.rows.findIndex((row) => row.includes(formula.id));
    expect(x.types[r].every((type) => type === ExcelJS.ValueType.String)).toBe(true);
  });

  it('opens nothing (no reading record) and writes one audit entry with the filters used and the count, no personal values', async () => {
    const readings = async () => (await clients.director.get('/api/customer-reading-log?limit=200')).json().items.length;
    const before = await readings();
    await exportBoth(clients.director, `&q=${encodeURIComponent('档案3')}`);
    expect(await readings()).toBe(before);
    const entries = await t.kefu.db.selectFrom('audit_entries').selectAll().where('action', '=', 'customer.export').where('actor_id', '=', w.users.director.id).orderBy('id').execute();
    // The two just written (CSV, XLSX); ids made in the same test-clock millisecond do not sort by time.
    const mine = entries.filter((e) => e.changes.includes('"q"'));
    expect(mine.map((e) => JSON.parse(e.changes)).sort((a, b) => a.format.to.localeCompare(b.format.to))).toEqual(
      ['csv', 'xlsx'].map((format) => ({ format: { to: format }, filters: { to: ['archived', 'q'] }, archived: { to: 'false' }, rows: { to: 1 } })),
    );
    for (const e of mine) {
      expect(e.changes).not.toContain('档案3');
      expect(e.entity_type).toBe('report');
    }
  });

  it('refuses more rows than the limit, asking to narrow the filter, and hands out nothing', async () => {
    const ctx = { ...systemCtx(t.db.handle, t.clock, t.kefu.log) };
    const deps = { cipher: dataCipher(loadDataKey(t.kefu.config.dataKey)) };
    const count = async () => (await t.kefu.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'customer.export').executeTakeFirstOrThrow()).n;
    const rows = (await t.kefu.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('archived_at', 'is', null).executeTakeFirstOrThrow()).n;
    const n = Number(rows);
    expect(n).toBeGreaterThan(5);
    const before = Number(await count());
    await expect(exportCustomerFiles(ctx, deps, { format: 'csv', archived: 'false' }, n - 1)).rejects.toMatchObject({ code: 'CUSTOMER_EXPORT_TOO_LARGE', status: 422 });
    await expect(exportCustomerFiles(ctx, deps, { format: 'xlsx', archived: 'false' }, n - 1)).rejects.toMatchObject({ code: 'CUSTOMER_EXPORT_TOO_LARGE' });
    expect(Number(await count())).toBe(before);
    const exact = await exportCustomerFiles(ctx, deps, { format: 'csv', archived: 'false' }, n);
    expect(parseCsv(exact.body.toString('utf8').replace(/^\uFEFF/, ''))).toHaveLength(n + 1);
    expect(Number(await count())).toBe(before + 1);
  });

  it('exports the reading log for those who may read it, filtered, in their scope', async () => {
    const open = await clients.manager.post(`/api/customers/${files.confidential.id}/open`, { reason: '=核对投诉背景' });
    expect(open.statusCode, open.body).toBe(200);
    await clients.director.post(`/api/customers/${files.top_secret.id}/open`, { reason: '年度审查' });
    const csv = await clients.manager.get(`/api/customer-readings/export?format=csv&customerId=${files.confidential.id}`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain("filename*=UTF-8''%E5%80%9F%E9%98%85%E8%AE%B0%E5%BD%95_");
    const rows = records(parseCsv(csv.body.replace(/^\uFEFF/, '')));
    expect(rows).toEqual([
      { 查阅时间: t.clock.now().toISOString(), 客户: '档案2-confidential', 所属单位: '洛阳分店', 查阅人: '王经理', 密级: '机密', 查阅内容: '证件与会员号、联系方式、信用、需求与备注', 事由: "'=核对投诉背景", 档案编号: files.confidential.id },
    ]);
    const xlsx = await clients.supervisor.get('/api/customer-readings/export?format=xlsx'); // audit:read
    expect(xlsx.statusCode).toBe(200);
    const x = await parseXlsx(xlsx.rawPayload);
    expect(x.sheet).toBe('借阅记录');
    expect(records(x.rows).map((r) => r['事由']).sort()).toEqual(["'=核对投诉背景", '年度审查']);
    for (const r of ['agent', 'shift_lead', 'qa_inspector'] as const) expect((await clients[r].get('/api/customer-readings/export?format=csv')).statusCode).toBe(403);
    expect(parseCsv((await (await t.login('manager.b')).get('/api/customer-readings/export?format=csv')).body)).toHaveLength(1);
    expect((await clients.manager.get('/api/customer-readings/export?format=csv&from=yesterday')).statusCode).toBe(400);
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    await expect(exportReadingLog(ctx, { format: 'xlsx' }, 1)).rejects.toMatchObject({ code: 'CUSTOMER_EXPORT_TOO_LARGE' });
    const audit = await t.kefu.db.selectFrom('audit_entries').select('changes').where('action', '=', 'customer.reading_log_export').execute();
    expect(audit.map((a) => JSON.parse(a.changes).rows.to)).toContain(1);
  });
});

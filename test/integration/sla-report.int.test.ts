import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlaBreach, SlaReport } from '../../src/contracts/reports.ts';
import type { Ticket } from '../../src/contracts/tickets.ts';
import { slaReportXlsx } from '../../src/server/modules/reports/sla-report.service.ts';
import { sweepSla } from '../../src/server/modules/sla/sla.sweep.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

const sh = (local: string) => new Date(`${local}+08:00`).toISOString();
const NOV = 'from=2026-11-01&to=2026-11-30';

/**
 * 服务时限报表: orders with known outcomes (met, breached and resolved late, breached and still
 * open, not yet due) on the China working calendar (09:00–18:00), a 4-working-hour resolution
 * limit in both branches; the numbers per group, the breaches with their cause, scope, and the XLSX.
 */
describe('service-time report', () => {
  let t: TestApp;
  let w: World;
  let agent: Client;
  let agentB: Client;
  let director: Client;
  const ids: Record<'met' | 'late' | 'open' | 'fresh' | 'metB', Ticket> = {} as never;

  const at = async (local: string) => {
    t.clock.set(sh(local));
    agent = await t.login('agent.a');
    agentB = await t.login('agent.b');
    director = await t.login('director');
  };
  const register = async (c: Client, extra: Record<string, unknown> = {}, sample: (typeof workOrders)[keyof typeof workOrders] = workOrders.shower): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, sample, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const move = async (c: Client, id: string, to: string): Promise<void> => {
    const tk: Ticket = (await c.get(`/api/tickets/${id}`)).json();
    const res = await c.post(`/api/tickets/${id}/transitions`, { to, version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
  };
  const take = async (c: Client, id: string): Promise<void> => {
    const tk: Ticket = (await c.get(`/api/tickets/${id}`)).json();
    expect((await c.post(`/api/tickets/${id}/take`, { version: tk.version })).statusCode).toBe(200);
    await move(c, id, 'in_progress');
  };
  const sweep = () => sweepSla(t.kefu.db, t.kefu.dialect, t.clock, t.kefu.log);
  const report = async (c: Client, query: string): Promise<SlaReport> => {
    const res = await c.get(`/api/reports/sla?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const counts = (r: SlaReport) => r.rows.map((x) => [x.label, x.total, x.met, x.breached, x.complianceRate]);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await at('2026-11-02T08:00:00'); // a Monday
    const manager = await t.login('manager.a');
    const managerB = await t.login('manager.b');
    for (const [c, unit] of [[manager, w.units.branchA.id], [managerB, w.units.branchB.id]] as const) {
      const res = await c.post('/api/sla-policies', { orgUnitId: unit, name: '四小时解决', targets: { resolution: { minutes: 240 } } });
      expect(res.statusCode, res.body).toBe(201);
    }
    await at('2026-11-02T09:00:00');
    ids.met = await register(agent);
    ids.late = await register(agent, { subject: '=1+2 客人要求全额退款' }); // never assigned until after its limit
    ids.metB = await register(agentB);
    await take(agent, ids.met.id);
    await take(agentB, ids.metB.id);
    await at('2026-11-02T09:30:00');
    ids.open = await register(agent, {}, workOrders.lamp);
    await take(agent, ids.open.id);
    await at('2026-11-02T10:00:00');
    await move(agentB, ids.metB.id, 'resolved'); // 60 min
    await at('2026-11-02T11:00:00');
    await move(agent, ids.met.id, 'resolved'); // 120 min
    await at('2026-11-02T13:00:00');
    await sweep(); // the limit of `late` passes while it is still new (新建)
    await at('2026-11-02T13:30:00');
    await sweep(); // the limit of `open` passes while it is in progress (处理中)
    await at('2026-11-03T10:00:00');
    await take(agent, ids.late.id);
    await move(agent, ids.late.id, 'resolved'); // 9 h + 1 h = 600 working minutes: 360 late
    await at('2026-11-04T09:00:00');
    ids.fresh = await register(agent); // still in time at 10:00: counts nowhere
    await at('2026-11-04T10:00:00');
  });
  afterAll(() => t.close());

  it('counts met and breached targets per branch, department, type and period, with the total', async () => {
    let r = await report(director, `${NOV}&groupBy=branch`);
    expect(r.timeZone).toBe('Asia/Shanghai');
    expect(counts(r)).toEqual([
      ['洛阳分店', 3, 1, 2, 0.3333],
      ['郑州分店', 1, 1, 0, 1],
    ]);
    // Stopped targets only: (120 + 600) / 2; the open breach has no final time yet.
    expect(r.rows.map((x) => x.avgUsedMinutes)).toEqual([360, 60]);
    expect(r.total).toEqual({ key: 'total', label: '合计', total: 4, met: 2, breached: 2, complianceRate: 0.5, avgUsedMinutes: 260 });

    r = await report(director, `${NOV}&groupBy=department`);
    expect(counts(r)).toEqual([
      ['洛阳分店 / 客服部', 3, 1, 2, 0.3333],
      ['郑州分店 / 客服部', 1, 1, 0, 1],
    ]);
    expect(r.rows[0].key).toBe(w.units.deptA.id);

    r = await report(director, `${NOV}&groupBy=type`);
    expect(counts(r)).toEqual([
      ['投诉', 3, 2, 1, 0.6667],
      ['报修', 1, 0, 1, 0],
    ]);

    r = await report(director, `${NOV}&groupBy=week`);
    expect(r.rows.map((x) => [x.key, x.label, x.total])).toEqual([
      ['2026-10-26', '2026-11-01 ~ 2026-11-01', 0],
      ['2026-11-02', '2026-11-02 ~ 2026-11-08', 4],
      ['2026-11-09', '2026-11-09 ~ 2026-11-15', 0],
      ['2026-11-16', '2026-11-16 ~ 2026-11-22', 0],
      ['2026-11-23', '2026-11-23 ~ 2026-11-29', 0],
      ['2026-11-30', '2026-11-30 ~ 2026-11-30', 0],
    ]);
    expect(r.rows[0].complianceRate).toBeNull();

    r = await report(director, 'from=2026-10-01&to=2026-12-31&groupBy=month');
    expect(r.rows.map((x) => [x.key, x.total, x.met, x.breached])).toEqual([
      ['2026-10', 0, 0, 0],
      ['2026-11', 4, 2, 2],
      ['2026-12', 0, 0, 0],
    ]);

    // Local days: 2026-11-02 00:00 in Shanghai is 11-01 16:00 UTC, so a one-day period holds all four.
    expect((await report(director, 'from=2026-11-02&to=2026-11-02')).total.total).toBe(4);
    expect((await report(director, 'from=2026-11-03&to=2026-11-30')).total.total).toBe(0);
    // Filters: type, unit, and the other target (no policy sets one).
    expect((await report(director, `${NOV}&type=repair`)).total).toMatchObject({ total: 1, breached: 1 });
    expect((await report(director, `${NOV}&orgUnitId=${w.units.branchB.id}`)).total).toMatchObject({ total: 1, met: 1 });
    expect((await report(director, `${NOV}&orgUnitId=${w.units.deptA.id}`)).total).toMatchObject({ total: 3, met: 1 });
    expect((await report(director, `${NOV}&target=firstResponse`)).total).toMatchObject({ total: 0, complianceRate: null });
  });

  it('labels groups in the request’s language', async () => {
    const en = await t.login('director', undefined, 'en');
    const r = await report(en, `${NOV}&groupBy=type`);
    expect(r.rows.map((x) => x.label)).toEqual(['Complaint', 'Repair']);
    expect(r.total.label).toBe('Total');
  });

  it('lists the breaches with their cause and how late, keyset paged', async () => {
    const first = await director.get(`/api/reports/sla/breaches?${NOV}&limit=1`);
    expect(first.statusCode, first.body).toBe(200);
    const p1 = first.json() as { items: SlaBreach[]; nextCursor: string | null };
    expect(p1.items).toHaveLength(1);
    expect(p1.items[0]).toMatchObject({
      ticketId: ids.late.id,
      number: ids.late.number,
      subject: '=1+2 客人要求全额退款',
      type: 'complaint',
      typeLabel: '投诉',
      departmentName: '客服部',
      branchName: '洛阳分店',
      target: 'resolution',
      breachedAt: sh('2026-11-02T13:00:00'),
      lateMinutes: 360,
      open: false,
      cause: 'new',
      causeLabel: '新建',
    });
    const p2 = (await director.get(`/api/reports/sla/breaches?${NOV}&limit=1&cursor=${p1.nextCursor}`)).json() as { items: SlaBreach[]; nextCursor: string | null };
    // Still open at Wed 10:00: 8.5 + 9 + 1 working hours used = 1110 min, 870 beyond the limit.
    expect(p2.items.map((b) => [b.number, b.cause, b.causeLabel, b.lateMinutes, b.open, b.breachedAt])).toEqual([
      [ids.open.number, 'in_progress', '处理中', 870, true, sh('2026-11-02T13:30:00')],
    ]);
    expect(p2.nextCursor).toBeNull();
    expect((await director.get(`/api/reports/sla/breaches?${NOV}&cursor=bm9wZQ`)).statusCode).toBe(400);
  });

  it('shows only orders in the reader’s report scope; no permission is 403', async () => {
    const managerA = await t.login('manager.a');
    expect(counts(await report(managerA, `${NOV}&groupBy=branch`))).toEqual([['洛阳分店', 3, 1, 2, 0.3333]]);
    const managerB = await t.login('manager.b');
    expect(counts(await report(managerB, `${NOV}&groupBy=branch`))).toEqual([['郑州分店', 1, 1, 0, 1]]);
    expect(((await managerB.get(`/api/reports/sla/breaches?${NOV}`)).json() as { items: unknown[] }).items).toEqual([]);
    expect((await managerB.get(`/api/reports/sla?${NOV}&orgUnitId=${w.units.branchA.id}`)).statusCode).toBe(404);
    expect((await managerB.get(`/api/reports/sla.xlsx?${NOV}&orgUnitId=${w.units.branchA.id}`)).statusCode).toBe(404);
    for (const url of [`/api/reports/sla?${NOV}`, `/api/reports/sla/breaches?${NOV}`, `/api/reports/sla.xlsx?${NOV}`]) {
      expect((await agent.get(url)).statusCode).toBe(403);
      expect((await t.anonymous().get(url)).statusCode).toBe(401);
    }
  });

  it('refuses bad periods and unknown parameters with 400', async () => {
    for (const q of [
      'from=2026-11-30&to=2026-11-01',
      'from=2025-01-01&to=2026-01-02', // 367 days
      'from=2026-02-30&to=2026-03-01',
      'from=2026-11&to=2026-11-30',
      'to=2026-11-30',
      `${NOV}&groupBy=year`,
      `${NOV}&target=callback`,
      `${NOV}&orgUnitId=x`,
      `${NOV}&evil=1`,
    ]) {
      const res = await director.get(`/api/reports/sla?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await director.get('/api/reports/sla?from=2025-12-01&to=2026-11-30')).statusCode).toBe(200); // 365 days
    expect((await director.get('/api/reports/sla/breaches?from=2026-11-30&to=2026-11-01')).statusCode).toBe(400);
    expect((await director.get(`/api/reports/sla/breaches?${NOV}&limit=1000`)).statusCode).toBe(400);
  });

  it('exports the workbook: two sheets, headers, rows, and text that cannot run as a formula', async () => {
    const res = await director.get(`/api/reports/sla.xlsx?${NOV}&groupBy=branch`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_______2026-11-01_2026-11-30.xlsx"; filename*=UTF-8''${encodeURIComponent('服务时限报表_2026-11-01_2026-11-30.xlsx')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总', '超时明细']);
    const values = (s: ExcelJS.Worksheet, n: number) => (s.getRow(n).values as unknown[]).slice(1);
    const summary = wb.getWorksheet('汇总')!;
    expect(values(summary, 1)).toEqual(['分公司/分店', '应达标数', '达标', '超时', '达标率', '平均用时（分钟）']);
    expect(values(summary, 2)).toEqual(['洛阳分店', 3, 1, 2, 0.3333, 360]);
    expect(values(summary, 4)).toEqual(['合计', 4, 2, 2, 0.5, 260]);
    const breaches = wb.getWorksheet('超时明细')!;
    expect(values(breaches, 1)).toEqual(['工单编号', '主题', '类型', '部门', '分公司/分店', '时限', '截止时间', '超时时间', '超时（分钟）', '原因（超时时的状态）', '仍在计时']);
    expect(values(breaches, 2)).toEqual([ids.late.number, "'=1+2 客人要求全额退款", '投诉', '客服部', '洛阳分店', '解决', '2026-11-02 13:00', '2026-11-02 13:00', 360, '新建', '否']);
    expect(breaches.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(breaches.rowCount).toBe(3);

    const en = await t.login('director', undefined, 'en');
    const resEn = await en.get(`/api/reports/sla.xlsx?${NOV}&groupBy=type`);
    expect(resEn.headers['content-disposition']).toContain("filename*=UTF-8''sla-report_2026-11-01_2026-11-30.xlsx");
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(resEn.rawPayload as unknown as ArrayBuffer);
    expect(wbEn.worksheets.map((s) => s.name)).toEqual(['Summary', 'Breaches']);
    expect(values(wbEn.getWorksheet('Summary')!, 1)[0]).toBe('Type');
    expect(values(wbEn.getWorksheet('Breaches')!, 3)).toContain('in progress');
  });

  it('caps the breaches sheet and says so in a last row', async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    const file = await slaReportXlsx(ctx, { from: '2026-11-01', to: '2026-11-30', groupBy: 'department', target: 'resolution' }, 1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('超时明细')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(1).value).toBe(ids.late.number);
    expect(sheet.getRow(3).getCell(1).value).toBe('仅导出前 1 条超时记录，其余未导出；请缩短统计期间。');
  });
});

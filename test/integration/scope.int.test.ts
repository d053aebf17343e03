import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addStaff, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Zammad CVE-2020-10100, FreeScout CVE-2026-40570/41183: one branch reading another's records by id.
 * Every API route is tried by people of branch A against branch B's records: nothing is ever 2xx,
 * records outside scope answer 404.
 */
describe('branch scope across every route', () => {
  let t: TestApp;
  let w: World;
  let bUser: { id: string; version: number };
  let bAuditCount: number;
  let bTicket: { id: string; version: number; number: string };
  let bCallback: { id: string; ticketId: string };
  let bCustomer: { id: string; version: number };
  let bDestruction: { id: string };
  let bNotification: { id: string };
  let bTransfer: { id: string };
  let bRule: { id: string; version: number };
  let bCalendar: { version: number };
  let bCompensation: { id: string };
  let bCapa: { id: string; version: number };
  let bAttachment: { id: string };
  let bField: { id: string; version: number };
  let aCategory: { id: string; version: number };
  let bSavedFilter: { id: string; version: number };
  let bPolicy: { id: string; version: number };
  let bCareRule: { id: string; version: number };
  let bCareTask: { id: string; version: number };
  let bAccessRequest: { id: string; version: number };
  let bSurvey: { id: string; version: number };
  let bInvitation: { id: string };
  let bOrg: { id: string; version: number };
  let bContact: { id: string; version: number };
  let bEvent: { id: string; version: number };
  let bInvitee: { id: string; version: number };
  let bMessage: { id: string };
  let bImport: { id: string };
  const octet = { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('来电记录.txt') };
  const calendarB = { timeZone: 'Asia/Shanghai', week: [[], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-12:00']], extraHolidays: ['2026-12-24'] };
  const icsB = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261226\r\nX-KEFU-KIND:HOLIDAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    const managerB = await t.login('manager.b');
    // Branch B's work: a work order assigned by the manager (which notifies the agent), one awaiting its callback, a customer.
    const agentB = await t.login('agent.b');
    const intake = { type: 'complaint', channel: 'phone', subject: '保险箱打不开证件被锁在里面', description: '保险箱里放着护照和现金，密码输了好几次都打不开。', severity: 2 };
    const created = (await agentB.post('/api/tickets', intake)).json();
    bTicket = (await managerB.post(`/api/tickets/${created.id}/assign`, { assigneeId: w.users.agentB.id, version: created.version })).json();
    let done = (await agentB.post('/api/tickets', { ...intake, subject: '客房小冰箱不制冷', type: 'repair', severity: null })).json();
    done = (await agentB.post(`/api/tickets/${done.id}/take`, { version: done.version })).json();
    done = (await agentB.post(`/api/tickets/${done.id}/transitions`, { to: 'in_progress', version: done.version })).json();
    await agentB.post(`/api/tickets/${done.id}/transitions`, { to: 'resolved', version: done.version });
    bCallback = (await agentB.get('/api/callbacks')).json().items[0];
    bCustomer = (await agentB.post('/api/customers', { name: '郑女士', phone: '13700000000' })).json();
    bNotification = (await agentB.get('/api/notifications')).json().items[0];
    // A transfer to a department of B and a routing rule of B (made last: it would route the orders above).
    const asked = (await agentB.post('/api/tickets', { ...intake, subject: '淋浴水小发黄', type: 'complaint' })).json();
    bTransfer = (await managerB.post(`/api/tickets/${asked.id}/transfers`, { departmentIds: [w.units.deptB.id], reason: '请核实', timeLimitMinutes: 60, version: asked.version })).json().transfers[0];
    bRule = (await managerB.post('/api/routing-rules', { orgUnitId: w.units.branchB.id, name: 'B规则', conditions: { keywords: ['漏水'] }, actions: { departmentId: w.units.deptB.id } })).json();
    // A compensation of B above the limit, waiting for B's manager.
    let big = (await agentB.post('/api/tickets', { ...intake, subject: '空调噪音整夜', type: 'complaint' })).json();
    big = (await agentB.post(`/api/tickets/${big.id}/take`, { version: big.version })).json();
    big = (await agentB.post(`/api/tickets/${big.id}/transitions`, { to: 'in_progress', version: big.version })).json();
    bCompensation = (await agentB.post(`/api/tickets/${big.id}/resolution`, { version: big.version, summary: '退一晚房费', rootCause: 'facility', compensations: [{ kind: 'refund', amount: 688 }] })).json().resolution.compensations[0];
    bCapa = (await managerB.post('/api/capas', { orgUnitId: w.units.branchB.id, title: '保险箱密码重置流程', kind: 'corrective', ownerId: w.users.agentB.id, dueDate: '2026-12-31', ticketIds: [big.id] })).json();
    bAttachment = (await agentB.request('POST', `/api/tickets/${asked.id}/attachments`, '客人来电要求回电', octet)).json();
    bUser = (await managerB.get(`/api/users/${w.users.agentB.id}`)).json();
    bCalendar = (await managerB.put(`/api/org-units/${w.units.deptB.id}/calendar`, calendarB)).json().calendar;
    bField = (await managerB.post('/api/ticket-fields', { orgUnitId: w.units.branchB.id, ticketType: 'praise', key: 'staff_name', labelZh: '表扬对象', labelEn: 'Praised staff', kind: 'text' })).json();
    aCategory = (await managerB.get('/api/ticket-categories')).json()[0]; // the group's tree: only root configurers change it
    bSavedFilter = (await managerB.post('/api/saved-filters', { name: 'B部门筛选', query: { queue: 'department' }, shared: true })).json();
    bPolicy = (await managerB.post('/api/sla-policies', { orgUnitId: w.units.branchB.id, name: 'B时限', targets: { resolution: { minutes: 2880 } } })).json();
    const careB = { name: 'B中秋问候', occasion: 'festival', festival: 'mid_autumn', channel: 'sms', template: '{{name}}，{{festival}}快乐' };
    bCareRule = (await managerB.post('/api/care-rules', { orgUnitId: w.units.branchB.id, ...careB })).json();
    await managerB.post(`/api/care-rules/${bCareRule.id}/generate?year=2026`);
    bCareTask = (await managerB.get('/api/care-tasks')).json()[0];
    const surveyB = { title: 'B满意度调查', questions: [{ kind: 'scale', text: '总体满意度' }] };
    bSurvey = (await managerB.post('/api/surveys', { orgUnitId: w.units.branchB.id, ...surveyB })).json();
    await managerB.post(`/api/surveys/${bSurvey.id}/send`, { channel: 'none' });
    bSurvey = (await managerB.get(`/api/surveys/${bSurvey.id}`)).json();
    bInvitation = (await managerB.get(`/api/surveys/${bSurvey.id}/invitations`)).json()[0];
    bOrg = (await managerB.post('/api/customers', { orgUnitId: w.units.branchB.id, kind: 'organisation', name: '郑州国贸公司' })).json();
    bContact = (await managerB.post(`/api/customers/${bOrg.id}/contacts`, { name: '钱总', phones: ['13711112222'], role: 'decision_maker', keyPerson: true })).json();
    // An event of B with an invitation sent through the outbox (outreach).
    bEvent = (await managerB.post('/api/customer-events', { orgUnitId: w.units.branchB.id, title: 'B沙龙', kind: 'salon', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: '郑州', capacity: 10 })).json();
    await managerB.post(`/api/customer-events/${bEvent.id}/invitees`, { customerIds: [bCustomer.id], channel: 'sms' });
    bInvitee = (await managerB.get(`/api/customer-events/${bEvent.id}`)).json().invitees[0];
    bMessage = (await managerB.get('/api/customer-messages')).json().items[0];
    // An import run of B (uploaded, waiting for its pass).
    bImport = (await managerB.request('POST', '/api/customer-imports', '姓名,手机\n郑一,13500000001\n', { 'content-type': 'application/octet-stream', 'x-file-name': 'b.csv' })).json();
    // An access request 申请查阅 of branch B (made last: surveys go to every customer): agent B asks for a secret file of B.
    const bSecret = (await managerB.post('/api/customers', { orgUnitId: w.units.branchB.id, name: '郑总', confidentiality: 'secret' })).json();
    bAccessRequest = (await agentB.post('/api/customer-access-requests', { customerId: bSecret.id, sections: ['contact'], reason: '核对联系人', days: 3 })).json();
    // A destruction request 销毁申请 of a category B file of branch B, marked by B's records officer.
    await addStaff(t, { username: 'rec.b', displayName: '孙主管', orgUnitId: w.units.deptB.id, roleKey: 'records_officer', grantUnitId: w.units.branchB.id });
    const recB = await t.login('rec.b');
    const bFile = (await recB.post('/api/customers', { name: '卫先生', category: 'B', orgUnitId: w.units.branchB.id })).json();
    bDestruction = (await recB.post('/api/customer-destructions', { customerId: bFile.id, reason: '超过保管期限' })).json();
    await t.kefu.sealer.flush();
    bAuditCount = (await managerB.get('/api/audit?limit=200')).json().items.length;
  });
  afterAll(() => t.close());

  /** Requests that name branch B's records; a body is valid in shape so only scope can refuse it. */
  const attacks = (): [string, string, unknown?, Record<string, string>?][] => [
    ['GET', `/api/users/${w.users.agentB.id}`],
    ['PATCH', `/api/users/${w.users.agentB.id}`, { version: bUser.version, displayName: '被改了' }],
    ['PUT', `/api/users/${w.users.agentB.id}/grants`, { version: bUser.version, grants: [] }],
    ['POST', `/api/users/${w.users.agentB.id}/reset-password`, {}],
    ['POST', '/api/users', { username: 'planted', displayName: '冒名', orgUnitId: w.units.deptB.id, grants: [] }],
    ['GET', `/api/users?orgUnitId=${w.units.deptB.id}`],
    ['GET', `/api/org-units/${w.units.deptB.id}`],
    ['PATCH', `/api/org-units/${w.units.deptB.id}`, { version: 1, name: '被改了' }],
    ['DELETE', `/api/org-units/${w.units.deptB.id}`],
    ['POST', '/api/org-units', { parentId: w.units.branchB.id, kind: 'department', name: '冒名部', code: 'X-1' }],
    ['GET', `/api/tickets/${bTicket.id}`],
    ['PATCH', `/api/tickets/${bTicket.id}`, { version: bTicket.version, subject: '被改了' }],
    ['GET', `/api/tickets/${bTicket.id}/timeline`],
    ['POST', `/api/tickets/${bTicket.id}/transitions`, { to: 'in_progress', version: bTicket.version }],
    ['POST', `/api/tickets/${bTicket.id}/assign`, { assigneeId: w.users.agentB.id, version: bTicket.version }],
    ['POST', `/api/tickets/${bTicket.id}/take`, { version: bTicket.version }],
    ['POST', `/api/tickets/${bTicket.id}/messages`, { kind: 'note', body: '越权备注 @agent.b' }],
    ['POST', '/api/tickets', { type: 'inquiry', channel: 'phone', subject: '冒名登记', orgUnitId: w.units.deptB.id }],
    ['POST', `/api/callbacks/${bCallback.id}/attempt`, { reached: false, note: '无人接听' }],
    ['POST', `/api/callbacks/${bCallback.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '' }],
    ['GET', `/api/customers/${bCustomer.id}`],
    ['GET', `/api/customers/${bCustomer.id}/merge-preview?otherId=${bCustomer.id}`],
    ['POST', `/api/customers/${bCustomer.id}/merge`, { version: bCustomer.version, mergeId: bCustomer.id, mergeVersion: bCustomer.version }],
    ['GET', `/api/customers/${bCustomer.id}/merges`],
    ['POST', '/api/customer-duplicates/dismiss', { customerIds: [bCustomer.id, bCustomer.id] }],
    ['POST', '/api/care-rules', { orgUnitId: w.units.branchB.id, name: '冒名关怀', occasion: 'birthday', channel: 'sms', template: '生日快乐' }],
    ['PUT', `/api/care-rules/${bCareRule.id}`, { version: bCareRule.version, name: '被改了', occasion: 'birthday', channel: 'sms', template: '生日快乐' }],
    ['DELETE', `/api/care-rules/${bCareRule.id}`],
    ['POST', `/api/care-rules/${bCareRule.id}/generate?year=2027`],
    ['POST', `/api/care-tasks/${bCareTask.id}/done`, { version: bCareTask.version }],
    ['POST', `/api/care-tasks/${bCareTask.id}/send`, { version: bCareTask.version }],
    ['POST', '/api/care-tasks/bulk-send', { items: [{ id: bCareTask.id, version: bCareTask.version }] }],
    ['POST', `/api/customer-messages/${bMessage.id}/retry`],
    ['POST', '/api/customer-events', { orgUnitId: w.units.branchB.id, title: '冒名活动', kind: 'other', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: '郑州', capacity: 10 }],
    ['GET', `/api/customer-events/${bEvent.id}`],
    ['PUT', `/api/customer-events/${bEvent.id}`, { version: bEvent.version, title: '被改了', kind: 'other', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: '郑州', capacity: 10 }],
    ['DELETE', `/api/customer-events/${bEvent.id}`],
    ['POST', `/api/customer-events/${bEvent.id}/invitees`, { customerIds: [bCustomer.id], channel: 'none' }],
    ['POST', `/api/customer-events/${bEvent.id}/invitees/${bInvitee.id}/reply`, { version: bInvitee.version, reply: 'accepted' }],
    ['GET', `/api/customer-access-requests/${bAccessRequest.id}`],
    ['POST', `/api/customer-access-requests/${bAccessRequest.id}/approve`, { version: bAccessRequest.version }],
    ['POST', `/api/customer-access-requests/${bAccessRequest.id}/reject`, { version: bAccessRequest.version, note: '越权驳回' }],
    ['POST', `/api/customer-access-requests/${bAccessRequest.id}/withdraw`, { version: bAccessRequest.version }],
    ['POST', `/api/customers/${bCustomer.id}/verification/confirm`, { note: '越权核定' }],
    ['POST', `/api/customers/${bCustomer.id}/verification/correct`, { changes: { version: bCustomer.version, name: '被改了' } }],
    ['GET', `/api/customers/${bCustomer.id}/verifications`],
    ['POST', '/api/surveys', { orgUnitId: w.units.branchB.id, title: '冒名调查', questions: [{ kind: 'text', text: '冒名' }] }],
    ['GET', `/api/surveys/${bSurvey.id}`],
    ['PUT', `/api/surveys/${bSurvey.id}`, { version: bSurvey.version, title: '被改了', questions: [{ kind: 'text', text: '冒名' }] }],
    ['DELETE', `/api/surveys/${bSurvey.id}`],
    ['POST', `/api/surveys/${bSurvey.id}/status`, { version: bSurvey.version, to: 'closed' }],
    ['POST', `/api/surveys/${bSurvey.id}/send`, { channel: 'none' }],
    ['GET', `/api/surveys/${bSurvey.id}/invitations`],
    ['GET', `/api/surveys/${bSurvey.id}/results`],
    ['GET', `/api/customers/${bCustomer.id}/survey-invitations`],
    ['POST', `/api/survey-invitations/${bInvitation.id}/link`],
    ['GET', `/api/survey-invitations/${bInvitation.id}/answers`],
    ['POST', `/api/survey-invitations/${bInvitation.id}/answers`, { answers: [1] }],
    ['POST', '/api/customers', { name: '冒名', orgUnitId: w.units.branchB.id }],
    ['PATCH', `/api/customers/${bCustomer.id}`, { version: bCustomer.version, name: '被改了' }],
    ['POST', `/api/customers/${bCustomer.id}/archive`, { version: bCustomer.version }],
    ['DELETE', `/api/customers/${bCustomer.id}?version=${bCustomer.version}`],
    ['POST', `/api/customer-imports?unitId=${w.units.branchB.id}`, '姓名,手机\n冒名,13500000002\n', { 'content-type': 'application/octet-stream', 'x-file-name': 'x.csv' }],
    ['GET', `/api/customer-imports/${bImport.id}`],
    ['POST', `/api/customer-imports/${bImport.id}/run`, { mode: 'good_rows', key: 'phone' }],
    ['GET', `/api/customer-imports/${bImport.id}/errors`],
    ['GET', `/api/customer-imports/${bImport.id}/errors/csv`],
    ['POST', `/api/customers/${bCustomer.id}/open`, { reason: '越权借阅' }],
    ['POST', '/api/customer-destructions', { customerId: bCustomer.id, reason: '越权销毁' }],
    ['GET', `/api/customer-destructions/${bDestruction.id}`],
    ['POST', `/api/customer-destructions/${bDestruction.id}/decisions`, { step: 2, decision: 'approve' }],
    ['GET', `/api/customers/${bOrg.id}/contacts`],
    ['POST', `/api/customers/${bOrg.id}/contacts`, { name: '冒名联系人' }],
    ['PATCH', `/api/customers/${bOrg.id}/contacts/${bContact.id}`, { version: bContact.version, name: '被改了' }],
    ['DELETE', `/api/customers/${bOrg.id}/contacts/${bContact.id}?version=${bContact.version}`],
    ['GET', `/api/customers/${bOrg.id}/notes`],
    ['POST', `/api/customers/${bOrg.id}/notes`, { body: '越权跟进' }],
    ['GET', `/api/customers/${bCustomer.id}/timeline`],
    ['POST', `/api/notifications/${bNotification.id}/read`],
    ['GET', `/api/tickets/${bTicket.id}/routing`],
    ['POST', `/api/tickets/${bTicket.id}/transfers`, { departmentIds: [w.units.deptB.id], reason: '越权转派', timeLimitMinutes: 60, version: bTicket.version }],
    ['POST', `/api/tickets/${bTicket.id}/escalations`, { level: 'department_manager', reason: '越权升级' }],
    ['POST', `/api/transfers/${bTransfer.id}/answer`, { answer: '越权回复' }],
    ['POST', `/api/transfers/${bTransfer.id}/cancel`, {}],
    ['POST', '/api/routing-rules', { orgUnitId: w.units.branchB.id, name: '冒名规则', actions: { departmentId: w.units.deptB.id } }],
    ['PATCH', `/api/routing-rules/${bRule.id}`, { version: bRule.version, name: '被改了' }],
    ['DELETE', `/api/routing-rules/${bRule.id}`],
    ['POST', '/api/routing-rules/reorder', { orgUnitId: w.units.branchB.id, ids: [bRule.id] }],
    ['POST', '/api/routing-rules/test', { orgUnitId: w.units.deptB.id, type: 'complaint', channel: 'phone', subject: '漏水' }],
    ['GET', `/api/org-units/${w.units.deptB.id}/calendar`],
    ['PUT', `/api/org-units/${w.units.deptB.id}/calendar`, { ...calendarB, extraHolidays: [], version: bCalendar.version }],
    ['DELETE', `/api/org-units/${w.units.deptB.id}/calendar`],
    ['GET', `/api/org-units/${w.units.deptB.id}/calendar/ics`],
    ['POST', `/api/org-units/${w.units.deptB.id}/calendar/ics`, { ics: icsB, version: bCalendar.version }],
    ['GET', `/api/calendar/deadline?orgUnitId=${w.units.deptB.id}&start=2026-11-27T09:00:00Z&minutes=60`],
    ['POST', `/api/tickets/${bTicket.id}/resolution`, { version: bTicket.version, summary: '越权处理', rootCause: 'x', compensations: [{ kind: 'gift', amount: 1 }] }],
    ['POST', `/api/compensations/${bCompensation.id}/approve`, { note: '越权批准' }],
    ['POST', `/api/compensations/${bCompensation.id}/reject`, { note: '越权驳回' }],
    ['POST', '/api/capas', { orgUnitId: w.units.branchB.id, title: '冒名措施', kind: 'corrective', ownerId: w.users.agentB.id, dueDate: '2026-12-31' }],
    ['GET', `/api/capas/${bCapa.id}`],
    ['PATCH', `/api/capas/${bCapa.id}`, { version: bCapa.version, title: '被改了' }],
    ['POST', `/api/capas/${bCapa.id}/links`, { ticketIds: [bTicket.id] }],
    ['DELETE', `/api/capas/${bCapa.id}/links/${bTicket.id}`],
    ['POST', `/api/capas/${bCapa.id}/complete`, { version: bCapa.version }],
    ['POST', `/api/capas/${bCapa.id}/verify`, { version: bCapa.version, effective: true, note: '越权验证' }],
    ['POST', `/api/tickets/${bTicket.id}/merge`, { targetId: bCallback.ticketId, version: bTicket.version, reason: '越权合并' }],
    ['GET', `/api/tickets/${bTicket.id}/messages`],
    ['GET', `/api/tickets/${bTicket.id}/links`],
    ['POST', `/api/tickets/${bTicket.id}/links`, { ticketId: bCallback.ticketId, kind: 'related' }],
    ['DELETE', `/api/tickets/${bTicket.id}/links/${bCallback.id}`],
    ['GET', `/api/callbacks/${bCallback.id}/rating-link`],
    ['POST', `/api/callbacks/${bCallback.id}/rating-link`],
    ['GET', `/api/tickets/${bTicket.id}/attachments`],
    ['POST', `/api/tickets/${bTicket.id}/attachments`, '越权附件', octet],
    ['GET', `/api/attachments/${bAttachment.id}/content`],
    ['GET', `/api/attachments/${bAttachment.id}/content?inline=1`],
    ['DELETE', `/api/attachments/${bAttachment.id}`],
    ['POST', `/api/tickets/${bTicket.id}/watchers`, {}],
    ['POST', `/api/tickets/${bTicket.id}/watchers`, { userId: w.users.agentB.id }],
    ['DELETE', `/api/tickets/${bTicket.id}/watchers/${w.users.agentB.id}`],
    ['GET', `/api/ticket-fields/applicable?ticketType=praise&orgUnitId=${w.units.branchB.id}`],
    ['POST', '/api/ticket-fields', { orgUnitId: w.units.branchB.id, ticketType: 'praise', key: 'planted', labelZh: '冒名', labelEn: 'planted', kind: 'text' }],
    ['PATCH', `/api/ticket-fields/${bField.id}`, { version: bField.version, labelZh: '被改了' }],
    ['DELETE', `/api/ticket-fields/${bField.id}`],
    ['POST', '/api/ticket-fields/reorder', { orgUnitId: w.units.branchB.id, ticketType: 'praise', ids: [bField.id] }],
    ['POST', '/api/ticket-categories', { parentId: aCategory.id, name: '冒名分类' }],
    ['PATCH', `/api/ticket-categories/${aCategory.id}`, { version: aCategory.version, name: '被改了' }],
    ['POST', `/api/ticket-categories/${aCategory.id}/move`, { version: aCategory.version, parentId: null, index: 3 }],
    ['POST', '/api/ticket-categories/reorder', { parentId: aCategory.id, ids: [aCategory.id] }],
    ['DELETE', `/api/ticket-categories/${aCategory.id}`],
    ['POST', '/api/tickets/bulk', { action: 'tag', ids: [bTicket.id], tags: ['越权'] }],
    ['GET', `/api/saved-filters/${bSavedFilter.id}`],
    ['PATCH', `/api/saved-filters/${bSavedFilter.id}`, { version: bSavedFilter.version, name: '被改了' }],
    ['DELETE', `/api/saved-filters/${bSavedFilter.id}`],
    ['GET', `/api/tickets/${bTicket.id}/sla`],
    ['POST', '/api/sla-policies', { orgUnitId: w.units.branchB.id, name: '冒名策略', targets: { resolution: { minutes: 60 } } }],
    ['POST', '/api/sla-policies/reorder', { orgUnitId: w.units.branchB.id, ids: [bPolicy.id] }],
    ['PATCH', `/api/sla-policies/${bPolicy.id}`, { version: bPolicy.version, name: '被改了' }],
    ['DELETE', `/api/sla-policies/${bPolicy.id}`],
  ];
  /** Lists: scoped by the SQL filter, checked below ("lists only the own branch"). */
  const lists = new Set(['GET /api/users', 'GET /api/org-units', 'GET /api/tickets', 'GET /api/tickets/counts', 'GET /api/ticket-categories', 'GET /api/callbacks', 'GET /api/customers', 'GET /api/customers/lookup', 'GET /api/customers/export', 'GET /api/customer-destructions', 'GET /api/customer-imports', 'GET /api/notifications', 'GET /api/transfers', 'GET /api/routing-rules', 'GET /api/compensations', 'GET /api/capas', 'GET /api/sla-policies', 'GET /api/surveys']);

  it('covers every route that takes an id or a unit (a new route must be added here)', () => {
    const covered = new Set(attacks().map(([m, u]) => `${m} ${u.split('?')[0].replace(/[0-9a-f-]{36}/g, ':id')}`));
    const scoped = t.routes.filter((r) => /users|org-units|tickets|ticket-categories|callbacks|customers|customer-destructions|customer-imports|notifications|transfers|routing-rules|compensations|capas|attachments|sla-policies|\/api\/surveys|survey-invitations/.test(r.url)).map((r) => `${r.method} ${r.url.replace(/:\w+/g, ':id')}`); // every route parameter is an id
    for (const r of scoped.filter((r) => !lists.has(r))) expect(covered, r).toContain(r);
  });

  for (const who of ['agent.a', 'lead.a', 'manager.a'] as const) {
    it(`${who} gets nothing of branch B, and changes nothing`, async () => {
      const c = await t.login(who);
      for (const [method, url, body, headers] of attacks()) {
        const res = await c.request(method, url, body as never, headers);
        expect(res.statusCode, `${who} ${method} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
        // Holding the permission but not over B: the record does not exist for them.
        if (who === 'manager.a') expect([403, 404], `${method} ${url}`).toContain(res.statusCode);
        if (who === 'manager.a' && method === 'GET') expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      const managerB = await t.login('manager.b');
      const after = (await managerB.get(`/api/users/${w.users.agentB.id}`)).json();
      expect(after.displayName).toBe('卫客服');
      expect(after.version).toBe(bUser.version);
      expect((await managerB.get(`/api/tickets/${bTicket.id}`)).json()).toMatchObject({ version: bTicket.version, subject: '保险箱打不开证件被锁在里面', status: 'assigned' });
      expect((await managerB.get(`/api/tickets/${bTicket.id}/timeline`)).json()).toHaveLength(3);
      expect((await managerB.get('/api/callbacks')).json().items[0]).toMatchObject({ id: bCallback.id, status: 'pending', attempts: 0 });
      expect((await (await t.login('agent.b')).get('/api/notifications')).json().items).toMatchObject([{ id: bNotification.id, readAt: null }]);
      expect((await managerB.get('/api/transfers?mine=true')).json().items).toMatchObject([{ id: bTransfer.id, status: 'open', answer: null }]);
      expect((await managerB.get('/api/routing-rules')).json()).toMatchObject([{ id: bRule.id, name: 'B规则', version: bRule.version }]);
      expect((await managerB.get(`/api/org-units/${w.units.deptB.id}/calendar`)).json()).toMatchObject({ inheritedFrom: null, calendar: { version: bCalendar.version, extraHolidays: ['2026-12-24'] } });
      expect((await managerB.get('/api/compensations')).json()).toMatchObject([{ id: bCompensation.id, status: 'pending_approval', decidedBy: null }]);
      expect((await managerB.get(`/api/capas/${bCapa.id}`)).json()).toMatchObject({ version: bCapa.version, status: 'open', title: '保险箱密码重置流程', tickets: [{}] });
      expect((await managerB.get(`/api/attachments/${bAttachment.id}/content`)).body).toBe('客人来电要求回电');
      expect((await managerB.get(`/api/customer-destructions/${bDestruction.id}`)).json()).toMatchObject({ status: 'pending', currentStep: 1, steps: [] });
      expect((await managerB.get(`/api/surveys/${bSurvey.id}`)).json()).toMatchObject({ version: bSurvey.version, status: 'open', title: 'B满意度调查', invited: 1, answered: 0 });
      expect((await managerB.get(`/api/customer-imports/${bImport.id}`)).json()).toMatchObject({ status: 'uploaded', mode: null });
    });
  }

  it('lists only the own branch: staff, units and audit entries', async () => {
    const managerA = await t.login('manager.a');
    const users = (await managerA.get('/api/users?limit=200')).json().items.map((u: { username: string }) => u.username);
    expect(users).toEqual(expect.arrayContaining(['manager.a', 'lead.a', 'agent.a']));
    expect(users).not.toContain('agent.b');
    expect(users).not.toContain('manager.b');
    expect(users).not.toContain('director');
    const units = (await managerA.get('/api/org-units')).json().map((u: { code: string }) => u.code);
    expect(units.sort()).toEqual(['A', 'A-KF', 'A-KF-1']);
    await t.kefu.sealer.flush();
    const audit = (await managerA.get('/api/audit?limit=200')).json().items;
    expect(audit.length).toBeGreaterThan(0);
    const bIds = new Set([w.units.branchB.id, w.units.deptB.id]);
    expect(audit.filter((e: { orgUnitId: string }) => bIds.has(e.orgUnitId))).toEqual([]);
    expect(audit.filter((e: { orgUnitId: string | null }) => e.orgUnitId === null)).toEqual([]); // global entries are for the whole-tree readers
    for (const url of ['/api/tickets?limit=100', `/api/tickets?q=${bTicket.number}`, '/api/callbacks?limit=100', '/api/customers?limit=100', '/api/customers/lookup?phone=137', '/api/transfers?limit=100', '/api/transfers?mine=true', '/api/routing-rules', '/api/compensations', '/api/capas']) {
      expect(JSON.stringify((await managerA.get(url)).json()), url).not.toMatch(new RegExp(`${bTicket.id}|${bCallback.id}|${bCustomer.id}|${bTransfer.id}|${bRule.id}|${bCompensation.id}|${bCapa.id}`));
    }
    expect(Object.values((await managerA.get('/api/tickets/counts')).json())).toEqual([0, 0, 0, 0, 0, 0]);
    const byEntity = await managerA.get(`/api/audit?entityType=user&entityId=${w.users.agentB.id}`);
    expect(byEntity.json().items).toEqual([]);
    const managerB = await t.login('manager.b');
    expect((await managerB.get('/api/audit?limit=200')).json().items.length).toBeGreaterThanOrEqual(bAuditCount);
  });

  it('lets the whole-tree reader see both branches', async () => {
    const director = await t.login('director');
    const users = (await director.get('/api/users?limit=200')).json().items.map((u: { username: string }) => u.username);
    expect(users).toEqual(expect.arrayContaining(['agent.a', 'agent.b']));
  });

  it('lets nobody hand out more than they hold', async () => {
    const managerA = await t.login('manager.a');
    const roles = (await managerA.get('/api/roles')).json() as { id: string; key: string }[];
    const director = roles.find((r) => r.key === 'director')!;
    const agent = roles.find((r) => r.key === 'agent')!;
    const target = (await managerA.get(`/api/users/${w.users.agentA.id}`)).json();
    const escalate = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: director.id, orgUnitId: w.units.branchA.id }] });
    expect(escalate.statusCode).toBe(403);
    const elsewhere = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: agent.id, orgUnitId: w.units.deptB.id }] });
    expect(elsewhere.statusCode).toBe(404);
    const ok = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: agent.id, orgUnitId: w.units.teamA.id }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().grants.map((g: { orgUnitId: string }) => g.orgUnitId)).toEqual([w.units.teamA.id]);
  });

  it('keeps grants of other branches when a branch manager edits a person', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const roles = (await admin.get('/api/roles')).json() as { id: string; key: string }[];
    const agent = roles.find((r) => r.key === 'agent')!;
    const u = (await admin.get(`/api/users/${w.users.leadA.id}`)).json();
    const both = await admin.put(`/api/users/${u.id}/grants`, {
      version: u.version,
      grants: [...u.grants.map((g: { roleId: string; orgUnitId: string }) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })), { roleId: agent.id, orgUnitId: w.units.deptB.id }],
    });
    expect(both.statusCode).toBe(200);
    const managerA: Client = await t.login('manager.a');
    const seen = (await managerA.get(`/api/users/${u.id}`)).json();
    const cleared = await managerA.put(`/api/users/${u.id}/grants`, { version: seen.version, grants: [] });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().grants.map((g: { orgUnitId: string }) => g.orgUnitId)).toEqual([w.units.deptB.id]);
  });
});

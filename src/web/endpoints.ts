import type { z } from 'zod';
import type { ApiToken, AuditEntry, Me, OrgUnit, Role, User } from '../contracts/api.ts';
import type {
  Callback,
  Customer,
  customerCreate,
  customerLookup,
  Notification,
  Ticket,
  ticketCategory,
  TicketQueue,
  ticketCreate,
  ticketQuery,
  TicketStatus,
  TicketSummary,
  callbackQuery,
  TimelineEvent,
  TicketMessage,
  ticketUpdate,
  RoutingRule,
  routingRuleCreate,
  routingRuleUpdate,
  routingTest,
  RoutingTestResult,
  Transfer,
  transferQuery,
  resolutionCreate,
  resolutionResult,
  compensation,
  compensationStatus,
  capa,
  capaCreate,
  capaStatus,
} from '../contracts/tickets.ts';
import type { JobDetail, JobPage, JobStatus } from '../contracts/jobs.ts';
import type { EmailOutboxPage, EmailOutboxStatus, NotificationPreferences, NotificationPreferencesUpdate } from '../contracts/notifications.ts';
import type { FieldDefinition, FieldForm, fieldDefinitionCreate, fieldDefinitionUpdate } from '../contracts/ticket-settings.ts';
import type { SlaPolicy, slaPolicyCreate, slaPolicyUpdate, TicketSla } from '../contracts/sla.ts';
import type { calendarInput, EffectiveCalendar } from '../contracts/calendar.ts';
import type { SavedFilter, TicketBulk } from '../contracts/queues.ts';
import { api } from './api.ts';
import { sendBytes } from './api.ts';
import type { Attachment } from '../contracts/attachments.ts';

/** Typed calls of every API endpoint the console uses (shapes from src/contracts/api.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export type UnitKind = OrgUnit['kind'];
export type UserStatus = User['status'];
export interface GrantInput {
  roleId: string;
  orgUnitId: string;
}
export interface UserCreateInput {
  username: string;
  displayName: string;
  phone?: string | null;
  email?: string | null;
  employeeNo?: string | null;
  orgUnitId: string;
  password?: string;
  grants: GrantInput[];
}
export type UserUpdateInput = Partial<Omit<UserCreateInput, 'username' | 'password' | 'grants'>> & { version: number; status?: UserStatus };
export interface RoleInput {
  key: string;
  nameZh: string;
  nameEn: string;
  description: string;
  permissions: string[];
}
export interface OrgUnitInput {
  parentId: string | null;
  kind: UnitKind;
  name: string;
  code: string;
  timeZone: string;
}
export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}
export interface VerifyResult {
  ok: boolean;
  entries: number;
  unsealed?: number;
  brokenAt?: { seq: number; id: string | null; reason: string };
}

export const authApi = {
  me: () => api.get<Me>('/api/auth/me', {}, { quiet: true }),
  login: (username: string, password: string) => api.post<Me>('/api/auth/login', { username, password }, { quiet: true }),
  logout: () => api.post<void>('/api/auth/logout', undefined, { quiet: true }),
  changePassword: (currentPassword: string, newPassword: string) => api.post<void>('/api/auth/password', { currentPassword, newPassword }),
  tokens: () => api.get<ApiToken[]>('/api/auth/tokens'),
  createToken: (name: string, expiresInDays: number | null) => api.post<ApiToken & { token: string }>('/api/auth/tokens', { name, expiresInDays }),
  revokeToken: (id: string) => api.delete(`/api/auth/tokens/${id}`),
};

export const orgApi = {
  list: () => api.get<OrgUnit[]>('/api/org-units'),
  create: (input: OrgUnitInput) => api.post<OrgUnit>('/api/org-units', input),
  update: (id: string, input: Partial<Omit<OrgUnitInput, 'kind' | 'parentId'>> & { version: number; parentId?: string }) =>
    api.patch<OrgUnit>(`/api/org-units/${id}`, input),
  remove: (id: string) => api.delete(`/api/org-units/${id}`),
};

export const usersApi = {
  list: (q: { q?: string; orgUnitId?: string; status?: UserStatus; cursor?: string; limit?: number }) => api.get<Page<User>>('/api/users', q),
  get: (id: string) => api.get<User>(`/api/users/${id}`),
  create: (input: UserCreateInput) => api.post<{ user: User; initialPassword: string | null }>('/api/users', input),
  update: (id: string, input: UserUpdateInput) => api.patch<User>(`/api/users/${id}`, input),
  replaceGrants: (id: string, version: number, grants: GrantInput[]) => api.put<User>(`/api/users/${id}/grants`, { version, grants }),
  resetPassword: (id: string) => api.post<{ initialPassword: string | null }>(`/api/users/${id}/reset-password`, {}),
};

export const rolesApi = {
  list: () => api.get<Role[]>('/api/roles'),
  create: (input: RoleInput) => api.post<Role>('/api/roles', input),
  update: (id: string, input: Partial<Omit<RoleInput, 'key'>> & { version: number }) => api.patch<Role>(`/api/roles/${id}`, input),
  remove: (id: string) => api.delete(`/api/roles/${id}`),
};

export const auditApi = {
  list: (f: AuditFilter & { cursor?: string; limit?: number }) => api.get<Page<AuditEntry>>('/api/audit', { ...f }),
  verify: () => api.post<VerifyResult>('/api/audit/verify', {}),
};

export type TicketFilter = Omit<z.input<typeof ticketQuery>, 'limit' | 'cursor'>;
export type TicketCreateInput = z.input<typeof ticketCreate>;
export type TicketUpdateInput = z.input<typeof ticketUpdate>;
export type TicketCategory = z.infer<typeof ticketCategory>;
export type TicketCounts = Record<TicketQueue, number>;
export type CustomerLookup = z.infer<typeof customerLookup>;
export type CustomerCreateInput = z.input<typeof customerCreate>;
export type CallbackFilter = Omit<z.input<typeof callbackQuery>, 'limit'> & { limit?: number };
export interface CallbackOutcome {
  solved: boolean;
  satisfaction: number;
  comment: string;
}

export const ticketsApi = {
  list: (f: TicketFilter & { cursor?: string; limit?: number }) => api.get<Page<TicketSummary>>('/api/tickets', { ...f }),
  counts: () => api.get<TicketCounts>('/api/tickets/counts'),
  get: (id: string) => api.get<Ticket>(`/api/tickets/${id}`),
  create: (input: TicketCreateInput) => api.post<Ticket>('/api/tickets', input),
  update: (id: string, input: TicketUpdateInput) => api.patch<Ticket>(`/api/tickets/${id}`, input),
  timeline: (id: string) => api.get<TimelineEvent[]>(`/api/tickets/${id}/timeline`),
  transition: (id: string, to: TicketStatus, version: number, reason?: string) => api.post<Ticket>(`/api/tickets/${id}/transitions`, { to, version, reason }),
  take: (id: string, version: number) => api.post<Ticket>(`/api/tickets/${id}/take`, { version }),
  assign: (id: string, assigneeId: string, version: number) => api.post<Ticket>(`/api/tickets/${id}/assign`, { assigneeId, version }),
  message: (id: string, kind: TicketMessage['kind'], body: string) => api.post<TicketMessage>(`/api/tickets/${id}/messages`, { kind, body }),
  categories: () => api.get<TicketCategory[]>('/api/ticket-categories'),
};

// Queues (工单队列): saved filters and bulk actions.
export const savedFiltersApi = {
  list: () => api.get<SavedFilter[]>('/api/saved-filters'),
  create: (input: { name: string; query: Record<string, string>; shared: boolean }) => api.post<SavedFilter>('/api/saved-filters', input),
  update: (id: string, input: { version: number; name?: string; shared?: boolean; query?: Record<string, string> }) => api.patch<SavedFilter>(`/api/saved-filters/${id}`, input),
  remove: (id: string) => api.delete(`/api/saved-filters/${id}`),
};
export const bulkApi = {
  run: (input: TicketBulk) => api.post<{ action: TicketBulk['action']; ids: string[] }>('/api/tickets/bulk', input),
};

export const callbacksApi = {
  list: (f: CallbackFilter) => api.get<Page<Callback>>('/api/callbacks', { ...f }),
  attempt: (id: string, note: string) => api.post<Callback>(`/api/callbacks/${id}/attempt`, { reached: false, note }),
  complete: (id: string, outcome: CallbackOutcome) => api.post<Callback>(`/api/callbacks/${id}/complete`, { reached: true, ...outcome }),
};

export const notificationsApi = {
  list: (q: { unread?: boolean; cursor?: string; limit?: number }) =>
    api.get<Page<Notification>>('/api/notifications', { unread: q.unread === undefined ? undefined : String(q.unread), cursor: q.cursor, limit: q.limit }),
  read: (id: string) => api.post<Notification>(`/api/notifications/${id}/read`, {}),
};

export const customersApi = {
  lookup: (phone: string) => api.get<CustomerLookup>('/api/customers/lookup', { phone }),
  create: (input: CustomerCreateInput) => api.post<Customer>('/api/customers', input),
};

export type RoutingRuleInput = z.input<typeof routingRuleCreate>;
export type RoutingRuleUpdateInput = z.input<typeof routingRuleUpdate>;
export type RoutingTestInput = z.input<typeof routingTest>;
export type TransferFilter = Omit<z.input<typeof transferQuery>, 'limit' | 'cursor'>;

export const routingApi = {
  list: (orgUnitId: string) => api.get<RoutingRule[]>('/api/routing-rules', { orgUnitId }),
  create: (input: RoutingRuleInput) => api.post<RoutingRule>('/api/routing-rules', input),
  update: (id: string, input: RoutingRuleUpdateInput) => api.patch<RoutingRule>(`/api/routing-rules/${id}`, input),
  remove: (id: string) => api.delete(`/api/routing-rules/${id}`),
  reorder: (orgUnitId: string, ids: string[]) => api.post<RoutingRule[]>('/api/routing-rules/reorder', { orgUnitId, ids }),
  test: (input: RoutingTestInput) => api.post<RoutingTestResult>('/api/routing-rules/test', input),
};

// Work-order settings 工单设置: custom fields, the category tree, watchers (contracts/ticket-settings.ts).
export type FieldDefinitionInput = z.input<typeof fieldDefinitionCreate>;
export type FieldDefinitionUpdateInput = z.input<typeof fieldDefinitionUpdate>;
export const ticketSettingsApi = {
  fields: (orgUnitId: string, ticketType: FieldForm) => api.get<FieldDefinition[]>('/api/ticket-fields', { orgUnitId, ticketType }),
  applicable: (ticketType: Ticket['type'], orgUnitId?: string) => api.get<FieldDefinition[]>('/api/ticket-fields/applicable', { ticketType, orgUnitId }),
  createField: (input: FieldDefinitionInput) => api.post<FieldDefinition>('/api/ticket-fields', input),
  updateField: (id: string, input: FieldDefinitionUpdateInput) => api.patch<FieldDefinition>(`/api/ticket-fields/${id}`, input),
  removeField: (id: string) => api.delete(`/api/ticket-fields/${id}`),
  reorderFields: (orgUnitId: string, ticketType: FieldForm, ids: string[]) => api.post<FieldDefinition[]>('/api/ticket-fields/reorder', { orgUnitId, ticketType, ids }),
  createCategory: (parentId: string | null, name: string) => api.post<TicketCategory>('/api/ticket-categories', { parentId, name }),
  updateCategory: (id: string, input: { version: number; name?: string; enabled?: boolean }) => api.patch<TicketCategory>(`/api/ticket-categories/${id}`, input),
  moveCategory: (id: string, input: { version: number; parentId: string | null; index?: number }) => api.post<TicketCategory>(`/api/ticket-categories/${id}/move`, input),
  removeCategory: (id: string) => api.delete(`/api/ticket-categories/${id}`),
  watch: (ticketId: string, userId?: string) => api.post<{ userId: string; name: string }[]>(`/api/tickets/${ticketId}/watchers`, userId ? { userId } : {}),
  unwatch: (ticketId: string, userId: string) => api.delete(`/api/tickets/${ticketId}/watchers/${userId}`),
};

export const transfersApi = {
  list: (f: TransferFilter & { cursor?: string; limit?: number }) => api.get<Page<Transfer>>('/api/transfers', { ...f }),
  answer: (id: string, answer: string) => api.post<Transfer>(`/api/transfers/${id}/answer`, { answer }),
};

// Resolution (处理结果), compensation approval (补偿审批) and CAPA (纠正预防措施).
export type ResolutionInput = z.input<typeof resolutionCreate>;
export type Compensation = z.infer<typeof compensation>;
export type CompensationStatus = z.infer<typeof compensationStatus>;
export type Capa = z.infer<typeof capa>;
export type CapaCreateInput = z.input<typeof capaCreate>;
export type CapaFilter = { status?: z.infer<typeof capaStatus>; overdue?: 'true' | 'false' };

export const resolutionApi = {
  record: (ticketId: string, input: ResolutionInput) => api.post<z.infer<typeof resolutionResult>>(`/api/tickets/${ticketId}/resolution`, input),
  compensations: (status?: CompensationStatus) => api.get<Compensation[]>('/api/compensations', { status }),
  approve: (id: string, note: string) => api.post<Compensation>(`/api/compensations/${id}/approve`, { note }),
  reject: (id: string, note: string) => api.post<Compensation>(`/api/compensations/${id}/reject`, { note }),
};

export const capasApi = {
  list: (f: CapaFilter & { cursor?: string; limit?: number }) => api.get<Page<Capa>>('/api/capas', { ...f }),
  get: (id: string) => api.get<Capa>(`/api/capas/${id}`),
  create: (input: CapaCreateInput) => api.post<Capa>('/api/capas', input),
  link: (id: string, ticketIds: string[]) => api.post<Capa>(`/api/capas/${id}/links`, { ticketIds }),
  unlink: (id: string, ticketId: string) => api.delete(`/api/capas/${id}/links/${ticketId}`),
  complete: (id: string, version: number, note?: string) => api.post<Capa>(`/api/capas/${id}/complete`, { version, note }),
  verify: (id: string, version: number, effective: boolean, note: string) => api.post<Capa>(`/api/capas/${id}/verify`, { version, effective, note }),
};

// Durable jobs (后台任务), for administrators (system:jobs).
// Notification preferences (own) and the e-mail outbox (system:jobs).
export const notificationDeliveryApi = {
  preferences: () => api.get<NotificationPreferences>('/api/me/notification-preferences'),
  savePreferences: (body: NotificationPreferencesUpdate) => api.put<NotificationPreferences>('/api/me/notification-preferences', body),
  outbox: (f: { status?: EmailOutboxStatus; cursor?: string; limit?: number }) => api.get<EmailOutboxPage>('/api/email-outbox', { ...f }),
};

export const jobsApi = {
  list: (f: { status?: JobStatus; kind?: string; cursor?: string; limit?: number }) => api.get<JobPage>('/api/jobs', { ...f }),
  get: (id: string) => api.get<JobDetail>(`/api/jobs/${id}`),
  retry: (id: string) => api.post<JobDetail>(`/api/jobs/${id}/retry`, {}),
};

// Attachments of work orders (附件): the file goes as raw bytes, its name percent-encoded in a header.
export const attachmentsApi = {
  list: (ticketId: string) => api.get<Attachment[]>(`/api/tickets/${ticketId}/attachments`),
  upload: (ticketId: string, file: File) => sendBytes<Attachment>(`/api/tickets/${ticketId}/attachments`, file, { 'x-file-name': encodeURIComponent(file.name) }),
  remove: (id: string) => api.delete(`/api/attachments/${id}`),
  contentUrl: (id: string, inline = false) => `/api/attachments/${id}/content${inline ? '?inline=1' : ''}`,
};

// Service time limits 服务时限 (contracts/sla.ts) and working calendars 工作日历 (contracts/calendar.ts).
export type SlaPolicyInput = z.input<typeof slaPolicyCreate>;
export type SlaPolicyUpdateInput = z.input<typeof slaPolicyUpdate>;
export const slaApi = {
  list: (orgUnitId: string) => api.get<SlaPolicy[]>('/api/sla-policies', { orgUnitId }),
  create: (input: SlaPolicyInput) => api.post<SlaPolicy>('/api/sla-policies', input),
  update: (id: string, input: SlaPolicyUpdateInput) => api.patch<SlaPolicy>(`/api/sla-policies/${id}`, input),
  remove: (id: string) => api.delete(`/api/sla-policies/${id}`),
  reorder: (orgUnitId: string, ids: string[]) => api.post<SlaPolicy[]>('/api/sla-policies/reorder', { orgUnitId, ids }),
  ofTicket: (id: string) => api.get<TicketSla>(`/api/tickets/${id}/sla`),
};
export const calendarApi = {
  get: (unitId: string) => api.get<EffectiveCalendar>(`/api/org-units/${unitId}/calendar`),
  put: (unitId: string, input: z.input<typeof calendarInput>) => api.put<EffectiveCalendar>(`/api/org-units/${unitId}/calendar`, input),
  remove: (unitId: string) => api.delete(`/api/org-units/${unitId}/calendar`),
  importIcs: (unitId: string, ics: string, version?: number) => api.post<EffectiveCalendar>(`/api/org-units/${unitId}/calendar/ics`, { ics, ...(version ? { version } : {}) }),
  exportUrl: (unitId: string) => `/api/org-units/${unitId}/calendar/ics`,
};

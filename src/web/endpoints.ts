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
} from '../contracts/tickets.ts';
import { api } from './api.ts';

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

export const transfersApi = {
  list: (f: TransferFilter & { cursor?: string; limit?: number }) => api.get<Page<Transfer>>('/api/transfers', { ...f }),
  answer: (id: string, answer: string) => api.post<Transfer>(`/api/transfers/${id}/answer`, { answer }),
};

import type { z } from 'zod';
import type {
  careSent,
  customerEvent,
  customerEventCreate,
  customerEventDetail,
  customerEventUpdate,
  customerMessage,
  customerMessagePage,
  eventInvite,
  eventInvited,
  eventInvitee,
  inviteReplies,
} from '../../../contracts/outreach.ts';
import { api, type Query } from '../../api.ts';

/** Outreach endpoints (客户触达): care sends, the outbox, events and invitations. */
export type CustomerMessage = z.infer<typeof customerMessage>;
export type MessagePage = z.infer<typeof customerMessagePage>;
export type CareSent = z.infer<typeof careSent>;
export type CustomerEvent = z.infer<typeof customerEvent>;
export type CustomerEventDetail = z.infer<typeof customerEventDetail>;
export type EventInvitee = z.infer<typeof eventInvitee>;
export type InviteReply = (typeof inviteReplies)[number];

export const outreachApi = {
  send: (id: string, body: { version: number; giftValue?: number; giftNote?: string }) => api.post<CareSent>(`/api/care-tasks/${id}/send`, body),
  bulkSend: (items: { id: string; version: number }[], giftNote?: string) => api.post<{ items: CareSent[] }>('/api/care-tasks/bulk-send', { items, ...(giftNote ? { giftNote } : {}) }),
  messages: (q: { status?: string; channel?: string; cursor?: string; limit?: number }) => api.get<MessagePage>('/api/customer-messages', q as Query),
  retry: (id: string) => api.post<CustomerMessage>(`/api/customer-messages/${id}/retry`),
  events: () => api.get<CustomerEvent[]>('/api/customer-events'),
  event: (id: string) => api.get<CustomerEventDetail>(`/api/customer-events/${id}`),
  createEvent: (body: z.input<typeof customerEventCreate>) => api.post<CustomerEventDetail>('/api/customer-events', body),
  updateEvent: (id: string, body: z.input<typeof customerEventUpdate>) => api.put<CustomerEventDetail>(`/api/customer-events/${id}`, body),
  removeEvent: (id: string) => api.delete(`/api/customer-events/${id}`),
  invite: (id: string, body: z.input<typeof eventInvite>) => api.post<z.infer<typeof eventInvited>>(`/api/customer-events/${id}/invitees`, body),
  reply: (id: string, inviteeId: string, body: { version: number; reply: InviteReply; note?: string | null }) =>
    api.post<EventInvitee>(`/api/customer-events/${id}/invitees/${inviteeId}/reply`, body),
};

import type { z } from 'zod';
import type { CustomerContact, CustomerNote, TimelineItem, contactCreate, contactUpdate } from '../../../contracts/customer-contacts.ts';
import type { ProtectedSection } from '../../../contracts/customers.ts';
import { api, type Query } from '../../api.ts';

/** Contacts 联系人, notes 跟进记录 and the timeline 时间线 of one customer file; `reading` is the id of the caller's opening. */
export type ContactInput = z.input<typeof contactCreate>;
export type ContactPatch = z.input<typeof contactUpdate>;
export interface RelationFilter {
  customerId: string;
  reading: string | null;
  /** Bumped to read again after a change. */
  refresh: number;
}

const q = (f: RelationFilter, cursor?: string, limit?: number): Query => ({ reading: f.reading ?? undefined, cursor, limit });

export const customerRelationsApi = {
  contacts: (customerId: string, reading: string | null) =>
    api.get<{ items: CustomerContact[]; restrictedSections: ProtectedSection[] }>(`/api/customers/${customerId}/contacts`, { reading: reading ?? undefined }),
  addContact: (customerId: string, body: ContactInput) => api.post<CustomerContact>(`/api/customers/${customerId}/contacts`, body),
  updateContact: (customerId: string, id: string, body: ContactPatch) => api.patch<CustomerContact>(`/api/customers/${customerId}/contacts/${id}`, body),
  removeContact: (customerId: string, id: string, version: number) => api.delete(`/api/customers/${customerId}/contacts/${id}?version=${version}`),
  notes: (f: RelationFilter, cursor?: string) => api.get<{ items: CustomerNote[]; nextCursor: string | null; hidden: boolean }>(`/api/customers/${f.customerId}/notes`, q(f, cursor, 20)),
  addNote: (customerId: string, body: { body: string; at?: string }) => api.post<CustomerNote>(`/api/customers/${customerId}/notes`, body),
  timeline: (f: RelationFilter, cursor?: string) => api.get<{ items: TimelineItem[]; nextCursor: string | null }>(`/api/customers/${f.customerId}/timeline`, q(f, cursor, 30)),
};

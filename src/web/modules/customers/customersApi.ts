import type { z } from 'zod';
import type { CustomerFile, CustomerSummary, ProtectedSection, ReadingEntry, customerFileCreate, customerFileUpdate } from '../../../contracts/customers.ts';
import type { FieldDefinition } from '../../../contracts/ticket-settings.ts';
import { api, type Query } from '../../api.ts';

/** The customer-file endpoints (客户档案); kept with the pages rather than in the shared endpoints file. */
export type CustomerFileInput = z.input<typeof customerFileCreate>;
export type CustomerFilePatch = z.input<typeof customerFileUpdate>;
export interface CustomerFilter {
  q?: string;
  archived?: 'true' | 'false' | 'all';
}
export interface ReadingFilter {
  customerId?: string;
  userId?: string;
  from?: string;
  to?: string;
}

export const customersApi = {
  list: (f: CustomerFilter & { cursor?: string; limit?: number }) => api.get<{ items: CustomerSummary[]; nextCursor: string | null }>('/api/customers', f as Query),
  get: (id: string) => api.get<CustomerFile>(`/api/customers/${id}`),
  /** The custom fields 自定义字段 of the files of a unit's company (default: yours). */
  fields: (orgUnitId?: string) => api.get<FieldDefinition[]>('/api/customer-fields', { orgUnitId }),
  create: (body: CustomerFileInput) => api.post<CustomerFile>('/api/customers', body),
  update: (id: string, body: CustomerFilePatch) => api.patch<CustomerFile>(`/api/customers/${id}`, body),
  archive: (id: string, version: number, archived: boolean) => api.post<CustomerFile>(`/api/customers/${id}/archive`, { version, archived }),
  open: (id: string, reason: string, sections?: ProtectedSection[]) =>
    api.post<{ file: CustomerFile; readingId: string; sections: ProtectedSection[] }>(`/api/customers/${id}/open`, { reason, sections }),
  readingLog: (f: ReadingFilter & { cursor?: string; limit?: number }) => api.get<{ items: ReadingEntry[]; nextCursor: string | null }>('/api/customer-reading-log', f as Query),
};

import type { z } from 'zod';
import type { AccessRequest, accessRequestCreate } from '../../../contracts/customer-access.ts';
import { api } from '../../api.ts';

/** The access-request endpoints 申请查阅. */
export type AccessRequestInput = z.input<typeof accessRequestCreate>;
export type AccessBox = 'mine' | 'to_approve';

export const accessApi = {
  list: (box: AccessBox, cursor?: string) => api.get<{ items: AccessRequest[]; nextCursor: string | null }>('/api/customer-access-requests', { box, cursor, limit: 50 }),
  create: (body: AccessRequestInput) => api.post<AccessRequest>('/api/customer-access-requests', body),
  approve: (id: string, version: number, note?: string) => api.post<AccessRequest>(`/api/customer-access-requests/${id}/approve`, { version, note }),
  reject: (id: string, version: number, note: string) => api.post<AccessRequest>(`/api/customer-access-requests/${id}/reject`, { version, note }),
  withdraw: (id: string, version: number) => api.post<AccessRequest>(`/api/customer-access-requests/${id}/withdraw`, { version }),
};

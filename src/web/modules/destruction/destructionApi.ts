import type { Destruction, DestructionStatus, DestructionStep } from '../../../contracts/destruction.ts';
import { api, type Query } from '../../api.ts';

/** The destruction endpoints 档案销毁 (kept with the pages). */
export interface DestructionFilter {
  status?: DestructionStatus;
  awaiting?: 'me';
  customerId?: string;
}

export const destructionApi = {
  list: (f: DestructionFilter) => api.get<Destruction[]>('/api/customer-destructions', f as Query),
  get: (id: string) => api.get<Destruction>(`/api/customer-destructions/${id}`),
  request: (customerId: string, reason: string) => api.post<Destruction>('/api/customer-destructions', { customerId, reason }),
  decide: (id: string, step: DestructionStep, decision: 'approve' | 'reject', comment: string) =>
    api.post<Destruction>(`/api/customer-destructions/${id}/decisions`, { step, decision, comment }),
};

import type { CustomerMergeEntry, DuplicatePair, MergeField, MergePreview } from '../../../contracts/customer-merge.ts';
import type { CustomerFile } from '../../../contracts/customers.ts';
import { api } from '../../api.ts';

/** The duplicate and merge endpoints (疑似重复 / 合并档案). */
export type DuplicateRow = DuplicatePair & { id: string };

export const customerMergeApi = {
  duplicates: async (cursor?: string) => {
    const page = await api.get<{ items: DuplicatePair[]; nextCursor: string | null; total: number }>('/api/customer-duplicates', { cursor, limit: 20 });
    return { ...page, items: page.items.map((p): DuplicateRow => ({ ...p, id: `${p.a.id}|${p.b.id}` })) };
  },
  dismiss: (a: string, b: string) => api.post<void>('/api/customer-duplicates/dismiss', { customerIds: [a, b] }),
  preview: (survivorId: string, otherId: string) => api.get<MergePreview>(`/api/customers/${survivorId}/merge-preview`, { otherId }),
  merge: (survivorId: string, body: { version: number; mergeId: string; mergeVersion: number; take: MergeField[] }) =>
    api.post<{ file: CustomerFile; merge: CustomerMergeEntry }>(`/api/customers/${survivorId}/merge`, body),
  history: (id: string) => api.get<CustomerMergeEntry[]>(`/api/customers/${id}/merges`),
};

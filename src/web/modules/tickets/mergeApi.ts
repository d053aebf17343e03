import type { MergedMessage, PublicRating, RatingLinkInfo, RatingLinkIssued, TicketLink, TicketLinkKind } from '../../../contracts/merge.ts';
import type { Ticket, TicketSummary } from '../../../contracts/tickets.ts';
import { api } from '../../api.ts';
import type { Page } from '../../endpoints.ts';

/** Merging (合并), links (关联) and the customer's rating link (满意度评价链接). */
export const mergeApi = {
  merge: (id: string, targetId: string, version: number, reason: string) => api.post<Ticket>(`/api/tickets/${id}/merge`, { targetId, version, reason }),
  messages: (id: string) => api.get<MergedMessage[]>(`/api/tickets/${id}/messages`),
  links: (id: string) => api.get<TicketLink[]>(`/api/tickets/${id}/links`),
  link: (id: string, ticketId: string, kind: TicketLinkKind) => api.post<TicketLink[]>(`/api/tickets/${id}/links`, { ticketId, kind }),
  unlink: (id: string, linkId: string) => api.delete(`/api/tickets/${id}/links/${linkId}`),
  /** The readable work order with exactly this number, if any. */
  byNumber: async (number: string): Promise<TicketSummary | undefined> => {
    const page = await api.get<Page<TicketSummary>>('/api/tickets', { q: number, limit: 20 });
    return page.items.find((x) => x.number.toLowerCase() === number.toLowerCase());
  },
  ratingLink: (callbackId: string) => api.get<RatingLinkInfo>(`/api/callbacks/${callbackId}/rating-link`),
  issueRatingLink: (callbackId: string) => api.post<RatingLinkIssued>(`/api/callbacks/${callbackId}/rating-link`, {}),
  publicRating: (token: string) => api.get<PublicRating>(`/api/public/ratings/${encodeURIComponent(token)}`, {}, { quiet: true }),
  rate: (token: string, solved: boolean, satisfaction: number, comment: string) =>
    api.post<PublicRating>(`/api/public/ratings/${encodeURIComponent(token)}`, { solved, satisfaction, comment }, { quiet: true }),
};

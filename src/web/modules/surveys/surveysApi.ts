import type { z } from 'zod';
import type { PublicSurvey, Survey, SurveyAnswerValue, SurveyInvitation, SurveyResults, surveyCreate, surveySend } from '../../../contracts/surveys.ts';
import { api, type Query } from '../../api.ts';

export type SurveyInput = z.input<typeof surveyCreate>;
export type SendInput = z.input<typeof surveySend>;
export interface InvitationAnswers {
  invitationId: string;
  answers: (number | string | null)[];
}

export const surveysApi = {
  list: () => api.get<Survey[]>('/api/surveys'),
  get: (id: string) => api.get<Survey>(`/api/surveys/${id}`),
  create: (input: SurveyInput) => api.post<Survey>('/api/surveys', input),
  update: (id: string, input: Omit<SurveyInput, 'orgUnitId'> & { version: number }) => api.put<Survey>(`/api/surveys/${id}`, input),
  remove: (id: string) => api.delete(`/api/surveys/${id}`),
  status: (id: string, version: number, to: 'open' | 'closed') => api.post<Survey>(`/api/surveys/${id}/status`, { version, to }),
  send: (id: string, input: SendInput) => api.post<{ created: number; existing: number; queued: number }>(`/api/surveys/${id}/send`, input),
  invitations: (id: string, status?: string) => api.get<SurveyInvitation[]>(`/api/surveys/${id}/invitations`, status ? { status } : {}),
  results: (id: string, q: Query) => api.get<SurveyResults>(`/api/surveys/${id}/results`, q),
  ofCustomer: (customerId: string) => api.get<SurveyInvitation[]>(`/api/customers/${customerId}/survey-invitations`),
  link: (invitationId: string) => api.post<{ token: string; path: string; url: string; expiresAt: string }>(`/api/survey-invitations/${invitationId}/link`),
  answers: (invitationId: string) => api.get<InvitationAnswers>(`/api/survey-invitations/${invitationId}/answers`),
  answer: (invitationId: string, answers: SurveyAnswerValue[]) => api.post<InvitationAnswers>(`/api/survey-invitations/${invitationId}/answers`, { answers }),
  publicView: (token: string) => api.get<PublicSurvey>(`/api/public/surveys/${encodeURIComponent(token)}`, {}, { quiet: true }),
  publicAnswer: (token: string, answers: SurveyAnswerValue[]) => api.post<PublicSurvey>(`/api/public/surveys/${encodeURIComponent(token)}`, { answers }, { quiet: true }),
};

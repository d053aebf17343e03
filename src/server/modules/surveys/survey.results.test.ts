import { describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '../../../contracts/surveys.ts';
import { aggregate, type ResultAnswer, type ResultInvitation } from './survey.results.ts';

const questions: SurveyQuestion[] = [
  { kind: 'scale', text: '总体满意度', required: true, max: 10, minLabel: '', maxLabel: '' },
  { kind: 'choice', text: '渠道', required: false, options: ['电话', '官网'] },
];
const inv = (id: string, answeredAt: string | null, over: Partial<ResultInvitation> = {}): ResultInvitation => ({
  id,
  org_unit_id: 'u1',
  unit_name: '洛阳分店',
  tier: 'key',
  category: 'A',
  status: answeredAt ? 'answered' : 'pending',
  answered_at: answeredAt,
  created_at: '2026-10-20T02:00:00.000Z',
  ...over,
});
const ans = (id: string, q: number, v: number | null): ResultAnswer => ({ invitation_id: id, question_no: q, number_value: v, has_text: 0 });

describe('survey results', () => {
  // 2026-11-30T17:00Z is already 2026-12-01 in Shanghai: it counts for December there.
  const invitations = [inv('a', '2026-11-30T15:00:00.000Z'), inv('b', '2026-11-30T17:00:00.000Z', { tier: 'strategic' }), inv('c', null), inv('d', null, { created_at: '2026-12-15T02:00:00.000Z' })];
  const answers = [ans('a', 0, 10), ans('a', 1, 0), ans('b', 0, 7), ans('b', 1, null)];

  it('buckets answers by the local month and counts those invited by each month\'s end', () => {
    const r = aggregate(questions, invitations, answers, { groupBy: 'month', timeZone: 'Asia/Shanghai', surveyId: 's' });
    expect(r.groups.map((g) => [g.key, g.invited, g.answered, g.responseRate])).toEqual([['2026-11', 3, 1, 0.3333], ['2026-12', 4, 1, 0.25]]);
    expect(r.groups[0]!.questions[0]).toMatchObject({ answers: 1, average: 10 });
    expect(r.groups[1]!.questions[1]).toMatchObject({ answers: 0, distribution: [{ value: 0, count: 0 }, { value: 1, count: 0 }] });
    const utc = aggregate(questions, invitations, answers, { groupBy: 'month', timeZone: 'UTC', surveyId: 's' });
    expect(utc.groups.map((g) => g.key)).toEqual(['2026-11']);
  });

  it('keeps a 1–10 scale\'s ten points and limits answers to the period', () => {
    const r = aggregate(questions, invitations, answers, { groupBy: 'tier', timeZone: 'Asia/Shanghai', from: '2026-12-01', to: '2026-12-31', surveyId: 's' });
    expect(r).toMatchObject({ invited: 4, answered: 1, responseRate: 0.25 });
    expect(r.groups.map((g) => [g.key, g.invited, g.answered])).toEqual([['key', 3, 0], ['strategic', 1, 1]]);
    const scale = r.groups[1]!.questions[0]!;
    expect(scale.distribution).toHaveLength(10);
    expect(scale).toMatchObject({ answers: 1, average: 7 });
  });

  it('answers null rates and averages when nobody was invited', () => {
    expect(aggregate(questions, [], [], { groupBy: 'none', timeZone: 'Asia/Shanghai', surveyId: 's' })).toEqual({ surveyId: 's', groupBy: 'none', invited: 0, answered: 0, responseRate: null, groups: [] });
  });
});

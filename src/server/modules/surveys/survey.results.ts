import type { z } from 'zod';
import type { SurveyQuestion, SurveyResults, resultGroupings, surveyResultsQuery } from '../../../contracts/surveys.ts';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { nearScope } from '../customers/customer.scope.ts';
import { localDay } from '../tickets/ticket.numbering.ts';
import { surveyRepository as repo } from './survey.repository.ts';

type GroupBy = (typeof resultGroupings)[number];
export interface ResultInvitation {
  id: string;
  org_unit_id: string;
  unit_name: string | null;
  tier: string;
  category: string;
  status: string;
  answered_at: string | null;
  created_at: string;
}
export interface ResultAnswer {
  invitation_id: string;
  question_no: number;
  number_value: number | null;
  has_text: number;
}

/** 'YYYY-MM-DD' of an instant in the zone. */
const dayOf = (instant: string, tz: string) => {
  const d = localDay(new Date(instant), tz);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
};

/**
 * The results, pure: per group (segment snapshot taken when invited, or the month answered) the
 * invitations, the answers in the period and per question the number answered, the scale average and
 * the distribution. The period (month or from/to, local days of the survey's unit) selects answers by the
 * day answered; a group's `invited` counts every invitation of the segment — for months, those sent by the
 * month's end — so the response rate reads "answered in the period ÷ invited".
 */
export function aggregate(
  questions: SurveyQuestion[],
  invitations: ResultInvitation[],
  answers: ResultAnswer[],
  opts: { groupBy: GroupBy; timeZone: string; from?: string; to?: string; surveyId: string },
): SurveyResults {
  const inPeriod = (day: string) => (!opts.from || day >= opts.from) && (!opts.to || day <= opts.to);
  const answeredDay = new Map<string, string>();
  for (const i of invitations) if (i.status === 'answered' && i.answered_at) answeredDay.set(i.id, dayOf(i.answered_at, opts.timeZone));
  const counted = new Set([...answeredDay].filter(([, d]) => inPeriod(d)).map(([id]) => id));

  const keyOf = (i: ResultInvitation): [string, string] => {
    switch (opts.groupBy) {
      case 'tier':
        return [i.tier, i.tier];
      case 'category':
        return [i.category, i.category];
      case 'branch':
        return [i.org_unit_id, i.unit_name ?? i.org_unit_id];
      case 'month': {
        const m = (answeredDay.get(i.id) ?? '').slice(0, 7);
        return [m, m];
      }
      default:
        return ['all', 'all'];
    }
  };

  interface Acc { key: string; label: string; invited: number; answered: number; ids: Set<string> }
  const groups = new Map<string, Acc>();
  const group = (key: string, label: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label, invited: 0, answered: 0, ids: new Set() }));
    return g;
  };
  if (opts.groupBy === 'month') {
    const sentDays = invitations.map((i) => dayOf(i.created_at, opts.timeZone));
    const byId = new Map(invitations.map((i) => [i.id, i]));
    for (const id of counted) {
      const inv = byId.get(id)!;
      const [k, l] = keyOf(inv);
      const g = group(k, l);
      g.answered++;
      g.ids.add(id);
    }
    for (const g of groups.values()) {
      const monthEnd = `${g.key}-31`;
      g.invited = sentDays.filter((d) => d <= monthEnd).length;
    }
  } else {
    for (const i of invitations) {
      const [k, l] = keyOf(i);
      const g = group(k, l);
      g.invited++;
      if (counted.has(i.id)) {
        g.answered++;
        g.ids.add(i.id);
      }
    }
  }

  const byInvitation = new Map<string, ResultAnswer[]>();
  for (const a of answers) {
    if (!counted.has(a.invitation_id)) continue;
    const list = byInvitation.get(a.invitation_id) ?? [];
    list.push(a);
    byInvitation.set(a.invitation_id, list);
  }
  const rate = (answered: number, invited: number) => (invited > 0 ? Math.round((answered / invited) * 10_000) / 10_000 : null);

  const out = [...groups.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((g) => {
      const qs = questions.map((q, index) => {
        const dist = new Map<number, number>();
        if (q.kind === 'scale') for (let v = 1; v <= q.max; v++) dist.set(v, 0);
        if (q.kind === 'choice') q.options.forEach((_, v) => dist.set(v, 0));
        let n = 0;
        let sum = 0;
        for (const id of g.ids) {
          const a = byInvitation.get(id)?.find((x) => Number(x.question_no) === index);
          if (!a) continue;
          if (q.kind === 'text') {
            if (Number(a.has_text) === 1) n++;
            continue;
          }
          if (a.number_value === null) continue;
          const v = Number(a.number_value);
          n++;
          sum += v;
          dist.set(v, (dist.get(v) ?? 0) + 1);
        }
        return {
          index,
          kind: q.kind,
          text: q.text,
          answers: n,
          average: q.kind === 'scale' && n > 0 ? Math.round((sum / n) * 100) / 100 : null,
          distribution: [...dist].map(([value, count]) => ({ value, count })),
        };
      });
      return { key: g.key, label: g.label, invited: g.invited, answered: g.answered, responseRate: rate(g.answered, g.invited), questions: qs };
    });

  const invited = invitations.length;
  return { surveyId: opts.surveyId, groupBy: opts.groupBy, invited, answered: counted.size, responseRate: rate(counted.size, invited), groups: out };
}

/** `GET /surveys/:id/results` (customer:manage near the survey's unit). */
export async function surveyResults(ctx: Ctx, id: string, q: z.infer<typeof surveyResultsQuery>): Promise<SurveyResults> {
  const s = await repo.inScope(ctx.db, id, nearScope(ctx.actor, 'customer:manage'));
  if (!s) throw notFound();
  const [invitations, answers] = await Promise.all([repo.resultInvitations(ctx.db, id), repo.resultAnswers(ctx.db, id)]);
  const from = q.month ? `${q.month}-01` : q.from;
  const to = q.month ? `${q.month}-31` : q.to;
  return aggregate(JSON.parse(s.questions) as SurveyQuestion[], invitations, answers, { groupBy: q.groupBy, timeZone: s.unit_time_zone, from, to, surveyId: id });
}

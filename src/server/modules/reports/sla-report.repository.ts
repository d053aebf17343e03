import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { inScope } from '../../platform/actor.ts';

/**
 * The SQL of the service-time report 服务时限报表. A clock's *outcome* in a period:
 * - met: `state = 'met'`, at `stopped_at`;
 * - breached: `state = 'breached'` (stopped late), or still running/paused with `breached_at` set
 *   (the sweep fired the breach), or still running past `due_at` (the sweep has not come round yet);
 *   at the moment the limit passed: `breached_at`, else `due_at`, else `stopped_at`.
 * Cancelled clocks and clocks still in time count nowhere. A breached clock counts in the period in
 * which it breached, whether or not the order was resolved later, so a period's numbers do not move
 * when late orders are finally closed.
 */
export interface SlaReportFilter {
  paths: string[];
  target: 'resolution' | 'firstResponse';
  /** UTC instants: from inclusive, to exclusive. */
  fromUtc: string;
  toUtc: string;
  now: string;
  /** Orders owned by this subtree or whose department is in it. */
  unitPath?: string;
  type?: string;
}

/** A time bucket of the period: outcomes at or after `startUtc` (and before the next bucket's). */
export interface Bucket {
  startUtc: string;
}

export type SlaGroupColumn = 'department' | 'owner' | 'type' | 'bucket';

export interface SlaGroupRow {
  k: string | number | null;
  /** The owning unit's path (for `owner`: the branch is found above it). */
  total: number;
  met: number;
  breached: number;
  stopped: number;
  usedMs: number;
}

export interface SlaBreachRow {
  clock_id: string;
  ticket_id: string;
  cycle: number;
  number: string;
  subject: string;
  type: string;
  unit_path: string;
  department_name: string | null;
  state: string;
  mode: 'working' | 'calendar';
  target_ms: number;
  consumed_ms: number;
  segment_start: string | null;
  calendar_unit_id: string;
  due_at: string | null;
  stopped_at: string | null;
  breach_status: string | null;
  outcome_at: string;
}

function outcomes(db: Tx, f: SlaReportFilter) {
  const outcomeAt = sql<string | null>`case
    when c.state = 'met' then c.stopped_at
    when c.state = 'breached' then coalesce(c.breached_at, c.due_at, c.stopped_at)
    when c.breached_at is not null then c.breached_at
    when c.state = 'running' and c.due_at <= ${f.now} then c.due_at
    else null end`;
  const outcome = sql<'met' | 'breached'>`case when c.state = 'met' then 'met' else 'breached' end`;
  let q = db
    .selectFrom('sla_clocks as c')
    .innerJoin('tickets as t', 't.id', 'c.ticket_id')
    .innerJoin('org_units as ou', 'ou.id', 't.org_unit_id')
    .leftJoin('org_units as d', 'd.id', 't.department_id')
    .select([
      'c.id as clock_id',
      'c.ticket_id',
      'c.cycle',
      'c.state',
      'c.mode',
      'c.target_ms',
      'c.consumed_ms',
      'c.segment_start',
      'c.calendar_unit_id',
      'c.due_at',
      'c.stopped_at',
      'c.breach_status',
      't.number',
      't.subject',
      't.type',
      't.department_id',
      'ou.path as unit_path',
      'd.name as department_name',
      outcomeAt.as('outcome_at'),
      outcome.as('outcome'),
    ])
    .where('c.target', '=', f.target)
    .where('c.state', '!=', 'cancelled')
    // A clock that stopped before the period cannot have its outcome in it (the index sla_clocks_report).
    .where((eb) => eb.or([eb('c.stopped_at', 'is', null), eb('c.stopped_at', '>=', f.fromUtc)]))
    .where(inScope(sql.ref('ou.path'), f.paths));
  if (f.unitPath) {
    const p = f.unitPath + '%';
    q = q.where((eb) => eb.or([eb('ou.path', 'like', p), eb('d.path', 'like', p)]));
  }
  if (f.type) q = q.where('t.type', '=', f.type as never);
  return q;
}

function keyOf(column: SlaGroupColumn, buckets: Bucket[]): RawBuilder<string | number | null> {
  switch (column) {
    case 'department':
      return sql<string | null>`x.department_id`;
    case 'owner':
      return sql<string>`x.unit_path`;
    case 'type':
      return sql<string>`x.type`;
    case 'bucket': {
      // Bucket i holds outcomes from its start to the next one's: the last start at or before the instant.
      const parts = buckets
        .map((b, i) => ({ b, i }))
        .slice(1)
        .reverse()
        .map(({ b, i }) => sql`when x.outcome_at >= ${b.startUtc} then ${sql.lit(i)}`);
      return parts.length ? sql<number>`case ${sql.join(parts, sql` `)} else 0 end` : sql<number>`0`;
    }
  }
}

const inPeriod = (f: SlaReportFilter) => sql<SqlBool>`x.outcome_at >= ${f.fromUtc} and x.outcome_at < ${f.toUtc}`;

export const slaReportRepository = {
  /** Met / breached counts per group; `usedMs` and `stopped` give the average time used by stopped targets. */
  async grouped(db: Tx, f: SlaReportFilter, column: SlaGroupColumn, buckets: Bucket[] = []): Promise<SlaGroupRow[]> {
    const keyed = db
      .selectFrom(outcomes(db, f).as('x'))
      .select([
        keyOf(column, buckets).as('k'),
        'x.outcome',
        'x.stopped_at',
        'x.consumed_ms',
      ])
      .where(inPeriod(f));
    const rows = await db
      .selectFrom(keyed.as('y'))
      .select([
        'y.k',
        sql<number>`count(*)`.as('total'),
        sql<number>`sum(case when y.outcome = 'met' then 1 else 0 end)`.as('met'),
        sql<number>`sum(case when y.outcome = 'met' then 0 else 1 end)`.as('breached'),
        sql<number>`sum(case when y.stopped_at is not null then 1 else 0 end)`.as('stopped'),
        sql<number>`sum(case when y.stopped_at is not null then y.consumed_ms else 0 end)`.as('used_ms'),
      ])
      .groupBy('y.k')
      .execute();
    return rows.map((r) => ({
      k: r.k as string | number | null,
      total: Number(r.total),
      met: Number(r.met),
      breached: Number(r.breached),
      stopped: Number(r.stopped),
      usedMs: Number(r.used_ms),
    }));
  },

  /** Breached clocks in the period, by the instant the limit passed then id; keyset after `after`. */
  async breaches(db: Tx, f: SlaReportFilter, after: [string, string] | undefined, limit: number): Promise<SlaBreachRow[]> {
    let q = db
      .selectFrom(outcomes(db, f).as('x'))
      .selectAll('x')
      .where('x.outcome', '=', 'breached')
      .where(inPeriod(f));
    if (after) q = q.where(sql<SqlBool>`(x.outcome_at > ${after[0]} or (x.outcome_at = ${after[0]} and x.clock_id > ${after[1]}))`);
    const rows = await q.orderBy('x.outcome_at').orderBy('x.clock_id').limit(limit).execute();
    return rows.map((r) => ({
      ...r,
      cycle: Number(r.cycle),
      target_ms: Number(r.target_ms),
      consumed_ms: Number(r.consumed_ms),
      outcome_at: r.outcome_at as string,
    })) as SlaBreachRow[];
  },

  /** Units by id (labels of departments and branches). */
  async units(db: Tx, ids: string[]): Promise<{ id: string; name: string; kind: string; path: string; time_zone: string }[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('org_units').select(['id', 'name', 'kind', 'path', 'time_zone']).where('id', 'in', ids).execute();
  },

  async root(db: Tx): Promise<{ id: string; time_zone: string } | undefined> {
    return db.selectFrom('org_units').select(['id', 'time_zone']).where('parent_id', 'is', null).orderBy('created_at').executeTakeFirst();
  },
};

import type { TicketQueue } from '../../../contracts/tickets.ts';

/**
 * The queue page's filter as the URL holds it and saved filters store it: the query string of
 * GET /api/tickets (lists as `a,b`, instants as ISO text), plus `queue` (absent in the URL: 我的;
 * `all`: every queue). Pure helpers — no React, no antd — so they are unit-tested on their own.
 */
export type QueueQuery = Record<string, string>;

/** The filter keys the page keeps in the URL (an allow-list: anything else in the address is ignored). */
export const filterKeys = [
  'status',
  'type',
  'channel',
  'priority',
  'severity',
  'categoryId',
  'tags',
  'orgUnitId',
  'departmentId',
  'assigneeId',
  'customerId',
  'vip',
  'createdFrom',
  'createdTo',
  'updatedFrom',
  'updatedTo',
  'dueFrom',
  'dueTo',
  'overdue',
  'q',
  'sort',
  'order',
] as const;
export type FilterKey = (typeof filterKeys)[number];
/** The filters behind "更多筛选" (the first row holds queue, q, status and type). */
export const moreKeys: readonly FilterKey[] = filterKeys.filter((k) => !['status', 'type', 'q', 'sort', 'order'].includes(k));
const MAX_VALUE = 1000;

/** The filter (without queue) in a URL's query string; unknown keys, empty values and over-long values are dropped. */
export function filterFromParams(params: URLSearchParams): QueueQuery {
  const out: QueueQuery = {};
  for (const k of filterKeys) {
    const v = params.getAll(k).join(',').trim();
    if (v && v.length <= MAX_VALUE) out[k] = v;
  }
  return out;
}

/** The URL's query string for a queue tab and a filter (the mine tab is the address without `queue`). */
export function paramsFromFilter(queue: TicketQueue | 'all', filter: QueueQuery): Record<string, string> {
  const out: Record<string, string> = queue === 'mine' ? {} : { queue };
  for (const k of filterKeys) if (filter[k]) out[k] = filter[k];
  return out;
}

/** A saved filter's query → its tab and filter (a saved filter without a queue means all queues). */
export function fromSaved(q: QueueQuery): { queue: string; filter: QueueQuery } {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string') params.set(k, v);
  return { queue: q.queue ?? 'all', filter: filterFromParams(params) };
}

/** What "save filter" stores: the filter and the tab (all queues store no queue). */
export function toSaved(queue: TicketQueue | 'all', filter: QueueQuery): QueueQuery {
  const out: QueueQuery = { ...filter };
  if (queue !== 'all') out.queue = queue;
  return out;
}

/** A list filter value `a,b` → its values (empty: none). */
export const splitList = (v: string | undefined): string[] => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
/** Values → a list filter value (none: undefined, which removes the key). */
export const joinList = (v: readonly string[] | null | undefined): string | undefined => (v && v.length ? [...new Set(v)].join(',') : undefined);

/** A filter with one key changed; undefined, null or '' removes it. */
export function withValue(filter: QueueQuery, key: FilterKey, value: string | null | undefined): QueueQuery {
  const out = { ...filter };
  if (value === undefined || value === null || value === '') delete out[key];
  else out[key] = value;
  return out;
}


const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');
/** A Date's calendar day in the browser's zone, YYYY-MM-DD. */
export const localDay = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * Two calendar days in the browser's zone (both included) → the instants the API takes: the start of
 * the first day, and the start of the day after the last (exclusive). Days are given as YYYY-MM-DD;
 * a day that is not a real date answers null. Local midnight is found by the Date constructor, so a
 * daylight-saving change inside the range is handled by the browser's zone rules.
 */
export function dayRangeToInstants(fromDay: string, toDay: string): { from: string; to: string } | null {
  const a = DAY.exec(fromDay);
  const b = DAY.exec(toDay);
  if (!a || !b) return null;
  const start = new Date(Number(a[1]), Number(a[2]) - 1, Number(a[3]));
  const endDay = new Date(Number(b[1]), Number(b[2]) - 1, Number(b[3]));
  if (localDay(start) !== fromDay || localDay(endDay) !== toDay) return null;
  const [lo, hi] = start <= endDay ? [start, endDay] : [endDay, start];
  const after = new Date(hi.getFullYear(), hi.getMonth(), hi.getDate() + 1);
  return { from: lo.toISOString(), to: after.toISOString() };
}

/**
 * The instants of a filter → the calendar days to show (browser's zone): the day of `from`, and the
 * day of the last moment before `to`. Either may be missing (a saved filter or a link may hold one).
 */
export function instantsToDayRange(from: string | undefined, to: string | undefined): [string | null, string | null] {
  const f = from ? Date.parse(from) : NaN;
  const t = to ? Date.parse(to) : NaN;
  return [Number.isNaN(f) ? null : localDay(new Date(f)), Number.isNaN(t) ? null : localDay(new Date(t - 1))];
}

/** The filter keys of each date range. */
export const dateRanges = {
  created: ['createdFrom', 'createdTo'],
  updated: ['updatedFrom', 'updatedTo'],
  due: ['dueFrom', 'dueTo'],
} as const satisfies Record<string, readonly [FilterKey, FilterKey]>;
export type DateRange = keyof typeof dateRanges;

/** How many filters behind "更多筛选" are set (shown on the expander; a date range counts once). */
export const countMore = (filter: QueueQuery): number =>
  moreKeys.filter((k) => filter[k] && !Object.values(dateRanges).some(([from, to]) => k === to && filter[from])).length;

/**
 * A filter with a date range set from local days (either end may be open: null or ''), or cleared
 * (null, or both ends open).
 */
export function withDayRange(filter: QueueQuery, range: DateRange, days: [string | null, string | null] | null): QueueQuery {
  const [fromKey, toKey] = dateRanges[range];
  const [a, b] = days ?? [null, null];
  const instants = a && b ? dayRangeToInstants(a, b) : null;
  const from = instants ? instants.from : a ? dayRangeToInstants(a, a)?.from : undefined;
  const to = instants ? instants.to : b ? dayRangeToInstants(b, b)?.to : undefined;
  return withValue(withValue(filter, fromKey, from), toKey, to);
}

/** Items as a tree (by parentId; an item whose parent is not in the list is a root), for tree selects. */
export interface TreeNode {
  value: string;
  title: string;
  selectable?: boolean;
  children?: TreeNode[];
}
export function toTree<T extends { id: string; parentId: string | null; name: string }>(items: readonly T[], selectable: (item: T) => boolean = () => true): TreeNode[] {
  const ids = new Set(items.map((x) => x.id));
  const kids = new Map<string | null, T[]>();
  for (const x of items) {
    const parent = x.parentId && ids.has(x.parentId) ? x.parentId : null;
    kids.set(parent, [...(kids.get(parent) ?? []), x]);
  }
  const build = (parent: string | null, seen: Set<string>): TreeNode[] =>
    (kids.get(parent) ?? [])
      .filter((x) => !seen.has(x.id))
      .map((x) => {
        const children = build(x.id, new Set([...seen, x.id]));
        return { value: x.id, title: x.name, selectable: selectable(x), ...(children.length ? { children } : {}) };
      });
  return build(null, new Set());
}

/** The queue tab a URL names: a work queue, `all`, or (absent or unknown) 我的. */
export function tabFromParams(params: URLSearchParams, queues: readonly string[]): TicketQueue | 'all' {
  const q = params.get('queue') ?? '';
  return queues.includes(q) ? (q as TicketQueue) : q === 'all' ? 'all' : 'mine';
}

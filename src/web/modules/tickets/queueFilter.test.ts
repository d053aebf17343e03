import { describe, expect, it } from 'vitest';
import {
  countMore,
  dayRangeToInstants,
  filterFromParams,
  fromSaved,
  instantsToDayRange,
  joinList,
  localDay,
  paramsFromFilter,
  splitList,
  toSaved,
  toTree,
  withDayRange,
  withValue,
} from './queueFilter.ts';

describe('queue filter ⇄ URL', () => {
  it('reads the allowed keys, joins repeated values and drops the rest', () => {
    const p = new URLSearchParams('queue=all&status=new&status=assigned&type=repair,complaint&q=%20烟感%20&evil=1&vip=&sort=priority&order=asc');
    expect(filterFromParams(p)).toEqual({ status: 'new,assigned', type: 'repair,complaint', q: '烟感', sort: 'priority', order: 'asc' });
  });

  it('writes the tab and the filter back; the mine tab is the address without queue', () => {
    const f = { status: 'new,assigned', createdFrom: '2026-11-01T00:00:00.000Z' };
    expect(paramsFromFilter('mine', f)).toEqual(f);
    expect(paramsFromFilter('all', f)).toEqual({ queue: 'all', ...f });
    expect(paramsFromFilter('overdue', { ...f, junk: 'x' })).toEqual({ queue: 'overdue', ...f });
    // a round trip through the address keeps the filter
    expect(filterFromParams(new URLSearchParams(paramsFromFilter('department', f)))).toEqual(f);
  });

  it('saves the tab with the filter (all queues: none) and applies a saved one', () => {
    expect(toSaved('all', { status: 'new' })).toEqual({ status: 'new' });
    expect(toSaved('mine', { status: 'new' })).toEqual({ status: 'new', queue: 'mine' });
    expect(fromSaved({ status: 'new,closed', queue: 'unassigned', limit: '5' })).toEqual({ queue: 'unassigned', filter: { status: 'new,closed' } });
    expect(fromSaved({ priority: 'high' })).toEqual({ queue: 'all', filter: { priority: 'high' } });
  });

  it('splits and joins list values, and removes a key set empty', () => {
    expect(splitList('new, assigned,,')).toEqual(['new', 'assigned']);
    expect(splitList(undefined)).toEqual([]);
    expect(joinList(['a', 'b', 'a'])).toBe('a,b');
    expect(joinList([])).toBeUndefined();
    expect(withValue({ status: 'new', type: 'repair' }, 'status', undefined)).toEqual({ type: 'repair' });
    expect(withValue({}, 'vip', 'true')).toEqual({ vip: 'true' });
    expect(countMore({ status: 'new', q: 'x', vip: 'true', createdFrom: 'a', createdTo: 'b', dueTo: 'c' })).toBe(3);
  });
});

describe('local days ⇄ instants', () => {
  const midnight = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString();

  it('includes the first day and excludes the day after the last, in the browser’s zone', () => {
    expect(dayRangeToInstants('2026-11-03', '2026-11-05')).toEqual({ from: midnight(2026, 11, 3), to: midnight(2026, 11, 6) });
    // one day; the end of a month and of a year
    expect(dayRangeToInstants('2026-12-31', '2026-12-31')).toEqual({ from: midnight(2026, 12, 31), to: midnight(2027, 1, 1) });
    // given backwards: the same range
    expect(dayRangeToInstants('2026-11-05', '2026-11-03')).toEqual(dayRangeToInstants('2026-11-03', '2026-11-05'));
  });

  it('follows the zone’s rules: a day when clocks go forward is 23 hours long', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York'; // Node applies a changed TZ to later Date calls
    try {
      expect(dayRangeToInstants('2026-03-08', '2026-03-08')).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' });
      expect(instantsToDayRange('2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z')).toEqual(['2026-03-08', '2026-03-08']);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses what is not a calendar day', () => {
    expect(dayRangeToInstants('2026-02-30', '2026-03-01')).toBeNull();
    expect(dayRangeToInstants('yesterday', '2026-03-01')).toBeNull();
  });

  it('shows instants as the days they cover, and a round trip gives the same days', () => {
    const r = dayRangeToInstants('2026-03-28', '2026-04-02')!;
    expect(instantsToDayRange(r.from, r.to)).toEqual(['2026-03-28', '2026-04-02']);
    expect(instantsToDayRange(undefined, 'nonsense')).toEqual([null, null]);
    const noon = new Date(2026, 10, 25, 12);
    expect(instantsToDayRange(noon.toISOString(), undefined)).toEqual(['2026-11-25', null]);
    expect(localDay(noon)).toBe('2026-11-25');
  });

  it('sets and clears a date range in the filter', () => {
    const f = withDayRange({ status: 'new' }, 'due', ['2026-11-01', '2026-11-30']);
    expect(f).toEqual({ status: 'new', dueFrom: midnight(2026, 11, 1), dueTo: midnight(2026, 12, 1) });
    expect(withDayRange(f, 'due', null)).toEqual({ status: 'new' });
    // open ends: since a day, or up to a day (inclusive)
    expect(withDayRange({}, 'created', ['2026-11-01', null])).toEqual({ createdFrom: midnight(2026, 11, 1) });
    expect(withDayRange({ createdFrom: 'x' }, 'created', [null, '2026-11-30'])).toEqual({ createdTo: midnight(2026, 12, 1) });
    expect(withDayRange(f, 'due', ['', ''])).toEqual({ status: 'new' });
  });
});

describe('tree of units or categories', () => {
  it('nests by parent; an item whose parent is not visible is a root; marks what may be chosen', () => {
    const items = [
      { id: 'b', parentId: 'a', name: 'Branch', kind: 'company' },
      { id: 'd', parentId: 'b', name: 'Service', kind: 'department' },
      { id: 'x', parentId: 'hidden', name: 'Other', kind: 'department' },
    ];
    expect(toTree(items, (u) => u.kind === 'department')).toEqual([
      { value: 'b', title: 'Branch', selectable: false, children: [{ value: 'd', title: 'Service', selectable: true }] },
      { value: 'x', title: 'Other', selectable: true },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { failedConditions, leastOpen, nextInTurn, normaliseConditions, type RoutingFacts } from './routing.engine.ts';

const facts: RoutingFacts = {
  type: 'complaint',
  channel: 'phone',
  subject: '客房淋浴水小且发黄',
  description: 'Shower water is WEAK and yellow',
  categoryIds: ['cat-child', 'cat-parent'],
  customer: { tier: 'key', vip: true },
  companyId: 'A',
};

describe('routing conditions', () => {
  it('matches everything without conditions', () => {
    expect(failedConditions({}, facts)).toEqual([]);
    expect(failedConditions({ types: [], keywords: [], vipOnly: false }, facts)).toEqual([]);
  });

  it('checks each condition alone: OR within a list', () => {
    const cases: [Parameters<typeof failedConditions>[0], Parameters<typeof failedConditions>[0]][] = [
      [{ types: ['inquiry', 'complaint'] }, { types: ['inquiry'] }],
      [{ categoryIds: ['cat-parent'] }, { categoryIds: ['other'] }],
      [{ channels: ['phone'] }, { channels: ['email', 'web'] }],
      [{ keywords: ['发黄'] }, { keywords: ['停电'] }],
      [{ keywords: ['weak'] }, { keywords: ['strong'] }],
      [{ customerTiers: ['key', 'strategic'] }, { customerTiers: ['ordinary'] }],
      [{ vipOnly: true }, { vipOnly: true }],
      [{ branchIds: ['A', 'B'] }, { branchIds: ['B'] }],
    ];
    for (const [yes, no] of cases) {
      expect(failedConditions(yes, facts), JSON.stringify(yes)).toEqual([]);
      const f = Object.keys(no)[0] === 'vipOnly' ? { ...facts, customer: { tier: 'key' as const, vip: false } } : facts;
      expect(failedConditions(no, f), JSON.stringify(no)).toEqual([Object.keys(no)[0]]);
    }
  });

  it('ANDs conditions and fails customer conditions without a customer', () => {
    expect(failedConditions({ types: ['complaint'], channels: ['email'], keywords: ['x'] }, facts)).toEqual(['channels', 'keywords']);
    expect(failedConditions({ customerTiers: ['ordinary', 'key', 'strategic'], vipOnly: true }, { ...facts, customer: null })).toEqual(['customerTiers', 'vipOnly']);
  });

  it('drops empty lists and false flags when stored', () => {
    expect(normaliseConditions({ types: [], vipOnly: false, keywords: ['a', 'a'], channels: ['phone'] })).toEqual({ keywords: ['a'], channels: ['phone'] });
  });
});

describe('assignment policies', () => {
  const people = [
    { id: '1', username: 'a', openTickets: 2 },
    { id: '2', username: 'b', openTickets: 0 },
    { id: '3', username: 'c', openTickets: 0 },
  ];
  it('takes turns, wrapping, and continues by name when the last one left', () => {
    expect(nextInTurn(people, null, null)?.id).toBe('1');
    expect(nextInTurn(people, '1', 'a')?.id).toBe('2');
    expect(nextInTurn(people, '3', 'c')?.id).toBe('1');
    expect(nextInTurn(people, 'gone', 'bb')?.id).toBe('3');
    expect(nextInTurn(people, 'gone', 'z')?.id).toBe('1');
    expect(nextInTurn([], null, null)).toBeUndefined();
  });
  it('picks the fewest open work orders, ties by name', () => {
    expect(leastOpen(people)?.id).toBe('2');
    expect(leastOpen([])).toBeUndefined();
  });
});

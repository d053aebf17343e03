import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../../contracts/tickets.ts';
import { parseMentions } from './mentions.ts';

describe('mentions in notes', () => {
  it('finds @usernames with dots, case-folded, once each', () => {
    expect(parseMentions('请@lead.a 协调工程部，@Agent.B 也看一下。@lead.a')).toEqual(['lead.a', 'agent.b']);
  });
  it('does not take e-mail addresses or trailing punctuation for names', () => {
    expect(parseMentions('客人邮箱 guest@example.com，抄送@sup.a.')).toEqual(['sup.a']);
    expect(parseMentions('@x 太短, (@wang_li) 可以')).toEqual(['wang_li']);
  });
  it('stops at twenty', () => {
    expect(parseMentions(Array.from({ length: 30 }, (_, i) => `@user${i}`).join(' '))).toHaveLength(20);
  });
});

describe('phone numbers', () => {
  it('keeps digits and a leading plus', () => {
    expect(normalisePhone(' 138-1234 5678 ')).toBe('13812345678');
    expect(normalisePhone('+86 (138) 1234-5678')).toBe('+8613812345678');
    expect(normalisePhone('0379-6543 2100')).toBe('037965432100');
  });
});

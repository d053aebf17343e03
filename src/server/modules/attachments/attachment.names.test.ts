import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { contentDisposition } from './attachment.routes.ts';
import { parseFileName } from './attachment.service.ts';

describe('attachment file names', () => {
  it('decodes percent-encoded UTF-8 from the header', () => {
    expect(parseFileName(encodeURIComponent('客房 漏水（1208）.jpg'), 'zh')).toBe('客房 漏水（1208）.jpg');
    expect(parseFileName('invoice.pdf', 'en')).toBe('invoice.pdf');
  });

  it.each([
    ['missing', undefined],
    ['blank', '%20%20'],
    ['not UTF-8', '%E4%B8'],
    ['not percent-encoded', '发票.pdf'],
    ['a path', encodeURIComponent('../a.png')],
    ['a Windows path', encodeURIComponent('C:\\a.png')],
    ['a control character', encodeURIComponent('a\u0000.png')],
    ['a bidi override', encodeURIComponent('photo\u202Egnp.exe')],
    ['too long', encodeURIComponent('长'.repeat(201))],
    ['dot-dot', '..'],
  ])('refuses %s', (_what, raw) => {
    expect(() => parseFileName(raw, 'zh')).toThrow(AppError);
  });

  it('sends the exact name in filename* and an ASCII fallback', () => {
    expect(contentDisposition('attachment', '发票 (1).pdf')).toBe(`attachment; filename="__ (1).pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%281%29.pdf`);
    expect(contentDisposition('inline', 'a"b\\c;.png')).toBe(`inline; filename="a_b_c_.png"; filename*=UTF-8''a%22b%5Cc%3B.png`);
  });
});

import { describe, expect, it } from 'vitest';
import { composeEmail, configureMail, headerSafe, messageIdFor } from './mail.ts';

describe('notification e-mail composition', () => {
  it('strips CR/LF and other control characters from header text (no header injection)', () => {
    const evil = '空调不制冷\r\nBcc: victim@example.com\r\n\r\nInjected body';
    const s = headerSafe(evil);
    expect(s).not.toMatch(/[\r\n]/);
    expect(s).toBe('空调不制冷 Bcc: victim@example.com Injected body');
    expect(headerSafe('a\u2028b\u2029c\u0000d\u0085e\tf')).toBe('a b c d e f');
    expect(headerSafe('x'.repeat(300), 150)).toHaveLength(150);
  });

  it('writes a one-line subject, the work order link, and a stable Message-ID', () => {
    configureMail({ publicUrl: 'https://kefu.example.test/', from: 'Kefu <k@example.test>' });
    const text = (lang: 'zh' | 'en') => (lang === 'zh' ? '张领班 把工单 A-1「灯\r\nBcc: x@y」分派给了你' : 'Zhang assigned A-1 "lamp\nBcc: x@y" to you');
    const zhEn = composeEmail(text, '0190-abc', 'zh_en');
    expect(zhEn.subject).not.toMatch(/[\r\n]/);
    expect(zhEn.subject.startsWith('[客服] 张领班')).toBe(true);
    expect(zhEn.body).toContain('查看工单：https://kefu.example.test/tickets/0190-abc');
    expect(zhEn.body).toContain('Open the work order: https://kefu.example.test/tickets/0190-abc');
    expect(zhEn.body).not.toContain('\r');
    const en = composeEmail(text, '0190-abc', 'en');
    expect(en.subject).toBe('[Kefu] Zhang assigned A-1 "lamp Bcc: x@y" to you');
    expect(en.body).not.toContain('查看工单');
    expect(messageIdFor('0190-abc')).toBe('<0190-abc@kefu.example.test>');
  });
});

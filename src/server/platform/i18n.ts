import { z } from 'zod';
import { errorMessages, type ErrorCode, type Lang } from '../../contracts/errors.ts';

/** The request's language from Accept-Language: zh-CN unless English is preferred. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.tag.startsWith('zh') || x.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith('en') ? 'en' : 'zh';
}

export function message(code: ErrorCode, lang: Lang): string {
  return errorMessages[code][lang];
}

const zodLocales = { zh: z.locales.zhCN().localeError, en: z.locales.en().localeError };

/** Zod issues in the request's language. */
export function zodIssueMessage(issue: z.core.$ZodIssue, lang: Lang): string {
  // Messages written in the schemas come in both languages (contracts' bilingual()).
  if (issue.message?.includes('\u001f')) {
    const [zh, en] = issue.message.split('\u001f');
    return lang === 'zh' ? zh : en;
  }
  if (issue.code === 'custom' && issue.message) return issue.message;
  const out = zodLocales[lang](issue as never);
  if (typeof out === 'string') return out;
  return out?.message ?? issue.message;
}

/** Texts to customers (Chinese): placeholders and the names they are filled with. Pure. */

/** Replaces each `{{key}}` with its value; unknown placeholders stay as written (visible in the outbox). */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, key: string) => (key in vars ? vars[key]! : whole));
}

/** {{festival}} of a care task's occasion. */
export const OCCASION_NAMES: Record<string, string> = {
  spring: '春节',
  lantern: '元宵节',
  qingming: '清明节',
  dragon_boat: '端午节',
  mid_autumn: '中秋节',
  birthday: '生日',
};

/** {{title}}: 先生 / 女士 from the file's gender, nothing otherwise. */
export const honorific = (gender: string | null | undefined): string => (gender === 'male' ? '先生' : gender === 'female' ? '女士' : '');

export const EVENT_KIND_NAMES: Record<string, string> = { salon: '沙龙', forum: '座谈会', thanks: '答谢会', other: '活动' };

/** 2026年9月22日 (a YYYY-MM-DD day). */
export function chineseDay(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2026年10月10日 14:30 in the unit's time zone. */
export function chineseInstant(at: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}年${Number(get('month'))}月${Number(get('day'))}日 ${get('hour')}:${get('minute')}`;
}

export const DEFAULT_INVITATION = '尊敬的{{name}}{{title}}：诚邀您参加{{event}}，时间：{{start}}，地点：{{place}}。敬请回复，期待您的光临！';

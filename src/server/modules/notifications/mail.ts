import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailLanguage } from '../../../contracts/notifications.ts';
import type { Lang } from '../../../contracts/errors.ts';

/**
 * Notification e-mail: settings (from the configuration, set once by the app), the pure composition
 * of a message (header-safe subject, plain-text body with the work order's link, a stable Message-ID)
 * and the SMTP send. The SMTP URL holds a password: it is never logged or stored, and errors that
 * reach `last_error` go through `jobErrorText`, which masks credentials in URLs.
 */
export interface MailSettings {
  /** Links in messages: `${publicUrl}/tickets/<id>`. */
  publicUrl: string;
  /** smtp://user:pass@host:port (smtps:// for TLS from the start); unset → messages stay queued. */
  smtpUrl?: string;
  from: string;
}

let settings: MailSettings = { publicUrl: 'http://localhost:3000', from: '客服 Kefu <kefu@localhost>' };

/** Called by the HTTP app with the configuration (tests may call it to point at their SMTP server). */
export function configureMail(s: MailSettings): void {
  settings = { ...s, publicUrl: s.publicUrl.replace(/\/+$/, '') };
}
export function mailSettings(): MailSettings {
  return settings;
}
export const smtpConfigured = (): boolean => Boolean(settings.smtpUrl);
export const SMTP_NOT_CONFIGURED = 'SMTP not configured (KEFU_SMTP_URL): kept queued 未配置 SMTP，邮件保持排队';

/**
 * One header line from any text: CR, LF, the Unicode line/paragraph separators and every other
 * control character become a space (no header injection through a work order's subject), runs of
 * spaces collapse, and it is cut to `max` characters.
 */
export function headerSafe(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A body line: control characters other than LF and TAB removed (plain text, never HTML). */
function bodySafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export const ticketLink = (ticketId: string) => `${settings.publicUrl}/tickets/${encodeURIComponent(ticketId)}`;

/** `<outbox id@host of the public URL>`: the same for every attempt, so a duplicate delivery is recognisable. */
export function messageIdFor(outboxId: string): string {
  let host = 'kefu.localhost';
  try {
    host = new URL(settings.publicUrl).hostname || host;
  } catch {
    /* keep the fallback */
  }
  return `<${outboxId}@${host}>`;
}

/** Subject and plain-text body in the person's e-mail language; Chinese with the English below by default. */
export function composeEmail(text: (lang: Lang) => string, ticketId: string | null, lang: EmailLanguage): { subject: string; body: string } {
  const link = ticketId ? ticketLink(ticketId) : null;
  const zh = [bodySafe(text('zh')), ...(link ? ['', `查看工单：${link}`] : [])].join('\n');
  const en = [bodySafe(text('en')), ...(link ? ['', `Open the work order: ${link}`] : [])].join('\n');
  const settingsLink = `${settings.publicUrl}/me/notifications`;
  const footerZh = `—\n客服 Kefu · 通知设置：${settingsLink}`;
  const footerEn = `—\nKefu · notification settings: ${settingsLink}`;
  const subject = lang === 'en' ? headerSafe(`[Kefu] ${text('en')}`, 150) : headerSafe(`[客服] ${text('zh')}`, 150);
  const body =
    lang === 'zh' ? `${zh}\n\n${footerZh}\n` : lang === 'en' ? `${en}\n\n${footerEn}\n` : `${zh}\n\n${'-'.repeat(40)}\n${en}\n\n${footerZh}\n${footerEn.slice(2)}\n`;
  return { subject, body };
}

const transports = new Map<string, Transporter>();
function transport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Plain text only: nothing in a message may make the sender read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transports.set(url, t);
  }
  return t;
}

/** Sends one message through the configured SMTP server; throws on any refusal or network error. */
export async function sendMail(m: { to: string; subject: string; body: string; messageId: string }): Promise<void> {
  const url = settings.smtpUrl;
  if (!url) throw new Error(SMTP_NOT_CONFIGURED);
  await transport(url).sendMail({
    from: settings.from,
    to: m.to,
    subject: headerSafe(m.subject),
    text: m.body,
    messageId: m.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  });
}

/** Closes pooled connections (tests, shutdown). */
export function closeMailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActions, auditEntityTypes } from '../../../contracts/audit.ts';
import { notificationKinds } from '../../../contracts/notifications.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

/**
 * The audit page and the notification bell label every code the server writes, in both languages
 * (no raw `ticket.merge_into` on a Chinese console). The server's codes are read from its sources, so
 * a new recordAudit call or notification kind without an entry in src/contracts/audit.ts (or
 * contracts/notifications.ts) and a label in zh-CN.ts and en.ts fails here.
 */

type Tree = { [key: string]: string | Tree };
const root = join(import.meta.dirname, '../../..'); // src/
const languages = { 'zh-CN': zhCN as unknown as Tree, en: en as unknown as Tree };
// The same key rule as actionLabel/entityTypeLabel in AuditChanges.tsx.
const keyOf = (code: string) => code.replace(/\./g, '_');
const label = (tree: Tree, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Tree)[k] : undefined), tree);

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [{ path: relative(root, p), text: readFileSync(p, 'utf8') }] : [];
  });
}
const server = sources(join(root, 'server'));
const source = (path: string) => readFileSync(join(root, path), 'utf8');
const literals = (s: string) => [...s.matchAll(/'([a-z_]+\.[a-z_0-9]+)'/g)].map((m) => m[1]);

/** Actions built from a template: each template and where its values come from. */
const templates: Record<string, () => string[]> = {
  // sla.sweep.ts: one per escalation stage of the clock.
  'sla.${stage}': () => (source('server/modules/sla/sla.clock.ts').match(/export type Stage = ([^;]+);/)?.[1] ?? '').match(/'(\w+)'/g)!.map((s) => `sla.${s.slice(1, -1)}`),
  // ticket-message.service.ts: reply / note.
  'ticket.${input.kind}': () => {
    const m = source('contracts/tickets.ts').match(/kind: z\.enum\(\[([^\]]+)\]\)\.describe\('reply/)?.[1] ?? '';
    return [...m.matchAll(/'(\w+)'/g)].map((x) => `ticket.${x[1]}`);
  },
  // category.service.ts: auditCategory(trx, ctx, '<verb>', …).
  'ticket_category.${action}': () => [...source('server/modules/tickets/category.service.ts').matchAll(/auditCategory\(trx, ctx, '(\w+)'/g)].map((m) => `ticket_category.${m[1]}`),
};

/** Every action the server passes to recordAudit, found in its sources. */
function serverActions(): { found: Set<string>; unknown: string[] } {
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const f of server) {
    if (!f.text.includes('recordAudit(')) continue;
    const calls = [...f.text.matchAll(/recordAudit\(\w+, \w+, \{\s*action(\s*[:,}])\s*([^\n]*)/g)];
    const direct = [...f.text.matchAll(/\baction\b[^\n]*/g)].flatMap((m) => literals(m[0]));
    for (const c of calls) {
      const expr = c[2];
      if (c[1].trim() !== ':') {
        // `{ action, …}`: the function takes the action as a parameter; its values are the dotted literals
        // of this file sharing a prefix with the file's other actions (calendar.*, ticket.*).
        const prefixes = new Set(direct.map((a) => a.split('.')[0]));
        for (const l of literals(f.text)) if (prefixes.has(l.split('.')[0])) found.add(l);
      } else if (expr.startsWith('`')) {
        const tpl = expr.slice(1, expr.indexOf('`', 1));
        if (templates[tpl]) for (const a of templates[tpl]()) found.add(a);
        else unknown.push(`${f.path}: ${tpl}`);
      } else if (expr.startsWith("'") || /\?\s*'/.test(expr.split(',')[0])) {
        for (const l of literals(expr.split(/, entityType|,\s*$/)[0])) found.add(l);
      } else if (/^\w+,/.test(expr) && !/^input\.|^q\.|^r\./.test(expr)) {
        unknown.push(`${f.path}: action from ${expr.split(',')[0]}`);
      }
    }
    for (const l of direct) found.add(l);
  }
  return { found, unknown };
}

describe('audit and notification labels', () => {
  const { found, unknown } = serverActions();

  it('understands every action the server passes to recordAudit', () => {
    expect(unknown).toEqual([]);
    for (const stage of ['sla.warning', 'sla.breach', 'sla.level1', 'ticket.reply', 'ticket.note', 'ticket_category.move', 'calendar.import', 'ticket.reopen'])
      expect(found.has(stage), stage).toBe(true);
  });

  it('lists every server audit action in contracts/audit.ts (and nothing the server no longer writes)', () => {
    expect([...found].sort()).toEqual([...auditActions].sort());
  });

  it('lists every entity type the server records', () => {
    const types = new Set(server.flatMap((f) => [...f.text.matchAll(/entityType: '([a-z_]+)'/g)].map((m) => m[1])));
    // eraseAuditSubject records the personal-data subject types.
    for (const f of server) for (const m of f.text.matchAll(/subjectType: [^,]*?'([a-z_]+)'(?: : '([a-z_]+)')?/g)) for (const t of m.slice(1)) if (t) types.add(t);
    expect([...types].filter((t) => !(auditEntityTypes as readonly string[]).includes(t))).toEqual([]);
  });

  for (const [lang, tree] of Object.entries(languages)) {
    it(`labels every audit action and entity type in ${lang}`, () => {
      const missing = [
        ...auditActions.map((a) => `audit.actions.${keyOf(a)}`),
        ...auditEntityTypes.map((e) => `audit.entityTypes.${keyOf(e)}`),
      ].filter((k) => typeof label(tree, k) !== 'string' || !(label(tree, k) as string).trim());
      expect(missing).toEqual([]);
    });

    it(`labels every notification kind in ${lang}`, () => {
      const union = source('server/modules/tickets/notification.service.ts').match(/export type NotificationKind = ([^;]+);/)?.[1] ?? '';
      const kinds = new Set([...notificationKinds, ...[...union.matchAll(/'(\w+)'/g)].map((m) => m[1])]);
      for (const f of server) for (const m of f.text.matchAll(/notify\(trx, \w+, \{[^}]*?kind: '(\w+)'/gs)) kinds.add(m[1]);
      expect(kinds.size).toBeGreaterThan(0);
      expect([...kinds, 'other'].filter((k) => typeof label(tree, `notifications.kinds.${k}`) !== 'string')).toEqual([]);
    });
  }
});

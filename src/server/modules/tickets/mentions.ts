const MAX_MENTIONS = 20;

/**
 * `@username` mentions in a note, lower-cased, at most 20. A mention starts after a non-name
 * character (so e-mail addresses in the text are not mentions) and a trailing full stop is
 * punctuation, not part of the name.
 */
export function parseMentions(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(/(?:^|[^A-Za-z0-9._@-])@([A-Za-z0-9_-][A-Za-z0-9._@-]*)/g)) {
    const name = m[1].replace(/[.@-]+$/, '').toLowerCase();
    if (name.length >= 2) out.add(name);
    if (out.size >= MAX_MENTIONS) break;
  }
  return [...out];
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Section } from './suite.ts';

const HEADER = `# Benchmark results

Written by \`npm run bench\`; see [README.md](README.md) for what each benchmark measures, how to
reproduce it and how to read the ratios. Each section is replaced when its benchmark runs again, so
the date, machine and command printed in a section are those of the run that produced it. Absolute
figures depend on the machine; the ratios to a bare baseline measured in the same run are what to
compare.
`;

const open = (id: string) => `<!-- bench:${id} -->`;
const close = (id: string) => `<!-- /bench:${id} -->`;

/** Replaces each section's marked block in `file` (or appends it), leaving the other sections alone. */
export function writeSections(file: string, sections: Section[]): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  for (const s of sections) {
    const block = `${open(s.id)}\n${s.markdown.trim()}\n${close(s.id)}`;
    const start = text.indexOf(open(s.id));
    const end = text.indexOf(close(s.id));
    if (start >= 0 && end > start) text = text.slice(0, start) + block + text.slice(end + close(s.id).length);
    else text = `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

export type Align = 'left' | 'right';

export function markdownTable(head: string[], rows: string[][], align: Align[] = []): string {
  const rule = head.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

/** 12345.6 → "12,346"; 12.34 → "12.3"; keeps three significant digits below 100. */
export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

export function fmtMs(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '—';
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

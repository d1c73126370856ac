/** Escaping for GitHub/GitLab-flavoured Markdown. Text from logs is data: it must never become markup. */

const longestBacktickRun = (text: string): number =>
  Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));

/** Inline text with every character that could start markup backslash-escaped; line breaks become spaces. */
export const mdText = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~&#]/g, '\\$&');

/** An inline code span that survives backticks in its content; `|` escaped so it can sit in a table cell. */
export const mdCode = (text: string): string => {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
};

/** A fenced code block whose fence is longer than any backtick run inside, so no line can close it. */
export const mdFence = (lines: readonly string[], info = ''): string[] => {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(lines.join('\n')) + 1));
  return [`${fence}${info}`, ...lines, fence];
};

/** A GFM table; cells are already escaped inline Markdown. */
export const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
];

/** Text for raw HTML inside Markdown (`<summary>`), where Markdown escapes do not apply. */
export const htmlText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Escaped text in which balanced `code` spans from rule authors stay code. */
export const mdProse = (text: string): string =>
  text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? mdCode(part.slice(1, -1)) : mdText(part)))
    .join('');

/** Escaping for HTML text and attribute values: log lines carry `<`, `&` and quotes. */
export const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Escaped text in which balanced `code` spans from rule authors become `<code>`. */
export const htmlProse = (text: string): string =>
  text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part.slice(1, -1))}</code>` : esc(part)))
    .join('');

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const README = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');

/** The first fenced block of `language` after `heading` in README.md: tests use the README's examples as written. */
function fencedBlockAfter(heading: string, language: string): string {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading ${heading}`);
  const open = README.indexOf(`\n\`\`\`${language}\n`, at);
  const close = README.indexOf('\n```\n', open + 1);
  if (open < 0 || close < 0) throw new Error(`README.md has no ${language} block after ${heading}`);
  return `${README.slice(open + language.length + 5, close)}\n`;
}

/** The rule of "Writing your own rules" and the fixture of "Testing a rule", verbatim. */
export const README_RULE = fencedBlockAfter('## Writing your own rules', 'yaml');
export const README_FIXTURE = fencedBlockAfter('### Testing a rule', 'text');

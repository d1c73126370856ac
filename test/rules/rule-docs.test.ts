import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGENERATE_RULE_DOCS, renderRuleIndex } from '../../src/rules/rule-docs.js';
import type { RuleModule } from '../../src/rules/types.js';
import { ruleIndexText } from '../../src/rules/write-rule-docs.js';
import { PACKAGE_ROOT } from '../../src/version.js';

const rule = (id: string, over: Partial<RuleModule['meta']> = {}): RuleModule => ({
  id,
  meta: {
    title: 'Title | with a pipe',
    severity: 'high',
    description: 'What it finds.',
    remediation: 'What to do.',
    falsePositives: ['When it is wrong.'],
    references: ['https://github.com/harvester/harvester/issues/1'],
    sources: ['kernel'],
    messages: { m: 'x' },
    ...over,
  },
  literals: ['x'],
  create: () => ({}),
});

describe('rule docs', () => {
  it('rules/README.md is up to date', () => {
    const actual = readFileSync(join(PACKAGE_ROOT, 'rules', 'README.md'), 'utf8');
    expect(actual, `rules/README.md is out of date; regenerate it with: ${REGENERATE_RULE_DOCS}`).toBe(ruleIndexText());
  });

  it('renders an index linking each rule to its anchored section, sorted by id', () => {
    const text = renderRuleIndex([rule('b-rule'), rule('a-rule', { examples: ['Jun 14 09:36:41.502811 harvester-01 systemd[1]: Stopping ```x'] })], {
      examples: { 'b-rule': ['from a fixture'] },
    });
    expect(text).toContain('| [a-rule](#a-rule) | high | Title \\| with a pipe | built-in |\n| [b-rule](#b-rule) |');
    expect(text.indexOf('\n## a-rule\n')).toBeLessThan(text.indexOf('\n## b-rule\n'));
    expect(text).toContain('````text\nJun 14 09:36:41.502811 harvester-01 systemd[1]: Stopping ```x\n````');
    expect(text).toContain('```text\nfrom a fixture\n```');
    expect(text).toContain('**Remediation:** What to do.');
    expect(text).toContain('- <https://github.com/harvester/harvester/issues/1>');
    expect(renderRuleIndex([rule('b-rule'), rule('a-rule')])).toBe(renderRuleIndex([rule('a-rule'), rule('b-rule')]));
  });
});

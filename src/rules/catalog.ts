import { isAbsolute, join, relative, sep } from 'node:path';
import { compareText } from '../util/compare.js';
import { PACKAGE_ROOT } from '../version.js';
import { ruleOrigin } from './sigma/rule-origin.js';
import type { RuleModule, Severity } from './types.js';

/** The shipped `rules/` directory. */
export const SHIPPED_RULES_DIR = join(PACKAGE_ROOT, 'rules');

export interface CatalogueOptions {
  /** Where the shipped declarative rules live; rule files elsewhere are the user's. */
  shippedRulesDir?: string;
}

export interface RuleCatalogueEntry {
  id: string;
  severity: Severity;
  title: string;
  /** `builtin`: a TypeScript rule; `yaml`: a declarative rule shipped with the tool; `user`: one from `--rules`. */
  source: 'builtin' | 'yaml' | 'user';
  kind: 'typescript' | 'detection' | 'correlation';
  /** `rules/<file>` for shipped rules, the path as given for user rules, null for built-in ones. */
  file: string | null;
  line: number | null;
  literals: number;
  /** The rule reads no log line (objects and `end` only, or a rule that cannot fire on logs). */
  noLiteral: boolean;
}

/** Data for `rules list`, sorted by id. */
export function ruleCatalogue(rules: readonly RuleModule[], options: CatalogueOptions = {}): RuleCatalogueEntry[] {
  return rules
    .map((rule) => {
      const { source, kind, file, line } = describeSource(rule, options);
      const literals = rule.literals.filter((literal) => literal.length > 0).length;
      const { id, meta } = rule;
      return { id, severity: meta.severity, title: meta.title, source, kind, file, line, literals, noLiteral: literals === 0 };
    })
    .sort((a, b) => compareText(a.id, b.id));
}

function describeSource(rule: RuleModule, options: CatalogueOptions): Pick<RuleCatalogueEntry, 'source' | 'kind' | 'file' | 'line'> {
  const origin = ruleOrigin(rule);
  if (!origin) return { source: 'builtin', kind: 'typescript', file: null, line: null };
  const inShipped = relative(options.shippedRulesDir ?? SHIPPED_RULES_DIR, origin.file);
  const shipped = inShipped !== '' && !inShipped.startsWith('..') && !isAbsolute(inShipped);
  return {
    source: shipped ? 'yaml' : 'user',
    kind: origin.kind,
    file: shipped ? `rules/${inShipped.split(sep).join('/')}` : origin.file,
    line: origin.line,
  };
}

/** The text of `rules show ID`: everything an engineer needs to judge a finding of this rule. */
export function renderRuleDoc(rule: RuleModule, options: CatalogueOptions = {}): string {
  const { meta } = rule;
  const { source, kind, file, line } = describeSource(rule, options);
  const origin =
    source === 'builtin' ? 'built-in (TypeScript)' : `${file}:${line} (${source === 'yaml' ? 'shipped' : 'user'} declarative ${kind})`;
  const literals = rule.literals.filter((literal) => literal.length > 0);
  const out: string[] = [
    `# ${rule.id} — ${meta.title}`,
    '',
    `Severity: ${meta.severity}`,
    `Source: ${origin}`,
    `Reads: ${meta.sources.length > 0 ? meta.sources.join(', ') : '(not stated)'}`,
    `Prefilter literals: ${literals.length > 0 ? literals.map((literal) => `\`${literal}\``).join(', ') : 'none (reads no log lines)'}`,
    '',
    meta.description,
    '',
    '## Remediation',
    '',
    meta.remediation || '(none given)',
  ];
  const list = (heading: string, items: readonly string[]): void => {
    if (items.length === 0) return;
    out.push('', `## ${heading}`, '', ...items.map((item) => `- ${item}`));
  };
  list('False positives', meta.falsePositives);
  list('References', meta.references);
  list(
    'Messages',
    Object.keys(meta.messages)
      .sort(compareText)
      .map((id) => `${id}: ${meta.messages[id]}`),
  );
  const yaml = ruleOrigin(rule)?.source;
  if (yaml) out.push('', '## Rule', '', '```yaml', yaml, '```');
  return `${out.join('\n')}\n`;
}

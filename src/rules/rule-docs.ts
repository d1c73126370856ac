import type { RuleModule } from './types.js';
import { SEVERITIES } from './types.js';
import { ruleOrigin } from './sigma/rule-origin.js';
import { compareText } from '../util/compare.js';

/** The command that regenerates rules/README.md; the docs test prints it when the file is stale. */
export const REGENERATE_RULE_DOCS = 'npm run build && node dist/rules/write-rule-docs.js';

export interface RuleDocOptions {
  /** Example evidence lines per rule id for rules whose metadata has none (declarative rules: their fixtures' expect lines). */
  examples?: Readonly<Record<string, readonly string[]>>;
  /** Where a declarative rule's file is shown from: its path is printed relative to this directory. */
  root?: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** A fence longer than any backtick run in the text, so example lines print verbatim. */
const fenced = (lines: readonly string[]): string[] => {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...lines, fence];
};

const relative = (file: string, root: string | undefined): string => {
  const normal = file.replace(/\\/g, '/');
  const base = root?.replace(/\\/g, '/').replace(/\/?$/, '/');
  return base && normal.startsWith(base) ? normal.slice(base.length) : normal;
};

/** `built-in (src/rules/builtin/<id>.ts)` or `declarative (rules/<file>.yaml)`. */
const sourceOf = (rule: RuleModule, root: string | undefined): string => {
  const origin = ruleOrigin(rule);
  return origin ? `declarative ${origin.kind}, \`${relative(origin.file, root)}\`` : `built-in, \`src/rules/builtin/${rule.id}.ts\``;
};

const section = (rule: RuleModule, options: RuleDocOptions): string[] => {
  const { meta } = rule;
  const examples = meta.examples?.length ? meta.examples : (options.examples?.[rule.id] ?? []);
  const out = [
    `## ${rule.id}`,
    '',
    `**${meta.title}** — severity \`${meta.severity}\`; ${sourceOf(rule, options.root)}.`,
    '',
    meta.description,
    '',
    `**Reads:** ${meta.sources.length > 0 ? meta.sources.join(', ') : 'not stated'}.`,
  ];
  if (examples.length > 0) out.push('', '**Example evidence:**', '', ...fenced(examples));
  out.push('', `**Remediation:** ${meta.remediation || 'none given.'}`);
  if (meta.falsePositives.length > 0) out.push('', '**False positives:**', '', ...meta.falsePositives.map((fp) => `- ${fp}`));
  if (meta.references.length > 0) out.push('', '**References:**', '', ...meta.references.map((ref) => `- <${ref}>`));
  return out;
};

/**
 * rules/README.md: an index table of every rule (linked to its section) and one `## <rule-id>` section per rule with
 * its severity, description, what it reads, an example evidence line, remediation, false positives and references.
 */
export function renderRuleIndex(rules: readonly RuleModule[], options: RuleDocOptions = {}): string {
  const sorted = [...rules].sort((a, b) => compareText(a.id, b.id));
  const builtin = sorted.filter((r) => !ruleOrigin(r)).length;
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((s) => [s, sorted.filter((r) => r.meta.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const lines = [
    `<!-- Generated from the rules' metadata by \`${REGENERATE_RULE_DOCS}\`. Do not edit by hand. -->`,
    '',
    '# Rules',
    '',
    `${sorted.length} rules (${builtin} built-in, ${sorted.length - builtin} declarative): ${bySeverity}. ` +
      'Severity is the default; a rule may report lower or higher where its description says so ' +
      '(e.g. a state that only matters before an upgrade).',
    '',
    '| Rule | Severity | What it finds | Kind |',
    '|---|---|---|---|',
    ...sorted.map(
      (r) => `| [${r.id}](#${r.id}) | ${r.meta.severity} | ${cell(r.meta.title)} | ${ruleOrigin(r) ? 'declarative' : 'built-in'} |`,
    ),
  ];
  for (const rule of sorted) lines.push('', ...section(rule, options));
  return `${lines.join('\n')}\n`;
}

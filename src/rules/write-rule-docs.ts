import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinRules } from './builtin/index.js';
import { renderRuleIndex } from './rule-docs.js';
import { loadRuleFiles } from './sigma/load-rule-files.js';
import { parseFixture } from './testing/fixture-file.js';
import type { RuleModule } from './types.js';
import { compareText } from '../util/compare.js';
import { PACKAGE_ROOT } from '../version.js';


const filesUnder = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort(compareText)
        .flatMap((name) => filesUnder(join(path, name)))
    : [path];

/** The first `# expect: <id>` line of each rule in rules/fixtures/, as its example evidence line. */
function fixtureExamples(fixturesDir: string): Record<string, string[]> {
  const examples: Record<string, string[]> = {};
  let files: string[];
  try {
    files = filesUnder(fixturesDir);
  } catch {
    return examples;
  }
  for (const file of files) {
    const fixture = parseFixture(file, readFileSync(file, 'utf8'), relative(fixturesDir, file).split('/').slice(1).join('/'));
    for (const a of fixture.annotations)
      if (a.kind === 'expect' && !examples[a.ruleId]) examples[a.ruleId] = [fixture.lines[a.memberLine - 1]];
  }
  return examples;
}

/** Every rule the tool ships (built-in and rules/*.yaml), and the fixture examples of the declarative ones. */
export function documentedRules(root = PACKAGE_ROOT): { rules: RuleModule[]; examples: Record<string, string[]> } {
  const loaded = loadRuleFiles([join(root, 'rules')], { reservedIds: builtinRules.map((r) => r.id) });
  if (loaded.errors.length > 0)
    throw new Error(`invalid rule files:\n${loaded.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`).join('\n')}`);
  return { rules: [...builtinRules, ...loaded.rules], examples: fixtureExamples(join(root, 'rules', 'fixtures')) };
}

/** What rules/README.md must contain. */
export function ruleIndexText(root = PACKAGE_ROOT): string {
  const { rules, examples } = documentedRules(root);
  return renderRuleIndex(rules, { examples, root });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = join(PACKAGE_ROOT, 'rules', 'README.md');
  writeFileSync(target, ruleIndexText());
  process.stdout.write(`wrote ${relative(process.cwd(), target)}\n`);
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../bundle/errors.js';
import { builtinRules } from '../rules/builtin/index.js';
import { SHIPPED_RULES_DIR } from '../rules/catalog.js';
import { loadRuleFiles } from '../rules/sigma/load-rule-files.js';
import type { RuleModule } from '../rules/types.js';

export interface RuleSelection {
  /** Extra directories (or files) of user rules, `--rules`. */
  userRules: readonly string[];
  only: readonly string[];
  disable: readonly string[];
}

const yamlFilesIn = (path: string): string[] => {
  if (!existsSync(path)) throw new UsageError(`rules path ${path} does not exist`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(path, name));
};

/** Built-in, shipped and user rules, filtered by --only/--disable. Any rule file problem is a usage error listing them all. */
export function loadRules(selection: RuleSelection): RuleModule[] {
  const files = [SHIPPED_RULES_DIR, ...selection.userRules].flatMap(yamlFilesIn);
  const loaded = loadRuleFiles(files);
  if (loaded.errors.length > 0) {
    const lines = loaded.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`);
    throw new UsageError(`invalid rule files:\n${lines.join('\n')}`);
  }
  const all = [...builtinRules, ...loaded.rules];
  const ids = new Set<string>();
  for (const rule of all) {
    if (ids.has(rule.id)) throw new UsageError(`rule id ${rule.id} is defined twice`);
    ids.add(rule.id);
  }
  for (const id of [...selection.only, ...selection.disable]) {
    if (!ids.has(id)) throw new UsageError(`unknown rule ${id} (see: rules list)`);
  }
  return all.filter(
    (rule) => (selection.only.length === 0 || selection.only.includes(rule.id)) && !selection.disable.includes(rule.id),
  );
}

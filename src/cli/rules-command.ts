import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import Table from 'cli-table3';
import { loadRules } from '../analyze/load-rules.js';
import { UsageError } from '../bundle/errors.js';
import { renderRuleDoc, ruleCatalogue } from '../rules/catalog.js';
import { loadRuleFiles } from '../rules/sigma/load-rule-files.js';
import { builtinRules } from '../rules/builtin/index.js';
import { runRuleTests } from '../rules/testing/run-rule-tests.js';
import { EXIT_FINDINGS, EXIT_OK, emit, type CliIo } from './io.js';
import { collect } from './options.js';

export function registerRulesCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const rules = program.command('rules').description('list, show and test detection rules');

  rules
    .command('list')
    .description('every rule: id, severity, source, title; rules without a prefilter literal are flagged')
    .option('--rules <dir>', 'also list user rules from this directory or file (repeatable)', collect, [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terminal', 'json']).default('terminal'))
    .action(async (options: { rules: string[]; format: 'terminal' | 'json' }) => {
      const entries = ruleCatalogue(loadRules({ userRules: options.rules, only: [], disable: [] }));
      if (options.format === 'json') {
        await emit(`${JSON.stringify(entries, null, 2)}\n`, undefined, io);
        return;
      }
      const table = new Table({ head: ['id', 'severity', 'source', 'title', 'prefilter'], style: { head: [], border: [] } });
      for (const e of entries) table.push([e.id, e.severity, e.file ? `${e.source} ${e.file}` : e.source, e.title, e.noLiteral ? 'no literal (objects only)' : `${e.literals} literal(s)`]);
      await emit(`${table.toString()}\n`, undefined, io);
    });

  rules
    .command('show <id>')
    .description("a rule's documentation: what it reads, remediation, false positives, references")
    .option('--rules <dir>', 'also look in user rules from this directory or file (repeatable)', collect, [])
    .action(async (id: string, options: { rules: string[] }) => {
      const rule = loadRules({ userRules: options.rules, only: [], disable: [] }).find((r) => r.id === id);
      if (!rule) throw new UsageError(`unknown rule ${id} (see: rules list)`);
      await emit(`${renderRuleDoc(rule)}\n`, undefined, io);
    });

  rules
    .command('test <paths...>')
    .description('run the annotated fixtures (fixtures/<rule-id>.log beside the rule files) of declarative rules')
    .action(async (paths: string[]) => {
      for (const path of paths) if (!existsSync(path)) throw new UsageError(`rules path ${path} does not exist`);
      const loaded = loadRuleFiles(paths, { reservedIds: builtinRules.map((r) => r.id) });
      if (loaded.errors.length > 0) {
        throw new UsageError(`invalid rule files:\n${loaded.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`).join('\n')}`);
      }
      const fixtureDirs = paths.map((p) => join(statSync(p).isDirectory() ? p : dirname(p), 'fixtures'));
      const results = runRuleTests(loaded.rules, fixtureDirs.filter((d) => existsSync(d)));
      const lines: string[] = [];
      for (const r of results) {
        lines.push(`${r.ok ? 'ok  ' : 'FAIL'} ${r.ruleId}${r.fixture ? ` (${r.fixture}, ${r.checked} annotations)` : ''}`);
        for (const p of r.problems) lines.push(`       ${p.file}${p.line === null ? '' : `:${p.line}`}: ${p.message}`);
      }
      const failed = results.filter((r) => !r.ok).length;
      lines.push(`${results.length - failed} passed, ${failed} failed`);
      await emit(`${lines.join('\n')}\n`, undefined, io);
      setExit(failed > 0 ? EXIT_FINDINGS : EXIT_OK);
    });
}

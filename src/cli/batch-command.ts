import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { loadRules } from '../analyze/load-rules.js';
import { UsageError } from '../bundle/errors.js';
import { collectInputs } from '../batch/collect-inputs.js';
import { HistoryDb } from '../batch/history-db.js';
import { SUMMARY_FORMATS, renderSummary, type SummaryFormat } from '../batch/render-summary.js';
import { runBatch } from '../batch/run-batch.js';
import { summarizeBatch } from '../batch/summarize.js';
import { DEFAULT_MAX_EVIDENCE } from '../rules/engine.js';
import type { ReportFormat } from '../report/index.js';
import { REPORT_FORMATS } from './analyze-command.js';
import { EXIT_OK, EXIT_TOOL_ERROR, emit, type CliIo } from './io.js';
import { parsePositiveInt, parseTime } from './options.js';
import { redactBatchItems } from '../redact/redact-batch.js';
import {
  addInputOptions,
  addRedactOptions,
  addRuleOptions,
  limitsFrom,
  redactionFrom,
  ruleSelectionFrom,
  type InputOptionValues,
  type RedactOptionValues,
  type RuleOptionValues,
} from './shared-options.js';

interface BatchOptionValues extends InputOptionValues, RuleOptionValues, RedactOptionValues {
  jobs: number;
  format: SummaryFormat;
  output?: string;
  outDir?: string;
  reportFormat: ReportFormat;
  db?: string;
  now?: number;
}

export function registerBatchCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('batch <inputs...>')
    .description('analyse many bundles (files, directories, globs) and say what recurs, on which versions, and what is new')
    .option('-j, --jobs <n>', 'bundles analysed in parallel', parsePositiveInt, availableParallelism())
    .addOption(new Option('-f, --format <format>', 'summary format').choices(SUMMARY_FORMATS).default('terminal'))
    .option('-o, --output <file>', 'write the summary to a file instead of stdout')
    .option('--out-dir <dir>', 'also write each bundle\'s report into this directory')
    .addOption(new Option('--report-format <format>', 'format of the per-bundle reports').choices(REPORT_FORMATS).default('markdown'))
    .option('--db <file>', 'keep results in this SQLite database; bundles already in it are not analysed again')
    .option('--now <time>', 'the reports\' clock (ISO-8601)', parseTime);
  addInputOptions(command);
  addRuleOptions(command);
  addRedactOptions(command);
  command.action(async (args: string[], options: BatchOptionValues) => {
    const { inputs, missing } = collectInputs(args);
    for (const arg of missing) io.stderr(`harvester-postmortem: nothing matches ${arg}\n`);
    if (inputs.length === 0) throw new UsageError('no inputs to analyse');
    const rules = ruleSelectionFrom(options);
    loadRules(rules); // rule file errors are usage errors before any work starts
    const redaction = redactionFrom(options);
    const db = options.db ? await HistoryDb.open(options.db) : null;
    try {
      const items = await runBatch(inputs, {
        jobs: options.jobs,
        db,
        progress: io.stderrIsTty ? io.stderr : null,
        clock: io.now,
        job: {
          zone: options.tz,
          limits: limitsFrom(options),
          rules,
          maxEvidence: DEFAULT_MAX_EVIDENCE,
          now: options.now ?? io.now(),
          outDir: options.outDir ?? null,
          format: options.reportFormat,
          maxBytes: 60_000,
          ruleDocsBase: 'https://github.com/harvester-postmortem/harvester-postmortem/blob/main/rules/README.md',
          redaction,
        },
      });
      const shown = redaction ? redactBatchItems(items, redaction) : items;
      await emit(renderSummary(summarizeBatch(shown), options.format), options.output, io);
      for (const item of items) if (item.status === 'failed') io.stderr(`failed: ${item.input}: ${item.error}\n`);
      setExit(items.every((item) => item.status === 'failed') ? EXIT_TOOL_ERROR : EXIT_OK);
    } finally {
      db?.close();
    }
  });
}

export function registerHistoryCommand(program: Command, io: CliIo): void {
  program
    .command('history <db>')
    .description('trends from a batch history database, without re-reading any archive')
    .addOption(new Option('-f, --format <format>', 'summary format').choices(SUMMARY_FORMATS).default('terminal'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (path: string, options: { format: SummaryFormat; output?: string }) => {
      if (!existsSync(path)) throw new UsageError(`history database ${path} does not exist (create it with batch --db)`);
      const db = await HistoryDb.open(path);
      try {
        const items = db.all().map((result) => ({ status: 'cached' as const, result }));
        await emit(renderSummary(summarizeBatch(items), options.format), options.output, io);
      } finally {
        db.close();
      }
    });
}

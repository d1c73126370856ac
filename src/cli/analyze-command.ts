import { Option, type Command } from 'commander';
import { analyzeBundle } from '../analyze/analyze-bundle.js';
import { loadRules } from '../analyze/load-rules.js';
import { reportReadNothing } from '../analyze/nothing-read.js';
import { renderReport, type ReportFormat } from '../report/index.js';
import { severityRank, type Severity } from '../rules/types.js';
import { DEFAULT_MAX_EVIDENCE } from '../rules/engine.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_TOOL_ERROR, emit, type CliIo } from './io.js';
import { parsePositiveInt, parseSeverity, parseTime } from './options.js';
import { redactReport } from '../redact/redact-report.js';
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

export const REPORT_FORMATS = ['terminal', 'markdown', 'json', 'html'] as const;
const DEFAULT_MAX_BYTES = 60_000;

interface AnalyzeOptionValues extends InputOptionValues, RuleOptionValues, RedactOptionValues {
  format: ReportFormat;
  output?: string;
  failOn?: Severity;
  now?: number;
  maxEvidence: number;
  maxBytes: number;
  ruleDocs: string;
  jobs: number;
}

export function registerAnalyzeCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('analyze <bundle>', { isDefault: true })
    .description('analyse a support bundle, upgrade-log archive, tarball, directory or log file (the default command)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(REPORT_FORMATS).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists', parseSeverity)
    .option('--now <time>', 'the report clock (ISO-8601), for reproducible reports', parseTime)
    .option('--max-evidence <n>', 'evidence lines kept per finding', parsePositiveInt, DEFAULT_MAX_EVIDENCE)
    .option('--max-bytes <n>', 'size budget of the Markdown report; evidence is trimmed, never findings', parsePositiveInt, DEFAULT_MAX_BYTES)
    .option('-j, --jobs <n>', 'threads searching the log bytes beside the main thread (1: none; the report is the same)', parsePositiveInt, 1)
    .option('--rule-docs <url>', 'where finding links point to', 'https://github.com/harvester-postmortem/harvester-postmortem/blob/main/rules/README.md');
  addInputOptions(command);
  addRuleOptions(command);
  addRedactOptions(command);
  command.action(async (bundle: string, options: AnalyzeOptionValues) => {
    const rules = loadRules(ruleSelectionFrom(options));
    const report = await analyzeBundle(bundle, {
      zone: options.tz,
      limits: limitsFrom(options),
      rules,
      maxEvidence: options.maxEvidence,
      now: options.now ?? io.now(),
      threads: options.jobs > 1 ? options.jobs : 0,
    });
    const redaction = redactionFrom(options);
    const text = renderReport(redaction ? redactReport(report, redaction) : report, options.format, {
      color: io.color && options.output === undefined,
      maxBytes: options.maxBytes,
      ruleDocsBase: options.ruleDocs,
    });
    await emit(text, options.output, io);
    if (reportReadNothing(report)) {
      io.stderr(`harvester-postmortem: nothing in ${bundle} could be read (see Coverage)\n`);
      setExit(EXIT_TOOL_ERROR);
      return;
    }
    const threshold = options.failOn;
    const failing = threshold !== undefined && report.findings.some((f) => severityRank(f.severity) >= severityRank(threshold));
    setExit(failing ? EXIT_FINDINGS : EXIT_OK);
  });
}

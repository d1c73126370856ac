import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { analyzeBundle } from '../analyze/analyze-bundle.js';
import { loadRules, type RuleSelection } from '../analyze/load-rules.js';
import { reportReadNothing } from '../analyze/nothing-read.js';
import type { ReadLimits } from '../bundle/types.js';
import { redactReport, type RedactOptions } from '../redact/redact-report.js';
import { renderReport, type ReportFormat } from '../report/index.js';
import { bundleResultOf } from './bundle-result.js';
import type { BundleResult } from './types.js';

/** One bundle of a batch, as plain data so it can cross to a worker thread. */
export interface AnalyzeJob {
  input: string;
  hash: string;
  zone: string;
  limits: ReadLimits;
  rules: RuleSelection;
  maxEvidence: number;
  now: number;
  outDir: string | null;
  format: ReportFormat;
  maxBytes: number;
  ruleDocsBase: string;
  /** `--redact`: the report file is written redacted; the result (for the history database) is not. */
  redaction: RedactOptions | null;
}

const EXTENSIONS: Record<ReportFormat, string> = { terminal: 'txt', markdown: 'md', json: 'json', html: 'html' };

/** The report's file name: the input's name and the start of its content hash, so equal names never collide. */
export const reportFileName = (input: string, hash: string, format: ReportFormat): string =>
  `${basename(input).replace(/\.(zip|tar\.gz|tgz|tar)$/i, '')}-${hash.slice(0, 8)}.${EXTENSIONS[format]}`;

export async function analyzeInput(job: AnalyzeJob): Promise<BundleResult> {
  const report = await analyzeBundle(job.input, {
    zone: job.zone,
    limits: job.limits,
    rules: loadRules(job.rules),
    maxEvidence: job.maxEvidence,
    now: job.now,
  });
  if (reportReadNothing(report)) {
    throw new Error(`nothing could be read: ${report.coverage.unreadable[0].reason}`);
  }
  let reportPath: string | null = null;
  if (job.outDir !== null) {
    await mkdir(job.outDir, { recursive: true });
    reportPath = join(job.outDir, reportFileName(job.input, job.hash, job.format));
    const shown = job.redaction ? redactReport(report, job.redaction) : report;
    await writeFile(reportPath, renderReport(shown, job.format, { color: false, maxBytes: job.maxBytes, ruleDocsBase: job.ruleDocsBase }));
  }
  return bundleResultOf(report, job.input, job.hash, reportPath);
}

import type { MemberInfo } from '../bundle/types.js';
import { hasOwnTime } from '../formats/parse-line.js';
import type { LogEvent } from '../formats/types.js';
import type { Coverage, CoverageFile } from '../report/model.js';
import { compareText } from '../util/compare.js';
import type { LogScan } from './scan-log.js';

/** Per-file line counts and time ranges, gathered while the scan streams. */
export class FileCoverage {
  readonly entry: CoverageFile;

  constructor(
    info: MemberInfo,
    private readonly byFormat: Map<string, number>,
  ) {
    this.entry = { file: info.path, kind: info.kind, lines: 0, linesParsed: 0, linesWithTime: 0, firstTime: null, lastTime: null };
  }

  /** A parsed line. */
  count(event: LogEvent): void {
    const entry = this.entry;
    entry.linesParsed++;
    this.byFormat.set(event.format, (this.byFormat.get(event.format) ?? 0) + 1);
    if (event.time === null) return;
    // An inherited time is one some earlier line carried: it widens the span only when that line was not parsed.
    if (hasOwnTime(event)) entry.linesWithTime++;
    if (entry.firstTime === null || event.time < entry.firstTime) entry.firstTime = event.time;
    if (entry.lastTime === null || event.time > entry.lastTime) entry.lastTime = event.time;
  }

  /** The lines of the file, parsed or not. */
  lines(count: number): void {
    this.entry.lines = count;
  }
}

export class CoverageCounter {
  private readonly perFile: CoverageFile[] = [];
  private readonly byFormat = new Map<string, number>();
  private readonly problems: { file: string; reason: string }[] = [];
  private readonly limits = new Map<string, { count: number; example: string }>();

  /** A log member that was read (see scanLog). */
  add(scan: LogScan): void {
    this.perFile.push(scan.file);
    for (const [format, count] of Object.entries(scan.formats)) this.byFormat.set(format, (this.byFormat.get(format) ?? 0) + count);
    if (scan.binary) this.unreadable(scan.file.file, 'binary content, not a text log');
    if (scan.cutLines > 0) this.limitHit('max-line-bytes', scan.cutLines, scan.file.file);
  }

  unreadable(file: string, reason: string): void {
    this.problems.push({ file, reason });
  }

  limitHit(limit: string, count: number, example: string): void {
    const seen = this.limits.get(limit);
    if (seen) seen.count += count;
    else this.limits.set(limit, { count, example });
  }

  files(): CoverageFile[] {
    return [...this.perFile].sort((a, b) => compareText(a.file, b.file));
  }

  result(): Omit<Coverage, 'ruleFailures'> {
    const files = this.files();
    return {
      files: files.length,
      lines: files.reduce((sum, f) => sum + f.lines, 0),
      linesParsed: files.reduce((sum, f) => sum + f.linesParsed, 0),
      linesWithTime: files.reduce((sum, f) => sum + f.linesWithTime, 0),
      byFormat: Object.fromEntries([...this.byFormat].sort(([a], [b]) => compareText(a, b))),
      unreadable: [...this.problems].sort((a, b) => compareText(a.file, b.file) || compareText(a.reason, b.reason)),
      gaps: [],
      limitsHit: [...this.limits]
        .map(([limit, v]) => ({ limit, count: v.count, example: v.example }))
        .sort((a, b) => compareText(a.limit, b.limit)),
    };
  }
}

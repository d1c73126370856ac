import type { MemberInfo } from '../bundle/types.js';
import { hasOwnTime } from '../formats/parse-line.js';
import type { LogEvent } from '../formats/types.js';
import type { Coverage, CoverageFile } from '../report/model.js';
import { compareText } from '../util/compare.js';

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
  private readonly perFile: FileCoverage[] = [];
  private readonly byFormat = new Map<string, number>();
  private readonly problems: { file: string; reason: string }[] = [];
  private readonly limits = new Map<string, { count: number; example: string }>();

  file(info: MemberInfo): FileCoverage {
    const file = new FileCoverage(info, this.byFormat);
    this.perFile.push(file);
    return file;
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
    return this.perFile.map((f) => f.entry).sort((a, b) => compareText(a.file, b.file));
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

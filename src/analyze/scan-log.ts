import type { Readable } from 'node:stream';
import { readLines, type BlockScanner, type ByteFinder } from '../bundle/line-reader.js';
import type { MemberInfo } from '../bundle/types.js';
import { createLineParser, hasOwnTime } from '../formats/parse-line.js';
import type { LogEvent } from '../formats/types.js';
import type { CoverageFile } from '../report/model.js';
import { FileCoverage } from './coverage-counter.js';

/** How a log member is read. */
export interface LogScanSettings {
  /** Zone of zone-less node times. */
  zone: string;
  maxLineBytes: number;
  /** Parse only the lines it finds something in (and the lines around them); null: every line. */
  finder: ByteFinder | BlockScanner | null;
}

/** What reading one log member found besides its events. */
export interface LogScan {
  file: CoverageFile;
  /** Parsed lines per format. */
  formats: Record<string, number>;
  binary: boolean;
  cutLines: number;
}

/** Lines parsed at the start of every log whatever their text: the file's format and where its record begins. */
const HEAD_LINES = 64;
/** How far the head goes on looking for the first line with a time (a script's output may start without times). */
const MAX_HEAD_LINES = 10_000;

/**
 * Reads one log member: its lines (all, or the finder's candidates), each parsed and handed to `onEvent` in order,
 * the first line with a time of its own flagged as the file's start.
 */
export async function scanLog(
  stream: Readable,
  info: MemberInfo,
  anchorMs: number | null,
  settings: LogScanSettings,
  onEvent: (event: LogEvent, fileStart: boolean) => void,
): Promise<LogScan> {
  const parser = createLineParser(info, { anchorMs, zone: settings.zone });
  const formats = new Map<string, number>();
  const file = new FileCoverage(info, formats);
  let timed = false;
  const head = (lineNo: number, line: string): boolean => {
    timed ||= parser.ownTime(line) !== null;
    return lineNo < HEAD_LINES || (!timed && lineNo < MAX_HEAD_LINES);
  };
  const select = settings.finder ? { finder: settings.finder, head } : undefined;
  const reader = readLines(stream, { maxLineBytes: settings.maxLineBytes, select });
  let started = false;
  for await (const chunk of reader) {
    const { lines, numbers } = chunk;
    for (let i = 0; i < lines.length; i++) {
      const event = parser.parse(lines[i], numbers[i], chunk.skippedBefore(i));
      file.count(event);
      const fileStart: boolean = !started && hasOwnTime(event);
      started ||= fileStart;
      onEvent(event, fileStart);
    }
  }
  const { stats } = reader;
  file.lines(stats.lines);
  return { file: file.entry, formats: Object.fromEntries(formats), binary: stats.binary, cutLines: stats.cutLines };
}

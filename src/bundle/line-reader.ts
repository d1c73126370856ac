import type { Readable } from 'node:stream';

/** The lines completed by one chunk of input. */
export interface LineChunk {
  /** Decoded lines without their line break (a trailing `\r` removed), possibly cut at maxLineBytes. */
  lines: string[];
  /** 1-based line number of lines[0] in the member. */
  firstLine: number;
}

export interface LineStats {
  lines: number;
  /** Lines longer than maxLineBytes, kept cut to their first maxLineBytes. */
  cutLines: number;
  /** Bytes read from the stream. */
  bytes: number;
  /** A NUL byte within the first BINARY_SNIFF_BYTES: nothing was yielded, the caller skips the member. */
  binary: boolean;
}

export interface LineReader extends AsyncIterable<LineChunk> {
  /** Final once iteration ends. */
  readonly stats: LineStats;
}

export const BINARY_SNIFF_BYTES = 8192;
/** The ReadProblem reason for a member skipped because `stats.binary` came back true. */
export const BINARY_CONTENT = 'binary content';
const LF = 10;
const CR = 13;

/** Where to cut a line of bytes [start, end) to at most `max` bytes without splitting a UTF-8 sequence. */
function cutEnd(buf: Buffer, start: number, max: number): number {
  let end = start + max;
  while (end > start && (buf[end] & 0xc0) === 0x80) end--;
  return end;
}

const hasUtf8Bom = (buf: Buffer): boolean => buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;

/**
 * Splits a byte stream into lines on `\n` only (a lone `\r` stays in the line), scanning Buffers natively and
 * decoding each kept line as UTF-8 (invalid bytes become U+FFFD). A partial line is carried across chunks but never
 * beyond maxLineBytes: a longer line is cut there and the rest skipped up to its newline, so one endless line cannot
 * break the memory bound. Breaking out of the iteration destroys the stream.
 */
export function readLines(stream: Readable, opts: { maxLineBytes: number }): LineReader {
  const max = Math.max(1, opts.maxLineBytes);
  const stats: LineStats = { lines: 0, cutLines: 0, bytes: 0, binary: false };
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skippingCutLine = false;

  const emitCut = (lines: string[], buf: Buffer, start: number): void => {
    lines.push(buf.toString('utf8', start, cutEnd(buf, start, max)));
    stats.cutLines++;
  };

  /** Ends the carried partial line with buf[start, end) (its newline excluded). */
  const finishCarried = (lines: string[], buf: Buffer, start: number, end: number): void => {
    const joined = Buffer.concat([...carry, buf.subarray(start, end)]);
    carry = [];
    carryBytes = 0;
    const length = joined.length > 0 && joined[joined.length - 1] === CR ? joined.length - 1 : joined.length;
    if (length > max) emitCut(lines, joined, 0);
    else lines.push(joined.toString('utf8', 0, length));
  };

  const split = (buf: Buffer, atEnd: boolean): LineChunk | null => {
    const firstLine = stats.lines + 1;
    const lines: string[] = [];
    let start = 0;
    for (let nl = buf.indexOf(LF); nl !== -1; nl = buf.indexOf(LF, start)) {
      if (skippingCutLine) skippingCutLine = false;
      else if (carryBytes > 0) finishCarried(lines, buf, start, nl);
      else {
        const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
        if (end - start > max) emitCut(lines, buf, start);
        else lines.push(buf.toString('utf8', start, end));
      }
      start = nl + 1;
    }
    if (start < buf.length && !skippingCutLine) {
      if (carryBytes + buf.length - start > max) {
        const joined = carryBytes > 0 ? Buffer.concat([...carry, buf.subarray(start)]) : buf.subarray(start);
        emitCut(lines, joined, 0);
        carry = [];
        carryBytes = 0;
        skippingCutLine = true;
      } else {
        // Copied so the carried tail does not pin the whole (up to 1 MiB) chunk.
        carry.push(Buffer.from(buf.subarray(start)));
        carryBytes += buf.length - start;
      }
    }
    if (atEnd && carryBytes > 0) finishCarried(lines, Buffer.alloc(0), 0, 0);
    stats.lines += lines.length;
    return lines.length > 0 ? { lines, firstLine } : null;
  };

  async function* iterate(): AsyncGenerator<LineChunk> {
    const head: Buffer[] = [];
    let headBytes = 0;
    let sniffed = false;
    const sniff = (): Buffer | null => {
      sniffed = true;
      let first = head.length === 1 ? head[0] : Buffer.concat(head);
      if (first.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
        stats.binary = true;
        return null;
      }
      if (hasUtf8Bom(first)) first = first.subarray(3);
      return first;
    };
    try {
      for await (const chunk of stream) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        stats.bytes += buf.length;
        if (sniffed) {
          const lines = split(buf, false);
          if (lines) yield lines;
          continue;
        }
        head.push(buf);
        headBytes += buf.length;
        if (headBytes < BINARY_SNIFF_BYTES) continue;
        const first = sniff();
        if (!first) return;
        const lines = split(first, false);
        if (lines) yield lines;
      }
      const first = sniffed ? Buffer.alloc(0) : sniff();
      if (!first) return;
      const lines = split(first, true);
      if (lines) yield lines;
    } finally {
      if (!stream.destroyed) stream.destroy();
    }
  }

  return { stats, [Symbol.asyncIterator]: iterate };
}

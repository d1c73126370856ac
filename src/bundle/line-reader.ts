import type { Readable } from 'node:stream';

/** The lines one chunk of input yields. */
export interface LineChunk {
  /** Decoded lines without their line break (a trailing `\r` removed), possibly cut at maxLineBytes. */
  lines: string[];
  /** 1-based line number of each of `lines` in the member. */
  numbers: number[];
  /**
   * The lines a selection skipped between lines[i - 1] and lines[i], nearest first (decoded like `lines`): where a
   * line without a time of its own finds the time it inherits. Empty when nothing was skipped.
   */
  skippedBefore(i: number): Iterable<string>;
}

/** Finds candidate lines in raw bytes (see rules/literal-finder). */
export interface ByteFinder {
  find(bytes: Uint8Array, from: number, to: number): number;
}

/** What a scanner learnt of one block: its candidates, and its lines, counted. */
export interface BlockIndex extends ByteFinder {
  /** The lines ending in [from, to) (both line starts), and how many of them are longer than maxLineBytes. */
  linesIn(from: number, to: number): { lines: number; long: number };
}

/** Reads whole blocks ahead of the reader (in other threads): their candidates and lines. */
export interface BlockScanner {
  /** How many blocks to hand over ahead of the one being split. */
  readonly ahead: number;
  /** The index of a block (which must not change until the index was used). */
  scan(block: Uint8Array): Promise<BlockIndex>;
}

const isScanner = (finder: ByteFinder | BlockScanner): finder is BlockScanner => 'scan' in finder;

/**
 * Which lines to decode: the member's first lines while `head` asks for more, each line in which `finder` finds
 * something, and at every block boundary (each `blockBytes` of the member) the line it splits and the last complete
 * line before it (so the times lines inherit stay exact across blocks, and the member's last line is always read).
 * Without a selection every line is yielded.
 */
export interface LineSelection {
  /** A finder, or threads that search each block in advance. */
  finder: ByteFinder | BlockScanner;
  /** Called after each line of the member's head with its number and text: whether the next line is wanted too. */
  head(lineNo: number, line: string): boolean;
}

export interface LineStats {
  /** Lines in the member, yielded or not. */
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
/** A selection reads the input in blocks of this size (see `blocks`). */
const BLOCK_BYTES = 1 << 20;
/** Block buffers of finished readers, for the next ones: a member after member must not cost a mebibyte each. */
const spareBlocks: Buffer[] = [];
const MAX_SPARE_BLOCKS = 4;
/** The ReadProblem reason for a member skipped because `stats.binary` came back true. */
export const BINARY_CONTENT = 'binary content';
const LF = 10;
const CR = 13;
const NOTHING_SKIPPED: readonly string[] = Object.freeze([]);

/** Where to cut a line of bytes [start, end) to at most `max` bytes without splitting a UTF-8 sequence. */
function cutEnd(buf: Buffer, start: number, max: number): number {
  let end = start + max;
  while (end > start && (buf[end] & 0xc0) === 0x80) end--;
  return end;
}

const hasUtf8Bom = (buf: Buffer): boolean => buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;

/** The end of a line's content: its newline at `nl`, less a CR before it. */
export const contentEnd = (buf: Buffer, start: number, nl: number): number => (nl > start && buf[nl - 1] === CR ? nl - 1 : nl);

/** Start of the line that ends with the newline at `nl` (lines before `floor` do not count). */
function lineStartBefore(buf: Buffer, nl: number, floor: number): number {
  if (nl <= floor) return floor;
  return Math.max(buf.lastIndexOf(LF, nl - 1) + 1, floor);
}

/**
 * Splits a byte stream into lines on `\n` only (a lone `\r` stays in the line), scanning Buffers natively and
 * decoding each yielded line as UTF-8 (invalid bytes become U+FFFD). A partial line is carried across chunks but never
 * beyond maxLineBytes: a longer line is cut there and the rest skipped up to its newline, so one endless line cannot
 * break the memory bound. With a selection, lines nobody asked for are counted but never decoded. Breaking out of the
 * iteration destroys the stream.
 */
export function readLines(stream: Readable, opts: { maxLineBytes: number; select?: LineSelection; blockBytes?: number }): LineReader {
  const max = Math.max(1, opts.maxLineBytes);
  const select = opts.select ?? null;
  let inHead = select !== null;
  const stats: LineStats = { lines: 0, cutLines: 0, bytes: 0, binary: false };
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skippingCutLine = false;

  /** What one chunk yields; `floors[i]`/`starts[i]` bound the lines skipped before lines[i] inside `buf`. */
  class Output implements LineChunk {
    lines: string[] = [];
    numbers: number[] = [];
    private readonly starts: number[] = [];
    private readonly floors: number[] = [];

    constructor(private readonly buf: Buffer) {}

    push(text: string, start = 0, floor = 0): void {
      this.lines.push(text);
      this.numbers.push(stats.lines);
      this.starts.push(start);
      this.floors.push(floor);
    }

    skippedBefore(i: number): Iterable<string> {
      const { buf } = this;
      const floor = this.floors[i];
      let start = this.starts[i];
      if (start <= floor) return NOTHING_SKIPPED;
      return {
        *[Symbol.iterator]() {
          while (start > floor) {
            const nl = start - 1;
            start = lineStartBefore(buf, nl, floor);
            yield decode(buf, start, nl);
          }
        },
      };
    }
  }

  const decode = (buf: Buffer, start: number, nl: number): string => {
    const end = contentEnd(buf, start, nl);
    return end - start > max ? buf.toString('utf8', start, cutEnd(buf, start, max)) : buf.toString('utf8', start, end);
  };

  /** Counts the line [start, nl) (nl its newline). */
  const countLine = (buf: Buffer, start: number, nl: number): void => {
    stats.lines++;
    if (contentEnd(buf, start, nl) - start > max) stats.cutLines++;
  };

  /** Counts the whole lines in [from, to), `to` being a line start. */
  const countLines = (buf: Buffer, from: number, to: number, index: BlockIndex | null): void => {
    if (index) {
      const { lines, long } = index.linesIn(from, to);
      stats.lines += lines;
      stats.cutLines += long;
      return;
    }
    for (let start = from; start < to; ) {
      const nl = buf.indexOf(LF, start);
      countLine(buf, start, nl);
      start = nl + 1;
    }
  };

  /** Ends the carried partial line with buf[start, end) (its newline excluded) and yields it. */
  const finishCarried = (out: Output, buf: Buffer, start: number, end: number): void => {
    const joined = Buffer.concat([...carry, buf.subarray(start, end)]);
    carry = [];
    carryBytes = 0;
    stats.lines++;
    const length = contentEnd(joined, 0, joined.length);
    if (length > max) {
      stats.cutLines++;
      out.push(joined.toString('utf8', 0, cutEnd(joined, 0, max)));
    } else out.push(joined.toString('utf8', 0, length));
    headLine(out);
  };

  /** After a line was pushed: whether the head goes on. */
  const headLine = (out: Output): void => {
    if (inHead) inHead = select!.head(stats.lines, out.lines[out.lines.length - 1]);
  };

  /** Every line of [from, lastNl] (complete lines, lastNl the last newline). */
  const everyLine = (out: Output, buf: Buffer, from: number, lastNl: number): void => {
    for (let start = from; start <= lastNl; ) {
      const nl = buf.indexOf(LF, start);
      countLine(buf, start, nl);
      out.push(decode(buf, start, nl));
      start = nl + 1;
    }
  };

  /** The selected lines of [from, lastNl]: the member's head, candidate lines, the chunk's last line. */
  const selectedLines = (out: Output, buf: Buffer, from: number, lastNl: number, finder: ByteFinder | BlockIndex): void => {
    const index = 'linesIn' in finder ? finder : null;
    let pos = from;
    let floor = from;
    const take = (start: number, nl: number): void => {
      countLines(buf, pos, start, index);
      countLine(buf, start, nl);
      out.push(decode(buf, start, nl), start, floor);
      pos = floor = nl + 1;
    };
    while (inHead && pos <= lastNl) {
      take(pos, buf.indexOf(LF, pos));
      headLine(out);
    }
    while (pos <= lastNl) {
      const hit = finder.find(buf, pos, lastNl);
      if (hit < 0) break;
      take(Math.max(buf.lastIndexOf(LF, hit) + 1, pos), buf.indexOf(LF, hit));
    }
    if (pos <= lastNl) take(lineStartBefore(buf, lastNl, pos), lastNl);
  };

  const split = (buf: Buffer, atEnd: boolean, finder: ByteFinder | BlockIndex | null = null): LineChunk | null => {
    const out = new Output(buf);
    let start = 0;
    const firstNl = buf.indexOf(LF);
    if (firstNl !== -1 && (skippingCutLine || carryBytes > 0)) {
      if (skippingCutLine) skippingCutLine = false;
      else finishCarried(out, buf, 0, firstNl);
      start = firstNl + 1;
    }
    const lastNl = firstNl === -1 ? -1 : buf.lastIndexOf(LF);
    if (lastNl >= start) {
      if (select) selectedLines(out, buf, start, lastNl, finder!);
      else everyLine(out, buf, start, lastNl);
      start = lastNl + 1;
    }
    if (start < buf.length && !skippingCutLine) {
      // one byte of slack: a CR that ends the carried bytes is not content if the next chunk starts with the LF
      if (carryBytes + buf.length - start > max + 1) {
        const joined = carryBytes > 0 ? Buffer.concat([...carry, buf.subarray(start)]) : buf.subarray(start);
        stats.lines++;
        stats.cutLines++;
        out.push(joined.toString('utf8', 0, cutEnd(joined, 0, max)));
        headLine(out);
        carry = [];
        carryBytes = 0;
        skippingCutLine = true;
      } else {
        // Copied so the carried tail does not pin the whole (up to 1 MiB) chunk.
        carry.push(Buffer.from(buf.subarray(start)));
        carryBytes += buf.length - start;
      }
    }
    if (atEnd && carryBytes > 0) finishCarried(out, Buffer.alloc(0), 0, 0);
    return out.lines.length > 0 ? out : null;
  };

  // Only a selection depends on where chunks end (it reads the lines around each boundary), and a stream's chunks
  // depend on timing: the selection sees the input re-cut at fixed offsets, so what it parses never varies.
  const blockBytes = select ? (opts.blockBytes ?? BLOCK_BYTES) : 0;
  let block: Buffer | null = null;
  /** The start of the next block, not copied until the block is complete (most members are smaller than one). */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  function* blocks(buf: Buffer): Generator<Buffer> {
    if (blockBytes === 0) {
      yield buf;
      return;
    }
    let offset = 0;
    if (pendingBytes > 0) {
      offset = Math.min(buf.length, blockBytes - pendingBytes);
      pending.push(buf.subarray(0, offset));
      pendingBytes += offset;
      if (pendingBytes < blockBytes) return;
      block ??= spareBlocks.pop() ?? Buffer.allocUnsafe(blockBytes);
      let at = 0;
      for (const piece of pending) at += piece.copy(block, at);
      pending = [];
      pendingBytes = 0;
      // reused for the next block: the lines of this one are consumed before the generator resumes
      yield block;
    }
    for (; buf.length - offset >= blockBytes; offset += blockBytes) yield buf.subarray(offset, offset + blockBytes);
    if (offset < buf.length) {
      pending.push(buf.subarray(offset));
      pendingBytes += buf.length - offset;
    }
  }

  const scanner = select && isScanner(select.finder) ? select.finder : null;
  const ownFinder = select && !isScanner(select.finder) ? select.finder : null;
  /** Blocks handed to the scanner, in order, each with the promise of its finder. */
  const scanning: { block: Buffer; finder: Promise<BlockIndex> }[] = [];

  /** The lines of the blocks that are due: all of them at the end, else those beyond the scanner's look-ahead. */
  async function* due(atEnd: boolean): AsyncGenerator<LineChunk> {
    while (scanning.length > (atEnd ? 0 : scanner!.ahead)) {
      const { block, finder } = scanning.shift()!;
      const lines = split(block, false, await finder);
      if (lines) yield lines;
    }
  }

  async function* linesOf(buf: Buffer): AsyncGenerator<LineChunk> {
    for (const piece of blocks(buf)) {
      if (scanner) {
        // the reblocking buffer is reused: a block waiting for its finder needs bytes of its own
        const kept = piece === block ? Buffer.from(piece) : piece;
        const finder = scanner.scan(kept);
        // a reader that stops early never awaits the blocks ahead: their failures must not go unhandled
        finder.catch(() => {});
        scanning.push({ block: kept, finder });
        yield* due(false);
        continue;
      }
      const lines = split(piece, false, ownFinder);
      if (lines) yield lines;
    }
  }

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
        let buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        stats.bytes += buf.length;
        if (!sniffed) {
          head.push(buf);
          headBytes += buf.length;
          if (headBytes < BINARY_SNIFF_BYTES) continue;
          const first = sniff();
          if (!first) return;
          buf = first;
        }
        yield* linesOf(buf);
      }
      if (!sniffed) {
        const first = sniff();
        if (!first) return;
        yield* linesOf(first);
      }
      if (scanner) yield* due(true);
      // the last, partial block is searched here: it is small, and nothing comes after it
      const rest = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      const lines = split(rest, true, ownFinder ?? (rest.length > 0 ? await scanner!.scan(rest) : null));
      if (lines) yield lines;
    } finally {
      if (!stream.destroyed) stream.destroy();
      if (block && block.length === BLOCK_BYTES && spareBlocks.length < MAX_SPARE_BLOCKS) spareBlocks.push(block);
      block = null;
    }
  }

  return { stats, [Symbol.asyncIterator]: iterate };
}

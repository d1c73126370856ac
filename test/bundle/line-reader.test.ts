import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BINARY_SNIFF_BYTES, readLines, type LineStats } from '../../src/bundle/line-reader.js';
import { compileLiteralFinder } from '../../src/rules/literal-finder.js';
import { seededRandom } from '../seeded-random.js';

/** Reads chunks (each delivered as its own Buffer) and returns the lines with their numbers. */
async function linesOf(chunks: (string | Buffer)[], maxLineBytes = 1024): Promise<{ lines: string[]; numbers: number[]; stats: LineStats }> {
  const reader = readLines(Readable.from(chunks.map((c) => Buffer.from(c))), { maxLineBytes });
  const lines: string[] = [];
  const numbers: number[] = [];
  for await (const chunk of reader) {
    chunk.lines.forEach((line, i) => {
      lines.push(line);
      numbers.push(chunk.numbers[i]);
    });
  }
  return { lines, numbers, stats: reader.stats };
}

/**
 * The same, for chunks that reach the reader one by one: the binary sniff reads the first 8 KiB whole (joining small
 * chunks), so an 8 KiB first line goes ahead of them; it is left out of what is returned.
 */
async function linesOfChunks(chunks: (string | Buffer)[], maxLineBytes = 1024): ReturnType<typeof linesOf> {
  const first = `${'s'.repeat(BINARY_SNIFF_BYTES - 1)}\n`;
  const { lines, numbers, stats } = await linesOf([first, ...chunks], maxLineBytes);
  const firstCut = BINARY_SNIFF_BYTES - 1 > maxLineBytes ? 1 : 0;
  return {
    lines: lines.slice(1),
    numbers: numbers.slice(1).map((n) => n - 1),
    stats: { ...stats, lines: stats.lines - 1, cutLines: stats.cutLines - firstCut, bytes: stats.bytes - BINARY_SNIFF_BYTES },
  };
}

const journal = [
  'Jul 03 00:59:01.020889 n1 rke2[2536]: time="2025-07-03T00:59:01Z" level=info msg="Starting rke2 v1.32.3+rke2r1"',
  'Jul 03 00:59:02.120001 n1 systemd[1]: Started Rancher Kubernetes Engine v2 (server).',
  '-- Boot 0e5c8b4a1f2d4e6b9c3a7d8e2f1b0c4d --',
];

describe('readLines', () => {
  it('splits on LF, numbers lines from 1, keeps a last line without newline', async () => {
    const { lines, numbers, stats } = await linesOf([`${journal.join('\n')}`]);
    expect(lines).toEqual(journal);
    expect(numbers).toEqual([1, 2, 3]);
    expect(stats).toMatchObject({ lines: 3, cutLines: 0, binary: false });
  });

  it('strips the CR of CRLF but keeps a lone CR inside a line', async () => {
    const { lines } = await linesOf(['first\r\nprogress 10%\rprogress 100%\r\nlast\r\n']);
    expect(lines).toEqual(['first', 'progress 10%\rprogress 100%', 'last']);
  });

  it('keeps empty lines and adds none after a final newline', async () => {
    const { lines } = await linesOf(['a\n\nb\n']);
    expect(lines).toEqual(['a', '', 'b']);
  });

  it('carries partial lines, and a CRLF split between chunks, across chunk boundaries', async () => {
    const text = `${journal.join('\r\n')}\r\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 7) chunks.push(text.slice(i, i + 7));
    const { lines, numbers } = await linesOfChunks(chunks);
    expect(lines).toEqual(journal);
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('never splits a multi-byte character at a chunk boundary', async () => {
    const bytes = Buffer.from('Grüße — 日本語\nok\n');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const { lines } = await linesOfChunks(chunks);
    expect(lines).toEqual(['Grüße — 日本語', 'ok']);
  });

  it('cuts a line longer than maxLineBytes, skips the rest, counts it', async () => {
    const long = `${'x'.repeat(50)}END`;
    const { lines, numbers, stats } = await linesOf([`before\n${long}\nafter\n`], 16);
    expect(lines).toEqual(['before', 'x'.repeat(16), 'after']);
    expect(numbers).toEqual([1, 2, 3]);
    expect(stats).toMatchObject({ lines: 3, cutLines: 1 });
  });

  it('cuts an endless line spread over many chunks without carrying it', async () => {
    const chunks = ['head\n', ...Array.from({ length: 100 }, () => 'y'.repeat(10)), '\ntail'];
    const { lines, stats } = await linesOfChunks(chunks, 32);
    expect(lines).toEqual(['head', 'y'.repeat(32), 'tail']);
    expect(stats.cutLines).toBe(1);
  });

  it('a line of exactly maxLineBytes is not cut', async () => {
    const { lines, stats } = await linesOf(['abcd\r\nefgh'], 4);
    expect(lines).toEqual(['abcd', 'efgh']);
    expect(stats.cutLines).toBe(0);
  });

  it('a line of exactly maxLineBytes whose CR and LF arrive in different chunks is not cut', async () => {
    const { lines, stats } = await linesOfChunks(['abcd\r', '\nefgh\r\n'], 4);
    expect(lines).toEqual(['abcd', 'efgh']);
    expect(stats.cutLines).toBe(0);
  });

  it('cuts on a character boundary', async () => {
    const { lines } = await linesOf(['ééééé\n'], 5);
    expect(lines).toEqual(['éé']);
  });

  it('decodes invalid UTF-8 as U+FFFD without throwing', async () => {
    const { lines } = await linesOf([Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x21, 0x0a, 0xc3, 0x0a])]);
    expect(lines).toEqual(['ok\ufffd\ufffd!', '\ufffd']);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const { lines } = await linesOf([Buffer.from([0xef, 0xbb, 0xbf]), 'apiVersion: v1\n']);
    expect(lines).toEqual(['apiVersion: v1']);
  });

  it('reports NUL bytes in the first 8 KiB as binary and yields nothing', async () => {
    const text = Buffer.from('line one\nline two\n');
    const binary = Buffer.concat([text, Buffer.alloc(100, 'a'), Buffer.from([0]), Buffer.alloc(10_000, 'b')]);
    const split = [binary.subarray(0, 10), binary.subarray(10, 5000), binary.subarray(5000)];
    const { lines, stats } = await linesOf(split);
    expect(lines).toEqual([]);
    expect(stats.binary).toBe(true);
  });

  it('a NUL after the first 8 KiB is text', async () => {
    const late = Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from('\nz\u0000z\n')]);
    const { lines, stats } = await linesOf([late]);
    expect(stats.binary).toBe(false);
    expect(lines[1]).toBe('z\u0000z');
  });

  it('an empty stream has no lines', async () => {
    const { lines, stats } = await linesOf([]);
    expect(lines).toEqual([]);
    expect(stats).toEqual({ lines: 0, cutLines: 0, bytes: 0, binary: false });
  });

  it('breaking out of the iteration destroys the stream', async () => {
    const stream = Readable.from(['a\n', 'b\n', 'c\n'].map((s) => Buffer.from(s)));
    for await (const chunk of readLines(stream, { maxLineBytes: 64 })) {
      expect(chunk.lines).toEqual(['a', 'b', 'c']);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });
});

describe('readLines with a selection', () => {
  interface Yielded {
    line: string;
    number: number;
    skipped: string[];
  }

  async function selected(chunks: (string | Buffer)[], literals: string[], headLines: number, maxLineBytes = 1024, blockBytes?: number) {
    const finder = compileLiteralFinder(literals);
    const head = (lineNo: number): boolean => lineNo < headLines;
    const reader = readLines(Readable.from(chunks.map((c) => Buffer.from(c))), { maxLineBytes, select: { finder, head }, blockBytes });
    const out: Yielded[] = [];
    for await (const chunk of reader) {
      chunk.lines.forEach((line, i) => out.push({ line, number: chunk.numbers[i], skipped: [...chunk.skippedBefore(i)] }));
    }
    return { out, stats: reader.stats };
  }

  it('yields the head, the lines with a literal and those at the chunk boundary; counts every line', async () => {
    const text = ['one', 'two', 'noise', 'a Killed process here', 'noise', 'noise', 'PDB blocked', 'noise', 'last'].join('\n');
    const { out, stats } = await selected([text], ['Killed process', 'PDB'], 2);
    expect(out.map((y) => [y.number, y.line])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [4, 'a Killed process here'],
      [7, 'PDB blocked'],
      [8, 'noise'], // the chunk's last complete line
      [9, 'last'], // the line the end of the chunk split
    ]);
    expect(out[2].skipped).toEqual(['noise']);
    expect(out[3].skipped).toEqual(['noise', 'noise']);
    expect(stats).toMatchObject({ lines: 9, cutLines: 0 });
  });

  it('agrees with reading every line, whatever the chunking and block size: same numbers, texts, counts; skipped lines in between', async () => {
    const next = seededRandom(11);
    const words = ['noise', 'Killed process', 'x', '', 'PDB', 'é', 'pad pad pad pad', 'Kill', 'ed process'];
    for (let round = 0; round < 60; round++) {
      const lines = Array.from({ length: Math.floor(next() * 40) }, () =>
        Array.from({ length: Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(next() < 0.1 ? '\r' : ' '),
      );
      // a first line of 8 KiB: the binary sniff reads that much whole, so only the chunks after it arrive one by one
      const text = `${'s'.repeat(BINARY_SNIFF_BYTES)}\n` + lines.join(next() < 0.3 ? '\r\n' : '\n') + (next() < 0.5 ? '\n' : '');
      const chunks: string[] = [text.slice(0, BINARY_SNIFF_BYTES)];
      for (let i = BINARY_SNIFF_BYTES; i < text.length; ) {
        const size = 1 + Math.floor(next() * 30);
        chunks.push(text.slice(i, i + size));
        i += size;
      }
      const max = 8 + Math.floor(next() * 40);
      const all = await linesOf(chunks, max);
      const headLines = Math.floor(next() * 3);
      const blockBytes = 1 + Math.floor(next() * 64);
      const { out, stats } = await selected(chunks, ['Killed process', 'PDB'], headLines, max, blockBytes);
      expect(stats).toEqual(all.stats);
      // the same lines, however the stream happens to be chunked
      const whole = await selected([text], ['Killed process', 'PDB'], headLines, max, blockBytes);
      expect(whole.out).toEqual(out);
      let previous = 0;
      for (const y of out) {
        expect(y.number).toBeGreaterThan(previous);
        expect(y.line).toBe(all.lines[y.number - 1]);
        expect(y.skipped).toEqual(all.lines.slice(previous, y.number - 1).reverse());
        previous = y.number;
      }
      const wanted = all.lines.flatMap((line, i) => (line.includes('Killed process') || line.includes('PDB') ? [i + 1] : []));
      expect(out.map((y) => y.number)).toEqual(expect.arrayContaining(wanted));
      if (all.lines.length > 0) expect(out.at(-1)!.number).toBe(all.lines.length);
    }
  });
});

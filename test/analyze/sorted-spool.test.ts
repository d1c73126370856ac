import { describe, expect, it } from 'vitest';
import { SortedSpool } from '../../src/analyze/sorted-spool.js';
import { seededRandom } from '../seeded-random.js';

/** A text record, encoded into the room the spool lends. */
function add(spool: SortedSpool, key: number, text: string): void {
  const at = spool.reserve(Buffer.byteLength(text));
  spool.commit(key, at + spool.buffer.write(text, at, 'utf8'));
}

async function drained(spool: SortedSpool): Promise<string[]> {
  const chunks: Buffer[] = [];
  await spool.drainTo(async (bytes) => {
    chunks.push(Buffer.from(bytes));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

describe('SortedSpool', () => {
  for (const runBytes of [1 << 26, 300_000, 4096]) {
    it(`sorts by key, equal keys in arrival order (${runBytes === 1 << 26 ? 'in memory' : `runs of ${runBytes} bytes`})`, async () => {
      const next = seededRandom(runBytes);
      const spool = new SortedSpool(runBytes);
      const added: { key: number; text: string }[] = [];
      for (let i = 0; i < 3000; i++) {
        const key = next() < 0.1 ? Number.MAX_SAFE_INTEGER : Math.floor(next() * 50) * 1.5 - 20;
        const text = `${i} ${'é😀'.repeat(Math.floor(next() * 3))}${next() < 0.01 ? 'x'.repeat(200_000) : ''}`;
        added.push({ key, text });
        add(spool, key, text);
      }
      const expected = [...added].sort((a, b) => a.key - b.key).map((r) => r.text);
      expect(await drained(spool)).toEqual(expected);
    });
  }

  it('keeps records that arrive in order as they are, across runs', async () => {
    const spool = new SortedSpool(4096);
    const texts = Array.from({ length: 2000 }, (_, i) => `record ${i}`);
    texts.forEach((text, i) => add(spool, Math.floor(i / 3), text));
    expect(await drained(spool)).toEqual(texts);
  });

  it('drains nothing when nothing was added', async () => {
    expect(await drained(new SortedSpool(10))).toEqual([]);
  });
});

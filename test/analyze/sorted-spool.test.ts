import { describe, expect, it } from 'vitest';
import { SortedSpool } from '../../src/analyze/sorted-spool.js';
import { seededRandom } from '../seeded-random.js';

async function drained(spool: SortedSpool): Promise<string[]> {
  const chunks: Buffer[] = [];
  await spool.drainTo(async (bytes) => {
    chunks.push(Buffer.from(bytes));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

describe('SortedSpool', () => {
  for (const runChars of [1 << 30, 50, 4096]) {
    it(`sorts by key, equal keys in arrival order (${runChars === 1 << 30 ? 'in memory' : `runs of ${runChars} chars`})`, async () => {
      const next = seededRandom(runChars);
      const spool = new SortedSpool(runChars);
      const added: { key: number; text: string }[] = [];
      for (let i = 0; i < 3000; i++) {
        const key = next() < 0.1 ? Number.MAX_SAFE_INTEGER : Math.floor(next() * 50) * 1.5 - 20;
        const text = `${i} ${'é😀'.repeat(Math.floor(next() * 3))}${next() < 0.01 ? 'x'.repeat(200_000) : ''}`;
        added.push({ key, text });
        spool.add(key, text);
      }
      const expected = [...added].sort((a, b) => a.key - b.key).map((r) => r.text);
      expect(await drained(spool)).toEqual(expected);
    });
  }

  it('drains nothing when nothing was added', async () => {
    expect(await drained(new SortedSpool(10))).toEqual([]);
  });
});

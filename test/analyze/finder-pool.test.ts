import { afterAll, describe, expect, it } from 'vitest';
import { FinderPool } from '../../src/analyze/finder-pool.js';
import { compileLiteralFinder } from '../../src/rules/literal-finder.js';
import { seededRandom } from '../seeded-random.js';

// The threads run the built dist/analyze/finder-worker.js (npm test builds first).
const LITERALS = ['Killed process', 'PDB is blocked'];
const MAX_LINE_BYTES = 40;
const pool = new FinderPool(2, { literals: LITERALS, maxLineBytes: MAX_LINE_BYTES });
afterAll(() => pool.close());

describe('FinderPool', () => {
  it("indexes blocks in threads as the main thread's finder and line splitting would", async () => {
    const next = seededRandom(5);
    const words = ['noise', 'Killed process', 'PDB is blocked', 'PDB', 'Killed', 'x'.repeat(30), '\r'];
    const direct = compileLiteralFinder(LITERALS);
    for (let round = 0; round < 40; round++) {
      const text = Array.from({ length: 200 }, () => Array.from({ length: Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(' ')).join('\n');
      const block = Buffer.from(text);
      const index = await pool.scan(block);
      // candidates: the direct finder, asked line by line with ascending starts, finds the same lines
      let from = 0;
      while (from < block.length) {
        const nl = block.indexOf(10, from);
        const end = nl < 0 ? block.length : nl;
        expect(index.find(block, from, end) >= 0, `line at ${from}`).toBe(direct.find(block, from, end) >= 0);
        from = end + 1;
      }
      // lines: every newline, and the ones ending a line longer than the limit (a CR before the newline not counted)
      const lines = text.split('\n').slice(0, -1);
      const long = lines.slice(1).filter((line) => Buffer.byteLength(line.replace(/\r$/, '')) > MAX_LINE_BYTES).length;
      const firstNl = block.indexOf(10);
      expect(index.linesIn(0, block.lastIndexOf(10) + 1).lines).toBe(lines.length);
      expect(index.linesIn(firstNl + 1, block.lastIndexOf(10) + 1)).toEqual({ lines: lines.length - 1, long });
    }
  });

  it('fails every block at once after it was closed, instead of waiting forever', async () => {
    const closed = new FinderPool(1, { literals: LITERALS, maxLineBytes: MAX_LINE_BYTES });
    await closed.close();
    await expect(closed.scan(Buffer.from('Killed process\n'))).rejects.toThrow();
  });
});

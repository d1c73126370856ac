import { describe, expect, it } from 'vitest';
import { compileLiteralFinder } from '../../src/rules/literal-finder.js';
import { seededRandom } from '../seeded-random.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The earliest start of any literal lying wholly in [from, to), by brute force. */
function naiveFind(haystack: Buffer, literals: readonly string[], from: number, to: number): number {
  let best = -1;
  for (const literal of literals) {
    if (literal.length === 0) continue;
    const at = haystack.subarray(0, to).indexOf(bytes(literal), from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

describe('compileLiteralFinder', () => {
  it('finds the earliest occurrence of any literal', () => {
    const finder = compileLiteralFinder(['Killed process', 'oom-kill:', 'PDB']);
    const line = bytes('kernel: oom-kill:constraint=CONSTRAINT_MEMCG ... Killed process 4242 (prometheus)');
    expect(finder.find(line, 0, line.length)).toBe(line.indexOf('oom-kill:'));
    expect(finder.find(line, 9, line.length)).toBe(line.indexOf('Killed process'));
  });

  it('finds nothing in text without the literals, and nothing with no literals at all', () => {
    const text = bytes('level=info msg="Reconciled volume" volume=pvc-4f2f576b');
    expect(compileLiteralFinder(['Killed process', 'PDB']).find(text, 0, text.length)).toBe(-1);
    expect(compileLiteralFinder([]).find(text, 0, text.length)).toBe(-1);
    expect(compileLiteralFinder(['']).find(text, 0, text.length)).toBe(-1);
  });

  it('is case-sensitive and needs the whole literal inside [from, to)', () => {
    const text = bytes('a PDB is blocked');
    const finder = compileLiteralFinder(['PDB is blocked']);
    expect(finder.find(bytes('a pdb is blocked'), 0, 16)).toBe(-1);
    expect(finder.find(text, 0, text.length - 1)).toBe(-1);
    expect(finder.find(text, 3, text.length)).toBe(-1);
    expect(finder.find(text, 2, text.length)).toBe(2);
  });

  it('matches non-ASCII literals on their UTF-8 bytes', () => {
    const text = bytes('Größe überschritten: Volume degradiert');
    expect(compileLiteralFinder(['überschritten']).find(text, 0, text.length)).toBe(text.indexOf('überschritten'));
  });

  it('agrees with a brute-force search on random text, literals of every length, one-byte ones included', () => {
    const next = seededRandom(7);
    const alphabet = 'abcd :="\n';
    const pick = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 400; round++) {
      const literals = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(1 + Math.floor(next() * (round % 4 === 0 ? 12 : round % 2 ? 3 : 8))));
      // long haystacks with longer literals: long jumps, and hits rare enough that skipping past them would show
      let text = pick(Math.floor(next() * (round % 4 === 0 ? 3000 : 300)));
      // planted occurrences, anywhere: at the start, the end, next to each other
      for (let k = Math.floor(next() * 3); k > 0; k--) {
        const at = Math.floor(next() * text.length);
        text = text.slice(0, at) + literals[Math.floor(next() * literals.length)] + text.slice(at);
      }
      const haystack = bytes(text);
      const finder = compileLiteralFinder(literals);
      const from = Math.floor(next() * 20);
      const to = haystack.length - Math.floor(next() * 20);
      expect(finder.find(haystack, from, to), `${JSON.stringify(literals)} in ${JSON.stringify(haystack.toString())}`).toBe(
        from >= to ? -1 : naiveFind(haystack, literals, from, to),
      );
    }
  });
});

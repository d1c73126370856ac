import { describe, expect, it } from 'vitest';
import { compileLiterals, rulesWithoutLiterals } from '../../src/rules/prefilter.js';
import { rule } from './engine-helpers.js';

/** The obvious reference implementation the automaton must agree with. */
const naive = (sets: string[][], text: string): number[] =>
  sets.flatMap((set, index) => (set.some((literal) => literal.length > 0 && text.includes(literal)) ? [index] : []));

describe('compileLiterals', () => {
  const sets = [
    ['Domain is in state Paused reason IOError'],
    ['syncing migration target failed'],
    ['Paused'], // inside the first
    ['state Paused', 'reason IOError'], // overlapping each other and the first
    ['ausedx'], // shares a suffix path with "Paused" but needs one more char
    ['Wait for Rancher to be upgraded...'],
  ];
  const matcher = compileLiterals(sets);

  it('finds every set whose literal occurs, including overlapping and nested literals', () => {
    const line =
      '{"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","pos":"vm.go:3396"}';
    expect(matcher.match(line)).toEqual([0, 2, 3]);
    expect(matcher.match(line).length).toBeGreaterThan(0);
    expect(matcher.match('Paused')).toEqual([2]);
    expect(matcher.match('Pausedx')).toEqual([2, 4]);
    expect(matcher.match('reason IOError then Wait for Rancher to be upgraded...')).toEqual([3, 5]);
  });

  it('finds nothing in unrelated lines', () => {
    expect(matcher.match('Wait for Rancher dependencies helm releases...')).toEqual([]);
    expect(matcher.match('level=info msg="Shutting down /v1, Kind=Node workers"')).toEqual([]);
    expect(matcher.match('')).toEqual([]);
  });

  it('agrees with a naive scan on random text built from literal fragments', () => {
    const alphabet = ['Pa', 'used', 'x', ' ', 'state', 'reason IO', 'Error', 'ä', '😀', 'Domain is in ', 'P'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const parts = Math.floor(random() * 12);
      for (let i = 0; i < parts; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(matcher.match(text), text).toEqual(naive(sets, text));
    }
  });

  it('matches non-ASCII literals', () => {
    const unicode = compileLiterals([['größe'], ['😀 ok'], ['plain']]);
    expect(unicode.match('Die größe ist 😀 ok, plain')).toEqual([0, 1, 2]);
    expect(unicode.match('grösse')).toEqual([]);
  });

  it('is case-sensitive and ignores empty literals', () => {
    const m = compileLiterals([['Paused'], [''], []]);
    expect(m.match('paused')).toEqual([]);
    expect(m.match('anything')).toEqual([]);
    expect(m.match('Paused')).toEqual([0]);
    expect(compileLiterals([]).match('Paused')).toEqual([]);
  });
});

describe('rulesWithoutLiterals', () => {
  it('names the rules that get no log lines', () => {
    const create = () => ({});
    const rules = [rule('lines', ['Paused'], create), rule('objects-only', [], create), rule('empty', [''], create)];
    expect(rulesWithoutLiterals(rules)).toEqual(['objects-only', 'empty']);
  });
});

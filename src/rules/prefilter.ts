import type { RuleModule } from './types.js';

/**
 * Which literal sets occur in a line: one Aho-Corasick automaton over the UTF-8 bytes of every literal, so a line is
 * scanned once whatever the number of rules, overlapping literals included. Built over UTF-8 bytes (non-ASCII characters
 * are stepped through as their bytes), so it could also scan raw Buffer chunks before decoding.
 */
export interface LiteralMatcher {
  /** Ascending indices of the sets one of whose literals occurs in `text` (do not modify: it may be shared). */
  match(text: string): readonly number[];
}

const NONE: readonly number[] = Object.freeze([]);

/** Compiles literal sets (one per rule). Empty strings are ignored: they would admit every line. */
export function compileLiterals(sets: readonly (readonly string[])[]): LiteralMatcher {
  const encoder = new TextEncoder();
  // Trie over bytes; children as maps while building.
  const children: Map<number, number>[] = [new Map()];
  const outputs: Set<number>[] = [new Set()];
  for (let setIndex = 0; setIndex < sets.length; setIndex++) {
    for (const literal of sets[setIndex]) {
      if (literal.length === 0) continue;
      let state = 0;
      for (const byte of encoder.encode(literal)) {
        let next = children[state].get(byte);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          outputs.push(new Set());
          children[state].set(byte, next);
        }
        state = next;
      }
      outputs[state].add(setIndex);
    }
  }

  // Byte classes: bytes that occur in no literal share class 0, which keeps the transition table small.
  const byteClass = new Uint16Array(256);
  let classCount = 1;
  for (const map of children) {
    for (const byte of map.keys()) if (byteClass[byte] === 0) byteClass[byte] = classCount++;
  }

  // Breadth-first: failure links, then the full transition table (a DFA) and the merged outputs.
  const stateCount = children.length;
  const delta = new Int32Array(stateCount * classCount);
  const fail = new Int32Array(stateCount);
  const order: number[] = [0];
  for (let head = 0; head < order.length; head++) {
    const state = order[head];
    for (let cls = 0; cls < classCount; cls++) {
      delta[state * classCount + cls] = state === 0 ? 0 : delta[fail[state] * classCount + cls];
    }
    for (const [byte, child] of children[state]) {
      fail[child] = state === 0 ? 0 : delta[fail[state] * classCount + byteClass[byte]];
      for (const inherited of outputs[fail[child]]) outputs[child].add(inherited);
      delta[state * classCount + byteClass[byte]] = child;
      order.push(child);
    }
  }
  // (`order` visits parents before children and a failure target is always shallower, so the outputs a child
  // inherits above are complete when it copies them.)
  // Renumber the states so that those with an output come last: then "has an output" is one comparison in the hot
  // loop. The table holds row offsets (state * classCount) rather than states, saving a multiplication per byte.
  const renumbered = new Int32Array(stateCount);
  let next = 0;
  for (let state = 0; state < stateCount; state++) if (outputs[state].size === 0) renumbered[state] = next++;
  const firstOutputRow = next * classCount;
  for (let state = 0; state < stateCount; state++) if (outputs[state].size > 0) renumbered[state] = next++;
  const table = new Int32Array(stateCount * classCount);
  const outByRow = new Map<number, readonly number[]>();
  for (let state = 0; state < stateCount; state++) {
    const row = renumbered[state] * classCount;
    for (let cls = 0; cls < classCount; cls++) table[row + cls] = renumbered[delta[state * classCount + cls]] * classCount;
    if (outputs[state].size > 0) outByRow.set(row, [...outputs[state]].sort((a, b) => a - b));
  }
  const start = renumbered[0] * classCount;

  const seen = new Int32Array(sets.length);
  let generation = 0;
  /** Adds the sets of an output row to `found` (allocated, with a new dedupe generation, on the first hit). */
  const collect = (row: number, found: number[] | null): number[] => {
    if (found === null) begin();
    const list = found ?? [];
    for (const setIndex of outByRow.get(row)!) {
      if (seen[setIndex] !== generation) {
        seen[setIndex] = generation;
        list.push(setIndex);
      }
    }
    return list;
  };
  const begin = (): void => {
    generation++;
    if (generation === 0x7fffffff) {
      seen.fill(0);
      generation = 1;
    }
  };
  const finish = (found: number[] | null): readonly number[] =>
    found === null ? NONE : found.length > 1 ? found.sort((a, b) => a - b) : found;

  return {
    match(text) {
      if (outByRow.size === 0) return NONE;
      let found: number[] | null = null;
      let row = start;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x80) {
          row = table[row + byteClass[code]];
          if (row >= firstOutputRow) found = collect(row, found);
          continue;
        }
        const { bytes, width } = utf8At(text, i);
        i += width - 1;
        for (const byte of bytes) {
          row = table[row + byteClass[byte]];
          if (row >= firstOutputRow) found = collect(row, found);
        }
      }
      return finish(found);
    },
  };
}

/** The UTF-8 bytes of the non-ASCII code point at `text[i]` and how many UTF-16 units it takes. */
function utf8At(text: string, i: number): { bytes: number[]; width: number } {
  let code = text.charCodeAt(i);
  let width = 1;
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      width = 2;
    }
  }
  if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate: TextEncoder writes U+FFFD
  const bytes =
    code < 0x800
      ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
      : code < 0x10000
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  return { bytes, width };
}

/** Ids of rules that declare no usable literal: they receive no log lines (objects and `end` only). */
export function rulesWithoutLiterals(rules: readonly RuleModule[]): string[] {
  return rules.filter((rule) => !rule.literals.some((literal) => literal.length > 0)).map((rule) => rule.id);
}

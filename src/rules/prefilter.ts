import type { RuleModule } from './types.js';

/**
 * Which literal sets occur in a line: one Aho-Corasick automaton over the UTF-8 bytes of every literal, so a line is
 * scanned once whatever the number of rules, overlapping literals included. Built over bytes so that the same automaton
 * serves decoded strings and raw Buffer chunks (non-ASCII characters are stepped through as their UTF-8 bytes).
 */
export interface LiteralMatcher {
  /** Ascending indices of the sets one of whose literals occurs in `text`. */
  match(text: string): number[];
  /** Whether any literal occurs in `text` (stops at the first hit). */
  test(text: string): boolean;
  /** `match` over UTF-8 bytes `[start, end)`, e.g. a line inside a read buffer, without decoding it. */
  matchBytes(bytes: Uint8Array, start?: number, end?: number): number[];
  testBytes(bytes: Uint8Array, start?: number, end?: number): boolean;
}

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
  const byteClass = new Uint8Array(256);
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
  // `order` visits parents before children and a failure target is always shallower, so outputs inherited above are
  // complete when a child copies them.
  const out: readonly number[][] = outputs.map((set) => [...set].sort((a, b) => a - b));
  const hasOutput = new Uint8Array(stateCount);
  for (let state = 0; state < stateCount; state++) hasOutput[state] = out[state].length > 0 ? 1 : 0;

  const seen = new Int32Array(sets.length);
  let generation = 0;

  const collect = (state: number, found: number[]): void => {
    for (const setIndex of out[state]) {
      if (seen[setIndex] !== generation) {
        seen[setIndex] = generation;
        found.push(setIndex);
      }
    }
  };
  const finish = (found: number[]): number[] => (found.length > 1 ? found.sort((a, b) => a - b) : found);
  const nextGeneration = (): void => {
    generation++;
    if (generation === 0x7fffffff) {
      seen.fill(0);
      generation = 1;
    }
  };

  /** Runs the automaton over a string; `onHit` returns true to stop. */
  const scanString = (text: string, onHit: (state: number) => boolean): void => {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        state = delta[state * classCount + byteClass[code]];
        if (hasOutput[state] === 1 && onHit(state)) return;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate: TextEncoder writes U+FFFD
      const bytes =
        code < 0x800
          ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
          : code < 0x10000
            ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      for (const byte of bytes) {
        state = delta[state * classCount + byteClass[byte]];
        if (hasOutput[state] === 1 && onHit(state)) return;
      }
    }
  };

  const scanBytes = (bytes: Uint8Array, start: number, end: number, onHit: (state: number) => boolean): void => {
    let state = 0;
    for (let i = start; i < end; i++) {
      state = delta[state * classCount + byteClass[bytes[i]]];
      if (hasOutput[state] === 1 && onHit(state)) return;
    }
  };

  return {
    match(text) {
      if (stateCount === 1) return [];
      nextGeneration();
      const found: number[] = [];
      scanString(text, (state) => {
        collect(state, found);
        return found.length === sets.length;
      });
      return finish(found);
    },
    test(text) {
      let hit = false;
      scanString(text, () => (hit = true));
      return hit;
    },
    matchBytes(bytes, start = 0, end = bytes.length) {
      if (stateCount === 1) return [];
      nextGeneration();
      const found: number[] = [];
      scanBytes(bytes, start, end, (state) => {
        collect(state, found);
        return found.length === sets.length;
      });
      return finish(found);
    },
    testBytes(bytes, start = 0, end = bytes.length) {
      let hit = false;
      scanBytes(bytes, start, end, () => (hit = true));
      return hit;
    },
  };
}

/** Ids of rules that declare no usable literal: they receive no log lines (objects and `end` only). */
export function rulesWithoutLiterals(rules: readonly RuleModule[]): string[] {
  return rules.filter((rule) => !rule.literals.some((literal) => literal.length > 0)).map((rule) => rule.id);
}

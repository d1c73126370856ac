/**
 * Finds where any of a set of literals occurs in raw bytes, without decoding them: the analysis's hot path asks it
 * for the next candidate line in each chunk, and almost every line has none. Wu-Manber: a window as long as the
 * shortest literal slides by the shift its last two bytes allow (most byte pairs occur in no literal, so it mostly
 * jumps the whole window); only where a pair ends a literal's prefix are the literals compared. Case-sensitive, like
 * the engine's matching. Pairs are hashed into 8 KiB so the table stays in the L1 cache: each step waits on that
 * lookup, and a collision only shortens a shift.
 */
export interface LiteralFinder {
  /** Index of the first byte of the earliest occurrence of a literal that lies wholly in bytes[from, to), or -1. */
  find(bytes: Uint8Array, from: number, to: number): number;
}

/** Windows longer than this gain little and would overflow the shift table's bytes. */
const MAX_WINDOW = 255;
const PAIR_HASHES = 1 << 13;
const PAIR_MASK = PAIR_HASHES - 1;
/** Below this many bytes a second lane costs more than it gains. */
const MIN_TWO_LANES = 512;
const pairHash = (first: number, second: number): number => ((first << 5) ^ second) & PAIR_MASK;

export function compileLiteralFinder(literals: readonly string[]): LiteralFinder {
  const encoder = new TextEncoder();
  const patterns = [...new Set(literals.filter((literal) => literal.length > 0))].map((literal) => encoder.encode(literal));
  if (patterns.length === 0) return { find: () => -1 };
  const window = Math.min(MAX_WINDOW, ...patterns.map((p) => p.length));
  return window === 1 ? singleByteFinder(patterns) : pairFinder(patterns, window);
}

/** The general case: shifts per pair of bytes over a window of `window` ≥ 2 bytes. */
function pairFinder(patterns: readonly Uint8Array[], window: number): LiteralFinder {
  const shift = new Uint8Array(PAIR_HASHES).fill(window - 1);
  const endingWith: (Uint8Array[] | undefined)[] = new Array(PAIR_HASHES);
  for (const pattern of patterns) {
    for (let j = 0; j + 1 < window; j++) {
      const pair = pairHash(pattern[j], pattern[j + 1]);
      shift[pair] = Math.min(shift[pair], window - 2 - j);
    }
    const last = pairHash(pattern[window - 2], pattern[window - 1]);
    (endingWith[last] ??= []).push(pattern);
  }
  /** The start of a literal ending its prefix at `end` (a window whose pair shifts by 0), or -1. */
  const verify = (bytes: Uint8Array, end: number, to: number): number => {
    const start = end - window + 1;
    for (const pattern of endingWith[pairHash(bytes[end - 1], bytes[end])]!) if (occursAt(bytes, start, to, pattern)) return start;
    return -1;
  };
  /** One lane: windows ending in [end, stop), in order. */
  const lane = (bytes: Uint8Array, end: number, stop: number, to: number): number => {
    while (end < stop) {
      const step = shift[((bytes[end - 1] << 5) ^ bytes[end]) & PAIR_MASK]; // pairHash, inlined by hand
      if (step !== 0) end += step;
      else {
        const hit = verify(bytes, end, to);
        if (hit >= 0) return hit;
        end++;
      }
    }
    return -1;
  };
  return {
    // Two lanes, over the two halves of the range, step in turn: each step waits on a table lookup, and two
    // independent chains of them run almost twice as fast as one. The first half's hits come first.
    find(bytes, from, to) {
      if (to - from < MIN_TWO_LANES) return lane(bytes, from + window - 1, to, to);
      const mid = (from + to) >>> 1;
      let a = from + window - 1;
      const aStop = mid + window - 1;
      let b = aStop;
      let bHit = -1;
      while (a < aStop && b < to) {
        const stepA = shift[((bytes[a - 1] << 5) ^ bytes[a]) & PAIR_MASK];
        if (stepA !== 0) a += stepA;
        else {
          const hit = verify(bytes, a, to);
          if (hit >= 0) return hit;
          a++;
        }
        const stepB = shift[((bytes[b - 1] << 5) ^ bytes[b]) & PAIR_MASK];
        if (stepB !== 0) b += stepB;
        else {
          bHit = verify(bytes, b, to);
          if (bHit >= 0) break;
          b++;
        }
      }
      const hitA = lane(bytes, a, aStop, to);
      if (hitA >= 0 || bHit >= 0) return hitA >= 0 ? hitA : bHit;
      return lane(bytes, b, to, to);
    },
  };
}

/** A one-byte literal makes every window one byte: test each byte. */
function singleByteFinder(patterns: readonly Uint8Array[]): LiteralFinder {
  const startingWith: (Uint8Array[] | undefined)[] = new Array(256);
  for (const pattern of patterns) (startingWith[pattern[0]] ??= []).push(pattern);
  return {
    find(bytes, from, to) {
      for (let i = from; i < to; i++) {
        const candidates = startingWith[bytes[i]];
        if (candidates === undefined) continue;
        for (const pattern of candidates) if (occursAt(bytes, i, to, pattern)) return i;
      }
      return -1;
    },
  };
}

function occursAt(bytes: Uint8Array, start: number, to: number, pattern: Uint8Array): boolean {
  if (start + pattern.length > to) return false;
  for (let k = 0; k < pattern.length; k++) if (bytes[start + k] !== pattern[k]) return false;
  return true;
}

/**
 * Finds where any of a set of literals occurs in raw bytes, without decoding them: the analysis's hot path asks it
 * for the next candidate line in each chunk, and almost every line has none. Wu-Manber: a window as long as the
 * shortest literal slides by the shift its last two bytes allow (most byte pairs occur in no literal, so it mostly
 * jumps the whole window); only where a pair ends a literal's prefix are the literals compared. Case-sensitive, like
 * the engine's matching.
 */
export interface LiteralFinder {
  /** Index of the first byte of the earliest occurrence of a literal that lies wholly in bytes[from, to), or -1. */
  find(bytes: Uint8Array, from: number, to: number): number;
}

/** Windows longer than this gain little and would overflow the shift table's bytes. */
const MAX_WINDOW = 255;

export function compileLiteralFinder(literals: readonly string[]): LiteralFinder {
  const encoder = new TextEncoder();
  const patterns = [...new Set(literals.filter((literal) => literal.length > 0))].map((literal) => encoder.encode(literal));
  if (patterns.length === 0) return { find: () => -1 };
  const window = Math.min(MAX_WINDOW, ...patterns.map((p) => p.length));
  return window === 1 ? singleByteFinder(patterns) : pairFinder(patterns, window);
}

/**
 * The general case: shifts per pair of bytes over a window of `window` ≥ 2 bytes. Where a window ends like a literal's
 * prefix, its first pair must also start a literal before any literal is compared: in real logs that drops three
 * comparisons in four (common pairs like `ne`, ` s` end some prefix; few windows ending so also start one).
 */
function pairFinder(patterns: readonly Uint8Array[], window: number): LiteralFinder {
  const shift = new Uint8Array(65536).fill(window - 1);
  const endingWith: (Uint8Array[] | undefined)[] = new Array(65536);
  const starts = new Uint8Array(65536);
  for (const pattern of patterns) {
    starts[(pattern[0] << 8) | pattern[1]] = 1;
    for (let j = 0; j + 1 < window; j++) {
      const pair = (pattern[j] << 8) | pattern[j + 1];
      shift[pair] = Math.min(shift[pair], window - 2 - j);
    }
    const last = (pattern[window - 2] << 8) | pattern[window - 1];
    (endingWith[last] ??= []).push(pattern);
  }
  return {
    find(bytes, from, to) {
      let end = from + window - 1; // the window's last byte
      while (end < to) {
        const pair = (bytes[end - 1] << 8) | bytes[end];
        const step = shift[pair];
        if (step !== 0) {
          end += step;
          continue;
        }
        const start = end - window + 1;
        if (starts[(bytes[start] << 8) | bytes[start + 1]] !== 0) {
          for (const pattern of endingWith[pair]!) if (occursAt(bytes, start, to, pattern)) return start;
        }
        end++;
      }
      return -1;
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

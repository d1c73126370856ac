/**
 * Time-ordered line streams: scripted lines of a scenario merged with lazily generated background lines,
 * so a file of any size is produced chunk by chunk and never held in memory.
 */
import type { Micros } from './line-formats.js';
import type { Rng } from './prng.js';

/** One output line at its (true, unskewed) time. `text` is the final line without the newline. */
export interface Line {
  t: Micros;
  text: string;
}

/** Merges time-ordered sources into one time-ordered stream; ties keep source order. */
export function* mergeLines(sources: Iterable<Line>[]): Generator<Line> {
  const iters = sources.map((s) => s[Symbol.iterator]());
  const heads: (Line | null)[] = iters.map((it) => {
    const r = it.next();
    return r.done ? null : r.value;
  });
  // A linear scan is fine: a file merges a handful of sources.
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || h.t < heads[best]!.t)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const r = iters[best].next();
    heads[best] = r.done ? null : r.value;
  }
}

/** Scripted lines, sorted by time (stable). */
export const sortedLines = (lines: readonly Line[]): Line[] => lines.slice().sort((a, b) => a.t - b.t);

export interface PeriodicSpec {
  from: Micros;
  to: Micros;
  /** Mean interval between ticks. */
  every: Micros;
  /** Each tick lands uniformly within ±jitter of its slot. */
  jitter?: Micros;
  rng: Rng;
  /** Lines of one tick, each at `t` or slightly after (returned offsets in micros, ascending). */
  make: (t: Micros, tick: number) => readonly (readonly [Micros, string])[] | null;
}

/** Background lines on a regular, jittered schedule inside [from, to). */
export function* periodic(spec: PeriodicSpec): Generator<Line> {
  if (spec.every <= 0 || spec.to <= spec.from) return;
  const jitter = spec.jitter ?? Math.floor(spec.every / 4);
  let tick = 0;
  for (let slot = spec.from + Math.floor(spec.rng.next() * spec.every); slot < spec.to; slot += spec.every, tick++) {
    const t = slot + Math.round((spec.rng.next() * 2 - 1) * jitter);
    if (t < spec.from || t >= spec.to) continue;
    const made = spec.make(t, tick);
    if (!made) continue;
    for (const [offset, text] of made) {
      if (t + offset < spec.to) yield { t: t + offset, text };
    }
  }
}

/** Keeps the lines inside [from, to). */
export function* window(lines: Iterable<Line>, from: Micros, to: Micros): Generator<Line> {
  for (const l of lines) if (l.t >= from && l.t < to) yield l;
}

/** Joins lines into newline-terminated text chunks of roughly `chunkChars`. */
export function* textChunks(lines: Iterable<string>, chunkChars = 1 << 16): Generator<string> {
  let buf = '';
  for (const line of lines) {
    buf += line + '\n';
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

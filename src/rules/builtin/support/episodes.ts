import { compareText, compareTime } from '../../../util/compare.js';

/**
 * Splits time-ordered items into runs where consecutive items are at most `maxGapMs` apart.
 * Items without a time join the run of the previous item (or start the first one).
 */
export const splitByGap = <T>(items: readonly T[], timeOf: (item: T) => number | null, maxGapMs: number): T[][] => {
  const runs: T[][] = [];
  let lastTime: number | null = null;
  for (const item of items) {
    const t = timeOf(item);
    const current = runs[runs.length - 1];
    if (!current || (t !== null && lastTime !== null && t - lastTime > maxGapMs)) runs.push([item]);
    else current.push(item);
    if (t !== null) lastTime = t;
  }
  return runs;
};

/** Sorts by time (unknown last), then by a tie-breaker, so results never depend on input order. */
export const byTimeThen =
  <T>(timeOf: (item: T) => number | null, tie: (item: T) => string) =>
  (a: T, b: T): number =>
    compareTime(timeOf(a), timeOf(b)) || compareText(tie(a), tie(b));

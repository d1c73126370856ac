import type { KeyEvent, UpgradeStory } from '../../../correlate/types.js';
import type { BundleFacts } from '../../../k8s/types.js';

/** From the Upgrade's creation to its end; `end` null while it was still running when the bundle was collected. */
export interface UpgradeWindow {
  start: number;
  end: number | null;
}

export const upgradeWindow = (story: UpgradeStory | null): UpgradeWindow | null =>
  story?.startedAt ? { start: story.startedAt.time, end: story.finishedAt?.time ?? null } : null;

export const inUpgradeWindow = (time: number | null, window: UpgradeWindow | null): boolean =>
  time !== null && window !== null && time >= window.start && (window.end === null || time <= window.end);

/**
 * "Now" for a bundle: its creation time, else the latest key moment it shows. The wall clock is never read.
 */
export const bundleNow = (facts: BundleFacts, keyEvents: readonly KeyEvent[]): number | null => {
  if (facts.createdAt !== null) return facts.createdAt;
  let latest: number | null = null;
  for (const e of keyEvents) if (latest === null || e.time > latest) latest = e.time;
  return latest;
};

export const isUpgradeFinished = (story: UpgradeStory): boolean =>
  story.finishedAt !== null || story.state === 'Succeeded' || story.state === 'Failed';

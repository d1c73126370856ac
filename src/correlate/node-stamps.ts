import type { Stamp, UpgradeNodeStory } from './types.js';

/** A node's stamps in phase order (null where the bundle does not show the step). */
export const nodeStamps = (n: UpgradeNodeStory): (Stamp | null)[] => [
  n.imagesPreloadedAt,
  n.preDrainStartedAt,
  n.preDrainFinishedAt,
  n.rke2UpgradedAt,
  n.postDrainStartedAt,
  n.postDrainFinishedAt,
  n.rebootedAt,
  n.succeededAt,
];

/** Node jobs of an upgrade: `<upgrade>-pre-drain-<node>`, `<upgrade>-post-drain-<node>`, `<upgrade>-single-node-upgrade-<node>`. */
export type UpgradeJobType = 'pre-drain' | 'post-drain' | 'single-node-upgrade';

/**
 * The node an upgrade job pod works on, from its name `<upgrade>-<type>-<node>-<5 random>` (the Job name plus the pod
 * suffix). Null for other pods.
 */
export const upgradeJobNode = (pod: string | null, type: UpgradeJobType): string | null => {
  if (!pod) return null;
  const m = new RegExp(`^hvst-upgrade-[a-z0-9]+-${type}-(.+)-[a-z0-9]{5}$`).exec(pod);
  return m ? m[1] : null;
};

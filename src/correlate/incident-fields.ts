import type { Finding } from '../rules/types.js';

/**
 * Facts the chains read from findings' `fields`, in one place: the rules own these names.
 * A fact the finding does not state is null, never guessed.
 */

const firstOf = (f: Finding, names: readonly string[]): string | number | boolean | null => {
  for (const name of names) {
    const v = f.fields[name];
    if (v !== undefined && v !== null) return v;
  }
  return null;
};

/** A rule's own `inconclusive` verdict (e.g. rke2-upgrade-without-pre-drain without an upgrade story) and why. */
export function ruleVerdictGap(f: Finding): string | null {
  if (f.fields.verdict !== 'inconclusive') return null;
  const reason = firstOf(f, ['verdictReason', 'missing', 'reason']);
  return typeof reason === 'string' ? reason : f.message;
}

/** Whether a non-migratable VM was running again when the bundle was collected. */
export function runningAgain(f: Finding): boolean | null {
  const v = firstOf(f, ['runningAfterUpgrade', 'restarted', 'running']);
  return typeof v === 'boolean' ? v : null;
}

/** Whether an unhealthy volume became healthy again. */
export function recovered(f: Finding): boolean | null {
  const v = firstOf(f, ['recovered']);
  if (typeof v === 'boolean') return v;
  const robustness = firstOf(f, ['robustness', 'currentRobustness']);
  return typeof robustness === 'string' ? robustness === 'healthy' : null;
}

/** How many times a container was OOM-killed; the number of merged reports when the rule states no count. */
export function oomKills(f: Finding): number {
  const v = firstOf(f, ['oomKills', 'oomCount', 'kills']);
  return typeof v === 'number' ? v : f.count;
}

/** A volume's name, from the subject (`pvc-<uuid>` or `longhorn-system/pvc-<uuid>`). */
export const volumeName = (f: Finding): string => (f.subject ?? 'unknown volume').split('/').pop()!;

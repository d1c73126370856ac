import type { Finding } from '../rules/types.js';

/**
 * Facts the chains read from findings' `fields`, in one place; the builtin rules own these names.
 * A fact the finding does not state is null, never guessed.
 */

/** A rule's own `inconclusive` verdict (rke2-upgrade-without-pre-drain without objects), told by its message. */
export const ruleVerdictGap = (f: Finding): string | null => (f.fields.verdict === 'inconclusive' ? f.message : null);

/** non-migratable-vm: whether the VM was running when the bundle was collected. */
export function runningAgain(f: Finding): boolean | null {
  const v = f.fields.runningAtCollection;
  return typeof v === 'boolean' ? v : null;
}

/** longhorn-volume-unhealthy: whether the volume became healthy again. */
export function recovered(f: Finding): boolean | null {
  const v = f.fields.recovered;
  return typeof v === 'boolean' ? v : null;
}

/** longhorn-drain-blocked: longhorn-manager's reason (`some volumes are still attached InstanceEngines count 1 <engine>`). */
export const blockReason = (f: Finding): string | null => (typeof f.fields.reason === 'string' ? f.fields.reason : null);

/** longhorn-drain-blocked: the eviction loop was still running when the bundle was collected. */
export const stillBlocked = (f: Finding): boolean => f.fields.stillBlockedAtCollection === true;

/** prometheus-oom-killed, container-oom-killed: how many kills; the merged reports (one per kill) otherwise. */
export function oomKills(f: Finding): number {
  const v = f.fields.oomKills;
  return typeof v === 'number' ? v : f.count;
}

/** A volume's name, from the subject (`pvc-<uuid>` or `longhorn-system/pvc-<uuid>`). */
export const volumeName = (f: Finding): string => (f.subject ?? 'unknown volume').split('/').pop()!;

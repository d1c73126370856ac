import type { RuleModule } from '../types.js';
import { collectionGap } from './collection-gap.js';
import { containerOomKilled } from './container-oom-killed.js';
import { longhornDrainBlocked } from './longhorn-drain-blocked.js';
import { longhornVolumeUnhealthy } from './longhorn-volume-unhealthy.js';
import { maintenanceModeLeftover } from './maintenance-mode-leftover.js';
import { nodeNotReady } from './node-not-ready.js';
import { nodeRebootedOutsidePostDrain } from './node-rebooted-outside-post-drain.js';
import { nonMigratableVm } from './non-migratable-vm.js';
import { prometheusMemoryNearLimit } from './prometheus-memory-near-limit.js';
import { prometheusOomKilled } from './prometheus-oom-killed.js';
import { rke2UpgradeWithoutPreDrain } from './rke2-upgrade-without-pre-drain.js';
import { upgradeStalled } from './upgrade-stalled.js';
import { vmAbruptShutdown } from './vm-abrupt-shutdown.js';
import { compareText } from '../../util/compare.js';

/** The built-in upgrade detector pack, sorted by id. */
export const builtinRules: RuleModule[] = [
  collectionGap,
  containerOomKilled,
  longhornDrainBlocked,
  longhornVolumeUnhealthy,
  maintenanceModeLeftover,
  nodeNotReady,
  nodeRebootedOutsidePostDrain,
  nonMigratableVm,
  prometheusMemoryNearLimit,
  prometheusOomKilled,
  rke2UpgradeWithoutPreDrain,
  upgradeStalled,
  vmAbruptShutdown,
].sort((a, b) => compareText(a.id, b.id));

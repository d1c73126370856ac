import type { Severity } from '../rules/types.js';

/** What a batch keeps of one analysed bundle: small, so thousands fit in memory and in the history database. */
export interface BundleResult {
  /** The input as given (file, directory). */
  input: string;
  /** sha256 of the input's content: the same bundle given twice is analysed once. */
  hash: string;
  clusterId: string | null;
  /** Bundle creation time (epoch ms) or null. */
  createdAt: number | null;
  harvesterVersion: string | null;
  upgrade: {
    name: string;
    fromVersion: string | null;
    toVersion: string | null;
    state: string | null;
    durationSeconds: number | null;
  } | null;
  findings: BundleFindingSummary[];
  /** Where the bundle's report was written (--out-dir), relative to the working directory. */
  reportPath: string | null;
}

export interface BundleFindingSummary {
  /** Stable fingerprint (rule + node + subject), the same across bundles and runs. */
  id: string;
  ruleId: string;
  severity: Severity;
  node: string | null;
  subject: string | null;
  firstSeen: number | null;
  count: number;
}

export type BatchItem =
  | { status: 'analysed' | 'cached'; result: BundleResult }
  | { status: 'failed'; input: string; hash: string | null; error: string }
  | { status: 'duplicate'; input: string; hash: string; sameAs: string };

export interface RuleRecurrence {
  ruleId: string;
  bundles: number;
  /** bundles hit / bundles analysed. */
  share: number;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Version pairs (`v1.4.2→v1.5.0`) or Harvester versions of the bundles it was found in. */
  versions: string[];
}

export interface VersionPairStats {
  pair: string;
  upgrades: number;
  medianDurationSeconds: number | null;
  maxDurationSeconds: number | null;
  /** Share of those upgrades with a critical finding. */
  shareWithCritical: number;
}

export interface ClusterNews {
  clusterId: string;
  bundle: string;
  previousBundle: string | null;
  /** Findings of the newest bundle whose fingerprint the previous bundle of the cluster did not have. */
  newFindings: BundleFindingSummary[];
  /** Fingerprints of the previous bundle that are gone. */
  resolved: BundleFindingSummary[];
}

export interface BatchSummary {
  bundles: BatchItem[];
  perRule: RuleRecurrence[];
  perVersionPair: VersionPairStats[];
  perCluster: ClusterNews[];
}

import type { InputKind, Packing } from '../bundle/types.js';
import type { BundleFacts } from '../k8s/types.js';
import type { ClockSkew, Incident, KeyEvent, UpgradeStory } from '../correlate/types.js';
import type { Finding, RuleFailure } from '../rules/types.js';

export interface CoverageFile {
  file: string;
  kind: string;
  lines: number;
  /** Lines decoded and parsed: all of them for `events` and `inspect`; a sample of them for an analysis. */
  linesParsed: number;
  /** Parsed lines with a time of their own. */
  linesWithTime: number;
  /** Earliest and latest time among the parsed lines (an analysis parses each file's first and last lines). */
  firstTime: number | null;
  lastTime: number | null;
}

export interface Coverage {
  files: number;
  lines: number;
  /**
   * An analysis decodes only the lines that matter: each file's first lines (its format and start), every line a
   * rule or key event could match, the lines around chunk boundaries and the last line. Every line is still counted.
   */
  linesParsed: number;
  /** Parsed lines with a time of their own. */
  linesWithTime: number;
  /** Parsed lines per format id (`cri/logrus`, `journald`, ...). */
  byFormat: Record<string, number>;
  unreadable: { file: string; reason: string }[];
  /** What the bundle lacks for a verdict (missing node zip, journal starting late, generation errors, ...). */
  gaps: string[];
  /** Limits that were hit (line cut, bomb ratio, member count), each with its count. */
  limitsHit: { limit: string; count: number; example: string }[];
  ruleFailures: RuleFailure[];
}

export interface TimelineEntry {
  time: number;
  node: string | null;
  kind: string;
  summary: string;
  findingId: string | null;
  file: string | null;
  line: number | null;
}

/** The one model every renderer reads. Times are epoch ms here; renderers print ISO-8601 UTC. */
export interface PostmortemReport {
  tool: { name: string; version: string };
  /** The injected clock (`--now`), never the wall clock in tests. */
  generatedAt: number;
  /** `postmortem` when the bundle shows an upgrade, `readiness` when it does not. */
  mode: 'postmortem' | 'readiness';
  bundle: BundleFacts & { path: string; kind: InputKind; packing: Packing };
  upgrade: UpgradeStory | null;
  findings: Finding[];
  incidents: Incident[];
  timeline: TimelineEntry[];
  keyEvents: KeyEvent[];
  clockSkew: ClockSkew[];
  coverage: Coverage;
}

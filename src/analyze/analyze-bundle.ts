import type { MemberInfo, ReadLimits } from '../bundle/types.js';
import { createKeyEventCollector } from '../correlate/key-events.js';
import { buildUpgradeStory, upgradeKeyEvents } from '../correlate/upgrade-story.js';
import { estimateClockSkew, matchSkewPairs } from '../correlate/clock-skew.js';
import { buildIncidents } from '../correlate/incidents.js';
import { buildTimeline } from '../correlate/timeline.js';
import type { KeyEvent, UpgradeStory } from '../correlate/types.js';
import { buildFacts } from '../k8s/bundle-facts.js';
import { createObjectIndex } from '../k8s/object-index.js';
import { collectObjectTimes, objectTimeKeyEvent } from '../k8s/object-times.js';
import type { BundleFacts, ObjectIndex } from '../k8s/types.js';
import type { PostmortemReport } from '../report/model.js';
import { createEngine } from '../rules/engine.js';
import type { RuleModule } from '../rules/types.js';
import { compareText, compareTime } from '../util/compare.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { coverageFacts, collectionGaps } from './coverage-facts.js';
import { scanBundle } from './scan-bundle.js';

export interface AnalyzeOptions {
  /** Zone of zone-less node times (journald, klog). */
  zone: string;
  limits: ReadLimits;
  rules: readonly RuleModule[];
  maxEvidence: number;
  /** The injected clock: the report's generatedAt. */
  now: number;
  /** Threads that search the log bytes for the literals beside the main thread (0 or absent: the main thread does). */
  threads?: number;
}

const byTimeThenNode = (a: KeyEvent, b: KeyEvent): number =>
  compareTime(a.time, b.time) ||
  compareText(a.node, b.node) ||
  compareText(a.kind, b.kind) ||
  compareText(a.evidence.file, b.evidence.file) ||
  compareTime(a.evidence.line, b.evidence.line);

/**
 * The analysis: one streaming pass (rules and key-event collection see every line as it is read), then the
 * cross-file work over the small set of signals: upgrade story, rule end handlers, clock skew, incidents, timeline.
 */
export async function analyzeBundle(path: string, options: AnalyzeOptions): Promise<PostmortemReport> {
  let facts: BundleFacts | null = null;
  let index: ObjectIndex | null = null;
  let upgrade: UpgradeStory | null = null;
  let keyEvents: KeyEvent[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const members: MemberInfo[] = [];
  const notYet = (what: string): never => {
    throw new Error(`${what} is only available in end()`);
  };

  const collector = createKeyEventCollector();
  const engine = createEngine(options.rules, {
    facts: () => facts ?? notYet('facts'),
    objects: () => index ?? notYet('objects'),
    upgrade: () => upgrade,
    keyEvents: () => keyEvents,
    unreadable: () => unreadable,
    members: () => members,
    maxEvidence: options.maxEvidence,
  }, [collector]);

  const scan = await scanBundle(path, {
    zone: options.zone,
    limits: options.limits,
    sink: {
      event: (event, member) => engine.event(event, member),
      fileStart: (event, member) => engine.fileStart(event, member),
      object: (object) => engine.object(object),
    },
    candidates: engine.literals,
    threads: options.threads,
  });
  members.push(...scan.members);
  unreadable.push(...scan.coverage.unreadable);
  index = createObjectIndex(scan.objects);
  facts = buildFacts(scan.metadata, index, scan.nodeReleases, scan.nodeArchives);
  const logKeyEvents = collector.result();
  upgrade = buildUpgradeStory(index, logKeyEvents, facts);
  keyEvents = [...logKeyEvents, ...(upgrade ? upgradeKeyEvents(upgrade) : [])].sort(byTimeThenNode);

  const { findings, failures } = engine.end();
  const clockSkew = estimateClockSkew(matchSkewPairs(keyEvents, collectObjectTimes(index).map(objectTimeKeyEvent), findings));
  const incidents = buildIncidents(findings, keyEvents, upgrade, { ...coverageFacts(scan, upgrade), skews: clockSkew });
  const timeline = buildTimeline(findings, keyEvents, upgrade, incidents, { skews: clockSkew });

  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: options.now,
    // an upgrade-log archive exists only because an upgrade ran, even when it holds no Upgrade object
    mode: upgrade || scan.kind === 'upgrade-log-archive' ? 'postmortem' : 'readiness',
    bundle: { ...facts, path: scan.displayPath, kind: scan.kind, packing: scan.packing },
    upgrade,
    findings,
    incidents,
    timeline,
    keyEvents,
    clockSkew,
    coverage: { ...scan.coverage, gaps: collectionGaps(scan, facts, upgrade), ruleFailures: failures },
  };
}

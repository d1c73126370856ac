import { spokenDuration, toIso } from '../../util/time.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { eventEvidence } from './support/evidence.js';
import { podNode } from './support/pods.js';
import { upgradeWindow } from './support/upgrade-window.js';
import { compareText } from '../../util/compare.js';

/** Journals whose first line tells whether the node's side of the upgrade was recorded at all. */
const UPGRADE_JOURNALS = new Set(['rke2-server', 'rke2-agent', 'rancher-system-agent', 'kernel']);
/** `BUG: Support bundle: cannot get log for pod <pod> container <c>: <error>`: one missing pod log. */
const POD_LOG_MISSING = /cannot get log for pod (\S+) container (\S+?): (.*)$/;
/** Other `bundleGenerationError.log` messages that mean something is missing (the `Failed to get` discovery noise is not). */
const GENERATION_GAPS: { pattern: RegExp; what: string }[] = [
  { pattern: /Unable to fetch (cluster|namespaced) resources/, what: 'object lists not collected' },
  { pattern: /cannot get pod list|didn't get pod list/, what: 'pod list not collected' },
  { pattern: /failed to generate (\S+)/, what: 'bundle parts not generated' },
];

export const collectionGap: RuleModule = {
  id: 'collection-gap',
  meta: {
    title: 'The bundle lacks evidence needed for a verdict',
    severity: 'low',
    description:
      'What the support bundle is missing: a cluster node without `nodes/<node>.zip` or with an empty one, a node journal ' +
      'that starts only after the upgrade began, logs the collector could not get (`bundleGenerationError.log`: previous ' +
      'container logs, pod lists), a missing `yamls/` tree, members that could not be read. Missing evidence is not evidence ' +
      'of health: verdicts that need it are inconclusive.',
    remediation:
      'Collect a new support bundle while all nodes are Ready (nodes that are NotReady or time out are left out), soon ' +
      'after the incident so journals and pod logs have not rotated away; raise the support bundle node timeout for slow ' +
      'nodes. Add the upgrade-log archive (Upgrade → Download Log) to keep logs of short-lived upgrade job pods.',
    falsePositives: ['A node deliberately removed from the cluster before the bundle was taken.'],
    references: [
      'https://github.com/harvester/harvester/issues/8947',
      'https://github.com/harvester/harvester/issues/1765',
      'https://github.com/harvester/harvester/issues/9485',
    ],
    sources: ['bundle members', 'bundleGenerationError.log', 'node journals', 'metadata.yaml'],
    messages: {
      nodeZipMissing: 'Node {{node}} has no nodes/{{node}}.zip: its journals, kubelet and kernel logs are not in the bundle.',
      nodeZipEmpty: 'nodes/{{node}}.zip holds no logs: the node\'s journals, kubelet and kernel logs are not in the bundle.',
      journalStartsLate:
        '{{file}} starts at {{start}}, {{lead}} after the upgrade began ({{upgradeStart}}): what happened on {{node}} before ' +
        'that is not recorded.',
      logMissing: '{{file}} is not in the bundle: {{reason}}.',
      generationErrors: '{{what}} ({{count}} in bundleGenerationError.log).',
      yamlsMissing: 'The bundle has no yamls/: no Node, Upgrade, Job, VM or volume objects could be read.',
      unreadable: '{{count}} member(s) could not be read: {{first}}.',
    },
    examples: [
      'BUG: Support bundle: cannot get log for pod etcd-node02 container etcd: previous terminated container "etcd" in pod "etcd-node02" not found',
    ],
  },
  literals: [
    'cannot get log for pod',
    'Unable to fetch',
    'cannot get pod list',
    "didn't get pod list",
    'failed to generate',
  ],
  create(context) {
    /** Per node and journal (kernel.log and its previous boots together), the earliest first line. */
    const journalStart = new Map<string, { node: string; file: string; evidence: EvidenceRef }>();
    const generation = new Map<string, EvidenceRef[]>();
    const missingLogs: { pod: string; container: string; reason: string; evidence: EvidenceRef }[] = [];
    return {
      event(e, member) {
        if (member.kind !== 'generation-errors') return;
        const log = POD_LOG_MISSING.exec(e.message);
        if (log) {
          missingLogs.push({ pod: log[1], container: log[2], reason: log[3].trim(), evidence: eventEvidence(e) });
          return;
        }
        const gap = GENERATION_GAPS.find((g) => g.pattern.test(e.message));
        if (gap) generation.set(gap.what, [...(generation.get(gap.what) ?? []), eventEvidence(e)]);
      },
      fileStart(e, member) {
        if ((member.kind !== 'node-journal' && member.kind !== 'kernel-log') || !member.node) return;
        if (!UPGRADE_JOURNALS.has(member.component ?? '') || e.time === null) return;
        const key = `${member.node}\u0000${member.component}`;
        const prior = journalStart.get(key);
        if (!prior || prior.evidence.time === null || e.time < prior.evidence.time)
          journalStart.set(key, { node: member.node, file: member.path.replace(/\.\d+$/, ''), evidence: eventEvidence(e) });
      },
      end() {
        const members = context.members();
        if (!members.some((m) => m.kind === 'metadata')) return; // not a support bundle: nothing is expected
        const facts = context.facts();

        const hasZip = (node: string): boolean =>
          members.some((m) => m.path === `nodes/${node}.zip` || m.path.startsWith(`nodes/${node}.zip!/`));
        const hasLogs = (node: string): boolean =>
          members.some((m) => m.node === node && (m.kind === 'node-journal' || m.kind === 'kernel-log' || m.kind === 'node-log'));
        for (const node of facts.nodes) {
          if (hasLogs(node)) continue;
          const zipped = hasZip(node);
          context.report({
            messageId: zipped ? 'nodeZipEmpty' : 'nodeZipMissing',
            node,
            subject: `nodes/${node}.zip`,
            data: { node },
            evidence: [{ file: `nodes/${node}.zip`, line: null, time: null, text: zipped ? 'no logs/ inside' : 'absent' }],
            fields: { gap: zipped ? 'node zip empty' : 'node zip missing' },
          });
        }

        const window = upgradeWindow(context.upgrade());
        if (window) {
          for (const key of [...journalStart.keys()].sort()) {
            const { node, file: path, evidence } = journalStart.get(key)!;
            if (evidence.time === null || evidence.time <= window.start) continue;
            context.report({
              messageId: 'journalStartsLate',
              node,
              subject: path,
              time: evidence.time,
              data: {
                file: path,
                node,
                start: toIso(evidence.time)!,
                lead: spokenDuration(evidence.time - window.start),
                upgradeStart: toIso(window.start)!,
              },
              evidence: [evidence],
              fields: { gap: 'journal starts after the upgrade began', journalStart: toIso(evidence.time) },
            });
          }
        }

        // A missing pod log belongs to the node its pod runs on: verdicts about that node lack it.
        const pods = context.objects().byKind('Pod');
        for (const m of missingLogs) {
          const candidates = pods.filter((p) => p.name === m.pod);
          const pod = candidates.length === 1 ? candidates[0] : undefined;
          const previous = m.reason.startsWith('previous terminated container');
          const file = pod
            ? `logs/${pod.namespace}/${m.pod}/${m.container}.log${previous ? '.1' : ''}`
            : `log of pod ${m.pod} container ${m.container}${previous ? ' (previous instance)' : ''}`;
          context.report({
            messageId: 'logMissing',
            node: podNode(pod),
            subject: file,
            data: { file, reason: previous ? 'the previous container instance was already gone when the bundle was taken' : m.reason },
            evidence: [m.evidence],
            fields: { gap: previous ? 'previous container log not collected' : 'pod log not collected' },
          });
        }

        for (const what of [...generation.keys()].sort()) {
          const lines = generation.get(what)!;
          for (const line of lines)
            context.report({
              messageId: 'generationErrors',
              subject: what,
              data: { what: what[0].toUpperCase() + what.slice(1), count: lines.length },
              evidence: [line],
              fields: { gap: what },
            });
        }

        if (!members.some((m) => m.path.startsWith('yamls/')))
          context.report({
            messageId: 'yamlsMissing',
            subject: 'yamls/',
            data: {},
            evidence: [{ file: 'yamls/', line: null, time: null, text: 'absent' }],
            fields: { gap: 'yamls missing' },
          });

        const unreadable = [...context.unreadable()].sort((a, b) => compareText(a.file, b.file) || compareText(a.reason, b.reason));
        for (const u of unreadable)
          context.report({
            messageId: 'unreadable',
            subject: 'unreadable members',
            data: { count: unreadable.length, first: `${unreadable[0].file} (${unreadable[0].reason})` },
            evidence: [{ file: u.file, line: null, time: null, text: u.reason }],
            fields: { gap: 'unreadable members' },
          });
      },
    };
  },
};

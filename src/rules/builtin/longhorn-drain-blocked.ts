import { spokenDuration, toIso } from '../../util/time.js';
import type { ObjectIndex } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { minutesBetween } from './support/duration.js';
import { splitByGap } from './support/episodes.js';
import { plainMessage } from './support/event-fields.js';
import { compareEvidence, eventEvidence, objectEvidence } from './support/evidence.js';
import { podNode } from './support/pods.js';
import { bundleNow } from './support/upgrade-window.js';

const LONGHORN = 'longhorn-system';
const EVICTION_ERROR = /error when evicting pods\/"([^"]+)" -n "([^"]+)"/;
const PDB_BLOCKED = /(\S+) is marked unschedulable but removing (\S+) PDB is blocked: (.*?)\s*$/;
const PDB_REMOVED = /Removing (\S+) PDB since Node (\S+) is marked unschedulable/;

/** A block that clears within this is the normal hand-over, not a blocked drain. */
const MIN_BLOCK_MS = 60_000;
/** The eviction loop retries every 5 s and longhorn-manager resyncs often: a longer silence ends an episode. */
const EPISODE_GAP_MS = 10 * 60_000;
/** A block whose last line is this close to the bundle's creation was still going on when it was collected. */
const STILL_BLOCKED_MS = 5 * 60_000;

interface Line {
  im: string;
  node: string | null;
  kind: 'eviction-error' | 'pdb-blocked' | 'pdb-removed';
  reason: string | null;
  time: number | null;
  evidence: EvidenceRef;
}

/** The node an instance manager serves, from the objects that know it. */
const imNodes = (objects: ObjectIndex): Map<string, string> => {
  const map = new Map<string, string>();
  const put = (im: string, node: unknown): void => {
    if (typeof node === 'string' && node !== '' && !map.has(im)) map.set(im, node);
  };
  for (const im of objects.byKind('InstanceManager')) put(im.name, im.raw?.spec?.nodeID);
  for (const pod of objects.byKind('Pod')) {
    if (pod.namespace !== LONGHORN || !pod.name.startsWith('instance-manager')) continue;
    put(pod.name, podNode(pod) ?? pod.raw?.metadata?.labels?.['longhorn.io/node']);
  }
  for (const pdb of objects.byKind('PodDisruptionBudget'))
    if (pdb.namespace === LONGHORN) put(pdb.name, pdb.raw?.spec?.selector?.matchLabels?.['longhorn.io/node']);
  return map;
};

export const longhornDrainBlocked: RuleModule = {
  id: 'longhorn-drain-blocked',
  meta: {
    title: 'Node drain blocked by a Longhorn instance-manager PDB',
    severity: 'high',
    description:
      'The drain of a node could not evict its Longhorn instance-manager pod because the instance-manager\'s ' +
      'PodDisruptionBudget still protected engines or replicas on it (`Cannot evict pod as it would violate the pod\'s ' +
      'disruption budget.`, longhorn-manager `... is marked unschedulable but removing <node> PDB is blocked: ...`). ' +
      'Reports from when to when and for how long; a block that clears within 60 s is the normal hand-over and is not reported.',
    remediation:
      'Find what still runs on the node: `kubectl -n longhorn-system get engines,replicas -o wide | grep <node>` and the ' +
      'reason in the longhorn-manager line (attached volume, last healthy replica). Detach or migrate the workload, or let ' +
      'the replica rebuild elsewhere; only when nothing needs it, delete the stuck instance-manager pod. Then wait until ' +
      'every volume is healthy again before the drain continues, watching volume health closely.',
    falsePositives: [
      'A volume attached by hand (not through a VM) legitimately holds the PDB until it is detached.',
      'Single-replica volumes block every drain of their node by design.',
    ],
    references: [
      'https://github.com/longhorn/longhorn/issues/1286',
      'https://github.com/harvester/harvester/issues/7366',
      'https://github.com/harvester/docs/pull/707',
      'https://github.com/longhorn/longhorn-manager/pull/3102',
    ],
    sources: ['rancher', 'longhorn-manager', 'InstanceManager', 'PodDisruptionBudget', 'Pod (longhorn-system)'],
    messages: {
      blocked:
        'Drain of {{node}} was blocked by the Longhorn instance-manager PDB {{im}} for {{duration}} ({{from}} – {{to}}){{still}}: {{reason}}.',
    },
    examples: [
      '2025-06-14T11:08:35.204761330Z 2025/06/14 11:08:35 [INFO] error when evicting pods/"instance-manager-5c1b9c3e8a0c4b27e1f8d6a2b9c0e4f1" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
      '2025-06-14T11:08:41.009312443Z time="2025-06-14T11:08:41Z" level=info msg="Node instance-manager-5c1b9c3e8a0c4b27e1f8d6a2b9c0e4f1 is marked unschedulable but removing harvester-03 PDB is blocked: some volumes are still attached InstanceEngines count 1 pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e-e-0 " func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:823" controller=longhorn-instance-manager node=harvester-03',
    ],
  },
  literals: ['Cannot evict pod as it would violate', 'PDB is blocked', 'PDB since Node'],
  create(context) {
    const lines: Line[] = [];
    return {
      event(e) {
        const text = plainMessage(e);
        const evidence = eventEvidence(e);
        let m = EVICTION_ERROR.exec(text);
        if (m) {
          if (m[2] === LONGHORN && m[1].startsWith('instance-manager'))
            lines.push({ im: m[1], node: null, kind: 'eviction-error', reason: null, time: e.time, evidence });
          return;
        }
        m = PDB_BLOCKED.exec(text);
        if (m) {
          lines.push({ im: m[1], node: m[2], kind: 'pdb-blocked', reason: m[3] || null, time: e.time, evidence });
          return;
        }
        m = PDB_REMOVED.exec(text);
        if (m) lines.push({ im: m[1], node: m[2], kind: 'pdb-removed', reason: null, time: e.time, evidence });
      },
      end() {
        const objects = context.objects();
        const nodes = imNodes(objects);
        for (const l of lines) if (l.node && !nodes.has(l.im)) nodes.set(l.im, l.node);
        const now = bundleNow(context.facts(), context.keyEvents());
        const byIm = new Map<string, Line[]>();
        for (const l of lines) byIm.set(l.im, [...(byIm.get(l.im) ?? []), l]);

        for (const im of [...byIm.keys()].sort()) {
          const all = byIm.get(im)!.filter((l) => l.time !== null).sort((a, b) => compareEvidence(a.evidence, b.evidence));
          const blocks = all.filter((l) => l.kind !== 'pdb-removed');
          const removals = all.filter((l) => l.kind === 'pdb-removed');
          const node = nodes.get(im) ?? null;
          const pdb = objects.get('PodDisruptionBudget', LONGHORN, im);
          for (const episode of splitByGap(blocks, (l) => l.time, EPISODE_GAP_MS)) {
            const from = episode[0].time!;
            const lastBlock = episode[episode.length - 1].time!;
            const removal = removals.find((r) => r.time! >= lastBlock && r.time! - lastBlock <= EPISODE_GAP_MS);
            const to = removal?.time ?? lastBlock;
            if (to - from < MIN_BLOCK_MS) continue;
            const still = !removal && now !== null && now - lastBlock <= STILL_BLOCKED_MS;
            const reason = episode.find((l) => l.reason)?.reason ?? 'the PDB still protected engines or replicas on the node';
            const evictionErrors = episode.filter((l) => l.kind === 'eviction-error').length;
            const evidence = [episode[0].evidence, episode[episode.length - 1].evidence];
            const blockedLine = episode.find((l) => l.kind === 'pdb-blocked');
            if (blockedLine) evidence.push(blockedLine.evidence);
            if (removal) evidence.push(removal.evidence);
            if (still && pdb) evidence.push(objectEvidence(pdb, `PodDisruptionBudget ${LONGHORN}/${im} still present at collection`));
            context.report({
              messageId: 'blocked',
              node,
              subject: `${LONGHORN}/${im}`,
              // No single time: the finding spans its evidence, from the first blocked eviction to the clearing.
              data: {
                node: node ?? 'a node',
                im,
                duration: spokenDuration(to - from),
                from: toIso(from)!,
                to: toIso(to)!,
                still: still ? ', still blocked when the bundle was collected' : '',
                reason,
              },
              evidence,
              fields: {
                instanceManager: im,
                blockedFrom: toIso(from),
                blockedUntil: toIso(to),
                durationMinutes: minutesBetween(from, to),
                evictionErrors,
                reason,
                stillBlockedAtCollection: still,
              },
            });
          }
        }
      },
    };
  },
};

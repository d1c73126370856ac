import { spokenDuration, toIso } from '../../util/time.js';
import type { MemberInfo } from '../../bundle/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { minutesBetween } from './support/duration.js';
import { clusterEvents, describeEvent } from './support/event-objects.js';
import { plainMessage } from './support/event-fields.js';
import { compareEvidence, eventEvidence, objectEvidence } from './support/evidence.js';
import { upgradeJobNode } from './support/upgrade-jobs.js';
import { parseK8sTime } from '../../k8s/k8s-time.js';

type Health = 'degraded' | 'faulted' | 'waiting' | 'dead' | 'healthy';

interface Transition {
  volume: string;
  health: Health;
  /** The node the signal points at (the pre-drained node for pre-drain waits, the event's host). */
  node: string | null;
  time: number | null;
  evidence: EvidenceRef;
}

const BECAME = /[Vv]olume (\S+) became (degraded|healthy|faulted)/;
const WAITING = /Waiting for volume (\S+) to be healthy\.\.\./;
/** The pre-drain's `wait_longhorn_engines` once a volume it checks is healthy. */
const HEALTHY_AGAIN = /^Volume (\S+) is healthy\.$/;
const DEAD = /Engine of volume (\S+) dead unexpectedly/;
/**
 * Degraded volumes rebuilt within this are the normal effect of a drained or rebooted node: not reported. The upgrade
 * raises Longhorn's replica-replenishment-wait-interval to 1800 s so replicas wait that long for their node to return.
 */
const TRANSIENT_MS = 30 * 60_000;

/** One stretch of ill health: the signs from the first unhealthy one, and the `became healthy` that ended it (null: never). */
interface Episode {
  signs: Transition[];
  recovery: Transition | null;
}

/** Not recovered, of unknown length, or longer than a node's drain and reboot. */
const lastsLong = (e: Episode): boolean => {
  const from = e.signs[0]?.time ?? null;
  const to = e.recovery?.time ?? null;
  return from === null || to === null || to - from > TRANSIENT_MS;
};

const episodesOf = (seq: readonly Transition[]): Episode[] => {
  const episodes: Episode[] = [];
  let open: Episode | null = null;
  for (const t of seq) {
    if (t.health === 'healthy') {
      if (open) open.recovery = t;
      open = null;
    } else if (open) open.signs.push(t);
    else episodes.push((open = { signs: [t], recovery: null }));
  }
  return episodes;
};

export const longhornVolumeUnhealthy: RuleModule = {
  id: 'longhorn-volume-unhealthy',
  meta: {
    title: 'Longhorn volume degraded or faulted',
    severity: 'medium',
    description:
      'Longhorn volumes that were degraded or faulted (`volumes.longhorn.io` `status.robustness`, events `volume <v> became ' +
      'degraded` / `became healthy`, `Engine of volume <v> dead unexpectedly`, the pre-drain\'s `Waiting for volume <v> to be ' +
      'healthy...`): when, for how long, and whether they recovered. A stretch healed within 30 minutes is what a drained or ' +
      'rebooted node does to its replicas (the upgrade sets the replica-replenishment wait to 1800 s) and is not reported. ' +
      'Without an upgrade, a volume that is unhealthy now is a ' +
      'readiness problem: the upgrade webhook refuses to start and the pre-drain waits for every volume to be healthy.',
    remediation:
      'Check the volume\'s replicas (`kubectl -n longhorn-system get replicas -l longhornvolume=<v> -o wide`) and the Longhorn ' +
      'UI; let the rebuild finish or add a replica on a healthy node and disk. A faulted volume needs a salvage from its ' +
      'last good replica. Wait until every volume is healthy before starting or continuing an upgrade.',
    falsePositives: [
      'Volumes degrade while a node is drained or reboots and rebuild when it returns; recoveries within 30 minutes (the upgrade\'s replica-replenishment wait) are not reported.',
    ],
    references: [
      'https://github.com/harvester/harvester/issues/8649',
      'https://github.com/harvester/harvester/issues/7366',
      'https://github.com/longhorn/longhorn/issues/11158',
    ],
    sources: ['Volume (longhorn.io)', 'Event (longhorn-manager)', 'pre-drain'],
    messages: {
      recovered: 'Longhorn volume {{volume}} was {{state}} from {{from}} until it recovered at {{to}}{{duration}}.',
      notRecovered: 'Longhorn volume {{volume}} became {{state}} at {{from}} and was still {{current}} when the bundle was collected.',
      healthyAtCollection: 'Longhorn volume {{volume}} became {{state}} at {{from}}; it was healthy again when the bundle was collected.',
      noRecoverySeen:
        'Longhorn volume {{volume}} became {{state}} at {{from}}; the bundle shows no recovery (no volume object, no `became healthy` event).',
      readiness:
        'Longhorn volume {{volume}} is {{current}}: the upgrade webhook refuses to start with degraded volumes and the pre-drain ' +
        'waits for every volume to be healthy; repair it before upgrading.',
    },
    examples: [
      'Event Degraded Volume longhorn-system/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f: volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f became degraded',
      "2025-06-14T12:31:07.554120981Z Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...",
    ],
  },
  literals: ['to be healthy...', 'is healthy.', 'became degraded', 'became healthy', 'became faulted', 'dead unexpectedly'],
  create(context) {
    const transitions: Transition[] = [];
    const fromLine = (text: string, member: MemberInfo): { volume: string; health: Health; node: string | null } | null => {
      const waiting = WAITING.exec(text);
      if (waiting) return { volume: waiting[1], health: 'waiting', node: upgradeJobNode(member.pod, 'pre-drain') ?? member.node };
      const became = BECAME.exec(text);
      if (became) return { volume: became[1], health: became[2] as Health, node: member.node };
      const dead = DEAD.exec(text);
      if (dead) return { volume: dead[1], health: 'dead', node: member.node };
      const healthy = HEALTHY_AGAIN.exec(text.trim());
      return healthy ? { volume: healthy[1], health: 'healthy', node: upgradeJobNode(member.pod, 'pre-drain') ?? member.node } : null;
    };
    return {
      event(e, member) {
        if (e.format.endsWith('xtrace')) return; // `+ echo 'Waiting ...'` repeats the line the script prints next
        const t = fromLine(plainMessage(e), member);
        if (t) transitions.push({ ...t, time: e.time, evidence: eventEvidence(e) });
      },
      end() {
        const objects = context.objects();
        for (const ev of clusterEvents(objects)) {
          const text = ev.message;
          const became = BECAME.exec(text);
          const dead = DEAD.exec(text);
          const volume = became?.[1] ?? dead?.[1];
          if (!volume) continue;
          const health: Health = became ? (became[2] as Health) : 'dead';
          for (const time of new Set([ev.firstAt, ev.lastAt]))
            transitions.push({ volume, health, node: ev.host, time, evidence: objectEvidence(ev.object, describeEvent(ev), time) });
        }
        const volumes = new Map(objects.byKind('Volume').filter((v) => v.apiVersion.startsWith('longhorn.io/')).map((v) => [v.name, v]));
        const names = new Set([...transitions.map((t) => t.volume), ...volumes.keys()]);
        const upgrade = context.upgrade();

        for (const name of [...names].sort()) {
          const object = volumes.get(name);
          const current: string | null = object?.raw?.status?.robustness ?? null;
          const currentBad = current === 'degraded' || current === 'faulted';
          const seq = transitions.filter((t) => t.volume === name).sort((a, b) => compareEvidence(a.evidence, b.evidence));
          const all = episodesOf(seq);
          const open = all.at(-1)?.recovery === null ? all.at(-1)! : null;
          if (currentBad && !open) {
            // Unhealthy now although no event says so any more: Longhorn's own `lastDegradedAt` tells since when.
            const since = parseK8sTime(object?.raw?.status?.lastDegradedAt);
            const text = `Volume longhorn-system/${name}: robustness ${current}, lastDegradedAt ${object?.raw?.status?.lastDegradedAt ?? 'unknown'}`;
            const evidence = objectEvidence(object!, text, since);
            const sign: Transition = { volume: name, health: current as Health, node: null, time: since, evidence };
            all.push({ signs: since === null ? [] : [sign], recovery: null });
          }
          if (all.length === 0) continue;
          // A volume rebuilt within the upgrade's replenishment wait is what a drained or rebooted node does to it.
          const lasting = all.filter(lastsLong);
          const node = seq.find((t) => t.health === 'waiting' && t.node)?.node ?? null;
          const objectText = `Volume longhorn-system/${name}: robustness ${current ?? 'unknown'}, state ${object?.raw?.status?.state ?? 'unknown'}`;
          const objectRef = object ? [objectEvidence(object, objectText)] : [];
          for (const episode of lasting) {
            const first = episode.signs[0] ?? null;
            const from = first?.time ?? null;
            const stillOpen = episode.recovery === null;
            // The last episode's end is known from the object when no event says it: healthy at collection.
            const recovered = stillOpen ? (episode === all.at(-1) && current !== null ? !currentBad : null) : true;
            const to = episode.recovery?.time ?? null;
            const state = episode.signs.some((t) => t.health === 'faulted') || (stillOpen && current === 'faulted') ? 'faulted' : 'degraded';
            const messageId =
              !upgrade && currentBad && stillOpen
                ? 'readiness'
                : episode.recovery !== null
                  ? 'recovered'
                  : recovered
                    ? 'healthyAtCollection'
                    : recovered === null
                      ? 'noRecoverySeen'
                      : 'notRecovered';
            const evidence = [
              ...(first ? [first.evidence] : []),
              ...episode.signs.filter((t) => t.health === 'waiting').slice(-1).map((t) => t.evidence),
              ...(episode.recovery ? [episode.recovery.evidence] : []),
              ...(stillOpen ? objectRef : []),
            ];
            context.report({
              messageId,
              node,
              subject: name,
              // No single time: the finding spans its evidence, from the first unhealthy sign to the recovery.
              data: {
                volume: name,
                state,
                from: toIso(from) ?? 'an unknown time',
                to: toIso(to) ?? 'an unknown time',
                duration: from !== null && to !== null ? ` (${spokenDuration(to - from)})` : '',
                current: current ?? 'unknown',
              },
              evidence: evidence.sort(compareEvidence),
              fields: {
                unhealthySince: toIso(from),
                recoveredAt: toIso(to),
                recovered,
                durationMinutes: from !== null && to !== null ? minutesBetween(from, to) : null,
                robustnessAtCollection: current,
              },
            });
          }
        }
      },
    };
  },
};

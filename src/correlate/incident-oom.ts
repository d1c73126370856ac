import type { Finding } from '../rules/types.js';
import type { IncidentDraft } from './incident-build.js';
import type { CorrelationContext } from './incident-context.js';
import { oomKills } from './incident-fields.js';
import { clockTime, spokenDuration } from '../util/time.js';
import { upgradeMomentAt } from './incident-upgrade-phase.js';
import type { IncidentLink } from './types.js';

const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

/** `Container <ns>/<pod>` for a pod's container; a kernel-only kill names its process (`process <comm> on <node>`). */
function containerName(f: Finding): string {
  const subject = f.subject ?? 'unknown';
  return subject.includes('/') ? `Container ${subject}` : `${subject[0].toUpperCase()}${subject.slice(1)}`;
}

/** Where the OOMs fall relative to the upgrade: title words and a context link. */
function upgradeContext(
  ctx: CorrelationContext,
  first: number | null,
  what: string,
): { words: string; link: IncidentLink | null } {
  const moment = ctx.upgrade && first !== null ? upgradeMomentAt(ctx.upgrade, first) : null;
  if (!moment) return { words: '', link: null };
  const since = moment.since;
  const gap = since ? `, ${spokenDuration(first! - since.time)} ${first! < since.time ? 'before' : 'after'} ${since.summary}` : '';
  if (moment.position === 'before') {
    return {
      words: ' before the upgrade (not tied to it)',
      link: {
        findingId: null,
        event: since,
        relation: 'observed',
        explanation: `first OOM kill at ${clockTime(first!)}${gap}: not tied to the upgrade`,
      },
    };
  }
  if (moment.position === 'after') {
    return {
      words: ' after the upgrade',
      link: {
        findingId: null,
        event: since,
        relation: 'observed',
        explanation: `first OOM kill at ${clockTime(first!)}${gap}: after the upgrade finished`,
      },
    };
  }
  const phase = moment.phase ?? 'the upgrade';
  return {
    words: ` during ${phase}`,
    link: {
      findingId: null,
      event: since,
      relation: 'inferred',
      explanation:
        `first OOM kill at ${clockTime(first!)}, during ${phase}${gap}: the upgrade's extra activity raises ` +
        `${what}'s memory use beyond its default limit (field report; upgrade-mechanics §14)`,
    },
  };
}

function oomIncident(ctx: CorrelationContext, f: Finding, kind: string, what: string): IncidentDraft {
  ctx.claimed.add(f.id);
  const first = ctx.start(f);
  const context = upgradeContext(ctx, first, what);
  const chain: IncidentLink[] = [{ findingId: f.id, event: null, relation: 'observed', explanation: f.message }];
  if (context.link) chain.push(context.link);
  const where = f.node && !what.includes(f.node) ? ` on ${f.node}` : '';
  return {
    kind,
    node: f.node,
    causeId: f.id,
    title: `${what} OOMKilled ${times(oomKills(f))}${where}${context.words}`,
    members: [f],
    chain,
    start: first,
    end: ctx.end(f),
    missing: [],
  };
}

/** "Prometheus OOMKilled N times during the node phase", and any other container's OOM kills, each with upgrade context. */
export function oomIncidents(ctx: CorrelationContext): IncidentDraft[] {
  return [
    ...ctx.causes('prometheus-oom-killed').map((f) => oomIncident(ctx, f, 'prometheus-oom', 'Prometheus')),
    ...ctx
      .causes('container-oom-killed')
      .map((f) => oomIncident(ctx, f, 'container-oom', containerName(f))),
  ];
}

import { severityRank } from '../rules/types.js';
import type { IncidentDraft } from './incident-build.js';
import type { CorrelationContext } from './incident-context.js';
import { ruleVerdictGap } from './incident-fields.js';

const MEDIUM = severityRank('medium');

/** Every finding of medium severity or above that no chain took: an incident of its own. */
export function singleFindingIncidents(ctx: CorrelationContext): IncidentDraft[] {
  return ctx.findings
    .filter((f) => !ctx.claimed.has(f.id) && severityRank(f.severity) >= MEDIUM)
    .map((f) => {
      ctx.claimed.add(f.id);
      const where = f.node ? ` on ${f.node}` : '';
      const what = f.subject ? `: ${f.subject}` : '';
      const gap = ruleVerdictGap(f);
      return {
        kind: f.ruleId,
        node: f.node,
        causeId: f.id,
        title: `${f.title}${where}${what}`,
        members: [f],
        chain: [{ findingId: f.id, event: null, relation: 'observed', explanation: f.message }],
        start: ctx.start(f),
        end: ctx.end(f),
        missing: gap ? [gap] : [],
      };
    });
}

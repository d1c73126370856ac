import type { Stamp, UpgradeNodeStory } from '../correlate/types.js';
import { compareText } from '../util/compare.js';
import type { PostmortemReport } from './model.js';
import type { IncidentView } from './view.js';


/**
 * A Mermaid `gantt` of the upgrade, one section per node, incidents as `crit` bars. GitHub and GitLab render it
 * when task names hold no `:` (it starts the task data) and no `#` or `;` (they end a statement).
 */

const DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss';

const ganttDate = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** Section and task names: no characters Mermaid's gantt grammar reads as syntax. */
const ganttName = (text: string): string =>
  text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim() || 'unnamed';

const milestone = (name: string, at: number, tags: string[] = []): string =>
  `    ${ganttName(name)} :${[...tags, 'milestone'].join(', ')}, ${ganttDate(at)}, 0s`;

/** A bar, or a milestone when only one end is known or both fall in the same second. */
const span = (name: string, start: number | null, end: number | null, tags: string[] = []): string[] => {
  if (start !== null && end !== null && Math.floor(end / 1000) > Math.floor(start / 1000)) {
    const prefix = tags.length > 0 ? `${tags.join(', ')}, ` : '';
    return [`    ${ganttName(name)} :${prefix}${ganttDate(start)}, ${ganttDate(end)}`];
  }
  if (start !== null) return [milestone(end === null ? `${name} started` : name, start, tags)];
  if (end !== null) return [milestone(`${name} ended`, end, tags)];
  return [];
};

const point = (name: string, stamp: Stamp | null, tags: string[] = []): string[] =>
  stamp === null ? [] : [milestone(name, stamp.time, tags)];

const time = (stamp: Stamp | null): number | null => stamp?.time ?? null;

const nodeTasks = (node: UpgradeNodeStory): string[] => [
  ...point('Images preloaded', node.imagesPreloadedAt),
  ...span('Pre-drain', time(node.preDrainStartedAt), time(node.preDrainFinishedAt), ['done']),
  // Rancher drains between the pre-drain hook and the RKE2 upgrade; without a pre-drain there is no drain bar.
  ...(node.preDrainFinishedAt !== null && node.rke2UpgradedAt !== null && node.rke2UpgradedAt.time > node.preDrainFinishedAt.time
    ? span('Drain', node.preDrainFinishedAt.time, node.rke2UpgradedAt.time, ['active'])
    : []),
  ...point('RKE2 upgraded', node.rke2UpgradedAt),
  ...span('Post-drain', time(node.postDrainStartedAt), time(node.postDrainFinishedAt), ['done']),
  ...point('Reboot', node.rebootedAt),
  ...point('Succeeded', node.succeededAt),
];

const incidentTasks = (incidents: readonly IncidentView[]): string[] =>
  incidents.flatMap(({ incident }) => span(`${incident.id} ${incident.title}`, incident.start, incident.end, ['crit']));

/** The fenced `mermaid` block's lines, or null without an upgrade. */
export const mermaidGantt = (
  report: PostmortemReport,
  nodes: readonly UpgradeNodeStory[],
  incidents: readonly IncidentView[],
): string[] | null => {
  const upgrade = report.upgrade;
  if (upgrade === null) return null;
  const onNode = (name: string): IncidentView[] => incidents.filter((i) => i.incident.nodes.includes(name));
  const unplaced = incidents.filter((i) => !i.incident.nodes.some((n) => nodes.some((node) => node.name === n)));
  const sections: [string, string[]][] = [
    [
      'Upgrade',
      [
        ...span(upgrade.name, time(upgrade.startedAt), time(upgrade.finishedAt)),
        ...upgrade.phases
          .filter((p) => p.status === 'True')
          .sort((a, b) => a.at.time - b.at.time || compareText(a.name, b.name))
          .map((p) => milestone(p.name, p.at.time)),
        ...incidentTasks(unplaced),
      ],
    ],
    ...nodes.map((node): [string, string[]] => [node.name, [...nodeTasks(node), ...incidentTasks(onNode(node.name))]]),
  ];
  const title = `Upgrade ${upgrade.name} ${upgrade.fromVersion ?? 'unknown'} to ${upgrade.toVersion ?? 'unknown'} (UTC)`;
  return [
    '```mermaid',
    'gantt',
    `    title ${ganttName(title)}`,
    `    dateFormat ${DATE_FORMAT}`,
    '    axisFormat %H:%M',
    '    todayMarker off',
    ...sections
      .filter(([, tasks]) => tasks.length > 0)
      .flatMap(([name, tasks]) => [`    section ${ganttName(name)}`, ...tasks]),
    '```',
  ];
};

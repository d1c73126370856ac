import { describe, expect, it } from 'vitest';
import type { Stamp, UpgradeStory } from '../../src/correlate/types.js';
import { buildUpgradeStory, upgradeKeyEvents } from '../../src/correlate/upgrade-story.js';
import {
  JOBS_FILE,
  SETTINGS,
  SUC_JOBS_FILE,
  UPGRADE,
  UPGRADES_FILE,
  VERSIONS,
  factsOf,
  indexOf,
  keyEvent,
  list,
  nodeItem,
  nodeJobItem,
  prepareJobItem,
  upgradeItem,
  E51_ITEMS,
} from '../k8s/upgrade-objects.js';

const iso = (s: Stamp | null): string | null => (s ? new Date(s.time).toISOString() : null);
const NODES = ['n1', 'n2', 'n3'];

const ALL_CONDITIONS = [
  { type: 'Completed', status: 'True', at: '2025-07-03T04:05:00Z' },
  { type: 'LogReady', status: 'True', at: '2025-07-03T00:01:00Z' },
  { type: 'ImageReady', status: 'True', at: '2025-07-03T00:04:00Z' },
  { type: 'RepoReady', status: 'True', at: '2025-07-03T00:06:00Z' },
  { type: 'NodesPrepared', status: 'True', at: '2025-07-03T00:20:00Z' },
  { type: 'SystemServicesUpgraded', status: 'True', at: '2025-07-03T00:55:00Z' },
  { type: 'NodesUpgraded', status: 'True', at: '2025-07-03T04:00:00Z' },
];

/** Node n<i> runs its jobs an hour after n<i-1>: prepare 00:1x, pre-drain 01:00, RKE2 01:10, post-drain 01:20, reboot 01:40. */
function cleanJobs(): { jobs: string[]; sucJobs: string[] } {
  const jobs: string[] = [];
  const sucJobs: string[] = [];
  NODES.forEach((node, i) => {
    const h = `0${i + 1}`;
    sucJobs.push(prepareJobItem(node, `2025-07-03T00:1${i}:00Z`, `2025-07-03T00:1${i}:30Z`));
    // SafeConcatName may shorten a job name: n2's pre-drain job is found by its labels.
    const preName = node === 'n2' ? `${UPGRADE}-pre-drain-n2-5e1f0` : undefined;
    jobs.push(nodeJobItem('pre-drain', node, `2025-07-03T${h}:00:00Z`, `2025-07-03T${h}:05:00Z`, preName));
    jobs.push(nodeJobItem('post-drain', node, `2025-07-03T${h}:20:00Z`, `2025-07-03T${h}:30:00Z`));
  });
  jobs.push(`apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: "2025-07-03T00:21:00Z"
  labels:
    harvesterhci.io/upgrade: ${UPGRADE}
    harvesterhci.io/upgradeComponent: manifest
  name: ${UPGRADE}-apply-manifests
  namespace: harvester-system
status:
  completionTime: "2025-07-03T00:55:00Z"
  startTime: "2025-07-03T00:21:00Z"`);
  return { jobs, sucJobs };
}

function cleanIndex() {
  const { jobs, sucJobs } = cleanJobs();
  return indexOf({
    [UPGRADES_FILE]: list([upgradeItem({
      state: 'Succeeded',
      created: '2025-07-03T00:00:00Z',
      conditions: ALL_CONDITIONS,
      nodeStatuses: { n1: 'Succeeded', n2: 'Succeeded', n3: 'Succeeded' },
    })]),
    [JOBS_FILE]: list(jobs),
    [SUC_JOBS_FILE]: list(sucJobs),
    'yamls/cluster/v1/nodes.yaml': list(NODES.map(nodeItem)),
    'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml': SETTINGS,
    // Rancher's own server-version must not be taken for Harvester's.
    'yamls/cluster/management.cattle.io/v3/settings.yaml': list(['apiVersion: management.cattle.io/v3\nkind: Setting\nmetadata:\n  name: server-version\nvalue: v2.11.0']),
    'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/versions.yaml': VERSIONS,
  });
}

function cleanKeyEvents() {
  return NODES.flatMap((node, i) => {
    const h = `0${i + 1}`;
    return [
      // The skip-restart plan restarts rancher-system-agent during apply-manifests: its one-time instruction is
      // the current RKE2, not the upgrade.
      keyEvent('rke2-install', node, '2025-07-03T00:40:00Z', 'rancher-system-agent applies the RKE2 installer v1.31.4-rke2r1'),
      keyEvent('rke2-install', node, `2025-07-03T${h}:10:00Z`, 'rancher-system-agent applies the RKE2 installer v1.32.3-rke2r1'),
      keyEvent('rke2-stop', node, `2025-07-03T${h}:10:30Z`, 'rke2-server stopping', `nodes/${node}.zip!/${node}/logs/rke2-server.log`),
      keyEvent('reboot', node, `2025-07-03T${h}:40:00Z`, 'node booted (kernel 5.14.21-150500.55.83-default)', `nodes/${node}.zip!/${node}/logs/kernel.log`),
      // A boot long before the upgrade is not its reboot.
      keyEvent('reboot', node, '2025-06-01T10:00:00Z', 'node booted (kernel 5.14.21-150500.55.68-default)', `nodes/${node}.zip!/${node}/logs/kernel.log.1`),
    ];
  });
}

describe('buildUpgradeStory', () => {
  it('tells a clean three-node upgrade from objects and key events', () => {
    const index = cleanIndex();
    const story = buildUpgradeStory(index, cleanKeyEvents(), factsOf(index, NODES)) as UpgradeStory;
    expect(story).not.toBeNull();
    expect(story).toMatchObject({
      name: UPGRADE,
      fromVersion: 'v1.4.2',
      toVersion: 'v1.5.0',
      state: 'Succeeded',
      durationSeconds: 4 * 3600 + 5 * 60,
      startedBy: { versionObject: 'v1.5.0', upgradeCheckerDisabled: true },
    });
    expect(iso(story.startedAt)).toBe('2025-07-03T00:00:00.000Z');
    expect(iso(story.finishedAt)).toBe('2025-07-03T04:05:00.000Z');
    expect(story.startedAt?.source).toEqual({
      file: UPGRADES_FILE,
      line: 3,
      time: Date.parse('2025-07-03T00:00:00Z'),
      text: `Upgrade harvester-system/${UPGRADE} creationTimestamp 2025-07-03T00:00:00.000Z`,
    });
    expect(story.phases.map((p) => [p.name, p.status, iso(p.at)])).toEqual([
      ['LogReady', 'True', '2025-07-03T00:01:00.000Z'],
      ['ImageReady', 'True', '2025-07-03T00:04:00.000Z'],
      ['RepoReady', 'True', '2025-07-03T00:06:00.000Z'],
      ['NodesPrepared', 'True', '2025-07-03T00:20:00.000Z'],
      ['SystemServicesUpgraded', 'True', '2025-07-03T00:55:00.000Z'],
      ['NodesUpgraded', 'True', '2025-07-03T04:00:00.000Z'],
      ['Completed', 'True', '2025-07-03T04:05:00.000Z'],
    ]);
    expect(story.nodes.map((n) => [
      n.name, n.state, iso(n.imagesPreloadedAt), iso(n.preDrainStartedAt), iso(n.preDrainFinishedAt), iso(n.rke2UpgradedAt),
      iso(n.postDrainStartedAt), iso(n.postDrainFinishedAt), iso(n.rebootedAt), iso(n.succeededAt),
    ])).toEqual([
      ['n1', 'Succeeded', '2025-07-03T00:10:30.000Z', '2025-07-03T01:00:00.000Z', '2025-07-03T01:05:00.000Z', '2025-07-03T01:10:00.000Z',
        '2025-07-03T01:20:00.000Z', '2025-07-03T01:30:00.000Z', '2025-07-03T01:40:00.000Z', null],
      ['n2', 'Succeeded', '2025-07-03T00:11:30.000Z', '2025-07-03T02:00:00.000Z', '2025-07-03T02:05:00.000Z', '2025-07-03T02:10:00.000Z',
        '2025-07-03T02:20:00.000Z', '2025-07-03T02:30:00.000Z', '2025-07-03T02:40:00.000Z', null],
      ['n3', 'Succeeded', '2025-07-03T00:12:30.000Z', '2025-07-03T03:00:00.000Z', '2025-07-03T03:05:00.000Z', '2025-07-03T03:10:00.000Z',
        '2025-07-03T03:20:00.000Z', '2025-07-03T03:30:00.000Z', '2025-07-03T03:40:00.000Z', null],
    ]);
    const n2 = story.nodes[1];
    expect(n2.preDrainFinishedAt?.source.text).toBe(`Job harvester-system/${UPGRADE}-pre-drain-n2-5e1f0 completionTime 2025-07-03T02:05:00.000Z`);
    expect(n2.preDrainFinishedAt?.source.file).toBe(JOBS_FILE);
    expect(n2.imagesPreloadedAt?.source.text).toBe(`Job cattle-system/apply-${UPGRADE}-prepare-on-n2-with-2bbea1599a-f0e86 completionTime 2025-07-03T00:11:30.000Z`);
    expect(n2.rke2UpgradedAt?.source.text).toBe('rancher-system-agent applies the RKE2 installer v1.32.3-rke2r1');
  });

  it('shows a node whose RKE2 was installed with no pre-drain job at all', () => {
    const index = indexOf({
      [UPGRADES_FILE]: list([upgradeItem({
        state: 'UpgradingNodes',
        created: '2025-07-03T00:00:00Z',
        conditions: [{ type: 'Completed', status: 'Unknown' }, ...ALL_CONDITIONS.slice(1, 6)],
        nodeStatuses: { n1: 'Succeeded', n2: 'Images preloaded', n3: 'Images preloaded' },
      })]),
      [JOBS_FILE]: list([
        nodeJobItem('pre-drain', 'n1', '2025-07-03T01:00:00Z', '2025-07-03T01:05:00Z'),
        nodeJobItem('post-drain', 'n1', '2025-07-03T01:20:00Z', '2025-07-03T01:30:00Z'),
      ]),
      'yamls/cluster/v1/nodes.yaml': list(NODES.map(nodeItem)),
    });
    const events = [
      keyEvent('rke2-install', 'n1', '2025-07-03T01:10:00Z', 'rancher-system-agent applies the RKE2 installer v1.32.3-rke2r1'),
      keyEvent('rke2-install', 'n2', '2025-07-03T01:12:00Z', 'rancher-system-agent applies the RKE2 installer v1.32.3-rke2r1'),
      keyEvent('rke2-stop', 'n2', '2025-07-03T01:12:40Z', 'rke2-server stopping', 'nodes/n2.zip!/n2/logs/rke2-server.log'),
    ];
    const story = buildUpgradeStory(index, events, factsOf(index, NODES)) as UpgradeStory;
    const n2 = story.nodes.find((n) => n.name === 'n2')!;
    expect(n2).toMatchObject({ state: 'Images preloaded', preDrainStartedAt: null, preDrainFinishedAt: null, postDrainStartedAt: null, succeededAt: null });
    expect(iso(n2.rke2UpgradedAt)).toBe('2025-07-03T01:12:00.000Z');
    expect(n2.rke2UpgradedAt?.source.file).toBe('nodes/n2.zip!/n2/logs/rancher-system-agent.log');
    const n3 = story.nodes.find((n) => n.name === 'n3')!;
    expect(n3.rke2UpgradedAt).toBeNull();
    expect(story.startedBy).toEqual({ versionObject: null, upgradeCheckerDisabled: null });
  });

  it('leaves the end of a stalled upgrade open (node Pre-drained, no Completed)', () => {
    const index = indexOf({
      [UPGRADES_FILE]: list([upgradeItem({
        state: 'UpgradingNodes',
        created: '2025-07-03T00:00:00Z',
        conditions: [{ type: 'Completed', status: 'Unknown' }, ...ALL_CONDITIONS.slice(1, 6), { type: 'NodesUpgraded', status: 'Unknown' }],
        nodeStatuses: { n1: 'Pre-drained', n2: 'Images preloaded', n3: 'Images preloaded' },
      })]),
      [JOBS_FILE]: list([nodeJobItem('pre-drain', 'n1', '2025-07-03T01:00:00Z', '2025-07-03T01:05:00Z')]),
    });
    const story = buildUpgradeStory(index, [], factsOf(index, NODES)) as UpgradeStory;
    expect(story).toMatchObject({ state: 'UpgradingNodes', finishedAt: null, durationSeconds: null });
    expect(story.phases.map((p) => p.name)).toEqual(['LogReady', 'ImageReady', 'RepoReady', 'NodesPrepared', 'SystemServicesUpgraded']);
    const n1 = story.nodes[0];
    expect(n1.state).toBe('Pre-drained');
    expect(iso(n1.preDrainFinishedAt)).toBe('2025-07-03T01:05:00.000Z');
    expect(n1).toMatchObject({ postDrainStartedAt: null, postDrainFinishedAt: null, rke2UpgradedAt: null, rebootedAt: null, succeededAt: null, imagesPreloadedAt: null });
  });

  it('reads the E51 Upgrade as collected and adds upgradeState changes from the controller log', () => {
    const e51 = `${E51_ITEMS}kind: List\nmetadata:\n  continue: "null"\n  resourceVersion: "32750760"\n`;
    const index = indexOf({ [UPGRADES_FILE]: e51 });
    const controllerLog = 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log';
    const state = (upgrade: string, at: string, s: string) => ({
      ...keyEvent('upgrade-phase', 'x', at, `Upgrade harvester-system/${upgrade} upgradeState ${s}`, controllerLog),
      node: null,
    });
    const events = [
      state('hvst-upgrade-fnlkm', '2022-10-26T07:15:51Z', 'UpgradingSystemServices'),
      state('hvst-upgrade-other', '2022-10-20T07:15:51Z', 'UpgradingNodes'),
    ];
    const story = buildUpgradeStory(index, events, factsOf(index, [])) as UpgradeStory;
    expect(story).toMatchObject({ name: 'hvst-upgrade-fnlkm', fromVersion: null, toVersion: 'v1.1.0', state: 'UpgradingSystemServices', finishedAt: null, nodes: [] });
    expect(story.phases.map((p) => [p.name, p.status, iso(p.at), p.at.source.file])).toEqual([
      ['ImageReady', 'True', '2022-10-26T07:11:43.000Z', UPGRADES_FILE],
      ['RepoReady', 'True', '2022-10-26T07:15:30.000Z', UPGRADES_FILE],
      ['NodesPrepared', 'True', '2022-10-26T07:15:50.000Z', UPGRADES_FILE],
      ['UpgradingSystemServices', 'entered', '2022-10-26T07:15:51.000Z', controllerLog],
    ]);
    expect(story.phases[2].at.source.text).toBe('Upgrade harvester-system/hvst-upgrade-fnlkm condition NodesPrepared=True lastUpdateTime 2022-10-26T07:15:50.000Z');
  });

  it('is null when the bundle holds no Upgrade', () => {
    const index = indexOf({ 'yamls/cluster/v1/nodes.yaml': list(NODES.map(nodeItem)) });
    expect(buildUpgradeStory(index, cleanKeyEvents(), factsOf(index, NODES))).toBeNull();
  });
});

describe('upgradeKeyEvents', () => {
  it('puts the object-read moments on the timeline, citing their objects', () => {
    const index = cleanIndex();
    const story = buildUpgradeStory(index, cleanKeyEvents(), factsOf(index, NODES)) as UpgradeStory;
    const events = upgradeKeyEvents(story);
    const n1 = events.filter((e) => e.node === 'n1').map((e) => [new Date(e.time).toISOString(), e.kind, e.summary]);
    expect(n1).toEqual([
      ['2025-07-03T00:10:30.000Z', 'node-state', 'images preloaded on n1'],
      ['2025-07-03T01:00:00.000Z', 'job-start', 'pre-drain job on n1 started'],
      ['2025-07-03T01:05:00.000Z', 'job-complete', 'pre-drain job on n1 completed'],
      ['2025-07-03T01:20:00.000Z', 'job-start', 'post-drain job on n1 started'],
      ['2025-07-03T01:30:00.000Z', 'job-complete', 'post-drain job on n1 completed'],
    ]);
    const cluster = events.filter((e) => e.node === null).map((e) => e.summary);
    expect(cluster[0]).toBe(`Upgrade ${UPGRADE} created (v1.4.2 → v1.5.0)`);
    expect(cluster).toContain(`Upgrade ${UPGRADE} condition Completed=True`);
    expect(cluster).toHaveLength(8);
    expect(events.find((e) => e.summary === 'pre-drain job on n1 started')?.evidence).toMatchObject({
      file: JOBS_FILE,
      text: `Job harvester-system/${UPGRADE}-pre-drain-n1 startTime 2025-07-03T01:00:00.000Z`,
    });
    // RKE2 upgrades and reboots came from key events: not repeated.
    expect(events.some((e) => e.kind === 'rke2-install' || e.kind === 'reboot')).toBe(false);
  });
});

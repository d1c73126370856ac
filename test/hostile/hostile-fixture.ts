import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { zipBuffer, type FixtureEntry } from '../bundle/helpers.js';
import { runCli } from '../cli/cli-helpers.js';

/**
 * A small Harvester support bundle in the real layout (bundle-layout.md §2–§9), every log member with lines in its
 * real format, and one finding (prometheus-oom-killed) that needs the nested node zip: hostile variants of it show
 * what is still read when one part is broken.
 */
export const ROOT = 'supportbundle_0b6d3e2e-1111-4222-8333-944445555666_2025-06-14T12-31-05Z';
export const NODE = 'harvester-01';
export const CLUSTER_ID = '0b6d3e2e-1111-4222-8333-944445555666';
export const NOW = '2026-01-01T00:00:00Z';

export const METADATA = [
  'bundlename: bundle-x7k2p',
  'bundleversion: 0.1.0',
  'kubernetesversion: v1.31.4+rke2r1',
  `projectnamespaceuuid: ${CLUSTER_ID}`,
  'bundlecreatedat: "2025-06-14T12:31:05Z"',
  'issueurl: ""',
  'issuedescription: prometheus restarts',
  '',
].join('\n');

export const SETTINGS = 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  continue: "null"\n  resourceVersion: "15380285"\n';

/** yaml.v2 List of the Prometheus pod with its OOMKilled last state (bundle-layout.md §6.4). */
export const PODS_YAML = [
  'apiVersion: v1',
  'items:',
  '- apiVersion: v1',
  '  kind: Pod',
  '  metadata:',
  '    creationTimestamp: "2025-06-01T08:00:00Z"',
  '    name: prometheus-rancher-monitoring-prometheus-0',
  '    namespace: cattle-monitoring-system',
  '  spec:',
  '    containers:',
  '    - name: prometheus',
  '      resources:',
  '        limits:',
  '          memory: 2500Mi',
  `    nodeName: ${NODE}`,
  '  status:',
  '    containerStatuses:',
  '    - lastState:',
  '        terminated:',
  '          exitCode: 137',
  '          finishedAt: "2025-06-14T10:02:11Z"',
  '          reason: OOMKilled',
  '          startedAt: "2025-06-14T09:40:01Z"',
  '      name: prometheus',
  '      restartCount: 3',
  '      state:',
  '        running:',
  '          startedAt: "2025-06-14T10:02:40Z"',
  '- apiVersion: v1',
  '  kind: Pod',
  '  metadata:',
  '    creationTimestamp: "2025-06-01T08:00:00Z"',
  '    name: rancher-monitoring-grafana-d6f466988-hkv6f',
  '    namespace: cattle-monitoring-system',
  '  spec:',
  `    nodeName: ${NODE}`,
  'kind: List',
  'metadata:',
  '  continue: "null"',
  '  resourceVersion: "15380285"',
  '',
].join('\n');

export const PROMETHEUS_LOG =
  '2025-06-14T10:02:41.120000000Z ts=2025-06-14T10:02:41.119Z caller=main.go:1 level=info msg="Starting Prometheus Server"\n';
export const HARVESTER_LOG =
  '2025-06-14T09:31:46.123456789Z time="2025-06-14T09:31:46Z" level=info msg="Start upgrading Kubernetes runtime to v1.32.3+rke2r1"\n';
export const KERNEL_LOG = [
  `Jun 14 10:02:10.998811 ${NODE} kernel: prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997`,
  `Jun 14 10:02:11.000120 ${NODE} kernel: Memory cgroup out of memory: Killed process 40211 (prometheus) total-vm:4183420kB, anon-rss:2553012kB, file-rss:0kB, shmem-rss:0kB`,
  '',
].join('\n');
const KUBELET_LOG =
  'I0614 09:35:23.802112    2031 pod_startup_latency_tracker.go:102] "Observed pod startup duration" pod="cattle-fleet-local-system/fleet-agent-76b76c66f4-xvtmb"\n';
const RKE2_LOG = [
  `Jun 14 09:34:58.020889 ${NODE} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...`,
  `Jun 14 09:35:01.020889 ${NODE} rke2[2536]: time="2025-06-14T09:35:01Z" level=info msg="Starting rke2 v1.32.3+rke2r1"`,
  '',
].join('\n');
const RELEASE = 'harvester: v1.5.0\nharvesterChart: 1.5.0\nos: Harvester v1.5.0\nkubernetes: v1.32.3+rke2r1\n';

/** Member paths below the bundle root, as the report's Coverage and the events command name them. */
export const PATHS = {
  harvester: 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
  prometheus: 'logs/cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0/prometheus.log',
  pods: 'yamls/namespaced/cattle-monitoring-system/v1/pods.yaml',
  nodeZip: `nodes/${NODE}.zip`,
  kernel: `nodes/${NODE}.zip!/${NODE}/logs/kernel.log`,
  kubelet: `nodes/${NODE}.zip!/${NODE}/logs/kubelet.log`,
  rke2: `nodes/${NODE}.zip!/${NODE}/logs/rke2-server.log`,
} as const;

/** The node zip's members as `zip -r node_bundle.zip <node>` writes them (single root `<node>/`). */
export const nodeEntries = (overrides: Partial<Record<'kernel' | 'kubelet' | 'rke2', string | Buffer>> = {}): FixtureEntry[] => [
  { name: `${NODE}/`, type: 'directory' },
  { name: `${NODE}/configs/etc/harvester-release.yaml`, data: RELEASE },
  { name: `${NODE}/logs/kernel.log`, data: overrides.kernel ?? KERNEL_LOG },
  { name: `${NODE}/logs/kubelet.log`, data: overrides.kubelet ?? KUBELET_LOG },
  { name: `${NODE}/logs/rke2-server.log`, data: overrides.rke2 ?? RKE2_LOG },
];

export interface BundleOptions {
  /** The node zip's bytes (default: a valid one). */
  nodeZip?: Buffer;
  /** Store the node zip (support-bundle-kit) or deflate it (a re-zipped bundle). */
  nodeZipCompressed?: boolean;
  /** Members replaced or added, by path below the root. */
  members?: Record<string, string | Buffer>;
  /** Extra entries written as given (names not prefixed with the root). */
  raw?: FixtureEntry[];
  zip64?: boolean;
}

/** The members of the bundle below its root folder, in the order support-bundle-kit's zip lists them. */
export async function bundleEntries(options: BundleOptions = {}): Promise<FixtureEntry[]> {
  const nodeZip = options.nodeZip ?? (await zipBuffer(nodeEntries()));
  const files: Record<string, string | Buffer> = {
    [PATHS.harvester]: HARVESTER_LOG,
    [PATHS.prometheus]: PROMETHEUS_LOG,
    [PATHS.nodeZip]: nodeZip,
    'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml': SETTINGS,
    [PATHS.pods]: PODS_YAML,
    'bundleGenerationError.log': '',
    'metadata.yaml': METADATA,
    ...options.members,
  };
  return [
    { name: `${ROOT}/`, type: 'directory' },
    ...Object.entries(files).map(([path, data]) => ({
      name: `${ROOT}/${path}`,
      data,
      compress: path === PATHS.nodeZip ? (options.nodeZipCompressed ?? false) : true,
    })),
    ...(options.raw ?? []),
  ];
}

export const bundleZip = async (options: BundleOptions = {}): Promise<Buffer> =>
  zipBuffer(await bundleEntries(options), { zip64: options.zip64 });

/** A file of `size` bytes of varied klog-like text: compresses like a real log (far below any bomb ratio). */
export function bigLog(size: number): Buffer {
  const out = Buffer.alloc(size);
  let at = 0;
  for (let i = 0; at < size; i++) {
    const line = `I0614 09:${String(10 + (i % 50)).padStart(2, '0')}:00.${String(i % 1e6).padStart(6, '0')}    2031 reconciler.go:${i % 997}] "line ${i * 7919}" volume="pvc-${(i * 2654435761) % 4294967296}"\n`;
    at += out.write(line, at);
  }
  return out;
}

export { gzipSync };

/** A private folder for one test file's inputs. */
export function scratch(prefix: string): { dir: string; write: (name: string, data: string | Buffer) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `hp-hostile-${prefix}-`));
  return {
    dir,
    write: (name, data) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface JsonReport {
  mode: string;
  bundle: { kind: string; packing: string; nodes: string[]; clusterId: string | null };
  findings: { ruleId: string; node: string | null; subject: string | null; message: string; evidence: { file: string; line: number | null; text: string }[] }[];
  incidents: unknown[];
  timeline: { time: string }[];
  coverage: {
    files: number;
    lines: number;
    unreadable: { file: string; reason: string }[];
    gaps: string[];
    limitsHit: { limit: string; count: number; example: string }[];
    ruleFailures: { ruleId: string; error: string }[];
  };
}

export interface Analysis {
  code: number;
  report: JsonReport;
  /** Lines read per member path (from the `events` command: every line the parsers saw). */
  lines: Map<string, number>;
  /** Coverage entries as `file: reason`. */
  problems: string[];
}

/**
 * The real CLI in-process: the analysis as JSON and (unless `events` is false) the `events` of the same input with the
 * same options. Neither may fail with an internal error or exit with another code than 0, 1 or 2.
 */
export async function analyse(input: string, args: string[] = [], options: { events?: boolean } = {}): Promise<Analysis> {
  const run = await runCli([input, '-f', 'json', '--now', NOW, ...args]);
  expect(run.stderr).not.toMatch(/internal error/);
  expect([0, 1, 2]).toContain(run.code);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(report.coverage.ruleFailures).toEqual([]);
  const lines = new Map<string, number>();
  if (options.events !== false) {
    const events = await runCli(['events', input, ...args]);
    expect(events.stderr).not.toMatch(/internal error/);
    expect([0, 2]).toContain(events.code);
    for (const line of events.stdout.split('\n')) {
      if (line === '') continue;
      const file = (JSON.parse(line) as { file: string }).file;
      lines.set(file, (lines.get(file) ?? 0) + 1);
    }
  }
  const problems = [
    ...report.coverage.unreadable.map((u) => `${u.file}: ${u.reason}`),
    ...report.coverage.limitsHit.map((l) => `${l.example}: ${l.limit} (${l.count})`),
  ];
  return { code: run.code, report, lines, problems };
}

/** Every named member was read: its lines are all there. */
export function expectRead(analysis: Analysis, expected: Record<string, number>): void {
  for (const [file, count] of Object.entries(expected)) expect(analysis.lines.get(file), file).toBe(count);
}

/** None of the named members has a line in the output. */
export function expectNotRead(analysis: Analysis, ...files: string[]): void {
  for (const file of files) expect(analysis.lines.has(file), file).toBe(false);
}

/** The member was not read (no line of it) and Coverage names it (or its archive) with a reason matching `reason`. */
export function expectReported(analysis: Analysis, file: string, reason: RegExp): void {
  const entry = analysis.problems.find((p) => p.startsWith(`${file}: `) && reason.test(p));
  expect(entry, `coverage entry for ${file} matching ${reason} in ${JSON.stringify(analysis.problems, null, 1)}`).toBeDefined();
}

export const ruleIds = (analysis: Analysis): string[] => analysis.report.findings.map((f) => f.ruleId);

/** Line counts of the intact bundle's log members. */
export const INTACT_LINES = {
  [PATHS.harvester]: 1,
  [PATHS.prometheus]: 1,
  [PATHS.kernel]: 2,
  [PATHS.kubelet]: 1,
  [PATHS.rke2]: 2,
};

export interface ZipLayoutEntry {
  name: string;
  headerOffset: number;
  dataStart: number;
  dataEnd: number;
  method: number;
}

/**
 * Where each member of a (non-Zip64) zip lies, read from its central directory via the end record: the offsets the
 * hostile cases cut, flip and splice at.
 */
export function zipLayout(zip: Buffer): { entries: ZipLayoutEntry[]; centralDirectory: number } {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
  if (end < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  const centralDirectory = zip.readUInt32LE(end + 16);
  const entries: ZipLayoutEntry[] = [];
  let at = centralDirectory;
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const headerOffset = zip.readUInt32LE(at + 42);
    const dataStart = headerOffset + 30 + zip.readUInt16LE(headerOffset + 26) + zip.readUInt16LE(headerOffset + 28);
    entries.push({ name, headerOffset, dataStart, dataEnd: dataStart + zip.readUInt32LE(at + 20), method: zip.readUInt16LE(at + 10) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { entries, centralDirectory };
}

/** The layout entry of a member of the bundle, by its path below the root. */
export function memberAt(zip: Buffer, path: string): ZipLayoutEntry {
  const entry = zipLayout(zip).entries.find((e) => e.name === `${ROOT}/${path}` || e.name === path);
  if (!entry) throw new Error(`no member ${path}`);
  return entry;
}

/**
 * Renames members of a built archive in place (local headers and central directory alike): zip writers refuse names
 * such as `../x` or `/x`, real hostile archives carry them. Old and new names must have the same length.
 */
export function renameMembers(archive: Buffer, renames: Record<string, string>): Buffer {
  const out = Buffer.from(archive);
  for (const [from, to] of Object.entries(renames)) {
    if (from.length !== to.length) throw new Error(`${from} and ${to} differ in length`);
    const needle = Buffer.from(from);
    let found = 0;
    for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + 1)) {
      out.write(to, at, 'latin1');
      found++;
    }
    if (found === 0) throw new Error(`no member named ${from}`);
  }
  return out;
}

/** Offsets of each tar header block (ustar: 512-byte header, data padded to 512). */
export function tarHeaders(archive: Buffer): { name: string; offset: number }[] {
  const headers: { name: string; offset: number }[] = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const name = archive.toString('latin1', at, at + 100).replace(/\0.*$/s, '');
    if (name === '') break;
    headers.push({ name, offset: at });
    const size = parseInt(archive.toString('latin1', at + 124, at + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return headers;
}

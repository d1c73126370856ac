/**
 * Assembles the archive trees: the support bundle (bundle-layout.md §1–§8) and the UpgradeLog archive (§12)
 * of a played scenario. Every file's content is produced lazily when the archive writer reaches it.
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Content, Tree } from './archive.js';
import { treeEntries } from './archive.js';
import { CLUSTER_UUID, NODES } from './cluster.js';
import { upgradeLogCollects } from './catalog.js';
import { bundleListChunks, goYamlMarshal } from './go-yaml.js';
import type { Micros } from './line-formats.js';
import { criLine, dayKey, fileStamp, logrusLine, rfc3339, rfc3339Nano, US_PER_S } from './line-formats.js';
import type { Line } from './log-stream.js';
import { mergeLines, sortedLines, textChunks, window } from './log-stream.js';
import { nodeTree } from './node-files.js';
import { containerNoise } from './noise.js';
import { resourceFiles } from './objects.js';
import { Rng } from './prng.js';
import type { Played } from './scenarios.js';
import type { Container, Pod } from './world.js';

type Leaf = { kind: 'file'; content: Content } | { kind: 'zip'; tree: Tree };

/** metadata.yaml: yaml.v2 of SBK's BundleMeta struct — lower-cased field names, in struct order (§3). */
function metadataYaml(p: Played): string {
  const fields: [string, string][] = [
    ['bundlename', p.bundleName],
    ['bundleversion', '0.1.0'],
    ['kubernetesversion', p.w.proc('harvester-01', 'kubelet', p.bundleCreatedAt).version],
    ['projectnamespaceuuid', CLUSTER_UUID],
    ['bundlecreatedat', rfc3339(p.bundleCreatedAt)],
    ['issueurl', ''],
    ['issuedescription', p.issueDescription],
  ];
  return fields.map(([k, v]) => goYamlMarshal({ [k]: v })).join('');
}

/** prometheus-alerts.json: json.MarshalIndent(alerts, "", "\t") of client_golang v1.Alert (§5). */
function alertsJson(p: Played): string {
  const alerts = p.alerts.map((a) => ({
    activeAt: rfc3339Nano(a.activeAt, 0).replace(/0+Z$/, 'Z'),
    Annotations: { description: a.summary, summary: a.summary },
    Labels: { alertname: a.name, ...a.labels, ...(a.severity ? { severity: a.severity } : {}) },
    State: a.state,
    Value: a.value,
  }));
  return JSON.stringify(alerts, null, '\t');
}

/** The lines of one container run: scripted lines plus background noise, time-ordered. */
function runLines(p: Played, pod: Pod, c: Container, runIndex: number, to: Micros, rng: Rng): Iterable<Line> {
  const run = c.runs[runIndex];
  const end = Math.min(run.end ?? to, to);
  const scripted = window(sortedLines(c.lines), run.start, end + 1);
  const noise = containerNoise({ w: p.w, pod, container: c, rng, scale: p.scale }, run.start, run.start, end);
  return mergeLines([scripted, noise]);
}

/** A support-bundle pod log: every line gets the kubelet log-API RFC3339Nano prefix (§7). */
function podLogContent(p: Played, pod: Pod, c: Container, runIndex: number, to: Micros): Content {
  return () => {
    const rng = Rng.derive(p.w.seed, `podlog/${pod.namespace}/${pod.name}/${c.name}/${runIndex}`);
    return textChunks((function* () {
      for (const l of runLines(p, pod, c, runIndex, to, rng)) {
        // containerd stamps the line when it reads it: a few microseconds to milliseconds after the app.
        yield criLine(l.t + rng.int(3, 900), rng.int(0, 999), l.text);
      }
    })());
  };
}

const text = (s: string): Content => () => [s];

/** The support bundle of a played scenario. */
export function supportBundleTree(p: Played): Tree {
  const w = p.w;
  const at = p.bundleCreatedAt;
  const logsAt = at + 20 * US_PER_S;
  const rng = Rng.derive(w.seed, 'bundle-order');
  const files = new Map<string, Leaf>();
  files.set('metadata.yaml', { kind: 'file', content: text(metadataYaml(p)) });
  files.set('bundleGenerationError.log', { kind: 'file', content: text(p.generationErrors.map((l) => `${l}\n`).join('')) });
  if (p.alerts.length) files.set('prometheus-alerts.json', { kind: 'file', content: text(alertsJson(p)) });
  for (const f of resourceFiles(p)) {
    files.set(`yamls/${f.path}`, { kind: 'file', content: () => bundleListChunks(f.items(), { apiVersion: f.apiVersion, kind: f.kind, resourceVersion: String(Math.floor(at / 1e6 / 7) % 90_000_000 + 10_000_000 + 9999), customResource: f.customResource }) });
  }
  const manager = supportBundleManagerPod(p);
  for (const pod of [...w.livePods(at), manager]) {
    for (const c of pod.containers) {
      const runs = c.runs.filter((r) => r.start <= at);
      if (runs.length === 0) continue;
      const dir = `logs/${pod.namespace}/${pod.name}`;
      files.set(`${dir}/${c.name}.log`, { kind: 'file', content: podLogContent(p, pod, c, runs.length - 1, logsAt) });
      if (runs.length > 1 && !p.missingPrevious.has(`${pod.namespace}/${pod.name}`)) files.set(`${dir}/${c.name}.log.1`, { kind: 'file', content: podLogContent(p, pod, c, runs.length - 2, logsAt) });
    }
  }
  for (const n of NODES) files.set(`nodes/${n.name}.zip`, { kind: 'zip', tree: nodeTree(p, n.name) });
  return { root: `supportbundle_${CLUSTER_UUID}_${fileStamp(at)}`, mtime: p.nodeLogsAt + 75 * US_PER_S, entries: treeEntries(files, rng) };
}

/** The support-bundle manager itself; its log is cut where it was collected (§7: "partial"). */
function supportBundleManagerPod(p: Played): Pod {
  const w = p.w;
  const existing = w.pods.find((x) => x.workload === `supportbundle-manager-${p.bundleName}`);
  if (existing) return existing;
  const start = p.bundleCreatedAt - 6 * US_PER_S;
  const node = w.schedulable(start)[0] ?? 'harvester-01';
  const pod = w.startPod({ namespace: 'harvester-system', name: `supportbundle-manager-${p.bundleName}`, kind: 'deployment', containers: [{ name: 'manager', image: 'rancher/support-bundle-kit:v0.0.46', profile: 'none' }], labels: { app: 'support-bundle-manager', 'rancher/supportbundle': p.bundleName } }, node, start - 4 * US_PER_S);
  const t0 = pod.containers[0].runs[0].start;
  const l = (dt: number, msg: string): void => w.log(pod, 'manager', t0 + dt, logrusLine(t0 + dt, 'info', msg));
  l(200_000, 'Running phase init');
  l(1_300_000, 'Succeed to run phase init. Progress (16).');
  l(1_400_000, 'Running phase cluster bundle');
  l(1_500_000, 'Prepare to get all support bundle yamls!');
  l(9_800_000, '[Harvester] generate YAMLs, yamlsDir: /tmp/support-bundle-kit/bundle/yamls');
  return pod;
}

// ---------- UpgradeLog archive ----------

/** Every pod the v1.5.0 UpgradeLog flow followed, with its lines of the upgrade window (§12). */
export function upgradeLogTree(p: Played): Tree {
  const w = p.w;
  const rec = p.story.rec;
  const from = rec.createdAt + 47 * US_PER_S;
  const to = rec.logEnd ?? p.bundleCreatedAt;
  // fluentd appends to one file per pod name, container and day: a static pod recreated under the same
  // name keeps writing into the same file.
  const sources = new Map<string, { pod: Pod; container: Container; run: number }[]>();
  for (const pod of w.pods) {
    if (!upgradeLogCollects(pod.namespace, pod.workload)) continue;
    for (const c of pod.containers) {
      c.runs.forEach((r, i) => {
        if (r.start >= to || (r.end !== null && r.end <= from)) return;
        const name = `logs/${pod.namespace}.${pod.name}.${c.name}.${dayKey(Math.max(r.start, from))}.log.gz`;
        (sources.get(name) ?? sources.set(name, []).get(name)!).push({ pod, container: c, run: i });
      });
    }
  }
  const files = new Map<string, Leaf>();
  for (const [name, runs] of sources) {
    files.set(name, {
      kind: 'file',
      content: () => {
        const lrng = Rng.derive(w.seed, `upgradelog/${name}`);
        const merged = mergeLines(runs.map((r) => window(runLines(p, r.pod, r.container, r.run, to, lrng), from, to)));
        const gen = textChunks((function* () {
          for (const l of merged) yield l.text;
        })());
        return Readable.from((function* () {
          for (const chunk of gen) yield Buffer.from(chunk, 'utf8');
        })()).pipe(createGzip({ level: 6 }));
      },
    });
  }
  return { root: '', mtime: to + 4 * 60 * US_PER_S, entries: treeEntries(files, Rng.derive(w.seed, 'upgradelog-order')) };
}

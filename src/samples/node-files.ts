/**
 * The nested `nodes/<node>.zip`: what `collector-harvester` copies from the host (bundle-layout.md §8):
 * configs/etc/*, the 11 log files (+ kernel.log.N of previous boots).
 */
import type { Content, Tree, TreeEntry } from './archive.js';
import { treeEntries } from './archive.js';
import type { ReleaseInfo } from './cluster.js';
import { CLUSTER_VIP, images, nodeDef, RELEASE_FROM, RELEASE_TO } from './cluster.js';
import type { Micros } from './line-formats.js';
import { journalLine, logrusLine, US_PER_H, US_PER_S } from './line-formats.js';
import type { Line } from './log-stream.js';
import { mergeLines, sortedLines, textChunks, window } from './log-stream.js';
import { agentNoise, containerdNoise, kubeletNoise, rke2Noise } from './noise.js';
import { Rng } from './prng.js';
import type { Played } from './scenarios.js';
import { tarArchive, xzStored } from './txz.js';
import type { NodeState } from './world.js';

/** How far back node background noise reaches (files are copied, journals are `tail -c 10m`). */
const NOISE_SPAN = 30 * US_PER_H;

/** File content from lines computed only when the file is written. */
const lines = (make: () => Iterable<Line>): Content => () => textChunks((function* () {
  for (const l of make()) yield l.text;
})());

function releaseYaml(rel: ReleaseInfo): string {
  return [
    `harvester: ${rel.harvester}`, `harvesterChart: ${rel.harvesterChart}`, `installer: ${rel.installer}`, `os: ${rel.os}`,
    `kubernetes: ${rel.kubernetes}`, `rancher: ${rel.rancher}`, `monitoringChart: ${rel.monitoringChart}`, `loggingChart: ${rel.loggingChart}`,
    `kubevirt: ${rel.kubevirt}`, `minUpgradableVersion: '${rel.minUpgradableVersion}'`, 'rancherDependencies:',
    '  fleet:', `    chart: ${rel.fleet.chart}`, `    app: ${rel.fleet.app}`,
    '  fleet-crd:', `    chart: ${rel.fleetCrd.chart}`, `    app: ${rel.fleetCrd.app}`,
    '  rancher-webhook:', `    chart: ${rel.rancherWebhook.chart}`, `    app: ${rel.rancherWebhook.app}`, '',
  ].join('\n');
}

function osRelease(rel: ReleaseInfo): string {
  const build = rel.harvester === 'v1.5.0' ? '20250424' : '20250213';
  return [
    'NAME="SLE Micro"', 'VERSION="5.5"', 'VERSION_ID="5.5"', `PRETTY_NAME="Harvester ${rel.harvester}"`, 'ID="sle-micro-rancher"',
    'ID_LIKE="suse"', 'ANSI_COLOR="0;32"', 'CPE_NAME="cpe:/o:suse:sle-micro-rancher:5.5"', 'VARIANT="Harvester"',
    `VARIANT_ID="harvester-${build}"`, `GRUB_ENTRY_NAME="Harvester ${rel.harvester}"`, '',
  ].join('\n');
}

const HEAD = '# Note: this file is re-formatted by support-bundle-kit collector.\n';

function configFiles(played: Played, node: string): Map<string, string> {
  const def = nodeDef(node);
  const upgraded = played.w.node(node).osImage === RELEASE_TO.os;
  const rel = upgraded ? RELEASE_TO : RELEASE_FROM;
  const files = new Map<string, string>();
  files.set('configs/etc/hostname', `${node}\n`);
  files.set('configs/etc/os-release', osRelease(rel));
  files.set('configs/etc/harvester-release.yaml', releaseYaml(rel));
  files.set('configs/etc/rancher/rke2/config.yaml.d/90-harvester-server.yaml', `${HEAD}cni: multus,canal\ncluster-cidr: 10.52.0.0/16\nservice-cidr: 10.53.0.0/16\ncluster-dns: 10.53.0.10\ntls-san:\n  - ${CLUSTER_VIP}\naudit-policy-file: /etc/rancher/rke2/config.yaml.d/92-harvester-kube-audit-policy.yaml\n`);
  files.set('configs/etc/rancher/rke2/config.yaml.d/90-harvester-kubelet.yaml', `${HEAD}kubelet-arg:\n  - max-pods=200\n`);
  if (upgraded) {
    files.set('configs/etc/rancher/rke2/config.yaml.d/99-max-pods.yaml', `${HEAD}kubelet-arg:\n  - "max-pods=200"\n`);
    files.set('configs/etc/rancher/rke2/config.yaml.d/99-z00-harvester-reserved-resources.yaml', `${HEAD}system-reserved: cpu=1100m\nkube-reserved: cpu=1500m\n`);
    files.set('configs/etc/rancher/rke2/config.yaml.d/91-harvester-cdi.yaml', `${HEAD}nonroot-devices: true\n`);
  }
  files.set('configs/etc/rancher/rancherd/config.yaml', `${HEAD}role: ${node === 'harvester-01' ? 'cluster-init' : 'server'}\nserver: https://${CLUSTER_VIP}:443\ntoken: "***"\nkubernetesVersion: ${rel.kubernetes}\nrancherVersion: ${rel.rancher}\nrancherInstallerImage: rancher/system-agent-installer-rancher:${rel.rancher}\nlabels:\n  - harvesterhci.io/managed=true\nextraConfig:\n  disable:\n    - rke2-snapshot-controller\n    - rke2-snapshot-controller-crd\n    - rke2-snapshot-validation-webhook\n`);
  files.set('configs/etc/rancher/agent/config.yaml', `${HEAD}workDirectory: /var/lib/rancher/agent/work\nlocalPlanDirectory: /var/lib/rancher/agent/plans\nremoteEnabled: true\nconnectionInfoFile: /var/lib/rancher/agent/rancher2_connection_info.json\npreserveWorkDirectory: true\n`);
  files.set('configs/oem/90_custom.yaml', `${HEAD}name: Harvester Configuration\nstages:\n  initramfs:\n    - commands:\n        - modprobe kvm\n        - modprobe vhost_net\n      hostname: ${node}\n      timesyncd:\n        NTP: 0.suse.pool.ntp.org 1.suse.pool.ntp.org\n  network:\n    - name: Set up management interface\n      files:\n        - path: /etc/sysconfig/network/ifcfg-mgmt-br\n          content: |\n            STARTMODE='onboot'\n            BOOTPROTO='static'\n            IPADDR='${def.ip}/24'\n`);
  files.set('configs/oem/99_custom.yaml', `${HEAD}install:\n  automatic: false\n  mode: ${node === 'harvester-01' ? 'create' : 'join'}\n  managementInterface:\n    interfaces:\n      - name: eno1\n      - name: eno2\n    method: static\n    ip: ${def.ip}\n    subnetMask: 255.255.255.0\n    gateway: 10.10.20.1\n    bondOptions:\n      mode: active-backup\n      miimon: "100"\ntoken: '***'\nos:\n  password: "***"\n  ntpServers:\n    - 0.suse.pool.ntp.org\n`);
  files.set('configs/oem/harvester.config', `${HEAD}schemeversion: 1\nserverurl: https://${CLUSTER_VIP}:443\ntoken: "***"\nos:\n  hostname: ${node}\ninstall:\n  mode: ${node === 'harvester-01' ? 'create' : 'join'}\n  vip: ${CLUSTER_VIP}\n  vipmode: static\n`);
  return files;
}

/** `journalctl -b all -u <unit>`: boots separated by `-- Boot <id> --`; an empty unit says `-- No entries --`. */
function journalWithBoots(n: NodeState, scripted: readonly Line[], noise: () => Iterable<Line>, to: Micros): Content {
  return () => textChunks((function* () {
    let any = false;
    let boot = -1;
    for (const l of mergeLines([sortedLines(scripted.filter((x) => x.t < to)), noise()])) {
      const b = n.boots.findIndex((x) => x.start - 90 * US_PER_S <= l.t && (x.end === null || l.t < x.end));
      if (b > boot && boot >= 0) yield `-- Boot ${n.boots[b].bootId} --`;
      boot = Math.max(boot, b);
      any = true;
      yield l.text;
    }
    if (!any) yield '-- No entries --';
  })());
}

function kernelBootLog(n: NodeState, boot: number): Content {
  const b = n.boots[boot];
  return lines(() => sortedLines(n.kernel.filter((l) => l.t >= b.start && (b.end === null || l.t < b.end))));
}

function imagesTable(played: Played, node: string): Content {
  const rels = played.w.node(node).osImage === RELEASE_TO.os ? [RELEASE_FROM, RELEASE_TO] : [RELEASE_FROM];
  const rows = new Map<string, string>();
  const rng = Rng.derive(played.w.seed, `images/${node}`);
  for (const rel of rels) for (const ref of Object.values(images(rel))) rows.set(ref, ref);
  return () => {
    const out = ['REF                                                                                         TYPE                                                      DIGEST                                                                  SIZE      PLATFORMS                                                   LABELS'];
    for (const ref of [...rows.keys()].sort()) {
      const full = ref.startsWith('docker.io/') || ref.startsWith('index.docker.io/') || ref.startsWith('registry.') || ref.startsWith('ghcr.io/') ? ref : `docker.io/${ref}`;
      out.push(`${full.padEnd(91)} application/vnd.docker.distribution.manifest.list.v2+json sha256:${rng.hex(64)} ${`${(rng.int(80, 9000) / 10).toFixed(1)} MiB`.padEnd(9)} linux/amd64,linux/arm64,linux/s390x                         io.cri-containerd.image=managed`);
    }
    return [out.join('\n') + '\n'];
  };
}

function consoleLog(n: NodeState): Content {
  return lines(() => n.boots.flatMap((b) => [
    { t: b.start + 38 * US_PER_S, text: logrusLine(b.start + 38 * US_PER_S + n.skew, 'info', 'Harvester console starting') },
    { t: b.start + 39 * US_PER_S, text: logrusLine(b.start + 39 * US_PER_S + n.skew, 'info', `Management interface: mgmt-br, address ${n.def.ip}/24`) },
    { t: b.start + 95 * US_PER_S, text: logrusLine(b.start + 95 * US_PER_S + n.skew, 'info', `Harvester management URL: https://${CLUSTER_VIP}`) },
  ]));
}

/** iscsid sees the Longhorn iSCSI session of every VM volume attached to a launcher on the node. */
function iscsidSessions(played: Played, node: string, from: Micros, to: Micros): Line[] {
  const w = played.w;
  const n = w.node(node);
  const pid = (t: Micros): number => w.proc(node, 'iscsid', t).pid;
  const out: Line[] = [];
  const ims = w.pods.filter((x) => x.kind === 'instance-manager' && x.node === node);
  let conn = 1;
  for (const p of w.pods) {
    if (p.kind !== 'vm' || p.node !== node) continue;
    const vm = w.vms.get(p.ownerName!);
    if (!vm) continue;
    const portal = ims.find((x) => x.createdAt <= p.createdAt && (x.deletedAt === null || x.deletedAt > p.createdAt))?.ip ?? n.def.ip;
    const target = `iqn.2019-10.io.longhorn:${vm.def.volume}`;
    const c = conn++;
    const at = p.createdAt + 2 * US_PER_S;
    if (at >= from && at < to) out.push({ t: at, text: journalLine(at + n.skew, node, 'iscsid', pid(at), `iscsid: Connection${c}:0 to [target: ${target}, portal: ${portal},3260] through [iface: default] is operational now`) });
    if (p.deletedAt !== null && p.deletedAt >= from && p.deletedAt < to) {
      const end = p.deletedAt + 3 * US_PER_S;
      out.push({ t: end, text: journalLine(end + n.skew, node, 'iscsid', pid(end), `iscsid: Connection${c}:0 to [target: ${target}, portal: ${portal},3260] through [iface: default] is shutdown.`) });
    }
  }
  return sortedLines(out);
}

/** `supportconfig -c -m -B supportconfig_<node> …` output, packed the way the collector moves it into `scc/`. */
function supportconfig(played: Played, node: string): Content {
  return () => {
    const n = played.w.node(node);
    const boot = n.boots[n.boots.length - 1];
    const rel = n.osImage === RELEASE_TO.os ? RELEASE_TO : RELEASE_FROM;
    const at = played.nodeLogsAt;
    const mtime = Math.floor(at / US_PER_S);
    const cmd = (c: string, out: string): string => `#==[ Command ]======================================#\n# ${c}\n${out}\n\n`;
    const date = new Date(Math.floor(at / 1000)).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4');
    const files = [
      { name: 'supportconfig.txt', content: `Support Utilities - Supportconfig\nScript Version: 3.1.11-46.7\nLibrary Version: 3.1.11-46.7\nScript Date: 2024 07 19\n\n Command with Options:  /sbin/supportconfig -c -m -B supportconfig_${node} -i BOOT,DAEMONS,ETC,ISCSI,MEM,MOD,NTP,SMART,DISK,pharvester_plugin_rke2,pharvester_plugin_console\n`, mtime },
      { name: 'basic-environment.txt', content: cmd('/bin/date', date) + cmd('/bin/uname -a', `Linux ${node} ${boot.kernel} #1 SMP PREEMPT_DYNAMIC x86_64 x86_64 x86_64 GNU/Linux`) + `#==[ Configuration File ]===========================#\n# /etc/os-release\n${osRelease(rel)}`, mtime },
      { name: 'hardware.txt', content: cmd('/usr/sbin/hwinfo --short', `cpu:\n                       Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz, 2800 MHz\ngraphics card:\n                       nVidia GA107GL [A2 / A16]\nstorage:\n                       Broadcom / LSI MegaRAID SAS-3 3108 [Invader]\nnetwork interface:\n  eno1                 Ethernet network interface\n  eno2                 Ethernet network interface\n  mgmt-br              Ethernet network interface\n`) + cmd('/usr/sbin/dmidecode -s system-product-name', 'PowerEdge R750'), mtime },
    ];
    return [xzStored(tarArchive(`scc_supportconfig_${node}`, files))];
  };
}

/** The tree of `nodes/<node>.zip`. */
export function nodeTree(played: Played, node: string): Tree {
  const w = played.w;
  const n = w.node(node);
  const to = played.nodeLogsAt;
  const from = to - NOISE_SPAN;
  const rng = Rng.derive(w.seed, `node-files/${node}`);
  const ctx = () => ({ w, node, rng: Rng.derive(w.seed, `noise/${node}/${rng.next()}`), scale: played.scale });
  const files = new Map<string, { kind: 'file'; content: Content }>();
  for (const [path, text] of configFiles(played, node)) files.set(path, { kind: 'file', content: () => [text] });
  const current = n.boots.length - 1;
  files.set('logs/kernel.log', { kind: 'file', content: kernelBootLog(n, current) });
  for (let i = 1; i <= 2 && current - i >= 0; i++) files.set(`logs/kernel.log.${i}`, { kind: 'file', content: kernelBootLog(n, current - i) });
  files.set('logs/rke2-server.log', { kind: 'file', content: journalWithBoots(n, n.journal['rke2-server'], () => rke2Noise(ctx(), from, to), to) });
  files.set('logs/rke2-agent.log', { kind: 'file', content: journalWithBoots(n, n.journal['rke2-agent'], () => [], to) });
  files.set('logs/rancherd.log', { kind: 'file', content: journalWithBoots(n, n.journal.rancherd, () => [], to) });
  files.set('logs/rancher-system-agent.log', { kind: 'file', content: journalWithBoots(n, n.journal['rancher-system-agent'], () => agentNoise(ctx(), from, to), to) });
  files.set('logs/wicked.log', { kind: 'file', content: journalWithBoots(n, n.journal.wicked, () => [], to) });
  files.set('logs/iscsid.log', { kind: 'file', content: journalWithBoots(n, n.journal.iscsid, () => iscsidSessions(played, node, from, to), to) });
  files.set('logs/kubelet.log', { kind: 'file', content: lines(() => mergeLines([window(sortedLines(n.kubelet), from, to), kubeletNoise(ctx(), from, to)])) });
  files.set('logs/containerd.log', { kind: 'file', content: lines(() => mergeLines([window(sortedLines(n.containerd), from, to), sortedLines(containerdNoise(ctx(), from, to))])) });
  files.set('logs/console.log', { kind: 'file', content: consoleLog(n) });
  files.set('logs/containerd-images.log', { kind: 'file', content: imagesTable(played, node) });
  files.set(`scc/scc_supportconfig_${node}.txz`, { kind: 'file', content: supportconfig(played, node) });
  return { root: node, mtime: to + 40 * US_PER_S, entries: treeEntries(files, rng) as TreeEntry[] };
}


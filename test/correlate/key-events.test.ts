import { describe, expect, it } from 'vitest';
import { classifyPath } from '../../src/bundle/classify-path.js';
import { createKeyEventCollector, rke2VersionOf, upgradeStateOf, type KeyEventCollector } from '../../src/correlate/key-events.js';
import type { KeyEvent } from '../../src/correlate/types.js';
import { createLineParser } from '../../src/formats/parse-line.js';

const ANCHOR = Date.parse('2025-07-03T01:15:45Z');

/** Feeds a member's lines the way the pipeline does: parsed, and only those the literal prefilter admits. */
function feed(collector: KeyEventCollector, path: string, lines: string[]): void {
  const member = classifyPath(path);
  const parser = createLineParser(member, { anchorMs: ANCHOR, zone: 'UTC' });
  lines.forEach((raw, i) => {
    const event = parser.parse(raw, i + 1);
    if (collector.literals.some((literal) => raw.includes(literal))) collector.event(event, member);
  });
}

function collect(path: string, lines: string[]): KeyEvent[] {
  const collector = createKeyEventCollector();
  feed(collector, path, lines);
  return collector.result();
}

const brief = (events: KeyEvent[]) => events.map((e) => [new Date(e.time).toISOString(), e.node, e.kind, e.summary, e.evidence.line]);

describe('key events from node journals and logs', () => {
  it('sees one RKE2 install in the rancher-system-agent journal, with its version', () => {
    // Line shapes as in real rancher-system-agent journals (short-precise, as support-bundle-kit dumps them).
    const events = collect('nodes/n1.zip!/n1/logs/rancher-system-agent.log', [
      'Jul 03 00:33:49.100000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:49Z" level=info msg="Starting remote watch of plans"',
      'Jul 03 00:33:49.200000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:49Z" level=info msg="Detected first start, force-applying one-time instruction set"',
      'Jul 03 00:33:49.300000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:49Z" level=info msg="[Applyinator] Applying one-time instructions for plan with checksum d3c6a2bc2a72b46122dc3e2706a4186a00e2db1087a40ca1d0c8e96fa9b0b1b0"',
      'Jul 03 00:33:49.400000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:49Z" level=info msg="[Applyinator] Extracting image rancher/system-agent-installer-rke2:v1.32.3-rke2r1 to directory /var/lib/rancher/agent/work/20250703-003349/d3c6a2bc2a72b46122dc3e2706a4186a00e2db1087a40ca1d0c8e96fa9b0b1b0_0"',
      'Jul 03 00:33:49.500000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:49Z" level=info msg="Checking local image archives in /var/lib/rancher/agent/images for index.docker.io/rancher/system-agent-installer-rke2:v1.32.3-rke2r1"',
      'Jul 03 00:33:50.100000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:50Z" level=info msg="Extracting file installer.sh to /var/lib/rancher/agent/work/20250703-003349/d3c6a2bc2a72b46122dc3e2706a4186a00e2db1087a40ca1d0c8e96fa9b0b1b0_0/installer.sh"',
      'Jul 03 00:33:50.200000 n1 rancher-system-agent[5619]: time="2025-07-03T00:33:50Z" level=info msg="[Applyinator] Running command: sh [-c run.sh]"',
      // real-log-samples.md E29: an unrelated plan command stays silent.
      'Jul 03 00:40:05.000000 n1 rancher-system-agent[5619]: time="2025-07-03T00:40:05Z" level=info msg="[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]"',
    ]);
    expect(brief(events)).toEqual([
      ['2025-07-03T00:33:49.400Z', 'n1', 'rke2-install', 'rancher-system-agent applies the RKE2 installer v1.32.3-rke2r1', 4],
    ]);
    expect(rke2VersionOf(events[0])).toBe('v1.32.3+rke2r1');
    expect(events[0].evidence.file).toBe('nodes/n1.zip!/n1/logs/rancher-system-agent.log');
  });

  it('sees rke2 stop, the reboot after the boot separator and the start of the new version', () => {
    const events = collect('nodes/n1.zip!/n1/logs/rke2-server.log', [
      // real-log-samples.md E27 (times moved into the bundle's year, seconds with µs as support-bundle-kit writes them)
      'Jul 03 00:40:30.000001 n1 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...',
      'Jul 03 00:40:30.000002 n1 rke2[1284524]: time="2025-07-03T00:40:30Z" level=info msg="Shutting down /v1, Kind=Node workers"',
      'Jul 03 00:40:41.000000 n1 systemd[1]: rke2-server.service: Unit process 57469 (containerd-shim) remains running after unit stopped.',
      '-- Boot dc6fc90a2be644e79872c61ef612300c --',
      'Jul 03 00:47:26.500000 n1 systemd[1]: Starting Rancher Kubernetes Engine v2 (server)...',
      'Jul 03 00:47:27.000000 n1 rke2[2536]: time="2025-07-03T00:47:27Z" level=info msg="Starting rke2 v1.32.3+rke2r1 (a8a4b2a6)"',
      'Jul 03 00:49:10.000000 n1 systemd[1]: Started Rancher Kubernetes Engine v2 (server).',
    ]);
    expect(brief(events)).toEqual([
      ['2025-07-03T00:40:30.000Z', 'n1', 'rke2-stop', 'rke2-server stopping', 1],
      ['2025-07-03T00:47:26.500Z', 'n1', 'reboot', 'node booted (boot separator in the rke2-server journal)', 4],
      ['2025-07-03T00:47:27.000Z', 'n1', 'rke2-start', 'rke2-server v1.32.3+rke2r1 starting', 6],
    ]);
    expect(rke2VersionOf(events[2])).toBe('v1.32.3+rke2r1');
  });

  it('tells a quick restart as start, stop, start', () => {
    const events = collect('nodes/n3.zip!/n3/logs/rke2-agent.log', [
      'Jul 03 02:10:00.000000 n3 systemd[1]: Starting Rancher Kubernetes Engine v2 (agent)...',
      'Jul 03 02:10:01.000000 n3 rke2[3001]: time="2025-07-03T02:10:01Z" level=info msg="Starting rke2 v1.31.4+rke2r1 (b0a1c2d3)"',
      'Jul 03 02:10:40.000000 n3 systemd[1]: Started Rancher Kubernetes Engine v2 (agent).',
      'Jul 03 02:12:00.000000 n3 systemd[1]: Stopping Rancher Kubernetes Engine v2 (agent)...',
      'Jul 03 02:12:05.000000 n3 systemd[1]: Starting Rancher Kubernetes Engine v2 (agent)...',
      'Jul 03 02:12:06.000000 n3 rke2[3377]: time="2025-07-03T02:12:06Z" level=info msg="Starting rke2 v1.32.3+rke2r1 (a8a4b2a6)"',
    ]);
    expect(brief(events)).toEqual([
      ['2025-07-03T02:10:01.000Z', 'n3', 'rke2-start', 'rke2-agent v1.31.4+rke2r1 starting', 2],
      ['2025-07-03T02:12:00.000Z', 'n3', 'rke2-stop', 'rke2-agent stopping', 4],
      ['2025-07-03T02:12:06.000Z', 'n3', 'rke2-start', 'rke2-agent v1.32.3+rke2r1 starting', 6],
    ]);
  });

  it('takes one reboot from the kernel boot line and the journal separator of the same boot', () => {
    const collector = createKeyEventCollector();
    feed(collector, 'nodes/n1.zip!/n1/logs/kernel.log', [
      'Jul 03 00:46:02.114000 n1 kernel: Linux version 5.14.21-150500.55.83-default (geeko@buildhost) (gcc (SUSE Linux) 7.5.0, GNU ld (GNU Binutils; SUSE Linux Enterprise 15) 2.41.0.20230908-150100.7.46) #1 SMP PREEMPT_DYNAMIC Wed Oct 2 08:09:18 UTC 2024 (6b8c9e3)',
      'Jul 03 00:46:02.114100 n1 kernel: Command line: BOOT_IMAGE=(loop0)/boot/vmlinuz console=tty1 root=LABEL=COS_STATE cos-img/filename=/cOS/active.img',
    ]);
    feed(collector, 'nodes/n1.zip!/n1/logs/rke2-server.log', [
      'Jul 03 00:40:41.000000 n1 systemd[1]: Stopped Rancher Kubernetes Engine v2 (server).',
      '-- Reboot --',
      'Jul 03 00:47:26.500000 n1 systemd[1]: Starting Rancher Kubernetes Engine v2 (server)...',
    ]);
    const reboots = collector.result().filter((e) => e.kind === 'reboot');
    expect(brief(reboots)).toEqual([['2025-07-03T00:46:02.114Z', 'n1', 'reboot', 'node booted (kernel 5.14.21-150500.55.83-default)', 1]]);
  });

  it('drops a boot separator whose next line it never sees, and ignores "Linux version" outside kernel logs', () => {
    const events = collect('nodes/n1.zip!/n1/logs/iscsid.log', [
      'Jul 03 00:10:00.000000 n1 iscsid[29622]: iscsid: Connection1:0 to [target: iqn.2019-10.io.longhorn:pvc-e40f0e33-2396-4421-a1e5-083a43078dec, portal: 10.52.0.115,3260] through [iface: default] is operational now',
      '-- Reboot --',
      'Jul 03 00:47:30.000000 n1 iscsid[1200]: iscsid: iSCSI daemon with pid=1200 started!',
    ]);
    expect(events).toEqual([]);
    const podLog = collect('logs/default/virt-launcher-vm1-abcde/compute.log', [
      '2025-07-03T00:47:30.000000000Z {"component":"virt-launcher","level":"info","msg":"Linux version 5.14.21-150500.55.83-default (geeko@buildhost) guest","pos":"x.go:1","timestamp":"2025-07-03T00:47:30.000000Z"}',
    ]);
    expect(podLog).toEqual([]);
  });

  it('sees one kubelet start with its version in kubelet.log and nothing in other klog lines', () => {
    const events = collect('nodes/n1.zip!/n1/logs/kubelet.log', [
      'I0703 00:21:05.123456    2031 server.go:484] "Kubelet version" kubeletVersion="v1.32.3+rke2r1"',
      'I0703 00:21:05.200000    2031 kubelet.go:1600] "Starting kubelet"',
      // real-log-samples.md E39
      'I1128 21:37:40.508713    2190 reconciler.go:342] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\"" pod="harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9"',
    ]);
    expect(brief(events)).toEqual([['2025-07-03T00:21:05.123Z', 'n1', 'kubelet-start', 'kubelet v1.32.3+rke2r1 started', 1]]);
    expect(collect('logs/default/app-5f8f7b8d9c-abcde/app.log', ['2025-07-03T00:21:05.123456789Z "Starting kubelet"'])).toEqual([]);
  });
});

describe('key events from cluster pod logs', () => {
  it('reads upgrade job steps from node job pods, taking the node from the pod name', () => {
    const collector = createKeyEventCollector();
    feed(collector, 'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-n2-k7wq5/apply.log', [
      '2025-07-03T00:30:00.100000000Z + mkdir -p /host/usr/local/upgrade_tmp',
      '2025-07-03T00:30:00.200000000Z + case $1 in',
      '2025-07-03T00:30:00.300000000Z + command_pre_drain',
      // real-log-samples.md E04
      "2025-07-03T00:31:00.000000000Z + echo 'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...'",
      '2025-07-03T00:31:00.100000000Z Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...',
      '2025-07-03T00:36:00.000000000Z all VMs on node n2 have been live-migrated or shutdown',
      '2025-07-03T00:40:00.000000000Z [Thu Jul  3 00:40:00 UTC 2025] Running "upgrade_node.sh pre-drain" errors, will retry after 10 minutes (0 retries)...',
    ]);
    feed(collector, 'logs/harvester-system/hvst-upgrade-x2hz8-post-drain-n2-p2m4x/apply.log', [
      '2025-07-03T01:00:00.000000000Z + command_post_drain',
      '2025-07-03T01:09:00.000000000Z Skip upgrading OS. The OS version is already "Harvester v1.5.0".',
    ]);
    expect(brief(collector.result())).toEqual([
      ['2025-07-03T00:30:00.300Z', 'n2', 'job-start', 'pre-drain job started on n2', 3],
      ['2025-07-03T00:36:00.000Z', 'n2', 'drain', 'all VMs on node n2 live-migrated or shut down', 6],
      ['2025-07-03T00:40:00.000Z', 'n2', 'job-failed', 'pre-drain job attempt on n2 failed, retrying in 10 minutes (0 retries so far)', 7],
      ['2025-07-03T01:00:00.000Z', 'n2', 'job-start', 'post-drain job started on n2', 1],
      ['2025-07-03T01:09:00.000Z', 'n2', 'job-complete', 'post-drain job on n2 done, OS already "Harvester v1.5.0"', 2],
    ]);
  });

  it('sees the apply-manifests start from the release it prints first (E52)', () => {
    const events = collect('logs/harvester-system/hvst-upgrade-bcq9d-apply-manifests-gjbgf/apply.log', [
      '2025-07-03T00:12:00.000000001Z harvester: v1.4.2',
      '2025-07-03T00:12:00.000000002Z harvesterChart: 1.4.2',
      '2025-07-03T00:12:00.000000003Z os: Harvester v1.4.2',
      '2025-07-03T00:12:05.000000000Z Downloading the file from "http://upgrade-repo-hvst-upgrade-bcq9d.harvester-system/harvester-iso/harvester-release.yaml" to "/tmp/tmp.pFPd2eQeHh.yaml"...',
      '2025-07-03T00:20:00.000000000Z harvester: v1.4.2',
    ]);
    expect(brief(events)).toEqual([['2025-07-03T00:12:00.000Z', null, 'job-start', 'apply-manifests job started (target Harvester v1.4.2)', 1]]);
  });

  it('turns the controller log into upgrade state changes and job creations (E01, E02)', () => {
    const events = collect('logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log', [
      '2024-02-22T16:09:12.100000000Z time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingSystemServices]"',
      '2024-02-22T16:09:12.150000000Z time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingSystemServices]"',
      '2024-02-22T16:09:12.200000000Z time="2024-02-22T16:09:12Z" level=info msg="Start upgrading Kubernetes runtime to v1.25.9+rke2r1"',
      '2024-02-22T16:09:12.300000000Z time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingNodes]"',
      '2024-02-22T16:13:00.367700000Z W0222 16:13:00.367672       7 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+',
      '2024-02-22T16:20:41.000000000Z time="2024-02-22T16:20:41Z" level=debug msg="Create post-drain job on n3-103upd"',
    ]);
    expect(brief(events)).toEqual([
      ['2024-02-22T16:09:12.100Z', null, 'upgrade-phase', 'Upgrade harvester-system/hvst-upgrade-z2m89 upgradeState UpgradingSystemServices', 1],
      ['2024-02-22T16:09:12.200Z', null, 'upgrade-phase', 'controller starts upgrading the Kubernetes runtime to v1.25.9+rke2r1', 3],
      ['2024-02-22T16:09:12.300Z', null, 'upgrade-phase', 'Upgrade harvester-system/hvst-upgrade-z2m89 upgradeState UpgradingNodes', 4],
      ['2024-02-22T16:20:41.000Z', 'n3-103upd', 'job-start', 'controller creates the post-drain job for n3-103upd', 6],
    ]);
    expect(upgradeStateOf(events[2])).toEqual({ upgrade: 'harvester-system/hvst-upgrade-z2m89', state: 'UpgradingNodes' });
    expect(upgradeStateOf(events[1])).toBeNull();
  });

  it('folds eviction retries into one drain event and keeps the cordon (E48, E09)', () => {
    const events = collect('logs/cattle-system/rancher-7d8b9c6f5d-x2x9z/rancher.log', [
      '2025-07-03T00:41:00.000000000Z node/node2 cordoned',
      '2025-07-03T00:41:00.500000000Z WARNING: ignoring DaemonSet-managed Pods: cattle-monitoring-system/rancher-monitoring-prometheus-node-exporter-22xvh, harvester-system/virt-handler-sxp7b',
      '2025-07-03T00:41:01.000000000Z evicting pod longhorn-system/instance-manager-r-59d4d10e',
      '2025-07-03T00:41:01.100000000Z error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
      '2025-07-03T00:41:06.000000000Z evicting pod longhorn-system/instance-manager-r-59d4d10e',
      '2025-07-03T00:41:06.100000000Z error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
      '2025-07-03T00:41:11.000000000Z evicting pod longhorn-system/instance-manager-r-59d4d10e',
    ]);
    expect(brief(events)).toEqual([
      ['2025-07-03T00:41:00.000Z', 'node2', 'drain', 'node node2 cordoned', 1],
      ['2025-07-03T00:41:01.000Z', null, 'drain', 'evicting pod longhorn-system/instance-manager-r-59d4d10e (3 times until 2025-07-03T00:41:11.000Z)', 3],
    ]);
  });

  it('is deterministic whatever order members arrive in', () => {
    const members: [string, string[]][] = [
      ['nodes/n1.zip!/n1/logs/rke2-server.log', ['Jul 03 00:40:30.000001 n1 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...']],
      ['nodes/n2.zip!/n2/logs/rke2-server.log', ['Jul 03 00:40:30.000001 n2 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...']],
      ['logs/cattle-system/rancher-7d8b9c6f5d-x2x9z/rancher.log', ['2025-07-03T00:40:30.000001000Z node/n1 cordoned']],
    ];
    const run = (order: typeof members) => {
      const collector = createKeyEventCollector();
      for (const [path, lines] of order) feed(collector, path, lines);
      return collector.result();
    };
    expect(run([...members].reverse())).toEqual(run(members));
  });
});

import { describe, expect, it } from 'vitest';
import type { MemberInfo } from '../../src/bundle/types.js';
import { createLineParser } from '../../src/formats/parse-line.js';
import type { Level } from '../../src/formats/types.js';
import { member } from './helpers.js';

/*
 * Every log line of shared/reference/real-log-samples.md (verbatim, paste indentation included; the `file:` prefix of
 * E45's grep output and shell prompts removed) and the line examples of bundle-layout.md §7 and §9, read in order
 * through the parser of the member kind they come from. Expected format, level and UTC time per line.
 */

const archive = member({ path: 'upgradelog/logs/x.log.gz', criPrefixed: false }); // upgrade-log archive: no prefix
const pod = member({ path: 'logs/longhorn-system/longhorn-manager-vsv92/longhorn-manager.log' }); // kubelet-prefixed
const journal = member({ path: 'nodes/n.zip!/n/logs/rke2-server.log', kind: 'node-journal', criPrefixed: false });
const kernel = member({ path: 'nodes/n.zip!/n/logs/kernel.log', kind: 'kernel-log', criPrefixed: false });
const kubelet = member({ path: 'nodes/n.zip!/n/logs/kubelet.log', kind: 'node-log', component: 'kubelet', criPrefixed: false });
const containerd = member({ path: 'nodes/n.zip!/n/logs/containerd.log', kind: 'node-log', component: 'containerd', criPrefixed: false });
const loose = member({ path: 'dmesg.txt', kind: 'log', component: null, criPrefixed: false });

interface SampleGroup {
  sample: string;
  member: MemberInfo;
  /** Bundle creation time for year-less lines. */
  anchor: string | null;
  /** [line, format, level, time as ISO or null] */
  lines: [string, string, Level | null, string | null][];
}

const groups: SampleGroup[] = [
  {
    sample: 'E01',
    member: archive,
    anchor: '2024-02-23T00:00:00Z',
    lines: [
      ['time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingSystemServices]"', 'logrus', 'info', '2024-02-22T16:09:12.000Z'],
      ['time="2024-02-22T16:09:12Z" level=info msg="Start upgrading Kubernetes runtime to v1.25.9+rke2r1"', 'logrus', 'info', '2024-02-22T16:09:12.000Z'],
      ['time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingNodes]"', 'logrus', 'info', '2024-02-22T16:09:12.000Z'],
      ['W0222 16:13:00.367672       7 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+', 'klog', 'warning', '2024-02-22T16:13:00.367Z'],
    ],
  },
  {
    sample: 'E02',
    member: archive,
    anchor: '2022-10-25T00:00:00Z',
    lines: [
      ['time="2022-10-24T08:31:41Z" level=debug msg="Create post-drain job on n3-103upd"', 'logrus', 'debug', '2022-10-24T08:31:41.000Z'],
    ],
  },
  {
    sample: 'E04',
    member: archive,
    anchor: null,
    lines: [
      ['+ echo \'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...\'', 'xtrace', null, null],
      ['+ sleep 10', 'xtrace', null, null],
      ['Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...', 'plain', null, null],
      ['+ \'[\' true \']\'', 'xtrace', null, null],
      ['+ \'[\' 5 -gt 2 \']\'', 'xtrace', null, null],
      ['++ kubectl get volumes.longhorn.io/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f -n longhorn-system -o \'jsonpath={.status.robustness}\'', 'xtrace', null, null],
      ['+ robustness=degraded', 'xtrace', null, null],
      ['+ \'[\' degraded = healthy \']\'', 'xtrace', null, null],
      ['+ \'[\' -f /tmp/skip-pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f \']\'', 'xtrace', null, null],
      ['Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...', 'plain', null, null],
      ['+ echo \'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...\'', 'xtrace', null, null],
      ['+ sleep 10', 'xtrace', null, null],
    ],
  },
  {
    sample: 'E06',
    member: archive,
    anchor: null,
    lines: [
      ['time="2025-01-14T00:00:01Z" level=info msg="Node instance-manager-d80e13f520e7b952f4b7593fc1883e2a is marked unschedulable but removing harvester-node-1 PDB is blocked: some volumes are still attached InstanceEngines count 1 pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e-e-0" func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:823" controller=longhorn-instance-manager node=harvester-node-1', 'logrus', 'info', '2025-01-14T00:00:01.000Z'],
    ],
  },
  {
    sample: 'E07',
    member: archive,
    anchor: null,
    lines: [
      ['time="2024-08-05T18:48:14Z" level=info msg="Node instance-manager-68cd2514dd3f6d59b95cbd865d5b08f7 is marked unschedulable but removing harv2 PDB is blocked: some volumes are still attached " func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:730" controller=longhorn-instance-manager node=harv2', 'logrus', 'info', '2024-08-05T18:48:14.000Z'],
    ],
  },
  {
    sample: 'E09',
    member: archive,
    anchor: null,
    lines: [
      ['error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.', 'plain', null, null],
      ['evicting pod longhorn-system/instance-manager-r-59d4d10e', 'plain', null, null],
      ['error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.', 'plain', null, null],
      ['evicting pod longhorn-system/instance-manager-r-59d4d10e', 'plain', null, null],
      ['error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.', 'plain', null, null],
      ['evicting pod longhorn-system/instance-manager-r-59d4d10e', 'plain', null, null],
    ],
  },
  {
    sample: 'E11',
    member: loose,
    anchor: null,
    lines: [
      ['[  407.202854] prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997', 'dmesg', null, null],
      ['[  407.202857] CPU: 24 PID: 36155 Comm: prometheus Tainted: G               X    5.3.18-59.24-default #1 SLE15-SP3', 'dmesg', null, null],
      ['[  407.202858] Hardware name: Dell Inc. PowerEdge R620/0KCKR5, BIOS 2.8.0 06/26/2019', 'dmesg', null, null],
      ['[  407.202859] Call Trace:', 'dmesg', null, null],
      ['[  407.202867]  dump_stack+0x66/0x8b', 'dmesg', null, null],
      ['[  407.202872]  dump_header+0x4a/0x200', 'dmesg', null, null],
      ['[  407.202873]  oom_kill_process+0xe8/0x130', 'dmesg', null, null],
      ['[  407.202875]  out_of_memory+0x105/0x510', 'dmesg', null, null],
      ['[  407.202879]  mem_cgroup_out_of_memory+0xb5/0xd0', 'dmesg', null, null],
      ['[  407.202881]  try_charge+0x7c0/0x800', 'dmesg', null, null],
    ],
  },
  {
    sample: 'E13',
    member: kernel,
    anchor: '2022-06-24T00:00:00Z',
    lines: [
      ['Jun 23 10:10:34 hv kernel: CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=872', 'journald', null, '2022-06-23T10:10:34.000Z'],
      ['Jun 23 10:10:34 hv kernel: memory: usage 50595840kB, limit 50595840kB, failcnt 15', 'journald', null, '2022-06-23T10:10:34.000Z'],
      ['Jun 23 10:10:34 hv kernel: memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0', 'journald', null, '2022-06-23T10:10:34.000Z'],
      ['Jun 23 10:10:34 hv kernel: kmem: usage 377108kB, limit 9007199254740988kB, failcnt 0', 'journald', null, '2022-06-23T10:10:34.000Z'],
      ['Jun 23 10:10:34 hv kernel: Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB', 'journald', null, '2022-06-23T10:10:34.000Z'],
    ],
  },
  {
    sample: 'E14',
    member: loose,
    anchor: null,
    lines: [
      ['[Sun Feb  9 00:15:09 2025] harvester-netwo invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=999', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025] CPU: 20 PID: 37753 Comm: harvester-netwo Tainted: G               X    5.14.21-150500.55.83-default #1 SLE15-SP5 33240b69c7203f8eab122d545288fe507f185c6b', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025] Hardware name: Dell Inc. Precision 7820 Tower/0804P1, BIOS 2.43.0 11/07/2024', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025] Call Trace:', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  <TASK>', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  dump_stack_lvl+0x58/0x7b', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  dump_header+0x4a/0x220', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  oom_kill_process+0xe8/0x140', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  out_of_memory+0x113/0x580', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
      ['[Sun Feb  9 00:15:09 2025]  mem_cgroup_out_of_memory+0xe3/0x100', 'dmesg', null, '2025-02-09T00:15:09.000Z'],
    ],
  },
  {
    sample: 'E17',
    member: archive,
    anchor: null,
    lines: [
      ['{"component":"virt-launcher","kind":"","level":"info","msg":"Signaled vmi shutdown","name":"testvmi-txhzt","namespace":"kubevirt-test-default1","pos":"server.go:345","timestamp":"2024-09-20T09:23:38.178829Z","uid":"07fd2702-8124-41f2-b393-b8f12a1c61fd"}', 'json', 'info', '2024-09-20T09:23:38.178Z'],
      ['{"component":"virt-launcher","level":"info","msg":"kubevirt domain status: Running(1):Unknown(1)","pos":"client.go:297","timestamp":"2024-09-20T09:23:38.189236Z"}', 'json', 'info', '2024-09-20T09:23:38.189Z'],
      ['{"component":"virt-launcher","level":"info","msg":"Received signal terminated","pos":"virt-launcher.go:473","timestamp":"2024-09-20T09:23:38.189222Z"}', 'json', 'info', '2024-09-20T09:23:38.189Z'],
      ['{"component":"virt-launcher","kind":"VirtualMachineInstance","level":"info","msg":"Signaled graceful shutdown","name":"testvmi-txhzt","namespace":"kubevirt-test-default1","pos":"virt-launcher.go:443","timestamp":"2024-09-20T09:23:38.189319Z","uid":"07fd2702-8124-41f2-b393-b8f12a1c61fd"}', 'json', 'info', '2024-09-20T09:23:38.189Z'],
    ],
  },
  {
    sample: 'E20',
    member: archive,
    anchor: null,
    lines: [
      ['          level=info timestamp=2018-09-21T09:13:31.763697Z pos=vm.go:324 component=virt-handler msg="Processing vmi testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9, existing: true\\n"', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
      ['          level=info timestamp=2018-09-21T09:13:31.763734Z pos=vm.go:326 component=virt-handler msg="vmi is in phase: Succeeded\\n"', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
      ['          level=info timestamp=2018-09-21T09:13:31.763751Z pos=vm.go:344 component=virt-handler msg="Domain: existing: true\\n"', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
      ['          level=info timestamp=2018-09-21T09:13:31.763766Z pos=vm.go:346 component=virt-handler msg="Domain status: Shutoff, reason: Shutdown\\n"', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
      ['          level=info timestamp=2018-09-21T09:13:31.763821Z pos=vm.go:388 component=virt-handler namespace=kubevirt-test-default name=testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9 kind= uid=8ad7536e-bd7e-11e8-aef7-525500d15501 msg="Deleting domain for VirtualMachineInstance with deletion timestamp."', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
      ['          level=info timestamp=2018-09-21T09:13:31.763846Z pos=vm.go:398 component=virt-handler namespace=kubevirt-test-default name=testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9 kind= uid=8ad7536e-bd7e-11e8-aef7-525500d15501 msg="Removing domain and ephemeral data for finalized vmi."', 'logfmt', 'info', '2018-09-21T09:13:31.763Z'],
    ],
  },
  {
    sample: 'E21',
    member: loose,
    anchor: null,
    lines: [
      ['2024-01-31T13:23:48.555760707Z stderr F {"component":"virt-handler","level":"info","msg":"re-enqueuing VirtualMachineInstance default/rke2-guest-01-pool1-b4649f31-9g2nx","pos":"vm.go:1588","reason":"syncing migration target failed: unknown error encountered sending command SyncMigrationTarget: rpc error: code = Unavailable desc = error reading from server: EOF","timestamp":"2024-01-31T13:23:48.555655Z"}', 'cri/json', 'info', '2024-01-31T13:23:48.555Z'],
    ],
  },
  {
    sample: 'E23',
    member: archive,
    anchor: null,
    lines: [
      ['instance-manager-r pod count is not 1 on node harvester001, will retry...', 'plain', null, null],
      ['instance-manager-r pod count is not 1 on node harvester001, will retry...', 'plain', null, null],
      ['instance-manager-r pod count is not 1 on node harvester001, will retry...', 'plain', null, null],
      ['instance-manager-r pod count is not 1 on node harvester001, will retry...', 'plain', null, null],
    ],
  },
  {
    sample: 'E25',
    member: archive,
    anchor: null,
    lines: [
      ['instance-manager (aio) (image=longhornio/longhorn-instance-manager:v1.6.2) count is not 1 on node servername0000, will retry...', 'plain', null, null],
    ],
  },
  {
    sample: 'E27',
    member: journal,
    anchor: '2025-03-04T00:00:00Z',
    lines: [
      ['Mar 03 19:33:30 bat05 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...', 'journald', null, '2025-03-03T19:33:30.000Z'],
      ['Mar 03 19:33:30 bat05 rke2[1284524]: time="2025-03-03T19:33:30Z" level=info msg="Shutting down /v1, Kind=Node workers"', 'journald/logrus', 'info', '2025-03-03T19:33:30.000Z'],
    ],
  },
  {
    sample: 'E29',
    member: journal,
    anchor: '2024-06-01T00:00:00Z',
    lines: [
      ['    May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[Applyinator] No image provided, creating empty working directory /var/lib/rancher/agent/work/20240524-085905/a4922eda6712eb2213c9314134fa57d0a0e5f86b2a8adf94f773b2bc708ad70f_0"', 'journald/logrus', 'info', '2024-05-24T08:59:05.000Z'],
      ['    May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]"', 'journald/logrus', 'info', '2024-05-24T08:59:05.000Z'],
      ['    May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[a4922eda6712eb2213c9314134fa57d0a0e5f86b2a8adf94f773b2bc708ad70f_0:stdout]: Name Location Size Created"', 'journald/logrus', 'info', '2024-05-24T08:59:05.000Z'],
      ['    May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[Applyinator] Command sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null] finished with err: <nil> and exit code: 0"', 'journald/logrus', 'info', '2024-05-24T08:59:05.000Z'],
    ],
  },
  {
    sample: 'E30',
    member: journal,
    anchor: '2022-10-01T00:00:00Z',
    lines: [
      ['Sep 28 08:11:36 node2 rancher-system-agent[8114]: W0928 08:11:36.340641 8114 reflector.go:443] pkg/mod/github.com/rancher/client-go@v1.24.0-rancher1/tools/cache/reflector.go:168: watch of *v1.Secret ended with: an error on the server ("unable to decode an event from the watch stream: stream error: stream ID 5; INTERNAL_ERROR; received from peer") has prevented the request from succeeding', 'journald/klog', 'warning', '2022-09-28T08:11:36.000Z'],
      ['Sep 28 10:05:34 node2 rke2[28576]: time="2022-09-28T10:05:34Z" level=info msg="Waiting to retrieve agent configuration; server is not ready: https://127.0.0.1:6444/v1-rke2/serving-kubelet.crt: 503 Service Unavailable"', 'journald/logrus', 'info', '2022-09-28T10:05:34.000Z'],
      ['Sep 28 10:05:39 node2 rke2[28576]: time="2022-09-28T10:05:39Z" level=info msg="Waiting to retrieve agent configuration; server is not ready: https://127.0.0.1:6444/v1-rke2/serving-kubelet.crt: 503 Service Unavailable"', 'journald/logrus', 'info', '2022-09-28T10:05:39.000Z'],
    ],
  },
  {
    sample: 'E34',
    member: archive,
    anchor: null,
    lines: [
      ['2022/03/08 16:13:16 [INFO] Stopping metadata watch on apiextensions.k8s.io/v1, Kind=CustomResourceDefinition', 'rancher', 'info', '2022-03-08T16:13:16.000Z'],
      ['2022/03/08 16:13:16 [INFO] Stopping metadata watch on rbac.authorization.k8s.io/v1, Kind=ClusterRole', 'rancher', 'info', '2022-03-08T16:13:16.000Z'],
      ['2022/03/08 16:13:16 [INFO] Stopping metadata watch on rbac.authorization.k8s.io/v1, Kind=Role', 'rancher', 'info', '2022-03-08T16:13:16.000Z'],
      ['2022/03/08 16:13:16 [INFO] Stopping metadata watch on rbac.authorization.k8s.io/v1, Kind=RoleBinding', 'rancher', 'info', '2022-03-08T16:13:16.000Z'],
      ['2022/03/08 16:13:16 [INFO] Stopping metadata watch on admissionregistration.k8s.io/v1, Kind=MutatingWebhookConfiguration', 'rancher', 'info', '2022-03-08T16:13:16.000Z'],
      ['2022/03/08 16:13:17 [INFO] [planner] rkecluster fleet-local/local: waiting: provisioning bootstrap node(s) custom-9441cf1c7106: waiting for probes: kube-controller-manager', 'rancher', 'info', '2022-03-08T16:13:17.000Z'],
    ],
  },
  {
    sample: 'E35',
    member: archive,
    anchor: null,
    lines: [
      ['2022/02/21 15:31:16 [INFO] [planner] rkecluster fleet-local/local: waiting: waiting for at least one bootstrap node', 'rancher', 'info', '2022-02-21T15:31:16.000Z'],
      ['2022/02/21 15:31:16 [INFO] [planner] rkecluster fleet-local/local: waiting: waiting for at least one bootstrap node', 'rancher', 'info', '2022-02-21T15:31:16.000Z'],
    ],
  },
  {
    sample: 'E37',
    member: archive,
    anchor: null,
    lines: [
      ['Happy Containering!', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher to be upgraded...', 'plain', null, null],
      ['Wait for Rancher dependencies helm releases...', 'plain', null, null],
      ['wait helm release cattle-fleet-system fleet fleet-104.0.2+up0.10.2 0.10.2 deployed', 'plain', null, null],
      ['wait helm release cattle-fleet-system fleet-crd fleet-crd-104.0.2+up0.10.2 0.10.2 deployed', 'plain', null, null],
      ['wait helm release cattle-system rancher-webhook rancher-webhook-104.0.2+up0.5.2 0.5.2 deployed', 'plain', null, null],
      ['Wait for Rancher dependencies rollout...', 'plain', null, null],
      ['wait rollout -n cattle-fleet-system deployment fleet-controller', 'plain', null, null],
      ['deployment "fleet-controller" successfully rolled out', 'plain', null, null],
      ['wait rollout -n cattle-system deployment rancher-webhook', 'plain', null, null],
      ['deployment "rancher-webhook" successfully rolled out', 'plain', null, null],
      ['wait rollout -n cattle-fleet-local-system statefulset fleet-agent', 'plain', null, null],
      ['partitioned roll out complete: 1 new pods have been updated...', 'plain', null, null],
      ['Wait for cluster settling down...', 'plain', null, null],
      ['CAPI cluster fleet-local/local is provisioned (current generation: 70).', 'plain', null, null],
      ['patch cluster.fleet local to new generation 1', 'plain', null, null],
      ['cluster.fleet.cattle.io/local patched', 'plain', null, null],
    ],
  },
  {
    sample: 'E38',
    member: archive,
    anchor: null,
    lines: [
      ['{"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","name":"...","namespace":"...","pos":"vm.go:3396","timestamp":"2025-12-12T10:57:28.031354Z"}', 'json', 'info', '2025-12-12T10:57:28.031Z'],
    ],
  },
  {
    sample: 'E39',
    member: journal,
    anchor: '2022-12-01T00:00:00Z',
    lines: [
      ['Nov 28 21:37:32 harvester-qgl7w iscsid[29622]: iscsid: Connection1:0 to [target: iqn.2019-10.io.longhorn:pvc-e40f0e33-2396-4421-a1e5-083a43078dec, portal: 10.52.0.115,3260] through [iface: default] is operational now', 'journald', null, '2022-11-28T21:37:32.000Z'],
    ],
  },
  {
    sample: 'E39',
    member: kubelet,
    anchor: '2022-12-01T00:00:00Z',
    lines: [
      ['I1128 21:37:40.508713    2190 reconciler.go:342] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\" (UniqueName: \\"kubernetes.io/csi/driver.longhorn.io^pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\") pod \\"virt-launcher-r2-123-p-37957381-nnc8w-26tw9\\" (UID: \\"c4e82bf2-674f-4221-8dd2-66ce87c34f3a\\") " pod="harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9"', 'klog', 'info', '2022-11-28T21:37:40.508Z'],
      ['I1128 21:37:40.570647    2190 operation_generator.go:1555] "Controller attach succeeded for volume \\"pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\" (UniqueName: \\"kubernetes.io/csi/driver.longhorn.io^pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\") pod \\"virt-launcher-r2-123-p-37957381-nnc8w-26tw9\\" (UID: \\"c4e82bf2-674f-4221-8dd2-66ce87c34f3a\\") device path: \\"\\"" pod="harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9"', 'klog', 'info', '2022-11-28T21:37:40.570Z'],
    ],
  },
  {
    sample: 'E40',
    member: pod,
    anchor: null,
    lines: [
      ['2022-03-21T08:57:05.533058193Z E0321 08:57:05.532889       1 engine_controller.go:706] failed to update status for engine pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53: cannot get volume info: Timeout executing: /var/lib/longhorn/engine-binaries/longhornio-longhorn-engine-v1.2.4-rc1/longhorn [--url 10.52.0.112:10000 info], output , stderr, , error <nil>', 'cri/klog', 'error', '2022-03-21T08:57:05.533Z'],
      ['2022-03-21T08:36:56.173496824Z [pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53] time="2022-03-21T08:36:56Z" level=info msg="Starting with replicas [\\"tcp://10.52.1.22:10000\\" \\"tcp://10.52.2.23:10000\\"]"', 'cri/logrus', 'info', '2022-03-21T08:36:56.173Z'],
      ['2022-03-21T08:36:56.202661406Z [pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53] time="2022-03-21T08:36:56Z" level=info msg="Adding backend: tcp://10.52.1.22:10000"', 'cri/logrus', 'info', '2022-03-21T08:36:56.202Z'],
    ],
  },
  {
    sample: 'E45',
    member: archive,
    anchor: null,
    lines: [
      ['time="2025-05-02T09:07:25Z" level=error msg="error syncing \'default/VM_NAME\': handler VMController.SetDefaultManagementNetworkMacAddress: error fetch controller revision object for vmi VM_NAME-default: controllerrevisions.apps \\"revision-start-vm-ff80516b-022e-4e66-8291-23681f6a31cb-10\\" not found, requeuing"', 'logrus', 'error', '2025-05-02T09:07:25.000Z'],
      ['time="2025-05-02T09:07:25Z" level=error msg="error syncing \'default/VM_NAME\': handler VMController.SetDefaultManagementNetworkMacAddress: error fetch controller revision object for vmi VM_NAME-default: controllerrevisions.apps \\"revision-start-vm-ff80516b-022e-4e66-8291-23681f6a31cb-10\\" not found, requeuing"', 'logrus', 'error', '2025-05-02T09:07:25.000Z'],
    ],
  },
  {
    sample: 'E48',
    member: archive,
    anchor: null,
    lines: [
      ['Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.', 'plain', null, null],
      ['node/node2 cordoned', 'plain', null, null],
      ['WARNING: ignoring DaemonSet-managed Pods: cattle-monitoring-system/rancher-monitoring-prometheus-node-exporter-22xvh, harvester-system/harvester-network-controller-q2zx8, harvester-system/harvester-node-disk-manager-gw2lr, harvester-system/kube-vip-ld5tk, harvester-system/virt-handler-sxp7b, kube-system/kube-multus-ds-b6prt, kube-system/rke2-canal-fzxvx, longhorn-system/engine-image-ei-d4c780c6-sjs2r, longhorn-system/longhorn-csi-plugin-p2g72, longhorn-system/longhorn-manager-bmxdt', 'plain', null, null],
      ['evicting pod longhorn-system/instance-manager-r-93daf873', 'plain', null, null],
    ],
  },
  {
    sample: 'E52',
    member: archive,
    anchor: null,
    lines: [
      ['harvester: v1.4.2', 'plain', null, null],
      ['harvesterChart: 1.4.2', 'plain', null, null],
      ['installer: 6fe3c71', 'plain', null, null],
      ['os: Harvester v1.4.2', 'plain', null, null],
      ['kubernetes: v1.31.4+rke2r1', 'plain', null, null],
      ['rancher: v2.10.1', 'plain', null, null],
      ['monitoringChart: 103.1.1+up45.31.1', 'plain', null, null],
      ['loggingChart: 103.1.0+up4.4.0', 'plain', null, null],
      ['kubevirt: 1.3.1-150600.5.9.1', 'plain', null, null],
      ['minUpgradableVersion: \'v1.4.1\'', 'plain', null, null],
      ['rancherDependencies:', 'plain', null, null],
      ['  fleet:', 'plain', null, null],
      ['    chart: 105.0.2+up0.11.2', 'plain', null, null],
      ['    app: 0.11.2', 'plain', null, null],
      ['  fleet-crd:', 'plain', null, null],
      ['    chart: 105.0.2+up0.11.2', 'plain', null, null],
      ['    app: 0.11.2', 'plain', null, null],
      ['  rancher-webhook:', 'plain', null, null],
      ['    chart: 105.0.1+up0.6.2', 'plain', null, null],
      ['    app: 0.6.2', 'plain', null, null],
      ['Downloading the file from "http://upgrade-repo-hvst-upgrade-bcq9d.harvester-system/harvester-iso/harvester-release.yaml" to "/tmp/tmp.pFPd2eQeHh.yaml"...', 'plain', null, null],
    ],
  },
  {
    sample: 'E53',
    member: archive,
    anchor: null,
    lines: [
      ['      harvester: v1.1.3-rc1', 'plain', null, null],
      ['      harvesterChart: 1.1.3-rc1', 'plain', null, null],
      ['      os: Harvester v1.1.3-rc1', 'plain', null, null],
      ['      kubernetes: v1.24.17+rke2r1', 'plain', null, null],
      ['      rancher: v2.6.13', 'plain', null, null],
      ['      monitoringChart: 100.1.0+up19.0.3', 'plain', null, null],
      ['      loggingChart: 100.1.3+up3.17.7', 'plain', null, null],
      ['      kubevirt: 0.54.0-150400.3.23.1', 'plain', null, null],
      ['      minUpgradableVersion: \'v1.1.0\'', 'plain', null, null],
      ['      rancherDependencies:', 'plain', null, null],
      ['        fleet:', 'plain', null, null],
      ['          chart: 100.2.3+up0.5.3', 'plain', null, null],
      ['          app: 0.5.3', 'plain', null, null],
      ['        fleet-crd:', 'plain', null, null],
      ['          chart: 100.2.3+up0.5.3', 'plain', null, null],
      ['          app: 0.5.3', 'plain', null, null],
      ['        rancher-webhook:', 'plain', null, null],
      ['          chart: 1.0.9+up0.2.10', 'plain', null, null],
      ['          app: 0.2.10', 'plain', null, null],
      ['      Downloading the file from "http://upgrade-repo-hvst-upgrade-gs9jq.harvester-system/harvester-iso/harvester-release.yaml" to "/tmp/tmp.IrKvOp2nB1.yaml"...', 'plain', null, null],
      ['      Downloading the file from "http://upgrade-repo-hvst-upgrade-gs9jq.harvester-system/harvester-iso/bundle/metadata.yaml" to "/tmp/tmp.wSuTmgaHl4.yaml"...', 'plain', null, null],
      ['      Current version: 1.1.1', 'plain', null, null],
      ['      Minimum upgradable version: 1.1.0', 'plain', null, null],
      ['      Current version is supported.', 'plain', null, null],
      ['      managedchart.management.cattle.io/harvester patched', 'plain', null, null],
      ['      managedchart.management.cattle.io/harvester-crd patched', 'plain', null, null],
    ],
  },
  {
    sample: 'E55',
    member: archive,
    anchor: null,
    lines: [
      ['Waiting for plan hvst-upgrade-fm29b-skip-restart-rancher-system-agent to complete...', 'plain', null, null],
    ],
  },
  {
    sample: '§7',
    member: pod,
    anchor: null,
    lines: [
      ['2026-05-26T14:45:19.742431225Z             operator: DoesNotExist', 'cri/plain', null, '2026-05-26T14:45:19.742Z'],
      ['2026-05-26T14:45:19.742432669Z   timeoutSeconds: 602', 'cri/plain', null, '2026-05-26T14:45:19.742Z'],
    ],
  },
  {
    sample: '§9 rke2',
    member: journal,
    anchor: '2022-03-01T00:00:00Z',
    lines: [
      ['Feb 09 14:28:55 srv-harvester-01 rke2[4242]: time="2022-02-09T14:28:55Z" level=warning msg="not running in CIS mode"', 'journald/logrus', 'warning', '2022-02-09T14:28:55.000Z'],
    ],
  },
  {
    sample: '§9 rke2 etcd-client',
    member: journal,
    anchor: '2024-02-01T00:00:00Z',
    lines: [
      ['Jan 04 16:02:01 abc rke2[2536]: {"level":"info","ts":"2024-01-04T16:02:01.020889Z","logger":"etcd-client","caller":"v3@v3.5.9-k3s1/client.go:210","msg":"Auto sync endpoints failed.","error":"context deadline exceeded"}', 'journald/json', 'info', '2024-01-04T16:02:01.000Z'],
    ],
  },
  {
    sample: '§9 rancher-system-agent',
    member: journal,
    anchor: '2023-11-03T00:00:00Z',
    lines: [
      ['Nov 02 06:36:18 harvester-3 rancher-system-agent[6473]: time="2023-11-02T06:36:18Z" level=info msg="[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]"', 'journald/logrus', 'info', '2023-11-02T06:36:18.000Z'],
    ],
  },
  {
    sample: '§9 rancherd',
    member: journal,
    anchor: '2025-07-11T00:00:00Z',
    lines: [
      ['Jul 10 06:57:27 hyper10 rancherd[2844]: time="2025-07-10T06:57:27Z" level=info msg="Bootstrapping Rancher (v2.8.3/v1.27.13+rke2r1)"', 'journald/logrus', 'info', '2025-07-10T06:57:27.000Z'],
    ],
  },
  {
    sample: '§9 kubelet',
    member: kubelet,
    anchor: '2024-11-01T00:00:00Z',
    lines: [
      ['I1022 15:16:47.802112    2031 pod_startup_latency_tracker.go:102] "Observed pod startup duration" pod="cattle-fleet-local-system/fleet-agent-76b76c66f4-xvtmb" podStartSLOduration=3.802072222', 'klog', 'info', '2024-10-22T15:16:47.802Z'],
      ['E1022 15:16:50.808710    2031 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"fleet-agent\\" with CrashLoopBackOff: ..."', 'klog', 'error', '2024-10-22T15:16:50.808Z'],
    ],
  },
  {
    sample: '§9 containerd',
    member: containerd,
    anchor: null,
    lines: [
      ['time="2023-03-25T22:41:01.077081049Z" level=info msg="starting signal loop" namespace=k8s.io path=/run/k3s/containerd/... pid=1415 runtime=io.containerd.runc.v2', 'logrus', 'info', '2023-03-25T22:41:01.077Z'],
      ['time="2022-01-01T01:48:46.816097099-05:00" level=error msg="cleanup working directory in namespace" error="..." namespace=k8s.io', 'logrus', 'error', '2022-01-01T06:48:46.816Z'],
    ],
  },
  {
    sample: '§9 harvester',
    member: archive,
    anchor: null,
    lines: [
      ['time="2022-05-08T09:28:54Z" level=error msg="error syncing \'harvester-system/harvester\': handler harvester-setting-controller: managedcharts.management.cattle.io \\"harvester\\" not found, requeuing"', 'logrus', 'error', '2022-05-08T09:28:54.000Z'],
    ],
  },
  {
    sample: '§9 longhorn-manager',
    member: archive,
    anchor: '2024-12-07T00:00:00Z',
    lines: [
      ['time="2024-12-06T04:08:31Z" level=error msg="Failed to check if replica testvol-r-1ad683c6 transitioned to mode RW after it was last healthy" func="controller.(*VolumeController).ReconcileEngineReplicaState" file="volume_controller.go:752" accessMode=rwo controller=longhorn-volume ... volume=testvol', 'logrus', 'error', '2024-12-06T04:08:31.000Z'],
      ['E0427 04:07:26.116782       1 instance_manager_controller.go:268] failed to sync instance manager for longhorn-system/instance-manager-3fa8...: ...', 'klog', 'error', '2024-04-27T04:07:26.116Z'],
    ],
  },
  {
    sample: '§9 instance-manager',
    member: archive,
    anchor: null,
    lines: [
      ['tgtd: work_timer_start(146) use timer_fd based scheduler', 'plain', null, null],
      ['time="2023-05-09T08:46:03Z" level=info msg="Storing process logs at path: /var/log/instances"', 'logrus', 'info', '2023-05-09T08:46:03.000Z'],
      ['[longhorn-instance-manager] time="2023-05-09T08:46:03Z" level=info msg="Creating gRPC server with no auth"', 'logrus', 'info', '2023-05-09T08:46:03.000Z'],
    ],
  },
  {
    sample: '§9 kubevirt',
    member: archive,
    anchor: '2024-09-21T00:00:00Z',
    lines: [
      ['{"component":"virt-launcher","kind":"","level":"info","msg":"Executing PreStartHook on VMI pod environment","name":"upgrade-repo-hvst-upgrade-bcq9d","namespace":"harvester-system","pos":"manager.go:722","timestamp":"2025-06-03T14:23:58.155036Z","uid":"1b547ce3-4e02-4b7b-96a1-8eda97381e82"}', 'json', 'info', '2025-06-03T14:23:58.155Z'],
      ['{"component":"virt-launcher","level":"warning","msg":"Domain id=1 name=\'harvester-public_test\' ... is tainted: custom-ga-command","pos":"qemuDomainObjTaintMsg:6382","subcomponent":"libvirt","thread":"28","timestamp":"2022-11-26T02:11:51.210000Z"}', 'json', 'warning', '2022-11-26T02:11:51.210Z'],
      ['W0920 14:09:17.980725   30281 client_config.go:659] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.', 'klog', 'warning', '2024-09-20T14:09:17.980Z'],
    ],
  },
  {
    sample: '§9 prometheus',
    member: archive,
    anchor: null,
    lines: [
      ['level=warn ts=2022-07-27T21:17:17.094Z caller=db.go:676 component=tsdb msg="A TSDB lockfile from a previous execution already existed. It was replaced" file=/prometheus/lock', 'logfmt', 'warning', '2022-07-27T21:17:17.094Z'],
    ],
  },
  {
    sample: '§9 rancher',
    member: archive,
    anchor: null,
    lines: [
      ['2024/10/02 09:26:41 [ERROR] error syncing \'local/default-token\': handler cluster-registration-token: ... requeuing', 'rancher', 'error', '2024-10-02T09:26:41.000Z'],
    ],
  },
];

describe('real sample lines', () => {
  it.each(groups.map((group) => [group.sample, group] as const))('%s', (_sample, group) => {
    const parser = createLineParser(group.member, { anchorMs: group.anchor === null ? null : Date.parse(group.anchor), zone: 'UTC' });
    const got = group.lines.map(([line], i) => {
      const event = parser.parse(line, i + 1);
      return [line, event.format, event.level, event.time === null ? null : new Date(event.time).toISOString()];
    });
    expect(got).toEqual(group.lines);
  });
});

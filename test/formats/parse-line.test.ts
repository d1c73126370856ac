import { describe, expect, it } from 'vitest';
import type { MemberInfo } from '../../src/bundle/types.js';
import { createLineParser } from '../../src/formats/parse-line.js';
import type { LogEvent, TimeContext } from '../../src/formats/types.js';
import { ANCHOR, member, utc } from './helpers.js';
import { seededRandom } from '../seeded-random.js';

const UTC_CONTEXT: TimeContext = { anchorMs: ANCHOR, zone: 'UTC' };

function parseAll(info: MemberInfo, lines: string[], time: TimeContext = UTC_CONTEXT): LogEvent[] {
  const parser = createLineParser(info, time);
  return lines.map((line, i) => parser.parse(line, i + 1));
}

const summary = (events: LogEvent[]) => events.map((e) => [e.format, e.timeSource, e.time === null ? null : new Date(e.time).toISOString()]);

const kubeletJournal = member({
  path: 'nodes/n1.zip!/n1/logs/rke2-server.log',
  node: 'n1',
  namespace: null,
  pod: null,
  container: null,
  component: 'rke2-server',
  kind: 'node-journal',
  criPrefixed: false,
});

describe('createLineParser', () => {
  it('keeps provenance: file, 1-based line, raw text', () => {
    const [event] = parseAll(member({}), ['2024-02-22T16:09:12.000000001Z time="2024-02-22T16:09:12Z" level=info msg="x"']);
    expect(event).toMatchObject({
      file: 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
      line: 1,
      raw: '2024-02-22T16:09:12.000000001Z time="2024-02-22T16:09:12Z" level=info msg="x"',
      format: 'cri/logrus',
      timeSource: 'cri-prefix',
    });
  });

  it('reads a support-bundle pod log of an upgrade job: prefix time on every line, xtrace and plain inside (E04)', () => {
    const events = parseAll(member({ path: 'logs/harvester-system/hvst-upgrade-v289r-pre-drain-n4-abcde/drain.log', component: 'pre-drain' }), [
      "2025-07-14T10:00:00.000000001Z + echo 'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...'",
      '2025-07-14T10:00:00.000000002Z + sleep 10',
      '2025-07-14T10:00:00.000000003Z Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...',
      "2025-07-14T10:00:10.100000000Z + '[' true ']'",
      '2025-07-14T10:00:10.200000000Z + robustness=degraded',
    ]);
    expect(summary(events)).toEqual([
      ['cri/xtrace', 'cri-prefix', '2025-07-14T10:00:00.000Z'],
      ['cri/xtrace', 'cri-prefix', '2025-07-14T10:00:00.000Z'],
      ['cri/plain', 'cri-prefix', '2025-07-14T10:00:00.000Z'],
      ['cri/xtrace', 'cri-prefix', '2025-07-14T10:00:10.100Z'],
      ['cri/xtrace', 'cri-prefix', '2025-07-14T10:00:10.200Z'],
    ]);
    expect(events[4].message).toBe('robustness=degraded');
    expect(events.every((e) => e.level === null)).toBe(true);
  });

  it('reads an upgrade-log archive member without a prefix: the inner time or the previous one (E45, E40)', () => {
    const archive = member({
      path: 'hvst-upgrade-x-upgradelog-archive/logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz',
      criPrefixed: false,
    });
    const events = parseAll(archive, [
      'time="2025-05-02T09:07:25Z" level=error msg="error syncing \'default/VM_NAME\': handler VMController.SetDefaultManagementNetworkMacAddress: error fetch controller revision object for vmi VM_NAME-default: controllerrevisions.apps \\"revision-start-vm-ff80516b-022e-4e66-8291-23681f6a31cb-10\\" not found, requeuing"',
      'W0502 09:07:26.000001       7 warnings.go:70] v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
      'goroutine 1 [running]:',
      '2025-05-02T09:07:27.000000000Z an entrypoint line that starts with its own time',
    ]);
    expect(summary(events)).toEqual([
      ['logrus', 'explicit', '2025-05-02T09:07:25.000Z'],
      ['klog', 'inferred-year', '2025-05-02T09:07:26.000Z'],
      ['plain', 'inherited', '2025-05-02T09:07:26.000Z'],
      ['timestamped', 'explicit', '2025-05-02T09:07:27.000Z'],
    ]);
    expect(events[0].level).toBe('error');
  });

  it('a line parsed after skipped ones inherits the time of the nearest skipped line that has one', () => {
    const archive = member({ path: 'hvst-upgrade-x-upgradelog-archive/logs/a.log', criPrefixed: false });
    const parser = createLineParser(archive, { anchorMs: ANCHOR, zone: 'UTC' });
    parser.parse('time="2025-05-02T09:07:25Z" level=info msg="first"', 1);
    const skipped = ['goroutine 1 [running]:', 'time="2025-05-02T09:07:40Z" level=error msg="panic"', 'time="2025-05-02T09:07:30Z" level=info msg="older"'];
    const continuation = parser.parse('main.main()', 5, skipped);
    expect([continuation.timeSource, new Date(continuation.time!).toISOString()]).toEqual(['inherited', '2025-05-02T09:07:40.000Z']);
    // and it is the last known time from then on
    expect(new Date(parser.parse('\t/go/src/main.go:12', 6, []).time!).toISOString()).toBe('2025-05-02T09:07:40.000Z');
    // without a timed skipped line, the last line parsed gives the time
    expect(new Date(parser.parse('created by main', 8, ['no time here']).time!).toISOString()).toBe('2025-05-02T09:07:40.000Z');
  });

  it('reads a node journal: truncated first line, markers, continuation, inherited times (§8)', () => {
    const events = parseAll(kubeletJournal, [
      'ver-url[1234]: updated',
      'Jul 01 08:00:00.000001 n1 systemd[1]: Started Rancher Kubernetes Engine v2 (server).',
      'Jul 01 08:00:01.500000 n1 rke2[2536]: time="2025-07-01T08:00:01Z" level=warning msg="not running in CIS mode"',
      '        second line of a multi-line message',
      '-- Reboot --',
      '-- Boot 9f0e --',
      'Jul 02 09:00:00.250000 n1 rke2[77]: {"level":"error","ts":"2025-07-02T09:00:00.2Z","msg":"Auto sync endpoints failed."}',
      '-- No entries --',
    ]);
    expect(summary(events)).toEqual([
      ['plain', 'none', null],
      ['journald', 'inferred-year', '2025-07-01T08:00:00.000Z'],
      ['journald/logrus', 'inferred-year', '2025-07-01T08:00:01.500Z'],
      ['journald-continuation', 'inherited', '2025-07-01T08:00:01.500Z'],
      ['journal-marker', 'inherited', '2025-07-01T08:00:01.500Z'],
      ['journal-marker', 'inherited', '2025-07-01T08:00:01.500Z'],
      ['journald/json', 'inferred-year', '2025-07-02T09:00:00.250Z'],
      ['journal-marker', 'inherited', '2025-07-02T09:00:00.250Z'],
    ]);
    expect(events[2].level).toBe('warning');
    expect(events[4].fields).toEqual({ marker: 'reboot' });
    expect(events[5].fields).toEqual({ marker: 'boot', boot: '9f0e' });
    expect(events[6].level).toBe('error');
  });

  it('rolls a January bundle’s December journal lines back a year', () => {
    const events = parseAll(kubeletJournal, ['Dec 31 23:59:59.000000 n1 rke2[1]: a', 'Jan 01 00:00:01.000000 n1 rke2[1]: b'], {
      anchorMs: utc('2026-01-02T00:00:00Z'),
      zone: 'UTC',
    });
    expect(events.map((e) => e.time)).toEqual([utc('2025-12-31T23:59:59Z'), utc('2026-01-01T00:00:01Z')]);
  });

  it('applies the node zone to journal and klog times (--tz Europe/Berlin)', () => {
    const berlin: TimeContext = { anchorMs: ANCHOR, zone: 'Europe/Berlin' };
    const [journal] = parseAll(kubeletJournal, ['Jul 01 10:00:00.000000 n1 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...'], berlin);
    expect(journal.time).toBe(utc('2025-07-01T08:00:00Z'));
    const kubelet = member({ path: 'nodes/n1.zip!/n1/logs/kubelet.log', kind: 'node-log', component: 'kubelet', criPrefixed: false });
    const [klog] = parseAll(kubelet, ['I0115 10:00:00.000000    2031 kubelet.go:1] "SyncLoop DELETE"'], berlin);
    expect(klog.time).toBe(utc('2025-01-15T09:00:00Z'));
  });

  it('gives year-less lines no time without an anchor, and does not let later lines borrow one', () => {
    const events = parseAll(kubeletJournal, ['Jul 01 08:00:00.000000 n1 rke2[1]: a', '  continued'], { anchorMs: null, zone: 'UTC' });
    expect(summary(events)).toEqual([
      ['journald', 'none', null],
      ['journald-continuation', 'none', null],
    ]);
  });

  it('reads the kernel journal (E13) and keeps kernel text unparsed', () => {
    const kernel = member({ path: 'nodes/hv.zip!/hv/logs/kernel.log', kind: 'kernel-log', component: 'kernel', criPrefixed: false });
    const events = parseAll(
      kernel,
      [
        'Jun 23 10:10:34 hv kernel: CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=872',
        'Jun 23 10:10:34 hv kernel: memory: usage 50595840kB, limit 50595840kB, failcnt 15',
        'Jun 23 10:10:34 hv kernel: memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
        'Jun 23 10:10:34 hv kernel: kmem: usage 377108kB, limit 9007199254740988kB, failcnt 0',
      ],
      { anchorMs: utc('2022-06-24T00:00:00Z'), zone: 'UTC' },
    );
    expect(events.every((e) => e.format === 'journald' && e.time === utc('2022-06-23T10:10:34Z'))).toBe(true);
    expect(events[1].message).toBe('memory: usage 50595840kB, limit 50595840kB, failcnt 15');
  });

  it('reads node log files: kubelet klog with interleaved non-klog lines, containerd logrus', () => {
    const kubelet = member({ path: 'nodes/n1.zip!/n1/logs/kubelet.log', kind: 'node-log', component: 'kubelet', criPrefixed: false });
    const events = parseAll(kubelet, [
      'Flag --cloud-provider has been deprecated, will be removed in 1.25 or later',
      'I0701 08:00:00.000001    2031 server.go:1] "Started kubelet"',
      'panic: runtime error: invalid memory address',
    ]);
    expect(summary(events)).toEqual([
      ['plain', 'none', null],
      ['klog', 'inferred-year', '2025-07-01T08:00:00.000Z'],
      ['plain', 'inherited', '2025-07-01T08:00:00.000Z'],
    ]);
    const containerd = member({ path: 'nodes/n1.zip!/n1/logs/containerd.log', kind: 'node-log', component: 'containerd', criPrefixed: false });
    const [line] = parseAll(containerd, [
      'time="2022-01-01T01:48:46.816097099-05:00" level=error msg="cleanup working directory in namespace" error="..." namespace=k8s.io',
    ]);
    expect(line).toMatchObject({ format: 'logrus', time: utc('2022-01-01T06:48:46.816Z'), level: 'error' });
  });

  it('reads the instance-manager lines: unprefixed start, [component] prefix (§9)', () => {
    const im = member({ path: 'logs/longhorn-system/instance-manager-3fa8/instance-manager.log', component: 'instance-manager' });
    const events = parseAll(im, [
      '2023-05-09T08:46:03.000000001Z tgtd: work_timer_start(146) use timer_fd based scheduler',
      '2023-05-09T08:46:03.000000002Z time="2023-05-09T08:46:03Z" level=info msg="Storing process logs at path: /var/log/instances"',
      '2023-05-09T08:46:03.000000003Z [longhorn-instance-manager] time="2023-05-09T08:46:03Z" level=info msg="Creating gRPC server with no auth"',
      '2023-05-09T08:46:04.000000000Z [pvc-1-r-2] some replica output',
    ]);
    expect(events.map((e) => e.format)).toEqual(['cri/plain', 'cri/logrus', 'cri/logrus', 'cri/plain']);
    expect(events[2].fields).toEqual({ process: 'longhorn-instance-manager' });
    expect(events[2].message).toBe('Creating gRPC server with no auth');
    expect(events[3].message).toBe('[pvc-1-r-2] some replica output');
  });

  it('reads the Rancher pod log with its zone-less times, and drain output as plain (E34, E09, E48)', () => {
    const rancher = member({ path: 'logs/cattle-system/rancher-7d/rancher.log', component: 'rancher', criPrefixed: false });
    const events = parseAll(
      rancher,
      [
        '2022/03/08 16:13:16 [INFO] Stopping metadata watch on apiextensions.k8s.io/v1, Kind=CustomResourceDefinition',
        'evicting pod longhorn-system/instance-manager-r-59d4d10e',
        'error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
        'node/node2 cordoned',
      ],
      { anchorMs: ANCHOR, zone: 'Europe/Berlin' },
    );
    expect(summary(events)).toEqual([
      ['rancher', 'assumed-zone', '2022-03-08T15:13:16.000Z'],
      ['plain', 'inherited', '2022-03-08T15:13:16.000Z'],
      ['plain', 'inherited', '2022-03-08T15:13:16.000Z'],
      ['plain', 'inherited', '2022-03-08T15:13:16.000Z'],
    ]);
  });

  it('reads loose logs of unknown layout line by line: kubelet prefix, CRI file, journal, dmesg, application lines', () => {
    const loose = member({ path: 'notes/paste.log', kind: 'log', component: null, criPrefixed: false, namespace: null, pod: null, container: null });
    const events = parseAll(loose, [
      '[  407.202854] prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997',
      '2024-01-31T13:23:48.555760707Z stderr F {"component":"virt-handler","level":"info","msg":"x","timestamp":"2024-01-31T13:23:48.555655Z"}',
      'Jul 01 08:00:00.000000 n1 rke2[1]: time="2025-07-01T08:00:00Z" level=info msg="y"',
      '-- Reboot --',
      '[Sun Feb  9 00:15:09 2025] Call Trace:',
      'I0701 08:00:00.000001    2031 server.go:1] "Started kubelet"',
      'level=warn ts=2022-07-27T21:17:17.094Z caller=db.go:676 component=tsdb msg="A TSDB lockfile from a previous execution already existed. It was replaced" file=/prometheus/lock',
    ]);
    expect(summary(events)).toEqual([
      ['dmesg', 'none', null],
      ['cri/json', 'cri-prefix', '2024-01-31T13:23:48.555Z'],
      ['journald/logrus', 'inferred-year', '2025-07-01T08:00:00.000Z'],
      ['journal-marker', 'inherited', '2025-07-01T08:00:00.000Z'],
      ['dmesg', 'assumed-zone', '2025-02-09T00:15:09.000Z'],
      ['klog', 'inferred-year', '2025-07-01T08:00:00.000Z'],
      ['logfmt', 'explicit', '2022-07-27T21:17:17.094Z'],
    ]);
  });

  it('reads pasted, indented KubeVirt text lines as logfmt (E20)', () => {
    const events = parseAll(member({ criPrefixed: false }), [
      '          level=info timestamp=2018-09-21T09:13:31.763697Z pos=vm.go:324 component=virt-handler msg="Processing vmi testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9, existing: true\\n"',
      '          level=info timestamp=2018-09-21T09:13:31.763734Z pos=vm.go:326 component=virt-handler msg="vmi is in phase: Succeeded\\n"',
      '          level=info timestamp=2018-09-21T09:13:31.763751Z pos=vm.go:344 component=virt-handler msg="Domain: existing: true\\n"',
      '          level=info timestamp=2018-09-21T09:13:31.763846Z pos=vm.go:398 component=virt-handler namespace=kubevirt-test-default name=testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9 kind= uid=8ad7536e-bd7e-11e8-aef7-525500d15501 msg="Removing domain and ephemeral data for finalized vmi."',
    ]);
    expect(events.map((e) => e.format)).toEqual(['logfmt', 'logfmt', 'logfmt', 'logfmt']);
    expect(events[1].message).toBe('vmi is in phase: Succeeded\n');
    expect(events[3].time).toBe(utc('2018-09-21T09:13:31.763Z'));
  });

  it('reads apply-manifests output as plain lines under the prefix time (E37, E52, E53, E23, E25, E55)', () => {
    const apply = member({ path: 'logs/harvester-system/hvst-upgrade-bcq9d-apply-manifests-5chxg/apply.log', component: 'apply-manifests' });
    const lines = [
      'Wait for Rancher to be upgraded...',
      'wait helm release cattle-fleet-system fleet fleet-104.0.2+up0.10.2 0.10.2 deployed',
      'deployment "fleet-controller" successfully rolled out',
      'CAPI cluster fleet-local/local is provisioned (current generation: 70).',
      'harvester: v1.4.2',
      "minUpgradableVersion: 'v1.4.1'",
      '  fleet:',
      'Downloading the file from "http://upgrade-repo-hvst-upgrade-bcq9d.harvester-system/harvester-iso/harvester-release.yaml" to "/tmp/tmp.pFPd2eQeHh.yaml"...',
      'managedchart.management.cattle.io/harvester patched',
      'instance-manager-r pod count is not 1 on node harvester001, will retry...',
      'instance-manager (aio) (image=longhornio/longhorn-instance-manager:v1.6.2) count is not 1 on node servername0000, will retry...',
      'Waiting for plan hvst-upgrade-fm29b-skip-restart-rancher-system-agent to complete...',
      'Current version is supported.',
    ];
    const events = parseAll(apply, lines.map((line, i) => `2025-06-03T14:23:${String(10 + i)}.000000000Z ${line}`));
    expect(events.every((e) => e.format === 'cri/plain' && e.timeSource === 'cri-prefix')).toBe(true);
    expect(events.map((e) => e.message)).toEqual(lines);
  });

  it('reads non-log members as plain text without times', () => {
    const table = member({ path: 'nodes/n1.zip!/n1/logs/containerd-images.log', kind: 'node-table', criPrefixed: false });
    const events = parseAll(table, ['REF TYPE DIGEST SIZE PLATFORMS LABELS', 'time="2024-02-22T16:09:12Z" level=info msg="not a log here"']);
    expect(summary(events)).toEqual([
      ['plain', 'none', null],
      ['plain', 'none', null],
    ]);
  });

  it('drops a trailing carriage return for parsing but keeps it in raw', () => {
    const [event] = parseAll(member({ criPrefixed: false }), ['{"level":"info","msg":"crlf","ts":"2024-01-04T16:02:01Z"}\r']);
    expect(event).toMatchObject({ format: 'json', message: 'crlf', raw: '{"level":"info","msg":"crlf","ts":"2024-01-04T16:02:01Z"}\r' });
  });

  it('keeps one state per parser', () => {
    const a = createLineParser(member({ criPrefixed: false }), UTC_CONTEXT);
    const b = createLineParser(member({ criPrefixed: false }), UTC_CONTEXT);
    a.parse('time="2024-02-22T16:09:12Z" level=info msg="x"', 1);
    expect(b.parse('plain', 1).timeSource).toBe('none');
    expect(a.parse('plain', 2).time).toBe(utc('2024-02-22T16:09:12Z'));
  });

  it('refuses an unknown zone when created', () => {
    expect(() => createLineParser(member({}), { anchorMs: null, zone: 'Nowhere/Else' })).toThrow(RangeError);
  });
});

describe('parse never throws', () => {
  const seeds = [
    '2024-01-31T13:23:48.555760707Z stderr F {"component":"virt-handler","level":"info","msg":"x","timestamp":"2024-01-31T13:23:48.555655Z"}',
    'Jul 01 08:00:00.000000 n1 rke2[1]: time="2025-07-01T08:00:00Z" level=info msg="y\\"z" k=v',
    'I0701 08:00:00.000001    2031 server.go:1] "Started kubelet" a="b\\u00e9" c=d',
    '[Sun Feb  9 00:15:09 2025] Call Trace:',
    '[  407.202854] x',
    '2022/03/08 16:13:16 [INFO] y',
    'level=warn ts=2022-07-27T21:17:17.094Z msg="a\\x41"',
    '-- Boot 9f0e --',
    '[longhorn-instance-manager] time="2023-05-09T08:46:03Z" level=info msg="Creating"',
    '++ kubectl get',
  ];
  const alphabet = ' \t"\\=[]{}:.-+/0123456789TZIWEFabcdefghijklmnopqrstuvwxyzJanFebDec\u00e9\ud83d\ude00\ud800\u0000';

  function mutate(next: () => number): string {
    const roll = next();
    if (roll < 0.3) {
      const length = Math.floor(next() * 80);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      return text;
    }
    const seed = seeds[Math.floor(next() * seeds.length)];
    if (roll < 0.6) return seed.slice(0, Math.floor(next() * (seed.length + 1)));
    const chars = [...seed];
    for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits--) {
      chars[Math.floor(next() * chars.length)] = alphabet[Math.floor(next() * alphabet.length)];
    }
    return chars.join('');
  }

  const kinds: MemberInfo[] = [
    member({}),
    member({ criPrefixed: false }),
    member({ kind: 'node-journal', criPrefixed: false }),
    member({ kind: 'kernel-log', criPrefixed: false }),
    member({ kind: 'node-log', criPrefixed: false }),
    member({ kind: 'log', criPrefixed: false }),
  ];

  it('turns 6000 random and mutated lines into well-formed events', () => {
    const next = seededRandom(20250703);
    for (const [k, info] of kinds.entries()) {
      const parser = createLineParser(info, k % 2 === 0 ? UTC_CONTEXT : { anchorMs: null, zone: 'Europe/Berlin' });
      for (let i = 1; i <= 1000; i++) {
        const line = mutate(next);
        const event = parser.parse(line, i);
        expect(event.time === null || Number.isFinite(event.time)).toBe(true);
        expect(event.time === null).toBe(event.timeSource === 'none');
        expect(typeof event.message).toBe('string');
        expect(typeof event.format).toBe('string');
        expect(event.raw).toBe(line);
        expect(event.line).toBe(i);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { criPrefixEnd, parseCriLine } from '../../src/formats/cri-prefix.js';
import { parseDmesg } from '../../src/formats/dmesg.js';
import { parseRancher } from '../../src/formats/rancher.js';
import { parseXtrace } from '../../src/formats/xtrace.js';
import { clock, utc } from './helpers.js';

describe('parseDmesg', () => {
  it('reads seconds-since-boot lines without a wall time (E11)', () => {
    expect(parseDmesg('[  407.202854] prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997', clock())).toEqual({
      time: null,
      timeSource: 'inherited',
      level: null,
      message: 'prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997',
      format: 'dmesg',
      fields: { uptime: '407.202854' },
    });
    expect(parseDmesg('[  407.202879]  mem_cgroup_out_of_memory+0xb5/0xd0', clock())!.message).toBe(' mem_cgroup_out_of_memory+0xb5/0xd0');
  });

  it('reads dmesg -T wall times in the context zone (E14)', () => {
    const line =
      '[Sun Feb  9 00:15:09 2025] harvester-netwo invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=999';
    expect(parseDmesg(line, clock())).toMatchObject({
      time: utc('2025-02-09T00:15:09Z'),
      timeSource: 'assumed-zone',
      message: 'harvester-netwo invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=999',
    });
    expect(parseDmesg('[Sun Feb  9 00:15:09 2025]  <TASK>', clock(null, 'Europe/Berlin'))!.time).toBe(utc('2025-02-08T23:15:09Z'));
  });

  it.each(['[longhorn-instance-manager] time="2023-05-09T08:46:03Z"', '[1.2.3] x', '[.5] x', '[12] x', '[ ] x', 'no bracket', '[unclosed'])(
    'stays silent on %j',
    (line) => {
      expect(parseDmesg(line, clock())).toBeNull();
    },
  );
});

describe('parseRancher', () => {
  it('reads levels and assumes the context zone (E34, E35, §9)', () => {
    expect(
      parseRancher(
        "2024/10/02 09:26:41 [ERROR] error syncing 'local/default-token': handler cluster-registration-token: ... requeuing",
        clock(),
      ),
    ).toEqual({
      time: utc('2024-10-02T09:26:41Z'),
      timeSource: 'assumed-zone',
      level: 'error',
      message: "error syncing 'local/default-token': handler cluster-registration-token: ... requeuing",
      format: 'rancher',
      fields: null,
    });
    const planner = parseRancher(
      '2022/03/08 16:13:17 [INFO] [planner] rkecluster fleet-local/local: waiting: provisioning bootstrap node(s) custom-9441cf1c7106: waiting for probes: kube-controller-manager',
      clock(),
    )!;
    expect(planner.level).toBe('info');
    expect(planner.message.startsWith('[planner] rkecluster fleet-local/local: waiting:')).toBe(true);
    expect(parseRancher('2022/02/21 15:31:16 [WARN] x', clock(null, 'Europe/Berlin'))).toMatchObject({
      level: 'warning',
      time: utc('2022-02-21T14:31:16Z'),
    });
    expect(parseRancher('2022/03/08 16:13:16 [INFO] Stopping metadata watch on rbac.authorization.k8s.io/v1, Kind=Role', clock())!.message).toBe(
      'Stopping metadata watch on rbac.authorization.k8s.io/v1, Kind=Role',
    );
  });

  it('keeps a non-level bracket in the message', () => {
    expect(parseRancher('2024/10/02 09:26:41 [planner] x', clock())).toMatchObject({ level: null, message: '[planner] x' });
    expect(parseRancher('2024/10/02 09:26:41 http: TLS handshake error', clock())).toMatchObject({ level: null, message: 'http: TLS handshake error' });
  });

  it.each(['2024/10/02', '2024-10-02 09:26:41 [INFO] x', '2024/13/02 09:26:41 [INFO] x', '2024/10/02 09:26:41x'])('stays silent on %j', (line) => {
    expect(parseRancher(line, clock())).toBeNull();
  });
});

describe('parseXtrace', () => {
  it('reads xtrace lines of the pre-drain job (E04)', () => {
    expect(parseXtrace("+ echo 'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...'")).toEqual({
      time: null,
      timeSource: 'inherited',
      level: null,
      message: "echo 'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...'",
      format: 'xtrace',
      fields: null,
    });
    expect(
      parseXtrace(
        "++ kubectl get volumes.longhorn.io/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f -n longhorn-system -o 'jsonpath={.status.robustness}'",
      )!.message,
    ).toBe("kubectl get volumes.longhorn.io/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f -n longhorn-system -o 'jsonpath={.status.robustness}'");
    expect(parseXtrace("+ '[' 5 -gt 2 ']'")!.message).toBe("'[' 5 -gt 2 ']'");
  });

  it.each(['Waiting for volume pvc-2d047b5c to be healthy...', '+1 more', '+', 'x + y'])('stays silent on %j', (line) => {
    expect(parseXtrace(line)).toBeNull();
  });
});

describe('kubelet log-API prefix', () => {
  it('finds fixed-width RFC3339Nano prefixes with Z or an offset', () => {
    expect(criPrefixEnd('2026-05-26T14:45:19.742431225Z             operator: DoesNotExist')).toBe(30);
    expect(criPrefixEnd('2026-05-26T14:45:19.742431225+02:00 x')).toBe(35);
    expect(criPrefixEnd('2026-05-26T14:45:19.742Z x')).toBe(-1);
    expect(criPrefixEnd('2026-05-26T14:45:19Z x')).toBe(-1);
    expect(criPrefixEnd('time="2026-05-26T14:45:19Z"')).toBe(-1);
  });

  it('lets the prefix time win and parses the rest as the inner line (§7, E40)', () => {
    expect(parseCriLine('2026-05-26T14:45:19.742432669Z   timeoutSeconds: 602', clock())).toEqual({
      time: utc('2026-05-26T14:45:19.742Z'),
      timeSource: 'cri-prefix',
      level: null,
      message: '  timeoutSeconds: 602',
      format: 'cri/plain',
      fields: null,
    });
    const klog = parseCriLine(
      '2022-03-21T08:57:05.533058193Z E0321 08:57:05.532889       1 engine_controller.go:706] failed to update status for engine pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53: cannot get volume info: Timeout executing: /var/lib/longhorn/engine-binaries/longhornio-longhorn-engine-v1.2.4-rc1/longhorn [--url 10.52.0.112:10000 info], output , stderr, , error <nil>',
      clock(null),
    )!;
    expect(klog).toMatchObject({ time: utc('2022-03-21T08:57:05.533Z'), timeSource: 'cri-prefix', level: 'error', format: 'cri/klog' });
    expect(klog.fields).toEqual({ source: 'engine_controller.go:706' });
  });

  it('reads the instance-manager process prefix after the kubelet prefix (E40)', () => {
    const engine = parseCriLine(
      '2022-03-21T08:36:56.202661406Z [pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53] time="2022-03-21T08:36:56Z" level=info msg="Adding backend: tcp://10.52.1.22:10000"',
      clock(),
    );
    expect(engine).toEqual({
      time: utc('2022-03-21T08:36:56.202Z'),
      timeSource: 'cri-prefix',
      level: 'info',
      message: 'Adding backend: tcp://10.52.1.22:10000',
      format: 'cri/logrus',
      fields: { process: 'pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53' },
    });
  });

  it('strips the stream tag of on-node CRI files (E21)', () => {
    const parsed = parseCriLine(
      '2024-01-31T13:23:48.555760707Z stderr F {"component":"virt-handler","level":"info","msg":"re-enqueuing VirtualMachineInstance default/rke2-guest-01-pool1-b4649f31-9g2nx","pos":"vm.go:1588","reason":"syncing migration target failed: unknown error encountered sending command SyncMigrationTarget: rpc error: code = Unavailable desc = error reading from server: EOF","timestamp":"2024-01-31T13:23:48.555655Z"}',
      clock(),
    )!;
    expect(parsed).toMatchObject({
      time: utc('2024-01-31T13:23:48.555Z'),
      format: 'cri/json',
      message: 're-enqueuing VirtualMachineInstance default/rke2-guest-01-pool1-b4649f31-9g2nx',
    });
    expect(parseCriLine('2024-01-31T13:23:48.555760707Z stdout F', clock())!.message).toBe('');
    expect(parseCriLine('2024-01-31T13:23:48.555760707Z stdout Fx', clock())!.message).toBe('stdout Fx');
  });

  it('reads an offset prefix', () => {
    expect(parseCriLine('2022-01-01T01:48:46.816097099-05:00 hello', clock())).toMatchObject({
      time: utc('2022-01-01T06:48:46.816Z'),
      message: 'hello',
      format: 'cri/plain',
    });
  });

  it('stays silent without a valid prefix', () => {
    expect(parseCriLine('2026-13-26T14:45:19.742431225Z x', clock())).toBeNull();
    expect(parseCriLine('plain text', clock())).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../../src/formats/json-line.js';
import { utc } from './helpers.js';

describe('parseJsonLine', () => {
  it('reads KubeVirt virt-launcher lines (§9, E17)', () => {
    expect(
      parseJsonLine(
        '{"component":"virt-launcher","kind":"","level":"info","msg":"Executing PreStartHook on VMI pod environment","name":"upgrade-repo-hvst-upgrade-bcq9d","namespace":"harvester-system","pos":"manager.go:722","timestamp":"2025-06-03T14:23:58.155036Z","uid":"1b547ce3-4e02-4b7b-96a1-8eda97381e82"}',
      ),
    ).toEqual({
      time: utc('2025-06-03T14:23:58.155Z'),
      timeSource: 'explicit',
      level: 'info',
      message: 'Executing PreStartHook on VMI pod environment',
      format: 'json',
      fields: {
        component: 'virt-launcher',
        kind: '',
        name: 'upgrade-repo-hvst-upgrade-bcq9d',
        namespace: 'harvester-system',
        pos: 'manager.go:722',
        uid: '1b547ce3-4e02-4b7b-96a1-8eda97381e82',
      },
    });
    const e17 = [
      '{"component":"virt-launcher","kind":"","level":"info","msg":"Signaled vmi shutdown","name":"testvmi-txhzt","namespace":"kubevirt-test-default1","pos":"server.go:345","timestamp":"2024-09-20T09:23:38.178829Z","uid":"07fd2702-8124-41f2-b393-b8f12a1c61fd"}',
      '{"component":"virt-launcher","level":"info","msg":"kubevirt domain status: Running(1):Unknown(1)","pos":"client.go:297","timestamp":"2024-09-20T09:23:38.189236Z"}',
      '{"component":"virt-launcher","level":"info","msg":"Received signal terminated","pos":"virt-launcher.go:473","timestamp":"2024-09-20T09:23:38.189222Z"}',
      '{"component":"virt-launcher","kind":"VirtualMachineInstance","level":"info","msg":"Signaled graceful shutdown","name":"testvmi-txhzt","namespace":"kubevirt-test-default1","pos":"virt-launcher.go:443","timestamp":"2024-09-20T09:23:38.189319Z","uid":"07fd2702-8124-41f2-b393-b8f12a1c61fd"}',
    ].map((line) => parseJsonLine(line)!);
    expect(e17.map((p) => p.message)).toEqual([
      'Signaled vmi shutdown',
      'kubevirt domain status: Running(1):Unknown(1)',
      'Received signal terminated',
      'Signaled graceful shutdown',
    ]);
    expect(e17.map((p) => p.time)).toEqual([
      utc('2024-09-20T09:23:38.178Z'),
      utc('2024-09-20T09:23:38.189Z'),
      utc('2024-09-20T09:23:38.189Z'),
      utc('2024-09-20T09:23:38.189Z'),
    ]);
  });

  it('reads libvirt relays and virt-handler lines with reasons (§9, E21, E38)', () => {
    const libvirt = parseJsonLine(
      '{"component":"virt-launcher","level":"warning","msg":"Domain id=1 name=\'harvester-public_test\' ... is tainted: custom-ga-command","pos":"qemuDomainObjTaintMsg:6382","subcomponent":"libvirt","thread":"28","timestamp":"2022-11-26T02:11:51.210000Z"}',
    )!;
    expect(libvirt.level).toBe('warning');
    expect(libvirt.fields?.subcomponent).toBe('libvirt');
    const handler = parseJsonLine(
      '{"component":"virt-handler","level":"info","msg":"re-enqueuing VirtualMachineInstance default/rke2-guest-01-pool1-b4649f31-9g2nx","pos":"vm.go:1588","reason":"syncing migration target failed: unknown error encountered sending command SyncMigrationTarget: rpc error: code = Unavailable desc = error reading from server: EOF","timestamp":"2024-01-31T13:23:48.555655Z"}',
    )!;
    expect(handler.fields?.reason).toContain('SyncMigrationTarget');
    const paused = parseJsonLine(
      '{"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","name":"...","namespace":"...","pos":"vm.go:3396","timestamp":"2025-12-12T10:57:28.031354Z"}',
    )!;
    expect(paused.message).toBe('Domain is in state Paused reason IOError');
    expect(paused.time).toBe(utc('2025-12-12T10:57:28.031Z'));
  });

  it('reads zap/etcd lines with a string or an epoch-float ts (§9)', () => {
    const etcd = parseJsonLine(
      '{"level":"info","ts":"2024-01-04T16:02:01.020889Z","logger":"etcd-client","caller":"v3@v3.5.9-k3s1/client.go:210","msg":"Auto sync endpoints failed.","error":"context deadline exceeded"}',
    )!;
    expect(etcd).toMatchObject({ time: utc('2024-01-04T16:02:01.020Z'), level: 'info', message: 'Auto sync endpoints failed.' });
    expect(etcd.fields).toEqual({ logger: 'etcd-client', caller: 'v3@v3.5.9-k3s1/client.go:210', error: 'context deadline exceeded' });
    const epoch = parseJsonLine('{"level":"warn","ts":1704384121.020889,"msg":"slow fdatasync","took":1.2,"expected-duration":"1s"}')!;
    expect(epoch).toMatchObject({ time: utc('2024-01-04T16:02:01.020Z'), level: 'warning' });
    expect(epoch.fields).toEqual({ took: '1.2', 'expected-duration': '1s' });
  });

  it('turns nested values into JSON text and inherits a missing time', () => {
    const parsed = parseJsonLine('{"msg":"x","labels":{"a":"b"},"n":null,"ok":true}  ')!;
    expect(parsed.fields).toEqual({ labels: '{"a":"b"}', n: 'null', ok: 'true' });
    expect(parsed.timeSource).toBe('inherited');
    expect(parsed.level).toBeNull();
  });

  it.each(['{"component":"virt-launcher","msg":"cut', '{}x', '[1,2]', '{not json}', 'text {"a":1}'])('stays silent on %j', (line) => {
    expect(parseJsonLine(line)).toBeNull();
  });
});

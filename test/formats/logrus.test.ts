import { describe, expect, it } from 'vitest';
import { parseLogrus } from '../../src/formats/logrus.js';
import { utc } from './helpers.js';

describe('parseLogrus', () => {
  it('reads the Harvester controller lines of E01', () => {
    const lines = [
      'time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingSystemServices]"',
      'time="2024-02-22T16:09:12Z" level=info msg="Start upgrading Kubernetes runtime to v1.25.9+rke2r1"',
      'time="2024-02-22T16:09:12Z" level=info msg="handle upgrade harvester-system/hvst-upgrade-z2m89 with labels map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:UpgradingNodes]"',
    ];
    const parsed = lines.map((line) => parseLogrus(line)!);
    expect(parsed.map((p) => p.time)).toEqual(lines.map(() => utc('2024-02-22T16:09:12Z')));
    expect(parsed.every((p) => p.level === 'info' && p.format === 'logrus' && p.timeSource === 'explicit')).toBe(true);
    expect(parsed[1].message).toBe('Start upgrading Kubernetes runtime to v1.25.9+rke2r1');
    expect(parsed[2].message).toContain('harvesterhci.io/upgradeState:UpgradingNodes]');
    expect(parsed[0].fields).toBeNull();
  });

  it('reads a debug line (E02) and escaped quotes with an error level (§9, E45)', () => {
    expect(parseLogrus('time="2022-10-24T08:31:41Z" level=debug msg="Create post-drain job on n3-103upd"')).toMatchObject({
      level: 'debug',
      message: 'Create post-drain job on n3-103upd',
    });
    const harvester = parseLogrus(
      'time="2022-05-08T09:28:54Z" level=error msg="error syncing \'harvester-system/harvester\': handler harvester-setting-controller: managedcharts.management.cattle.io \\"harvester\\" not found, requeuing"',
    )!;
    expect(harvester.level).toBe('error');
    expect(harvester.message).toBe(
      'error syncing \'harvester-system/harvester\': handler harvester-setting-controller: managedcharts.management.cattle.io "harvester" not found, requeuing',
    );
    const archive = parseLogrus(
      'time="2025-05-02T09:07:25Z" level=error msg="error syncing \'default/VM_NAME\': handler VMController.SetDefaultManagementNetworkMacAddress: error fetch controller revision object for vmi VM_NAME-default: controllerrevisions.apps \\"revision-start-vm-ff80516b-022e-4e66-8291-23681f6a31cb-10\\" not found, requeuing"',
    )!;
    expect(archive.time).toBe(utc('2025-05-02T09:07:25Z'));
    expect(archive.message).toContain('controllerrevisions.apps "revision-start-vm-ff80516b-022e-4e66-8291-23681f6a31cb-10" not found');
  });

  it('keeps longhorn-manager caller and sorted fields (E06, E07, §9)', () => {
    const e06 = parseLogrus(
      'time="2025-01-14T00:00:01Z" level=info msg="Node instance-manager-d80e13f520e7b952f4b7593fc1883e2a is marked unschedulable but removing harvester-node-1 PDB is blocked: some volumes are still attached InstanceEngines count 1 pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e-e-0" func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:823" controller=longhorn-instance-manager node=harvester-node-1',
    )!;
    expect(e06.time).toBe(utc('2025-01-14T00:00:01Z'));
    expect(e06.fields).toEqual({
      func: 'controller.(*InstanceManagerController).syncInstanceManagerPDB',
      file: 'instance_manager_controller.go:823',
      controller: 'longhorn-instance-manager',
      node: 'harvester-node-1',
    });
    const e07 = parseLogrus(
      'time="2024-08-05T18:48:14Z" level=info msg="Node instance-manager-68cd2514dd3f6d59b95cbd865d5b08f7 is marked unschedulable but removing harv2 PDB is blocked: some volumes are still attached " func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:730" controller=longhorn-instance-manager node=harv2',
    )!;
    expect(e07.message.endsWith('still attached ')).toBe(true);
    const volume = parseLogrus(
      'time="2024-12-06T04:08:31Z" level=error msg="Failed to check if replica testvol-r-1ad683c6 transitioned to mode RW after it was last healthy" func="controller.(*VolumeController).ReconcileEngineReplicaState" file="volume_controller.go:752" accessMode=rwo controller=longhorn-volume ... volume=testvol',
    )!;
    expect(volume.fields).toMatchObject({ accessMode: 'rwo', '...': '', volume: 'testvol' });
  });

  it('reads containerd lines with nanoseconds and a -05:00 offset (§9)', () => {
    const signal = parseLogrus(
      'time="2023-03-25T22:41:01.077081049Z" level=info msg="starting signal loop" namespace=k8s.io path=/run/k3s/containerd/... pid=1415 runtime=io.containerd.runc.v2',
    )!;
    expect(signal.time).toBe(utc('2023-03-25T22:41:01.077Z'));
    expect(signal.fields).toEqual({ namespace: 'k8s.io', path: '/run/k3s/containerd/...', pid: '1415', runtime: 'io.containerd.runc.v2' });
    const offset = parseLogrus(
      'time="2022-01-01T01:48:46.816097099-05:00" level=error msg="cleanup working directory in namespace" error="..." namespace=k8s.io',
    )!;
    expect(offset.time).toBe(utc('2022-01-01T06:48:46.816Z'));
    expect(offset.level).toBe('error');
    expect(offset.fields).toEqual({ error: '...', namespace: 'k8s.io' });
  });

  it('reads the instance-manager and engine lines after their prefixes (E40, §9)', () => {
    expect(parseLogrus('time="2023-05-09T08:46:03Z" level=info msg="Storing process logs at path: /var/log/instances"')!.message).toBe(
      'Storing process logs at path: /var/log/instances',
    );
    expect(parseLogrus('time="2022-03-21T08:36:56Z" level=info msg="Starting with replicas [\\"tcp://10.52.1.22:10000\\" \\"tcp://10.52.2.23:10000\\"]"')!.message).toBe(
      'Starting with replicas ["tcp://10.52.1.22:10000" "tcp://10.52.2.23:10000"]',
    );
  });

  it('inherits the time when it cannot be read, and keeps an unterminated message', () => {
    const bad = parseLogrus('time="yesterday" level=warning msg="x"')!;
    expect(bad.time).toBeNull();
    expect(bad.timeSource).toBe('inherited');
    expect(bad.level).toBe('warning');
    expect(parseLogrus('time="2024-02-22T16:09:12Z" level=info msg="cut at the line limit')!.message).toBe('cut at the line limit');
  });

  it.each(['timeout after 5s', 'time is up', 'level=info msg=x', '{"time":"2024-02-22T16:09:12Z"}'])('stays silent on %j', (line) => {
    expect(parseLogrus(line)).toBeNull();
  });
});

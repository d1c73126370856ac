import { describe, expect, it } from 'vitest';
import { parseKlog } from '../../src/formats/klog.js';
import { clock, utc } from './helpers.js';

// Year anchor: bundle of 2024-11-30 for the kubelet lines of 2024 (real-log-samples.md E39, bundle-layout.md §9).
const c = clock(utc('2024-11-30T00:00:00Z'));

describe('parseKlog', () => {
  it('reads a structured kubelet line: quoted message, key="value" fields, source (§9)', () => {
    const line =
      'I1022 15:16:47.802112    2031 pod_startup_latency_tracker.go:102] "Observed pod startup duration" pod="cattle-fleet-local-system/fleet-agent-76b76c66f4-xvtmb" podStartSLOduration=3.802072222';
    expect(parseKlog(line, c)).toEqual({
      time: utc('2024-10-22T15:16:47.802Z'),
      timeSource: 'inferred-year',
      level: 'info',
      message: 'Observed pod startup duration',
      format: 'klog',
      fields: {
        source: 'pod_startup_latency_tracker.go:102',
        pod: 'cattle-fleet-local-system/fleet-agent-76b76c66f4-xvtmb',
        podStartSLOduration: '3.802072222',
      },
    });
  });

  it('unescapes Go quotes in structured values (§9 error line)', () => {
    const line =
      'E1022 15:16:50.808710    2031 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"fleet-agent\\" with CrashLoopBackOff: ..."';
    const parsed = parseKlog(line, c)!;
    expect(parsed.level).toBe('error');
    expect(parsed.message).toBe('Error syncing pod, skipping');
    expect(parsed.fields?.err).toBe('failed to "StartContainer" for "fleet-agent" with CrashLoopBackOff: ...');
  });

  it('reads the E39 kubelet attach lines with escaped quotes inside the message', () => {
    const line =
      'I1128 21:37:40.508713    2190 reconciler.go:342] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\" (UniqueName: \\"kubernetes.io/csi/driver.longhorn.io^pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\") pod \\"virt-launcher-r2-123-p-37957381-nnc8w-26tw9\\" (UID: \\"c4e82bf2-674f-4221-8dd2-66ce87c34f3a\\") " pod="harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9"';
    const parsed = parseKlog(line, c)!;
    expect(parsed.time).toBe(utc('2024-11-28T21:37:40.508Z'));
    expect(parsed.message).toBe(
      'operationExecutor.VerifyControllerAttachedVolume started for volume "pvc-e40f0e33-2396-4421-a1e5-083a43078dec" (UniqueName: "kubernetes.io/csi/driver.longhorn.io^pvc-e40f0e33-2396-4421-a1e5-083a43078dec") pod "virt-launcher-r2-123-p-37957381-nnc8w-26tw9" (UID: "c4e82bf2-674f-4221-8dd2-66ce87c34f3a") ',
    );
    expect(parsed.fields).toEqual({ source: 'reconciler.go:342', pod: 'harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9' });

    const attach =
      'I1128 21:37:40.570647    2190 operation_generator.go:1555] "Controller attach succeeded for volume \\"pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\" (UniqueName: \\"kubernetes.io/csi/driver.longhorn.io^pvc-e40f0e33-2396-4421-a1e5-083a43078dec\\") pod \\"virt-launcher-r2-123-p-37957381-nnc8w-26tw9\\" (UID: \\"c4e82bf2-674f-4221-8dd2-66ce87c34f3a\\") device path: \\"\\"" pod="harvester-public/virt-launcher-r2-123-p-37957381-nnc8w-26tw9"';
    expect(parseKlog(attach, c)!.message).toMatch(/^Controller attach succeeded .* device path: ""$/);
  });

  it('keeps unstructured messages whole (E01 warning, longhorn-manager error, virt-handler client config)', () => {
    const e01 = parseKlog(
      'W0222 16:13:00.367672       7 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+',
      clock(utc('2024-02-23T00:00:00Z')),
    )!;
    expect(e01).toMatchObject({
      time: utc('2024-02-22T16:13:00.367Z'),
      level: 'warning',
      message: 'policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+',
      fields: { source: 'warnings.go:70' },
    });
    const longhorn = parseKlog(
      'E0427 04:07:26.116782       1 instance_manager_controller.go:268] failed to sync instance manager for longhorn-system/instance-manager-3fa8...: ...',
      c,
    )!;
    expect(longhorn.level).toBe('error');
    expect(longhorn.message).toBe('failed to sync instance manager for longhorn-system/instance-manager-3fa8...: ...');
    const virt = parseKlog(
      'W0920 14:09:17.980725   30281 client_config.go:659] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.',
      c,
    )!;
    expect(virt.fields).toEqual({ source: 'client_config.go:659' });
    expect(virt.message).toBe('Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.');
  });

  it('reads a single-space thread id (E30, klog inside the rancher-system-agent journal)', () => {
    const parsed = parseKlog(
      'W0928 08:11:36.340641 8114 reflector.go:443] pkg/mod/github.com/rancher/client-go@v1.24.0-rancher1/tools/cache/reflector.go:168: watch of *v1.Secret ended with: an error',
      c,
    )!;
    expect(parsed.fields).toEqual({ source: 'reflector.go:443' });
    expect(parsed.message.startsWith('pkg/mod/github.com/rancher/client-go')).toBe(true);
  });

  it('maps F to fatal', () => {
    expect(parseKlog('F0101 00:00:00.000000       1 main.go:1] boom', c)!.level).toBe('fatal');
  });

  it('has no time without an anchor (year-less)', () => {
    const parsed = parseKlog('I1022 15:16:47.802112    2031 x.go:1] hi', clock(null))!;
    expect(parsed.time).toBeNull();
    expect(parsed.timeSource).toBe('none');
  });

  it.each([
    'Info: something',
    'I1022 15:16:47',
    'I1322 15:16:47.802112    2031 x.go:1] month 13',
    'Error syncing pod',
    'E: 12',
  ])('stays silent on %j', (line) => {
    expect(parseKlog(line, c)).toBeNull();
  });
});

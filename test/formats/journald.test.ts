import { describe, expect, it } from 'vitest';
import { parseJournald, parseJournalLine, parseJournalMarker } from '../../src/formats/journald.js';
import { clock, utc } from './helpers.js';

describe('parseJournald', () => {
  it('reads short-precise lines with host, ident and pid', () => {
    const c = clock(utc('2025-03-04T00:00:00Z'));
    expect(parseJournald('Mar 03 19:33:30.123456 bat05 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...', c)).toEqual({
      time: utc('2025-03-03T19:33:30.123Z'),
      timeSource: 'inferred-year',
      level: null,
      message: 'Stopping Rancher Kubernetes Engine v2 (server)...',
      format: 'journald',
      fields: { host: 'bat05', ident: 'systemd', pid: '1' },
    });
  });

  it('parses logrus inside the journal but keeps the journal time (E27, E30)', () => {
    const c = clock(utc('2025-03-04T00:00:00Z'));
    const rke2 = parseJournald(
      'Mar 03 19:33:30 bat05 rke2[1284524]: time="2025-03-03T19:33:30Z" level=info msg="Shutting down /v1, Kind=Node workers"',
      c,
    );
    expect(rke2).toEqual({
      time: utc('2025-03-03T19:33:30Z'),
      timeSource: 'inferred-year',
      level: 'info',
      message: 'Shutting down /v1, Kind=Node workers',
      format: 'journald/logrus',
      fields: { host: 'bat05', ident: 'rke2', pid: '1284524' },
    });
    const agent = parseJournald(
      'Sep 28 10:05:34 node2 rke2[28576]: time="2022-09-28T10:05:34Z" level=info msg="Waiting to retrieve agent configuration; server is not ready: https://127.0.0.1:6444/v1-rke2/serving-kubelet.crt: 503 Service Unavailable"',
      clock(utc('2022-10-01T00:00:00Z')),
    )!;
    expect(agent.time).toBe(utc('2022-09-28T10:05:34Z'));
    expect(agent.message).toContain('503 Service Unavailable');
  });

  it('keeps the journal time over a differing inner time and zone (node in Europe/Berlin)', () => {
    const berlin = clock(utc('2022-03-01T00:00:00Z'), 'Europe/Berlin');
    const parsed = parseJournald('Feb 09 14:28:55.000001 srv-harvester-01 rke2[4242]: time="2022-02-09T13:28:55Z" level=warning msg="not running in CIS mode"', berlin)!;
    expect(parsed.time).toBe(utc('2022-02-09T13:28:55Z'));
    expect(parsed.level).toBe('warning');
    expect(parsed.format).toBe('journald/logrus');
  });

  it('parses the etcd-client JSON and klog lines inside the journal (§9, E30)', () => {
    const json = parseJournald(
      'Jan 04 16:02:01 abc rke2[2536]: {"level":"info","ts":"2024-01-04T16:02:01.020889Z","logger":"etcd-client","caller":"v3@v3.5.9-k3s1/client.go:210","msg":"Auto sync endpoints failed.","error":"context deadline exceeded"}',
      clock(utc('2024-02-01T00:00:00Z')),
    )!;
    expect(json.format).toBe('journald/json');
    expect(json.time).toBe(utc('2024-01-04T16:02:01Z'));
    expect(json.message).toBe('Auto sync endpoints failed.');
    expect(json.fields).toMatchObject({ host: 'abc', ident: 'rke2', pid: '2536', logger: 'etcd-client' });
    const klog = parseJournald(
      'Sep 28 08:11:36 node2 rancher-system-agent[8114]: W0928 08:11:36.340641 8114 reflector.go:443] pkg/mod/github.com/rancher/client-go@v1.24.0-rancher1/tools/cache/reflector.go:168: watch of *v1.Secret ended with: an error on the server ("unable to decode an event from the watch stream: stream error: stream ID 5; INTERNAL_ERROR; received from peer") has prevented the request from succeeding',
      clock(utc('2022-10-01T00:00:00Z')),
    )!;
    expect(klog).toMatchObject({ format: 'journald/klog', level: 'warning', time: utc('2022-09-28T08:11:36Z') });
    expect(klog.fields).toMatchObject({ ident: 'rancher-system-agent', source: 'reflector.go:443' });
  });

  it('reads rancher-system-agent and rancherd lines (§9, E29)', () => {
    const c = clock(utc('2025-07-11T00:00:00Z'));
    const lines = [
      'Nov 02 06:36:18 harvester-3 rancher-system-agent[6473]: time="2023-11-02T06:36:18Z" level=info msg="[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]"',
      'Jul 10 06:57:27 hyper10 rancherd[2844]: time="2025-07-10T06:57:27Z" level=info msg="Bootstrapping Rancher (v2.8.3/v1.27.13+rke2r1)"',
      'May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[Applyinator] Command sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null] finished with err: <nil> and exit code: 0"',
    ].map((line) => parseJournald(line, c)!);
    expect(lines.map((p) => p.message)).toEqual([
      '[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]',
      'Bootstrapping Rancher (v2.8.3/v1.27.13+rke2r1)',
      '[Applyinator] Command sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null] finished with err: <nil> and exit code: 0',
    ]);
    expect(lines[1].time).toBe(utc('2025-07-10T06:57:27Z'));
    expect(lines[0].fields?.ident).toBe('rancher-system-agent');
  });

  it('reads kernel and iscsid lines without parsing their text (E13, E39)', () => {
    const kernel = parseJournald(
      'Jun 23 10:10:34 hv kernel: Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB',
      clock(utc('2022-06-24T00:00:00Z')),
    );
    expect(kernel).toEqual({
      time: utc('2022-06-23T10:10:34Z'),
      timeSource: 'inferred-year',
      level: null,
      message:
        'Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB',
      format: 'journald',
      fields: { host: 'hv', ident: 'kernel' },
    });
    const iscsid = parseJournald(
      'Nov 28 21:37:32 harvester-qgl7w iscsid[29622]: iscsid: Connection1:0 to [target: iqn.2019-10.io.longhorn:pvc-e40f0e33-2396-4421-a1e5-083a43078dec, portal: 10.52.0.115,3260] through [iface: default] is operational now',
      clock(utc('2022-12-01T00:00:00Z')),
    )!;
    expect(iscsid.fields).toEqual({ host: 'harvester-qgl7w', ident: 'iscsid', pid: '29622' });
    expect(iscsid.message.startsWith('iscsid: Connection1:0 to [target: iqn.2019-10.io.longhorn:pvc-')).toBe(true);
  });

  it('keeps an empty message and an unanchored time', () => {
    const parsed = parseJournald('Feb 09 14:28:55.000001 h sh[7]:', clock(null))!;
    expect(parsed).toMatchObject({ time: null, timeSource: 'none', message: '', fields: { ident: 'sh', pid: '7' } });
  });

  it.each([
    'Feb 09 14:28:55',
    'Feb 09 14:28:55 host',
    'Feb 09 14:28:55 host no colon here',
    'Feb 09 14:28:55.x host a: b',
    'Foo 09 14:28:55 host a: b',
    'error syncing pod: x',
    'Wait for Rancher to be upgraded...',
  ])('stays silent on %j', (line) => {
    expect(parseJournald(line, clock())).toBeNull();
  });
});

describe('journal markers', () => {
  it.each([
    ['-- Reboot --', 'reboot', 'Reboot'],
    ['-- Boot 1b5d3c1e8d2a4a4d9a3f0c2b7e6d5c4a --', 'boot', 'Boot 1b5d3c1e8d2a4a4d9a3f0c2b7e6d5c4a'],
    ['-- No entries --', 'no-entries', 'No entries'],
    ['-- Logs begin at Mon 2025-06-30 08:00:01 UTC, end at Thu 2025-07-03 01:15:40 UTC. --', 'logs-begin', 'Logs begin at Mon 2025-06-30 08:00:01 UTC, end at Thu 2025-07-03 01:15:40 UTC.'],
    ['-- Journal begins at Mon 2025-06-30 08:00:01 UTC, ends at Thu 2025-07-03 01:15:40 UTC. --', 'logs-begin', 'Journal begins at Mon 2025-06-30 08:00:01 UTC, ends at Thu 2025-07-03 01:15:40 UTC.'],
  ])('%s', (line, marker, message) => {
    const parsed = parseJournalMarker(line)!;
    expect(parsed).toMatchObject({ format: 'journal-marker', level: null, message, time: null, timeSource: 'inherited' });
    expect(parsed.fields?.marker).toBe(marker);
  });

  it('gives the boot id of a Boot marker', () => {
    expect(parseJournalMarker('-- Boot 1b5d3c --')!.fields).toEqual({ marker: 'boot', boot: '1b5d3c' });
  });

  it.each(['-- ', '--', '-- Something else --', '---', '-- Reboot', '--help'])('stays silent on %j', (line) => {
    expect(parseJournalMarker(line)).toBeNull();
  });
});

describe('parseJournalLine', () => {
  const c = clock(utc('2025-03-04T00:00:00Z'));

  it('reads indented lines as continuations, and entries a paste indented as entries (E29)', () => {
    expect(parseJournalLine('    at main.go:12', c)).toEqual({
      time: null,
      timeSource: 'inherited',
      level: null,
      message: 'at main.go:12',
      format: 'journald-continuation',
      fields: null,
    });
    const pasted = parseJournalLine(
      '    May 24 08:59:05 myrke2-pool1-427c78b3-g4hvg rancher-system-agent[15489]: time="2024-05-24T08:59:05Z" level=info msg="[a4922eda6712eb2213c9314134fa57d0a0e5f86b2a8adf94f773b2bc708ad70f_0:stdout]: Name Location Size Created"',
      clock(utc('2024-06-01T00:00:00Z')),
    );
    expect(pasted).toMatchObject({ format: 'journald/logrus', time: utc('2024-05-24T08:59:05Z') });
    expect(pasted.message).toBe('[a4922eda6712eb2213c9314134fa57d0a0e5f86b2a8adf94f773b2bc708ad70f_0:stdout]: Name Location Size Created');
  });

  it('reads a truncated first fragment and other header-less lines as plain', () => {
    expect(parseJournalLine('ng down /v1, Kind=Node workers"', c)).toMatchObject({ format: 'plain', timeSource: 'inherited' });
    expect(parseJournalLine('-- not a marker', c).format).toBe('plain');
    expect(parseJournalLine('-- Reboot --', c).format).toBe('journal-marker');
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { tarBuffer, zipBuffer } from '../bundle/helpers.js';
import { runCli } from '../cli/cli-helpers.js';
import {
  analyse,
  bundleEntries,
  bundleZip,
  expectNotRead,
  expectRead,
  expectReported,
  INTACT_LINES,
  KERNEL_LOG,
  METADATA,
  NODE,
  nodeEntries,
  NOW,
  PATHS,
  PODS_YAML,
  ROOT,
  ruleIds,
  scratch,
} from './hostile-fixture.js';

const files = scratch('content');
afterAll(files.remove);
let count = 0;
const write = (data: Buffer | string, ext = 'zip'): string => files.write(`input-${++count}.${ext}`, data);

const HANDLER = 'logs/harvester-system/virt-handler-x1/virt-handler.log';
const cri = (text: string): string => `2025-06-14T09:40:01.000000000Z time="2025-06-14T09:40:01Z" level=info msg="${text}"`;

describe('lines no parser expects', () => {
  it('a 100 MB line without a newline is cut at 1 MiB and counted; the lines around it are read (loose file and stored member)', async () => {
    const endless = Buffer.alloc(100 * 1024 * 1024, 'a');
    const loose = write(Buffer.concat([Buffer.from(KERNEL_LOG), endless, Buffer.from(`\n${KERNEL_LOG}`)]), 'log');
    const analysis = await analyse(loose);
    expectRead(analysis, { [`input-${count}.log`]: 5 });
    expect(analysis.report.coverage.limitsHit).toEqual([{ limit: 'max-line-bytes', count: 1, example: `input-${count}.log` }]);
    expect(ruleIds(analysis)).toContain('prometheus-oom-killed');

    const zip = await zipBuffer([...(await bundleEntries()), { name: `${ROOT}/${HANDLER}`, data: endless, compress: false }]);
    const member = await analyse(write(zip));
    expectRead(member, { ...INTACT_LINES, [HANDLER]: 1 });
    expect(member.problems).toEqual([`${HANDLER}: max-line-bytes (1)`]);
  });

  it('invalid UTF-8 is read as U+FFFD; NUL bytes at the start make a member binary (reported), later ones do not', async () => {
    const invalid = Buffer.concat([Buffer.from(cri('bytes ').slice(0, -1)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"\n')]);
    const binary = Buffer.concat([Buffer.from(`${cri('x')}\n`), Buffer.from([0, 0, 0, 1, 2, 0x89]), Buffer.from('\n')]);
    const lateNul = Buffer.concat([Buffer.from(`${cri('filler line past the 8 KiB binary sniff')}\n`.repeat(120)), Buffer.from([0]), Buffer.from('\n')]);
    const analysis = await analyse(
      write(
        await bundleZip({
          members: {
            'logs/harvester-system/virt-handler-a/virt-handler.log': invalid,
            'logs/harvester-system/virt-handler-b/virt-handler.log': binary,
            'logs/harvester-system/virt-handler-c/virt-handler.log': lateNul,
          },
        }),
      ),
    );
    expectRead(analysis, {
      ...INTACT_LINES,
      'logs/harvester-system/virt-handler-a/virt-handler.log': 1,
      'logs/harvester-system/virt-handler-c/virt-handler.log': 121,
    });
    expectNotRead(analysis, 'logs/harvester-system/virt-handler-b/virt-handler.log');
    expectReported(analysis, 'logs/harvester-system/virt-handler-b/virt-handler.log', /binary content/);
    expect(analysis.problems).toHaveLength(1);
  });

  it('CRLF line ends in logs, YAML Lists and metadata.yaml change nothing', async () => {
    const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
    const analysis = await analyse(
      write(
        await bundleZip({
          nodeZip: await zipBuffer(nodeEntries({ kernel: crlf(KERNEL_LOG) })),
          members: { [PATHS.pods]: crlf(PODS_YAML), 'metadata.yaml': crlf(METADATA) },
        }),
      ),
    );
    expectRead(analysis, INTACT_LINES);
    expect(analysis.problems).toEqual([]);
    const oom = analysis.report.findings.find((f) => f.ruleId === 'prometheus-oom-killed')!;
    expect(oom.evidence.map((e) => e.file)).toEqual(expect.arrayContaining([PATHS.kernel, PATHS.pods]));
    expect(oom.evidence.every((e) => !e.text.includes('\r'))).toBe(true);
    expect(analysis.report.bundle.clusterId).toBe('0b6d3e2e-1111-4222-8333-944445555666');
  });

  it('pathological 1 MiB lines in every format are parsed without backtracking for ever', async () => {
    const size = 1024 * 1024 - 300;
    const bodies = [' ', '"', 'a=', '\\', '{"a":', '[', ':', 'k="v" ', '2025-06-14T', '"\\"', 'level '].map((unit) =>
      unit.repeat(Math.floor(size / unit.length)),
    );
    const prefixes = [
      `Jun 14 09:34:58.020889 ${NODE} rke2[2536]: `,
      'I0614 09:35:23.802112    2031 x.go:1] ',
      `Jun 14 10:02:11.000120 ${NODE} kernel: Memory cgroup out of memory: Killed process 40211 (`,
      '',
    ];
    const lines = prefixes.flatMap((prefix) => bodies.map((body) => prefix + body)).join('\n');
    const analysis = await analyse(
      write(
        await bundleZip({
          nodeZip: await zipBuffer(nodeEntries({ rke2: `${lines}\n`, kubelet: `${lines}\n` })),
          members: { [HANDLER]: `${bodies.map((body) => `2025-06-14T09:31:46.123456789Z ${body}`).join('\n')}\n` },
        }),
      ),
      [],
      { events: false },
    );
    // harvester, prometheus and kernel lines, then the pathological ones of rke2-server, kubelet and virt-handler
    expect(analysis.report.coverage.lines).toBe(4 + 2 * prefixes.length * bodies.length + bodies.length);
  });
});

describe('objects that are cut off or not YAML at all', () => {
  it('a List cut inside its second item keeps the first; text and binary that are not YAML are reported', async () => {
    const secondItem = PODS_YAML.indexOf('- apiVersion: v1', PODS_YAML.indexOf('items:') + 10);
    const analysis = await analyse(
      write(
        await bundleZip({
          members: {
            [PATHS.pods]: PODS_YAML.slice(0, secondItem + 40),
            'yamls/cluster/v1/nodes.yaml': '{{{ not yaml ::: [\n\t- ]]\n',
            'yamls/cluster/v1/namespaces.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 0]),
          },
        }),
      ),
    );
    expectRead(analysis, INTACT_LINES);
    expectReported(analysis, PATHS.pods, /line 29: item dropped, the file ends inside it/);
    expectReported(analysis, 'yamls/cluster/v1/nodes.yaml', /not readable as YAML/);
    expectReported(analysis, 'yamls/cluster/v1/namespaces.yaml', /binary content/);
    const oom = analysis.report.findings.find((f) => f.ruleId === 'prometheus-oom-killed')!;
    expect(oom.evidence.map((e) => `${e.file}:${e.line}`)).toContain(`${PATHS.pods}:3`);
  });
});

describe('clocks', () => {
  it('node clocks far off and times in the future or at the epoch: read, placed on the timeline, rendered in every format', async () => {
    const yearEnd = [
      `Dec 31 23:59:59.000001 ${NODE} kernel: prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997`,
      `Jan 01 00:00:01.000120 ${NODE} kernel: Memory cgroup out of memory: Killed process 40211 (prometheus) total-vm:4183420kB, anon-rss:2553012kB, file-rss:0kB, shmem-rss:0kB`,
      '',
    ].join('\n');
    const future = [
      '2099-06-14T09:31:46.123456789Z time="2099-06-14T09:31:46Z" level=info msg="Start upgrading Kubernetes runtime to v1.32.3+rke2r1"',
      '1970-01-01T00:00:00.000000000Z time="1970-01-01T00:00:00Z" level=info msg="epoch"',
      '9999-12-31T23:59:59.999999999Z time="9999-12-31T23:59:59Z" level=info msg="end of time"',
      '',
    ].join('\n');
    const rke2 = `Jun 14 09:34:58.020889 ${NODE} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...\nJun 14 09:35:01.020889 ${NODE} rke2[2536]: time="2031-06-14T09:35:01Z" level=info msg="Starting rke2 v1.32.3+rke2r1"\n`;
    const input = write(await bundleZip({ nodeZip: await zipBuffer(nodeEntries({ kernel: yearEnd, rke2 })), members: { [PATHS.harvester]: future } }));
    const analysis = await analyse(input);
    expectRead(analysis, { ...INTACT_LINES, [PATHS.harvester]: 3 });
    expect(analysis.report.timeline.map((t) => t.time)).toContain('2099-06-14T09:31:46.123Z');
    for (const format of ['terminal', 'markdown', 'html']) {
      const run = await runCli([input, '-f', format, '--now', NOW]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(format === 'terminal' ? '2025-01-01T00:00:01.000Z' : '2099-06-14');
    }
  });
});

describe('bundles of other collectors', () => {
  it("Longhorn's own support bundle: recognised, read, analysed", async () => {
    const lh = 'longhorn-support-bundle_2025-06-14T10-00-00Z';
    const input = write(
      await zipBuffer([
        { name: `${lh}/metadata.yaml`, data: 'bundlename: longhorn-support-bundle_2025-06-14T10-00-00Z\nbundleversion: 0.1.0\n' },
        { name: `${lh}/yamls/namespaced/longhorn-system/longhorn.io/v1beta2/volumes.yaml`, data: 'apiVersion: v1\nitems: []\nkind: List\n' },
        {
          name: `${lh}/logs/longhorn-system/longhorn-manager-abcde/longhorn-manager.log`,
          data: '2025-06-14T09:48:28.558417321Z time="2025-06-14T09:48:28Z" level=info msg="Starting longhorn manager"\n',
        },
        {
          name: `${lh}/nodes/lh-node-1.zip`,
          compress: false,
          data: await zipBuffer([
            { name: 'lh-node-1/hostinfos/hostinfo', data: 'kernel 5.14.21\n' },
            { name: 'lh-node-1/logs/dmesg.log', data: '[Sat Jun 14 09:48:28 2025] sd 2:0:0:0: [sdb] Attached SCSI disk\n' },
            { name: 'lh-node-1/logs/kubelet.log', data: 'I0614 09:35:23.802112    2031 x.go:1] "Observed pod startup duration"\n' },
          ]),
        },
      ]),
    );
    const analysis = await analyse(input);
    expect(analysis.code).toBe(0);
    expect(analysis.report.bundle.kind).toBe('longhorn-bundle');
    expectRead(analysis, {
      'logs/longhorn-system/longhorn-manager-abcde/longhorn-manager.log': 1,
      'nodes/lh-node-1.zip!/lh-node-1/logs/dmesg.log': 1,
      'nodes/lh-node-1.zip!/lh-node-1/logs/kubelet.log': 1,
    });
    expect(analysis.problems).toEqual([]);
  });

  it('a sosreport-like zip and a tarball of /var/log: read as logs, binary members reported', async () => {
    const tree = [
      { name: 'sosreport-host1-2025/var/log/messages', data: 'Jun 14 09:48:28 host1 systemd[1]: Started Session 12 of user root.\n' },
      { name: 'sosreport-host1-2025/sos_commands/kubernetes/kubectl_get_pods', data: 'NAME READY STATUS\nfoo-1 1/1 Running\n' },
      { name: 'sosreport-host1-2025/proc/kcore', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]) },
    ];
    for (const [data, ext] of [[await zipBuffer(tree), 'zip'], [await tarBuffer(tree, true), 'tar.gz']] as const) {
      const analysis = await analyse(write(data, ext));
      expect(analysis.code).toBe(0);
      expect(analysis.report.bundle.kind).toBe('log-files');
      expectRead(analysis, { 'var/log/messages': 1, 'sos_commands/kubernetes/kubectl_get_pods': 2 });
      expect(analysis.problems).toEqual(['proc/kcore: binary content, not a text log']);
    }
  });
});

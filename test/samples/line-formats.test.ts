import { describe, expect, it } from 'vitest';
import { criLine, journalLine, klogLine, kubevirtLine, logrusCallerLine, logrusLine, promLine, rancherLine, rfc3339Nano, utc, zapLine } from '../../src/samples/line-formats.js';

const t = utc('2025-06-14T09:41:07.123456Z');

describe('line formats (shapes of real-log-samples.md)', () => {
  it('kubelet log-API prefix: fixed 9-digit fraction and one space', () => {
    expect(criLine(t, 789, 'Happy Containering!')).toBe('2025-06-14T09:41:07.123456789Z Happy Containering!');
    expect(rfc3339Nano(utc('2025-06-14T09:41:07Z'), 0)).toBe('2025-06-14T09:41:07.000000000Z');
  });

  it('journald short-precise without year', () => {
    expect(journalLine(t, 'harvester-01', 'rke2', 4242, 'x')).toBe('Jun 14 09:41:07.123456 harvester-01 rke2[4242]: x');
    expect(journalLine(t, 'harvester-01', 'kernel', null, 'x')).toBe('Jun 14 09:41:07.123456 harvester-01 kernel: x');
  });

  it('klog header with a right-aligned thread id', () => {
    expect(klogLine(t, 'I', 2031, 'server.go:493', 'm')).toBe('I0614 09:41:07.123456    2031 server.go:493] m');
    expect(klogLine(t, 'W', 7, 'warnings.go:70', 'm')).toBe('W0614 09:41:07.123456       7 warnings.go:70] m');
  });

  it('logrus text: second precision, quoting only when needed, sorted fields', () => {
    expect(logrusLine(t, 'info', 'Starting rke2 v1.32.3+rke2r1 (abc)')).toBe('time="2025-06-14T09:41:07Z" level=info msg="Starting rke2 v1.32.3+rke2r1 (abc)"');
    expect(logrusLine(t, 'info', 'done', [['url', 'wss://x:9345/v1'], ['a', 'b']])).toBe('time="2025-06-14T09:41:07Z" level=info msg=done a=b url="wss://x:9345/v1"');
    expect(logrusCallerLine(t, 'info', 'Deleting x PDB', 'controller.(*C).f', 'c.go:862', [['node', 'n1']])).toBe('time="2025-06-14T09:41:07Z" level=info msg="Deleting x PDB" func="controller.(*C).f" file="c.go:862" node=n1');
  });

  it('KubeVirt JSON: keys sorted, microsecond timestamp', () => {
    expect(kubevirtLine(t, { msg: 'Domain deleted', level: 'info', component: 'virt-handler', pos: 'vm.go:3488' })).toBe('{"component":"virt-handler","level":"info","msg":"Domain deleted","pos":"vm.go:3488","timestamp":"2025-06-14T09:41:07.123456Z"}');
  });

  it('zap JSON, Rancher and go-kit logfmt', () => {
    expect(zapLine(t, 'info', { caller: 'a.go:1' }, 'm', { n: 1 })).toBe('{"level":"info","ts":"2025-06-14T09:41:07.123456Z","caller":"a.go:1","msg":"m","n":1}');
    expect(rancherLine(t, 'INFO', '[planner] x')).toBe('2025/06/14 09:41:07 [INFO] [planner] x');
    expect(promLine(t, 'main.go:1', 'info', 'Server is ready to receive web requests.')).toBe('ts=2025-06-14T09:41:07.123Z caller=main.go:1 level=info msg="Server is ready to receive web requests."');
  });
});

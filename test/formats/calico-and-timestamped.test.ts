import { describe, expect, it } from 'vitest';
import { parseCalico } from '../../src/formats/calico.js';
import { parseLeadingTimestamp } from '../../src/formats/leading-timestamp.js';
import { createWallClock } from '../../src/formats/year-anchor.js';

const utc = createWallClock({ anchorMs: null, zone: 'UTC' });

describe('parseCalico', () => {
  it('reads felix lines: zone-less time, level, pid, message', () => {
    const line = '2025-06-14 09:37:35.230 [INFO][73] felix/summary.go 100: Summarising 12 dataplane reconciliation loops over 1m30s: avg=4ms longest=21ms (resync-nat-v4)';
    const parsed = parseCalico(line, utc)!;
    expect(parsed.time).toBe(Date.parse('2025-06-14T09:37:35.230Z'));
    expect(parsed.timeSource).toBe('assumed-zone');
    expect(parsed.level).toBe('info');
    expect(parsed.format).toBe('calico');
    expect(parsed.fields?.pid).toBe('73');
    expect(parsed.message).toBe('felix/summary.go 100: Summarising 12 dataplane reconciliation loops over 1m30s: avg=4ms longest=21ms (resync-nat-v4)');
  });

  it('applies the context zone', () => {
    const berlin = createWallClock({ anchorMs: null, zone: 'Europe/Berlin' });
    expect(parseCalico('2025-06-14 09:37:35.230 [WARNING][73] x', berlin)!.time).toBe(Date.parse('2025-06-14T07:37:35.230Z'));
  });

  it('leaves other lines alone', () => {
    for (const line of ['2025/06/14 09:37:35 [INFO] rancher', '2025-06-14T09:37:35.230Z x', '2025-06-14 09:37:35.230 plain', 'abc']) {
      expect(parseCalico(line, utc)).toBeNull();
    }
  });
});

describe('parseLeadingTimestamp', () => {
  it('reads a line that starts with its own zoned time', () => {
    const parsed = parseLeadingTimestamp('2025-06-14T09:36:45+00:00 Generating Multus configuration file using files in /host/etc/cni/net.d...')!;
    expect(parsed.time).toBe(Date.parse('2025-06-14T09:36:45Z'));
    expect(parsed.timeSource).toBe('explicit');
    expect(parsed.format).toBe('timestamped');
    expect(parsed.message).toBe('Generating Multus configuration file using files in /host/etc/cni/net.d...');
  });

  it('leaves lines without a leading zoned time alone', () => {
    for (const line of ['2025-06-14 09:36:45 x', '2025-06-14T09:36:45 x', 'Generating 2025-06-14T09:36:45Z', '2025-06-14T09:36:45Z']) {
      expect(parseLeadingTimestamp(line)).toBeNull();
    }
  });
});

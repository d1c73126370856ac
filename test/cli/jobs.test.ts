import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../dist/bin/harvester-postmortem.js');
const SAMPLES = resolve(import.meta.dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'harvester-postmortem-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = (input: string, jobs: number, extra: string[] = []): string =>
  execFileSync(process.execPath, [BIN, input, '--format', 'json', '--now', '2026-01-01T00:00:00Z', '--jobs', String(jobs), ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });

describe('analyze --jobs', () => {
  const inputs = [
    'upgrade-v1.4.2-to-v1.5.0-incident.zip',
    'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog.zip',
    'upgrade-stalled-pre-drained.zip',
  ].map((name) => join(SAMPLES, name));
  // cut short: members the threads cannot finish, and unreadable ones, must be told the same way
  const cut = join(dir, 'cut.zip');
  const whole = readFileSync(inputs[0]);
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));

  it('a log of many blocks, with lines over --max-line-bytes and inherited times, counts and parses the same', () => {
    const log = join(dir, 'kubelet.log');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const second = String(i % 60).padStart(2, '0');
      if (i % 997 === 0) lines.push(`  at continuation line ${i} without a time of its own, Killed process ${i} (stress)`);
      else if (i % 1201 === 0) lines.push(`Jun 14 09:35:${second}.000001 harvester-01 kubelet[1]: ${'x'.repeat(6000)} Killed process ${i}`);
      else lines.push(`Jun 14 09:35:${second}.000001 harvester-01 kubelet[1]: I0614 09:35:${second}.000001 1 routine line number ${i}`);
    }
    writeFileSync(log, `${lines.join('\n')}\n`);
    const single = report(log, 1, ['--max-line-bytes', '4096']);
    const coverage = JSON.parse(single).coverage;
    expect(coverage.lines).toBe(60_000);
    expect(coverage.limitsHit).toEqual([expect.objectContaining({ limit: 'max-line-bytes', count: 49 })]);
    expect(report(log, 2, ['--max-line-bytes', '4096'])).toBe(single);
  });

  for (const input of [...inputs, cut]) {
    it(`threads reading log members give the report of a single thread, byte for byte: ${input.split('/').pop()}`, () => {
      const single = report(input, 1);
      expect(JSON.parse(single).coverage.lines).toBeGreaterThan(1000);
      expect(report(input, 3)).toBe(single);
    });
  }
});

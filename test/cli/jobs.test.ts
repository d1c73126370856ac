import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../dist/bin/harvester-postmortem.js');
const SAMPLES = resolve(import.meta.dirname, '../../samples');
const dir = mkdtempSync(join(tmpdir(), 'harvester-postmortem-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = (input: string, jobs: number): string =>
  execFileSync(process.execPath, [BIN, input, '--format', 'json', '--now', '2026-01-01T00:00:00Z', '--jobs', String(jobs)], {
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

  for (const input of [...inputs, cut]) {
    it(`threads reading log members give the report of a single thread, byte for byte: ${input.split('/').pop()}`, () => {
      const single = report(input, 1);
      expect(JSON.parse(single).coverage.lines).toBeGreaterThan(1000);
      expect(report(input, 3)).toBe(single);
    });
  }
});

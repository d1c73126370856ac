import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';
import { writeMiniBundle } from './mini-bundle.js';
import { README_FIXTURE, README_RULE } from '../readme-example.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-user-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'my-rules');
mkdirSync(join(rules, 'fixtures'), { recursive: true });
writeFileSync(join(rules, 'longhorn.yaml'), README_RULE);
writeFileSync(join(rules, 'fixtures', 'longhorn-engine-info-timeout.log'), README_FIXTURE);

describe('a user rule written from the README', () => {
  it('passes its own fixture with rules test', async () => {
    const run = await runCli(['rules', 'test', rules]);
    expect(run.stdout).toContain('ok   longhorn-engine-info-timeout');
    expect(run.stdout).toContain('1 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  it('is listed and shown', async () => {
    expect((await runCli(['rules', 'list', '--rules', rules])).stdout).toContain('longhorn-engine-info-timeout');
    expect((await runCli(['rules', 'show', 'longhorn-engine-info-timeout', '--rules', rules])).stdout).toContain('Check the instance-manager');
  });

  it('finds its line in a bundle, with the named group as subject, and drives --fail-on', async () => {
    const bundle = writeMiniBundle(join(dir, 'bundle'));
    const log = join(bundle, 'logs/longhorn-system/longhorn-manager-vsv92/longhorn-manager.log');
    mkdirSync(join(log, '..'), { recursive: true });
    writeFileSync(
      log,
      '2025-06-14T10:57:05.533058193Z E0614 10:57:05.532889       1 engine_controller.go:706] failed to update status for engine pvc-325c5123-eab0-4d14-899e-e9afdfcd8363-e-951e1c53: cannot get volume info: Timeout executing: /var/lib/longhorn/engine-binaries/x/longhorn [--url 10.52.0.112:10000 info]\n',
    );
    const run = await runCli([bundle, '--rules', rules, '--only', 'longhorn-engine-info-timeout', '--format', 'json', '--fail-on', 'medium']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'longhorn-engine-info-timeout',
      severity: 'medium',
      subject: 'pvc-325c5123-eab0-4d14-899e-e9afdfcd8363',
      message: 'longhorn-manager timed out reading the status of the engine of pvc-325c5123-eab0-4d14-899e-e9afdfcd8363',
      firstSeen: '2025-06-14T10:57:05.533Z',
    });
    expect(report.findings[0].evidence[0]).toMatchObject({ file: 'logs/longhorn-system/longhorn-manager-vsv92/longhorn-manager.log', line: 1 });
  });
});

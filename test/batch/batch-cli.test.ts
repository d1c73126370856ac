import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-helpers.js';

const SAMPLES = resolve(import.meta.dirname, '../../samples');
const BIN = resolve(import.meta.dirname, '../../dist/bin/harvester-postmortem.js');
const dir = mkdtempSync(join(tmpdir(), 'hp-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputs = join(dir, 'bundles');
mkdirSync(inputs);
for (const name of ['upgrade-v1.4.2-to-v1.5.0-incident', 'upgrade-v1.4.2-to-v1.5.0-clean', 'upgrade-stalled-pre-drained']) {
  copyFileSync(join(SAMPLES, `${name}.zip`), join(inputs, `${name}.zip`));
}
copyFileSync(join(SAMPLES, 'upgrade-v1.4.2-to-v1.5.0-clean.zip'), join(inputs, 'z-copy-of-clean.zip'));
writeFileSync(join(inputs, 'broken.zip'), Buffer.from('PK\u0003\u0004 this download was cut off'));

interface SummaryJson {
  bundles: { status: string; input: string; sameAs?: string; error?: string; reportPath?: string }[];
  perRule: { ruleId: string; bundles: number; share: number; versions: string[] }[];
  perVersionPair: { pair: string; upgrades: number; shareWithCritical: number; maxDurationSeconds: number | null }[];
  perCluster: { clusterId: string; bundle: string; previousBundle: string | null; newFindings: { ruleId: string }[] }[];
}

describe('batch over the samples plus broken and duplicate inputs', () => {
  const db = join(dir, 'history.sqlite');
  const outDir = join(dir, 'reports');

  it('analyses each bundle once, reports the broken one, and says what recurs and what is new', async () => {
    const run = await runCli(['batch', inputs, '--jobs', '1', '--format', 'json', '--db', db, '--out-dir', outDir, '--now', '2026-01-01T00:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/failed: .*broken\.zip: /);
    const summary = JSON.parse(run.stdout) as SummaryJson;
    const status = Object.fromEntries(summary.bundles.map((b) => [b.input.split('/').pop(), b.status]));
    expect(status).toEqual({
      'broken.zip': 'failed',
      'upgrade-stalled-pre-drained.zip': 'analysed',
      'upgrade-v1.4.2-to-v1.5.0-clean.zip': 'analysed',
      'upgrade-v1.4.2-to-v1.5.0-incident.zip': 'analysed',
      'z-copy-of-clean.zip': 'duplicate',
    });
    expect(summary.bundles.find((b) => b.status === 'duplicate')!.sameAs).toMatch(/upgrade-v1\.4\.2-to-v1\.5\.0-clean\.zip$/);

    const rke2 = summary.perRule.find((r) => r.ruleId === 'rke2-upgrade-without-pre-drain')!;
    expect(rke2).toMatchObject({ bundles: 1, versions: ['v1.4.2→v1.5.0'] });
    expect(rke2.share).toBeCloseTo(1 / 3);
    const drain = summary.perRule.find((r) => r.ruleId === 'longhorn-drain-blocked')!;
    expect(drain.bundles).toBe(2);

    const pair = summary.perVersionPair.find((p) => p.pair === 'v1.4.2→v1.5.0')!;
    expect(pair.upgrades).toBe(3);
    expect(pair.shareWithCritical).toBeCloseTo(1 / 3);

    // all three samples come from one cluster; the stalled bundle is its newest, the incident the one before
    expect(summary.perCluster).toHaveLength(1);
    expect(summary.perCluster[0].bundle).toMatch(/upgrade-stalled-pre-drained\.zip$/);
    expect(summary.perCluster[0].previousBundle).toMatch(/upgrade-v1\.4\.2-to-v1\.5\.0-incident\.zip$/);
    expect(summary.perCluster[0].newFindings.map((f) => f.ruleId)).toContain('upgrade-stalled');

    expect(readdirSync(outDir).sort()).toHaveLength(3);
    for (const b of summary.bundles.filter((x) => x.status === 'analysed')) expect(existsSync(b.reportPath!)).toBe(true);
  });

  it('skips bundles already in the history database, and history reports without reading archives', async () => {
    const again = JSON.parse((await runCli(['batch', inputs, '--jobs', '1', '--format', 'json', '--db', db])).stdout) as SummaryJson;
    expect(again.bundles.filter((b) => b.status === 'cached')).toHaveLength(3);
    const history = await runCli(['history', db, '--format', 'csv']);
    expect(history.code).toBe(0);
    const rows = history.stdout.trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^bundle,status,cluster,created,versions,upgrade_seconds,critical,high,medium,low,top_rules$/);
  });

  it('runs bundles in worker threads with --jobs 2 and gives the same summary', () => {
    const one = JSON.parse(execFileSync(process.execPath, [BIN, 'batch', inputs, '--jobs', '1', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const two = JSON.parse(execFileSync(process.execPath, [BIN, 'batch', inputs, '--jobs', '2', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    expect(two).toEqual(one);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';
import { writeMiniBundle } from './mini-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = writeMiniBundle(dir);

describe('usage errors exit 2 with a clear message and no stack trace', () => {
  it.each([
    [['does-not-exist.zip'], /does-not-exist\.zip/],
    [[bundle, '--fail-on', 'severe'], /expected one of informational, low, medium, high, critical/],
    [[bundle, '--tz', 'Mars/Olympus'], /IANA time zone/],
    [[bundle, '--now', 'yesterday'], /ISO-8601/],
    [[bundle, '--format', 'pdf'], /Allowed choices are terminal, markdown, json, html/],
    [[bundle, '--only', 'no-such-rule'], /unknown rule no-such-rule/],
    [['history', join(dir, 'none.sqlite')], /does not exist/],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports invalid user rules with file:line, all at once', async () => {
    const rules = join(dir, 'bad-rules');
    rmSync(rules, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(rules);
    writeFileSync(join(rules, 'bad.yaml'), 'title: x\nid: bad-one\ndescription: d\nlevel: high\nbogus: 1\ndetection:\n  sel:\n    message|re: "(["\n  condition: sel\n');
    const run = await runCli([bundle, '--rules', rules]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:\d+: /);
    expect(run.stderr.match(/bad\.yaml:\d+/g)!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('exit 2 only when nothing usable could be read', () => {
  it('a binary file: the report says why, exit 2', async () => {
    const binary = join(dir, 'firmware.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0, 0]));
    const run = await runCli([binary, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing in .*firmware\.bin could be read/);
    expect(JSON.parse(run.stdout).coverage.unreadable[0].reason).toMatch(/binary/);
  });

  it('a bundle whose only readable part is metadata.yaml is an analysis, exit 0', async () => {
    const root = join(dir, 'meta-only', 'supportbundle_x');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'yamls/cluster/v1'), { recursive: true });
    writeFileSync(join(root, 'metadata.yaml'), 'bundlename: b\nbundlecreatedat: "2025-06-14T12:31:05Z"\n');
    writeFileSync(join(root, 'yamls/cluster/v1/nodes.yaml'), 'apiVersion: v1\nitems:\n- {broken: [\nkind: List\n');
    const run = await runCli([join(dir, 'meta-only'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).coverage.unreadable.length).toBeGreaterThan(0);
  });
});

describe('analysis of a small extracted bundle', () => {
  it('finds the Prometheus OOM kill and exits by --fail-on', async () => {
    const json = await runCli([bundle, '--format', 'json', '--now', '2026-01-01T00:00:00Z']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.bundle.clusterId).toBe('0b6d3e2e-1111-4222-8333-944445555666');
    expect(report.mode).toBe('readiness');
    const oom = report.findings.find((f: { ruleId: string }) => f.ruleId === 'prometheus-oom-killed');
    expect(oom.node).toBe('harvester-01');
    expect(oom.evidence.map((e: { file: string }) => e.file)).toContain('nodes/harvester-01/logs/kernel.log');
    expect((await runCli([bundle, '--fail-on', 'high'])).code).toBe(1);
    expect((await runCli([bundle, '--fail-on', 'critical'])).code).toBe(0);
  });

  it('is byte-for-byte deterministic with --now, and writes -o files', async () => {
    const out = join(dir, 'report.md');
    const a = await runCli([bundle, '-f', 'markdown', '--now', '2026-01-01T00:00:00Z', '-o', out]);
    expect(a.stdout).toBe('');
    const b = await runCli([bundle, '-f', 'markdown', '--now', '2026-01-01T00:00:00Z']);
    expect(readFileSync(out, 'utf8')).toBe(b.stdout);
  });

  it('inspect shows facts and coverage; events are JSON lines in time order', async () => {
    const inspect = JSON.parse((await runCli(['inspect', bundle, '--format', 'json'])).stdout);
    expect(inspect.kind).toBe('support-bundle');
    expect(inspect.facts.createdAt).toBe('2025-06-14T12:31:05.000Z');
    expect(inspect.coverage.linesWithTime).toBe(inspect.coverage.lines);
    const events = (await runCli(['events', bundle])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.time)).toEqual([
      '2025-06-14T10:02:10.998Z',
      '2025-06-14T10:02:11.000Z',
      '2025-06-14T10:02:41.120Z',
    ]);
    expect(events[0]).toMatchObject({ file: 'nodes/harvester-01/logs/kernel.log', line: 1, node: 'harvester-01', component: 'kernel', format: 'journald', timeSource: 'inferred-year' });
    const filtered = (await runCli(['events', bundle, '--component', 'prometheus'])).stdout.trim().split('\n');
    expect(filtered).toHaveLength(1);
  });
});

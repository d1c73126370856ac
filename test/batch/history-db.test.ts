import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryDb } from '../../src/batch/history-db.js';
import type { BundleResult } from '../../src/batch/types.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result: BundleResult = {
  input: 'bundle.zip',
  hash: 'abc123',
  clusterId: 'cluster-a',
  createdAt: Date.parse('2025-06-14T12:31:05Z'),
  harvesterVersion: 'v1.5.0',
  upgrade: { name: 'hvst-upgrade-x', fromVersion: 'v1.4.2', toVersion: 'v1.5.0', state: 'Succeeded', durationSeconds: 14400 },
  findings: [{ id: 'f1', ruleId: 'prometheus-oom-killed', severity: 'high', node: 'harvester-03', subject: 'x', firstSeen: Date.parse('2025-06-14T10:00:00Z'), count: 3 }],
  reportPath: null,
};

describe('HistoryDb', () => {
  it('stores results, finds them by hash and tool version, and lists them', async () => {
    const path = join(dir, 'history.sqlite');
    const db = await HistoryDb.open(path);
    expect(db.find('abc123', '0.1.0')).toBeNull();
    db.save(result, '0.1.0');
    db.save(result, '0.1.0'); // saving again replaces, never duplicates
    expect(db.find('abc123', '0.1.0')).toEqual(result);
    expect(db.find('abc123', '9.9.9')).toBeNull();
    expect(db.all()).toEqual([result]);
    db.close();
  });

  it('keeps a documented schema any SQLite client can query', () => {
    const raw = new Database(join(dir, 'history.sqlite'), { readonly: true });
    const row = raw.prepare('SELECT b.cluster_id, b.from_version, b.to_version, f.rule_id, f.severity, f.first_seen FROM bundles b JOIN findings f ON f.bundle_hash = b.hash').get();
    expect(row).toEqual({ cluster_id: 'cluster-a', from_version: 'v1.4.2', to_version: 'v1.5.0', rule_id: 'prometheus-oom-killed', severity: 'high', first_seen: '2025-06-14T10:00:00.000Z' });
    raw.close();
  });
});

import type BetterSqlite3 from 'better-sqlite3';
import type { BundleResult } from './types.js';

/**
 * The batch history: every analysed bundle's results in an embedded SQLite file, so later runs skip bundles already
 * analysed and `history` reports trends without re-reading archives. Schema (stable, readable from any SQLite client):
 *
 *   bundles(hash TEXT PRIMARY KEY, input TEXT, cluster_id TEXT, created_at TEXT, harvester_version TEXT,
 *           upgrade_name TEXT, from_version TEXT, to_version TEXT, upgrade_state TEXT, duration_seconds REAL,
 *           tool_version TEXT, result_json TEXT)
 *   findings(bundle_hash TEXT, fingerprint TEXT, rule_id TEXT, severity TEXT, node TEXT, subject TEXT,
 *            first_seen TEXT, count INTEGER, PRIMARY KEY (bundle_hash, fingerprint))
 *
 * Times are ISO-8601 UTC text; `result_json` is the BundleResult the summaries are built from.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS bundles (
  hash TEXT PRIMARY KEY, input TEXT NOT NULL, cluster_id TEXT, created_at TEXT, harvester_version TEXT,
  upgrade_name TEXT, from_version TEXT, to_version TEXT, upgrade_state TEXT, duration_seconds REAL,
  tool_version TEXT NOT NULL, result_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
  bundle_hash TEXT NOT NULL REFERENCES bundles(hash) ON DELETE CASCADE, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
  severity TEXT NOT NULL, node TEXT, subject TEXT, first_seen TEXT, count INTEGER NOT NULL,
  PRIMARY KEY (bundle_hash, fingerprint)
);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule_id);
CREATE INDEX IF NOT EXISTS bundles_cluster ON bundles(cluster_id, created_at);
`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export class HistoryDb {
  private readonly db: BetterSqlite3.Database;

  /** Opens (or creates) the database; the SQLite binding loads only here, so no other command pays for it. */
  static async open(path: string): Promise<HistoryDb> {
    const { default: Database } = await import('better-sqlite3');
    return new HistoryDb(new Database(path));
  }

  private constructor(db: BetterSqlite3.Database) {
    this.db = db;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  /** The stored result of a bundle analysed by this tool version, if any. */
  find(hash: string, toolVersion: string): BundleResult | null {
    const row = this.db.prepare('SELECT result_json FROM bundles WHERE hash = ? AND tool_version = ?').get(hash, toolVersion) as
      | { result_json: string }
      | undefined;
    return row ? (JSON.parse(row.result_json) as BundleResult) : null;
  }

  save(result: BundleResult, toolVersion: string): void {
    const write = this.db.transaction(() => {
      this.db.prepare('DELETE FROM bundles WHERE hash = ?').run(result.hash);
      this.db
        .prepare(
          `INSERT INTO bundles (hash, input, cluster_id, created_at, harvester_version, upgrade_name, from_version, to_version,
             upgrade_state, duration_seconds, tool_version, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          result.hash,
          result.input,
          result.clusterId,
          iso(result.createdAt),
          result.harvesterVersion,
          result.upgrade?.name ?? null,
          result.upgrade?.fromVersion ?? null,
          result.upgrade?.toVersion ?? null,
          result.upgrade?.state ?? null,
          result.upgrade?.durationSeconds ?? null,
          toolVersion,
          JSON.stringify(result),
        );
      const insert = this.db.prepare(
        'INSERT INTO findings (bundle_hash, fingerprint, rule_id, severity, node, subject, first_seen, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const f of result.findings) insert.run(result.hash, f.id, f.ruleId, f.severity, f.node, f.subject, iso(f.firstSeen), f.count);
    });
    write();
  }

  /** Every stored bundle, for `history`. */
  all(): BundleResult[] {
    const rows = this.db.prepare('SELECT result_json FROM bundles ORDER BY created_at, input').all() as { result_json: string }[];
    return rows.map((row) => JSON.parse(row.result_json) as BundleResult);
  }

  close(): void {
    this.db.close();
  }
}

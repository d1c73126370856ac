import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/report/render-terminal.js';
import type { Finding } from '../../src/rules/types.js';
import { postmortemReport, readinessReport } from './fixture-report.js';

const ANSI = /\x1b\[/;
const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

/** The lines of the box table that follows a section heading. */
const tableAfter = (text: string, heading: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading)) + 1;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('└'));
  return lines.slice(start, end + 1);
};

describe('renderTerminal', () => {
  const plain = renderTerminal(postmortemReport(), { color: false });

  it('has no ANSI escapes without color, and coloured severities with it', () => {
    expect(plain).not.toMatch(ANSI);
    expect(renderTerminal(readinessReport(), { color: false })).not.toMatch(ANSI);
    expect(renderTerminal(postmortemReport())).not.toMatch(ANSI);
    const coloured = renderTerminal(postmortemReport(), { color: true });
    expect(coloured).toContain('\x1b[1;31mCRITICAL\x1b[0m');
    expect(stripAnsi(coloured).split('\n').length).toBe(plain.split('\n').length);
  });

  it('shows control characters from logs in caret notation, never as escapes', () => {
    const report = postmortemReport();
    report.incidents[0] = { ...report.incidents[0], title: 'red \x1b[31mtext\x1b[0m\nsecond line' };
    const text = renderTerminal(report, { color: false });
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('red ^[[31mtext^[[0m^Jsecond line');
  });

  it('starts with cluster, versions and the upgrade window', () => {
    const [title, bundle, upgrade, findings] = plain.split('\n');
    expect(title).toBe('Harvester upgrade post-mortem · cluster 3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17 · v1.4.2 → v1.5.0');
    expect(bundle).toContain('Harvester v1.5.0 · Kubernetes v1.32.3+rke2r1 · 3 node(s)');
    expect(upgrade).toBe(
      'Upgrade   hvst-upgrade-x2hz8 · Succeeded · 2025-06-12T13:02:11.000Z → 2025-06-12T17:04:40.000Z (4h 02m 29s)',
    );
    expect(findings).toBe('Findings  1 critical, 5 high, 3 medium, 1 informational');
  });

  it('prints each incident on one line with its chain indented', () => {
    const lines = plain.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  CRITICAL INC-1 '));
    expect(lines[first]).toContain('· confirmed · 14:12:41 → 14:12:55 (14s)');
    expect(lines[first + 1]).toMatch(/^ {4}1\. inferred unknown F9 maintenance-mode-leftover on harvester-node-1: .* \(yamls\/cluster\/v1\/nodes\.yaml:233\)$/);
    expect(lines[first + 2]).toMatch(/^ {4}2\. observed 14:12:41 rke2-install on harvester-node-1: .*rancher-system-agent\.log:4812\)$/);
    expect(lines.find((l) => l.startsWith('  HIGH INC-2 '))).toContain("inconclusive: harvester-node-2's instance-manager log starts");
  });

  it('tabulates findings and node phases', () => {
    const findings = tableAfter(plain, 'Findings (times UTC on 2025-06-12)');
    expect(findings[1]).toMatch(/│ #\s+│ Severity\s+│ Rule\s+│ Node\s+│ Subject\s+│ First seen │ Count │/);
    expect(findings[3]).toMatch(/│ F1\s+│ critical\s+│ rke2-upgrade-without-pre-drain │ harvester-node-1 │\s+│ 14:12:41\s+│\s+2 │/);
    expect(findings).toHaveLength(3 + 10 + 1);
    const nodes = tableAfter(plain, 'Upgrade by node');
    expect(nodes.find((l) => l.includes('harvester-node-1'))).toMatch(
      /│ harvester-node-1 │ Succeeded │ 13:43:50\s+│ unknown\s+│ unknown\s+│ 14:12:47\s+│/,
    );
    expect(plain.trimEnd().split('\n').at(-1)).toBe(
      'Coverage  412 files · 1,873,204 lines (1,873,204 parsed, 99.4 % of them with a time) · 1 unreadable · 1 gap(s) · 1 limit(s) hit · 0 rule failure(s)',
    );
  });

  it('keeps table widths bounded whatever the names', () => {
    const report = postmortemReport();
    const long = 'x'.repeat(300);
    report.findings = report.findings.map((f): Finding => ({ ...f, subject: `${f.subject ?? 'ns'}/${long}`, ruleId: `${f.ruleId}-${long}` }));
    const findings = tableAfter(renderTerminal(report, { color: false }), 'Findings (');
    const widths = new Set(findings.map((l) => [...l].length));
    expect(widths.size).toBe(1);
    expect([...widths][0]).toBeLessThanOrEqual(160);
    expect(findings[3]).toContain('…');
  });

  it('is deterministic', () => {
    expect(renderTerminal(postmortemReport(), { color: false })).toBe(plain);
    expect(renderTerminal(postmortemReport(), { color: true })).toBe(renderTerminal(postmortemReport(), { color: true }));
  });

  it('reads as a readiness check without an upgrade', () => {
    const text = renderTerminal(readinessReport(), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Upgrade readiness · cluster 3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17 · Harvester v1.4.2');
    expect(text).toContain('\nNot ready: fix the 1 critical or high finding first.\n');
    expect(text).toContain('  1. HIGH F1 maintenance-mode-leftover on harvester-node-1: Node carries maintenance-mode leftovers');
    expect(text).not.toContain('Upgrade by node');
    expect(text).not.toContain('Incidents');
    expect(lines.some((l) => l.startsWith('Upgrade   '))).toBe(false);
  });
});

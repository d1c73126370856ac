import { describe, expect, it } from 'vitest';
import { renderHtml, renderJson, renderMarkdown, renderReport, renderTerminal } from '../../src/report/index.js';
import type { PostmortemReport } from '../../src/report/model.js';
import { postmortemReport, readinessReport } from './fixture-report.js';

describe('renderReport', () => {
  it('dispatches each format to its renderer with the options it reads', () => {
    const report = postmortemReport();
    const options = { color: true, ruleDocsBase: 'https://example.org/rules.md', maxBytes: 40_000 };
    expect(renderReport(report, 'json', options)).toBe(renderJson(report));
    expect(renderReport(report, 'markdown', options)).toBe(renderMarkdown(report, options));
    expect(renderReport(report, 'html', options)).toBe(renderHtml(report, options));
    expect(renderReport(report, 'terminal', options)).toBe(renderTerminal(report, options));
    expect(renderReport(report, 'terminal')).not.toMatch(/\x1b\[/);
    expect(renderReport(report, 'markdown')).toContain('](rules/README.md#');
  });
});

describe('renderReport on a bundle that shows almost nothing', () => {
  const empty = (): PostmortemReport => ({
    ...readinessReport(),
    bundle: { ...readinessReport().bundle, name: null, clusterId: null, createdAt: null, kubernetesVersion: null, harvesterVersion: null, nodes: [] },
    findings: [],
    coverage: { files: 0, lines: 0, linesParsed: 0, linesWithTime: 0, byFormat: {}, unreadable: [], gaps: [], limitsHit: [], ruleFailures: [] },
  });

  it('renders every format without inventing anything', () => {
    const report = empty();
    const markdown = renderReport(report, 'markdown');
    expect(markdown.split('\n')[0]).toBe('# Is this cluster ready to upgrade? bundles/supportbundle\\_3f0c9a1e\\_2025-06-01T08-41-55Z.zip · Harvester version unknown');
    expect(markdown).toContain('**No blockers found in this bundle.**');
    expect(markdown).toContain('| Cluster | unknown |');
    expect(markdown).toContain('No findings.');
    expect(markdown).toContain('**with a time:** n/a of those parsed');
    expect(markdown).not.toContain('## Timeline');
    const html = renderReport(report, 'html');
    expect(html).not.toContain('<svg');
    expect(html).toContain('<p>No findings.</p>');
    expect(renderReport(report, 'terminal')).toContain('\nNo blockers found in this bundle.\n');
    expect(JSON.parse(renderReport(report, 'json')).bundle.createdAt).toBeNull();
  });

  it('draws an upgrade whose nodes show only some steps', () => {
    const report = postmortemReport();
    const upgrade = report.upgrade!;
    report.upgrade = {
      ...upgrade,
      startedAt: null,
      finishedAt: null,
      durationSeconds: null,
      state: 'UpgradingNodes',
      nodes: upgrade.nodes.map((n) => ({ ...n, preDrainFinishedAt: null, postDrainStartedAt: null, succeededAt: null })),
    };
    report.incidents = report.incidents.map((i) => ({ ...i, nodes: [], end: null }));
    const markdown = renderReport(report, 'markdown');
    expect(markdown).toContain('| Window | unknown → not finished (state UpgradingNodes) |');
    expect(markdown).toContain('    Pre-drain started :done, milestone, 2025-06-12T14:05:12, 0s');
    expect(markdown).toContain('    Post-drain ended :done, milestone, 2025-06-12T14:38:55, 0s');
    expect(markdown).toContain('    INC-1 VMs on harvester-node-1 killed RKE2 upgraded without pre-drain started :crit, milestone, 2025-06-12T14:12:41, 0s');
    const html = renderReport(report, 'html');
    expect(html.match(/class="incident">/g)).toHaveLength(2);
  });
});

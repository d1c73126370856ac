import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { PostmortemReport } from '../../src/report/model.js';
import type { Finding } from '../../src/rules/types.js';
import { postmortemReport, readinessReport } from './fixture-report.js';

const mermaidBlock = (markdown: string): string[] => {
  const lines = markdown.split('\n');
  const start = lines.indexOf('```mermaid');
  expect(start).toBeGreaterThan(-1);
  const end = lines.indexOf('```', start + 1);
  return lines.slice(start + 1, end);
};

const manyFindings = (count: number, evidenceLines: number): PostmortemReport => {
  const report = postmortemReport();
  const template = report.findings.find((f) => f.ruleId === 'vm-abrupt-shutdown') as Finding;
  const findings = Array.from({ length: count }, (_, i): Finding => ({
    ...template,
    id: `vm-abrupt-shutdown:harvester-node-1:default/vm-${i}`,
    subject: `default/vm-${String(i).padStart(3, '0')}`,
    evidence: Array.from({ length: evidenceLines }, (_, j) => ({
      ...template.evidence[0],
      line: 1000 + i * 10 + j,
      text: `${template.evidence[0].text} ${'x'.repeat(300)}`,
    })),
    evidenceTotal: 40,
  }));
  return { ...report, findings, incidents: [], timeline: [] };
};

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(postmortemReport());

  it('opens with a title naming the cluster and the versions, then a summary', () => {
    expect(markdown.split('\n')[0]).toBe(
      '# Harvester upgrade post-mortem: cluster 3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17 · v1.4.2 → v1.5.0',
    );
    expect(markdown).toContain('| Cluster | `3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17` |');
    expect(markdown).toContain('created 2025-06-12T18:10:02.000Z');
    expect(markdown).toContain('| Window | 2025-06-12T13:02:11.000Z → 2025-06-12T17:04:40.000Z (4h 02m 29s) |');
    expect(markdown).toContain('| Findings | 1 critical, 5 high, 3 medium, 1 informational |');
    expect(markdown).toContain('| Incidents | 2 (1 confirmed, 1 inconclusive) |');
    expect(markdown).not.toContain('Is this cluster ready');
  });

  it('tells each incident as a chain whose steps are marked observed or inferred and cite file:line', () => {
    const incidents = markdown.slice(markdown.indexOf('## Incidents'), markdown.indexOf('## Upgrade by node'));
    expect(incidents.indexOf('### INC-1 · critical')).toBeLessThan(incidents.indexOf('### INC-2 · high'));
    expect(incidents).toContain("**Inconclusive:** harvester-node-2's instance-manager log starts at 2025-06-12T16:02:11.000Z");
    const steps = incidents.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps).toHaveLength(6);
    for (const step of steps) {
      expect(step).toMatch(/^\d+\. (\*\*observed\*\*|\*inferred\*) · /);
      expect(step).toMatch(/— `[^`]+:\d+`$/);
    }
    expect(steps[1]).toContain('`nodes/harvester-node-1.zip!/harvester-node-1/logs/rancher-system-agent.log:4812`');
  });

  it('lists findings most severe first with rules linked to their docs', () => {
    expect(markdown).toContain(
      '| [F1](#finding-1) | critical | [rke2-upgrade-without-pre-drain](rules/README.md#rke2-upgrade-without-pre-drain) | `harvester-node-1` |  | 14:12:41 | 2 |',
    );
    const linked = renderMarkdown(postmortemReport(), { ruleDocsBase: 'https://example.org/docs/rules.md' });
    expect(linked).toContain('[volume-degraded](https://example.org/docs/rules.md#volume-degraded)');
    expect(linked).not.toContain('](rules/README.md#');
    const spaced = renderMarkdown(postmortemReport(), { ruleDocsBase: 'docs/rule docs (v1).md' });
    expect(spaced).toContain('[volume-degraded](docs/rule%20docs%20%28v1%29.md#volume-degraded)');
  });

  it('shows per-node phases with unknown where the bundle shows nothing', () => {
    expect(markdown).toContain(
      '| `harvester-node-1` | Succeeded | 13:43:50 | unknown | unknown | 14:12:47 | 15:09:58 | 15:11:40 | 15:24:05 |',
    );
    expect(markdown).toContain('Times are UTC on 2025-06-12. `unknown` means the bundle does not show the step.');
  });

  it('draws a Mermaid gantt GitHub and GitLab can render', () => {
    const block = mermaidBlock(markdown);
    expect(block.slice(0, 5)).toEqual([
      'gantt',
      '    title Upgrade hvst-upgrade-x2hz8 v1.4.2 to v1.5.0 (UTC)',
      '    dateFormat YYYY-MM-DDTHH:mm:ss',
      '    axisFormat %H:%M',
      '    todayMarker off',
    ]);
    const sections = block.filter((l) => l.startsWith('    section '));
    expect(sections).toEqual(['    section Upgrade', '    section harvester-node-0', '    section harvester-node-1', '    section harvester-node-2']);
    const tasks = block.slice(5).filter((l) => !l.startsWith('    section '));
    for (const task of tasks) {
      const [name, data] = [task.slice(0, task.indexOf(':')), task.slice(task.indexOf(':') + 1)];
      expect(name.trim().length).toBeGreaterThan(0);
      expect(name).not.toMatch(/[#;]/);
      expect(data).not.toMatch(/[#;]/);
      expect(data).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d, (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|0s)$/);
    }
    expect(tasks).toContain('    INC-1 VMs on harvester-node-1 killed RKE2 upgraded without pre-drain :crit, 2025-06-12T14:12:41, 2025-06-12T14:12:55');
    expect(tasks).toContain('    Reboot :milestone, 2025-06-12T14:40:21, 0s');
    expect(tasks).toContain('    Pre-drain :done, 2025-06-12T14:05:12, 2025-06-12T14:21:40');
    // harvester-node-1 never pre-drained: no pre-drain and no drain bar in its section.
    const node1 = block.slice(block.indexOf('    section harvester-node-1'), block.indexOf('    section harvester-node-2'));
    expect(node1.some((l) => l.includes('Pre-drain') || l.includes('Drain'))).toBe(false);
  });

  it('keeps Mermaid syntax characters out of task and section names', () => {
    const report = postmortemReport();
    report.incidents[0] = { ...report.incidents[0], title: 'Drain: blocked #2; retried' };
    const block = mermaidBlock(renderMarkdown(report));
    expect(block).toContain('    INC-2 Drain blocked 2 retried :crit, 2025-06-12T15:30:41, 2025-06-12T16:18:44');
  });

  it('puts evidence in collapsible blocks of fenced code, with remediation per finding', () => {
    const f1 = markdown.slice(markdown.indexOf('<a id="finding-1"></a>'), markdown.indexOf('<a id="finding-2"></a>'));
    expect(f1).toContain('**Remediation:** Before upgrading, check every node with `kubectl get nodes --show-labels`');
    expect(f1).toContain('<details><summary>Evidence: 2 of 7 line(s)</summary>\n\n```\n');
    expect(f1).toContain(
      'nodes/harvester-node-1.zip!/harvester-node-1/logs/rke2-server.log:20931: Jun 12 14:12:47.019224 harvester-node-1 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...',
    );
    expect(f1).toContain('```\n\n</details>');
  });

  it('escapes backticks in evidence with a longer fence and markup in log-derived text', () => {
    const report = postmortemReport();
    const [first, ...rest] = report.findings;
    report.findings = [
      {
        ...first,
        id: 'hostile',
        severity: 'critical',
        message: 'VM <img src=x onerror=alert(1)> & "friends" stopped',
        subject: 'default/a|b',
        evidence: [{ file: 'logs/x.log', line: 3, time: null, text: 'before ``` inside ```` after' }],
      },
      ...rest,
    ];
    const text = renderMarkdown(report);
    expect(text).not.toMatch(/(^|[^\\])<img/m);
    expect(text).toContain('VM \\<img src=x onerror=alert(1)\\> \\& "friends" stopped');
    expect(text).toContain('`default/a\\|b`');
    expect(text).toContain('\n`````\nlogs/x.log:3: before ``` inside ```` after\n`````\n');
  });

  it('reads as a readiness check when the bundle shows no upgrade', () => {
    const text = renderMarkdown(readinessReport());
    expect(text.split('\n')[0]).toBe('# Is this cluster ready to upgrade? 3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17 · Harvester v1.4.2');
    expect(text).toContain('**Not ready: fix the 1 critical or high finding first.**');
    const fixes = text.slice(text.indexOf('### What to fix first'), text.indexOf('## Summary'));
    expect(fixes).toMatch(/^1\. \*\*high\*\* · Node carries maintenance-mode leftovers on `harvester-node-1`/m);
    expect(fixes).toContain('   Remove the leftover annotation with `kubectl annotate node harvester-node-1 harvesterhci.io/maintain-status-`.');
    expect(text).toContain('| Upgrade | none in this bundle |');
    expect(text).not.toContain('```mermaid');
    expect(text).not.toContain('## Upgrade by node');
    expect(text).not.toContain('## Incidents');
  });

  it('says a clean readiness bundle has no blockers', () => {
    const text = renderMarkdown({ ...readinessReport(), findings: [] });
    expect(text).toContain('**No blockers found in this bundle.**');
    expect(text).not.toContain('What to fix first');
  });

  it('reports coverage: files, lines parsed and with a time, formats, unreadable members, gaps, limits', () => {
    const coverage = markdown.slice(markdown.indexOf('## Coverage'));
    expect(coverage).toContain(
      "- **Files read:** 412 · **lines:** 1,873,204 · **parsed:** 1,873,204 (each file's first lines and time span, every line a rule or key event could match) · **with a time:** 99.4 % of those parsed",
    );
    expect(coverage).toContain(
      '  - `nodes/harvester-node-2.zip!/harvester-node-2/scc/scc_supportconfig_harvester-node-2.txz` — xz-compressed tar archives are not read',
    );
    expect(coverage).toContain("  - harvester-node-2's instance-manager log starts at 2025-06-12T16:02:11.000Z, after its drain began");
    expect(coverage).toContain('  - `maxLineBytes` × 2, e.g. `logs/cattle-system/rancher-7c9d8f6b5-lq2wz/rancher.log:88102`');
    expect(coverage).toContain('- **Rule failures:** none');
    expect(coverage).toContain('| `cri/logrus` | 611,200 | 32.6 % |');
  });

  it('is deterministic and leaves a report under budget untrimmed', () => {
    expect(renderMarkdown(postmortemReport())).toBe(markdown);
    expect(Buffer.byteLength(markdown)).toBeLessThan(60_000);
    expect(markdown).not.toContain('**Note:**');
    expect(markdown.endsWith('\n')).toBe(true);
    expect(markdown).not.toMatch(/\n\n\n/);
  });

  it('trims evidence to fit the size budget but keeps every finding', () => {
    const report = manyFindings(30, 5);
    expect(Buffer.byteLength(renderMarkdown(report, { maxBytes: 10_000_000 }))).toBeGreaterThan(60_000);
    const text = renderMarkdown(report);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(60_000);
    expect(text).toMatch(/\*\*Note:\*\* evidence was trimmed to \d line\(s\) per critical or high finding and \d per other finding/);
    expect(text).toMatch(/to keep this report under 60,000 bytes/);
    for (let i = 1; i <= 30; i++) expect(text).toContain(`<a id="finding-${i}"></a>`);
    expect(text).toContain(', trimmed to fit the size budget</summary>');
  });

  it('under a tight budget shows further findings of a rule as table rows with the remediation once', () => {
    const text = renderMarkdown(manyFindings(30, 5));
    expect(text).toContain('29 more finding(s) of the same rule as [F1](#finding-1), with the same remediation:');
    expect(text.match(/\*\*Remediation:\*\*/g)).toHaveLength(1);
    expect(text).toMatch(/\| <a id="finding-30"><\/a>F30 \| high \|/);
  });

  it('names the first finding with the same remediation instead of repeating it', () => {
    const text = renderMarkdown(manyFindings(3, 1), { maxBytes: 10_000_000 });
    expect(text.match(/\*\*Remediation:\*\* as for \[F1\]\(#finding-1\)\./g)).toHaveLength(2);
  });

  it('leaves evidence out entirely when even one line per finding is too much, still listing every finding', () => {
    const report = manyFindings(40, 5);
    const text = renderMarkdown(report, { maxBytes: 5_000 });
    expect(text).toContain('**Note:** evidence excerpts were left out');
    expect(text).not.toContain('<details><summary>Evidence');
    for (let i = 1; i <= 40; i++) expect(text).toContain(`| [F${i}](#finding-${i}) |`);
    expect(text).toContain('*Evidence left out to fit the size budget (40 line(s) seen).*');
  });
});

import { describe, expect, it } from 'vitest';
import { renderHtml, renderJson, renderMarkdown, renderReport, renderTerminal } from '../../src/report/index.js';
import { postmortemReport } from './fixture-report.js';

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

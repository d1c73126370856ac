import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { postmortemReport, readinessReport } from './fixture-report.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

const between = (html: string, start: string, end: string): string => html.slice(html.indexOf(start), html.indexOf(end, html.indexOf(start)));

describe('renderHtml', () => {
  const html = renderHtml(postmortemReport());

  it('is one self-contained page: inline CSS, no script, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|@import/i);
    // The only absolute URL is the SVG namespace, which is never fetched.
    expect(html.match(/https?:\/\/[^\s"'<]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('carries the same story as the Markdown report', () => {
    expect(html).toContain('<h1>Harvester upgrade post-mortem: cluster 3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17 · v1.4.2 → v1.5.0</h1>');
    expect(html).toContain('<tr><th scope="row">Window</th><td>2025-06-12T13:02:11.000Z → 2025-06-12T17:04:40.000Z (4h 02m 29s)</td></tr>');
    const inc1 = between(html, '<section class="card critical" id="incident-INC-1">', '</section>');
    expect(inc1.match(/<li><span class="rel (observed|inferred)">/g)).toHaveLength(4);
    expect(inc1).toContain('<code>nodes/harvester-node-1.zip!/harvester-node-1/logs/rke2-server.log:20931</code>');
    expect(html).toContain('<a href="rules/README.md#rke2-upgrade-without-pre-drain">rke2-upgrade-without-pre-drain</a>');
    expect(html).toContain('<td class="time unknown">unknown</td>');
    expect(html).toContain('<details><summary>Evidence: 2 of 7 line(s)</summary><pre><code>');
    expect(html).toContain('<strong>Remediation:</strong> Before upgrading, check every node with <code>kubectl get nodes --show-labels</code>');
    const coverage = html.slice(html.indexOf('<h2 id="coverage">'));
    expect(coverage).toContain('<code>nodes/harvester-node-2.zip!/harvester-node-2/scc/scc_supportconfig_harvester-node-2.txz</code> — xz-compressed tar archives are not read');
    for (let i = 1; i <= 10; i++) expect(html).toContain(`id="finding-${i}"`);
  });

  it('escapes every piece of text taken from logs and objects', () => {
    expect(html).toContain('terminating on signal 15 from pid 1 (&lt;unknown process&gt;)');
    expect(html).toContain('would violate the pod&#39;s disruption budget.');
    expect(html).toContain('error when evicting pods/&quot;instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908&quot;');
    const report = postmortemReport();
    report.findings[0] = {
      ...report.findings[0],
      message: '<img src=x onerror="alert(1)"> & more',
      subject: '"><svg onload=alert(2)>',
      evidence: [{ file: 'logs/<x>.log', line: 1, time: null, text: '</code></pre></details><script>alert(3)</script>' }],
    };
    report.incidents[0] = { ...report.incidents[0], title: '</title><script>alert(4)</script>' };
    const hostile = renderHtml(report, { ruleDocsBase: 'docs/rules.md?a=1&b="2"' });
    expect(hostile).not.toMatch(/<script|<img|<svg onload/);
    expect(hostile).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more');
    expect(hostile).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(hostile).toContain('href="docs/rules.md?a=1&amp;b=&quot;2&quot;#');
  });

  it('draws one swim lane per node with phases, incidents and findings in an inline SVG', () => {
    const svg = between(html, '<svg', '</svg>');
    for (const node of ['harvester-node-0', 'harvester-node-1', 'harvester-node-2']) {
      expect(svg).toContain(`class="lane-label">${node}</text>`);
    }
    expect(svg).toContain('class="tick">13:30</text>');
    expect(svg).toContain('class="axis-label">UTC</text>');
    expect(svg.match(/<title>Pre-drain: /g)).toHaveLength(2);
    expect(svg.match(/<title>RKE2 upgraded /g)).toHaveLength(3);
    expect(svg.match(/<title>Reboot /g)).toHaveLength(3);
    expect(svg.match(/class="incident">/g)).toHaveLength(2);
    expect(svg).toContain('<title>F1 critical rke2-upgrade-without-pre-drain at 2025-06-12T14:12:41.000Z</title>');
    // Only harvester-node-1 had RKE2 replaced before any pre-drain.
    expect(svg.match(/RKE2 before pre-drain/g)).toHaveLength(1);
  });

  it('reads as a readiness check without an upgrade', () => {
    const text = renderHtml(readinessReport());
    expect(text).toContain('<div class="verdict not-ready">Not ready: fix the 1 critical or high finding first.</div>');
    expect(text).toContain('<h3>What to fix first</h3>');
    expect(text).not.toContain('Upgrade by node');
    expect(text).not.toContain('id="incidents"');
  });

  it('is deterministic', () => {
    expect(renderHtml(postmortemReport())).toBe(html);
  });

  it.skipIf(!haveChromium)(
    `renders a non-blank page in headless Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} is not installed)`}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'hpm-report-'));
      try {
        writeFileSync(join(dir, 'report.html'), html);
        execFileSync(
          CHROMIUM,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${join(dir, 'profile')}`,
            '--window-size=1280,2000',
            `--screenshot=${join(dir, 'shot.png')}`,
            `file://${join(dir, 'report.html')}`,
          ],
          { stdio: 'ignore', timeout: 90_000 },
        );
        const png = PNG.sync.read(readFileSync(join(dir, 'shot.png')));
        expect(png.width).toBe(1280);
        const colours = new Set<number>();
        let white = 0;
        for (let i = 0; i < png.data.length; i += 4) {
          const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
          colours.add((r << 16) | (g << 8) | b);
          if (r > 250 && g > 250 && b > 250) white++;
        }
        expect(colours.size).toBeGreaterThan(200);
        expect(white / (png.width * png.height)).toBeLessThan(0.95);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

if (!haveChromium) console.warn(`render-html: ${CHROMIUM} not found, skipping the headless screenshot test (CI installs chromium).`);

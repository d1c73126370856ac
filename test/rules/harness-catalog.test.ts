import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRuleDoc, ruleCatalogue } from '../../src/rules/catalog.js';
import { loadRuleFiles } from '../../src/rules/sigma/load-rule-files.js';
import { rule } from './engine-helpers.js';

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'rule-catalogue-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ruleCatalogue and renderRuleDoc', () => {
  const userFile = join(scratch, 'mine.yaml');
  writeFileSync(userFile, `title: Mine\nid: mine\ndescription: d\nlevel: low\ndetection:\n  sel:\n    raw|contains: IOError\n  condition: sel\n`);
  const shipped = loadRuleFiles([RULES_DIR]).rules;
  const user = loadRuleFiles([userFile]).rules;
  const objectsOnly = rule('objects-only', [], () => ({}), { severity: 'high', title: 'Objects only', references: ['https://example.invalid/1'] });
  const lines = rule('lines', ['Paused'], () => ({}));

  it('lists every rule with severity, title, source, kind and literal flag, sorted by id', () => {
    const entries = ruleCatalogue([objectsOnly, ...user, ...shipped, lines]);
    expect(entries.map((entry) => entry.id)).toEqual([...entries.map((entry) => entry.id)].sort());
    expect(entries.find((entry) => entry.id === 'objects-only')).toEqual({
      id: 'objects-only',
      severity: 'high',
      title: 'Objects only',
      source: 'builtin',
      kind: 'typescript',
      file: null,
      line: null,
      literals: 0,
      noLiteral: true,
    });
    expect(entries.find((entry) => entry.id === 'lines')).toMatchObject({ source: 'builtin', literals: 1, noLiteral: false });
    expect(entries.find((entry) => entry.id === 'mine')).toMatchObject({ source: 'user', kind: 'detection', file: userFile, line: 2, noLiteral: false });
    expect(entries.find((entry) => entry.id === 'vm-paused-io-error')).toMatchObject({
      source: 'yaml',
      kind: 'detection',
      file: 'rules/kubevirt.yaml',
      severity: 'high',
      literals: 1,
    });
    expect(entries.find((entry) => entry.id === 'apply-manifests-waiting')).toMatchObject({ source: 'yaml', kind: 'correlation', literals: 3 });
  });

  it('renders a rule document with its source YAML for declarative rules', () => {
    const doc = renderRuleDoc(shipped.find((r) => r.id === 'vm-paused-io-error')!);
    expect(doc).toMatch(/^# vm-paused-io-error — VM paused on an I\/O error\n\nSeverity: high\nSource: rules\/kubevirt\.yaml:\d+ \(shipped declarative detection\)\n/);
    expect(doc).toContain('Prefilter literals: `Domain is in state Paused reason IOError`');
    expect(doc).toContain('## Remediation\n\nCheck the VM');
    expect(doc).toContain('## References\n\n- https://github.com/harvester/harvester/issues/9902');
    expect(doc).toContain("```yaml\ntitle: VM paused on an I/O error\nid: vm-paused-io-error\n");
    expect(doc.endsWith('```\n')).toBe(true);

    const builtin = renderRuleDoc(objectsOnly);
    expect(builtin).toContain('Source: built-in (TypeScript)\n');
    expect(builtin).toContain('Prefilter literals: none (reads no log lines)');
    expect(builtin).toContain('## Messages\n\n- hit: Hit on {{thing}}');
    expect(builtin).not.toContain('```yaml');
  });
});

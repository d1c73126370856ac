import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/builtin/index.js';
import { SEVERITIES } from '../../src/rules/types.js';
import { documentedRules } from '../../src/rules/write-rule-docs.js';
import { PACKAGE_ROOT } from '../../src/version.js';

const { rules } = documentedRules();
const readme = readFileSync(join(PACKAGE_ROOT, 'rules', 'README.md'), 'utf8');
const fixturesDir = join(PACKAGE_ROOT, 'rules', 'fixtures');
const fixtureFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? fixtureFiles(join(dir, n)) : [join(dir, n)])) : [];
const builtinIds = new Set(builtinRules.map((r) => r.id));

describe('rules about rules', () => {
  it('ids are unique and kebab-case; the built-in pack is sorted by id', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(builtinRules.map((r) => r.id)).toEqual([...builtinIds].sort());
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s is documented, actionable and prefiltered', (id, rule) => {
    const { meta } = rule;
    expect(readme, `no "## ${id}" section in rules/README.md`).toContain(`\n## ${id}\n`);
    expect(meta.title.trim()).not.toBe('');
    expect(meta.description.trim()).not.toBe('');
    expect(meta.remediation.trim(), 'remediation').not.toBe('');
    expect(meta.references.length, 'references').toBeGreaterThan(0);
    for (const ref of meta.references) expect(ref).toMatch(/^https:\/\//);
    expect(SEVERITIES).toContain(meta.severity);
    expect(Object.keys(meta.messages).length, 'message templates').toBeGreaterThan(0);
    // Either it reads log lines through the prefilter, or it declares itself objects-only (end/object handlers, no literals).
    expect(rule.literals.every((l) => l.length > 0), 'empty literal').toBe(true);
  });

  it.each(builtinRules.map((r) => [r.id, r] as const))('built-in %s has its test file and states how it gets its data', (id, rule) => {
    expect(existsSync(join(PACKAGE_ROOT, 'test', 'rules', 'builtin', `${id}.test.ts`)), `test/rules/builtin/${id}.test.ts`).toBe(true);
    expect(existsSync(join(PACKAGE_ROOT, 'src', 'rules', 'builtin', `${id}.ts`)), `src/rules/builtin/${id}.ts`).toBe(true);
    expect(rule.meta.sources.length, 'sources').toBeGreaterThan(0);
    expect(rule.meta.examples?.length ?? 0, 'example evidence lines').toBeGreaterThan(0);
    const handlers = rule.create({
      ruleId: id,
      facts: () => ({ name: null, clusterId: null, createdAt: null, kubernetesVersion: null, harvesterVersion: null, issueDescription: null, nodes: [], nodeReleases: {} }),
      objects: () => ({ all: () => [], byKind: () => [], get: () => undefined }),
      upgrade: () => null,
      keyEvents: () => [],
      unreadable: () => [],
      members: () => [],
      report: () => undefined,
    });
    if (rule.literals.length > 0) expect(handlers.event, 'literals without an event handler').toBeTypeOf('function');
    else expect(handlers.end ?? handlers.object, 'an objects-only rule needs end or object').toBeTypeOf('function');
  });

  it('every declarative rule has an annotated fixture in rules/fixtures/', () => {
    const annotated = new Set(
      fixtureFiles(fixturesDir).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/^# (?:expect|ok): (.+)$/gm)].flatMap((m) => m[1].split(',').map((id) => id.trim())),
      ),
    );
    const declarative = rules.filter((r) => !builtinIds.has(r.id));
    expect(declarative.length).toBeGreaterThan(0);
    for (const rule of declarative) expect(annotated.has(rule.id), `no fixture annotates ${rule.id}`).toBe(true);
  });
});

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { MemberInfo } from '../../bundle/types.js';
import { createObjectIndex } from '../../k8s/object-index.js';
import { compareText } from '../../util/compare.js';
import { createEngine } from '../engine.js';
import { ruleOrigin } from '../sigma/rule-origin.js';
import type { RuleModule } from '../types.js';
import { DEFAULT_FIXTURE_ANCHOR_MS, EMPTY_FACTS, feedLines } from './feed-lines.js';
import { type FixtureMember, parseFixture } from './fixture-file.js';

export interface RuleTestProblem {
  /** The fixture file (or the rule file when the fixture is missing). */
  file: string;
  line: number | null;
  message: string;
}

export interface RuleTestResult {
  /** The rule the fixture is named after. */
  ruleId: string;
  /** The fixture file or directory; null when the rule has none. */
  fixture: string | null;
  ok: boolean;
  /** expect/ok annotations checked. */
  checked: number;
  problems: RuleTestProblem[];
}

/**
 * Runs annotated fixtures: `<dir>/<rule-id>.<ext>` (one member) or `<dir>/<rule-id>/<member path...>` (several), each
 * through the real line parser and the engine with every rule its annotations name. Every `expect` line must be cited
 * by a finding of that rule, no `ok` line may be, and a finding citing any other line is an extra finding. Declarative
 * rules among `rules` without a fixture fail too.
 */
export function runRuleTests(rules: readonly RuleModule[], fixtureDirs: readonly string[]): RuleTestResult[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const results: RuleTestResult[] = [];
  const tested = new Set<string>();
  for (const dir of fixtureDirs) {
    for (const fixture of findFixtures(dir)) {
      tested.add(fixture.ruleId);
      results.push(runFixture(fixture.ruleId, fixture.path, loadMembers(fixture.path, fixture.isDirectory), byId));
    }
  }
  for (const rule of rules) {
    const origin = ruleOrigin(rule);
    if (origin && !tested.has(rule.id)) {
      results.push({
        ruleId: rule.id,
        fixture: null,
        ok: false,
        checked: 0,
        problems: [{ file: origin.file, line: origin.line, message: `no fixture ${rule.id}.<ext> or ${rule.id}/ in ${fixtureDirs.join(', ')}` }],
      });
    }
  }
  return results.sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.fixture, b.fixture));
}

function findFixtures(dir: string): { ruleId: string; path: string; isDirectory: boolean }[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort(compareText)
    .map((name) => {
      const path = join(dir, name);
      const isDirectory = statSync(path).isDirectory();
      return { ruleId: isDirectory ? name : name.split('.')[0], path, isDirectory };
    });
}

function loadMembers(path: string, isDirectory: boolean): FixtureMember[] {
  if (!isDirectory) return [parseFixture(path, readFileSync(path, 'utf8'), basename(path))];
  return listFiles(path).map((file) => parseFixture(file, readFileSync(file, 'utf8'), relative(path, file).split(sep).join('/')));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort(compareText)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

function runFixture(ruleId: string, fixturePath: string, members: FixtureMember[], byId: ReadonlyMap<string, RuleModule>): RuleTestResult {
  const problems: RuleTestProblem[] = members.flatMap((member) => member.problems.map((problem) => ({ file: member.file, ...problem })));
  const annotations = members.flatMap((member) => member.annotations.map((annotation) => ({ ...annotation, member })));
  const ruleIds = [...new Set([ruleId, ...annotations.map((annotation) => annotation.ruleId)])].sort(compareText);

  const rules: RuleModule[] = [];
  for (const id of ruleIds) {
    const rule = byId.get(id);
    if (rule) rules.push(rule);
    else {
      const where = annotations.find((annotation) => annotation.ruleId === id);
      problems.push({ file: where?.member.file ?? fixturePath, line: where?.fixtureLine ?? null, message: `no rule with id "${id}"` });
    }
  }
  if (!annotations.some((annotation) => annotation.ruleId === ruleId)) {
    problems.push({ file: fixturePath, line: null, message: `no "# expect: ${ruleId}" or "# ok: ${ruleId}" annotation` });
  }

  const seen: MemberInfo[] = [];
  const index = createObjectIndex([]);
  const engine = createEngine(rules, {
    facts: () => EMPTY_FACTS,
    objects: () => index,
    upgrade: () => null,
    keyEvents: () => [],
    unreadable: () => [],
    members: () => seen,
    maxEvidence: Number.POSITIVE_INFINITY,
  });
  for (const member of members) {
    const time = { anchorMs: member.anchorMs ?? DEFAULT_FIXTURE_ANCHOR_MS, zone: member.zone ?? 'UTC' };
    seen.push(feedLines(engine, member.memberPath, member.lines, time));
  }
  const { findings, failures } = engine.end();
  for (const failure of failures) {
    const at = failure.at === null ? null : locate(members, failure.at);
    problems.push({ file: at?.file ?? fixturePath, line: at?.line ?? null, message: `rule ${failure.ruleId} crashed: ${failure.error}` });
  }

  const key = (memberPath: string, line: number): string => `${memberPath}:${line}`;
  for (const rule of rules) {
    const expected = new Set<string>();
    const allowedSilent = new Set<string>();
    for (const annotation of annotations) {
      if (annotation.ruleId !== rule.id) continue;
      (annotation.kind === 'expect' ? expected : allowedSilent).add(key(annotation.member.memberPath, annotation.memberLine));
    }
    const cited = new Set<string>();
    for (const finding of findings) {
      if (finding.ruleId !== rule.id) continue;
      const lines = finding.evidence.filter((ref) => ref.line !== null);
      if (lines.length === 0) {
        problems.push({ file: fixturePath, line: null, message: `${rule.id} reported "${finding.message}" citing no line` });
      }
      for (const ref of lines) cited.add(key(ref.file, ref.line!));
    }
    for (const annotation of annotations) {
      if (annotation.ruleId !== rule.id) continue;
      const annotated = key(annotation.member.memberPath, annotation.memberLine);
      if (annotation.kind === 'expect' && !cited.has(annotated)) {
        problems.push({ file: annotation.member.file, line: annotation.fixtureLine, message: `expected ${rule.id} on the next line; it did not fire there` });
      } else if (annotation.kind === 'ok' && cited.has(annotated)) {
        problems.push({ file: annotation.member.file, line: annotation.fixtureLine, message: `${rule.id} fired on the next line, marked ok` });
      }
    }
    for (const citedKey of cited) {
      if (expected.has(citedKey) || allowedSilent.has(citedKey)) continue;
      const at = locate(members, citedKey);
      problems.push({ file: at?.file ?? fixturePath, line: at?.line ?? null, message: `${rule.id} fired on a line not marked "# expect: ${rule.id}"` });
    }
  }

  problems.sort((a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareText(a.message, b.message));
  return { ruleId, fixture: fixturePath, ok: problems.length === 0, checked: annotations.length, problems };
}

/** Fixture file and line of a `member:line` citation. */
function locate(members: readonly FixtureMember[], citation: string): { file: string; line: number } | null {
  const colon = citation.lastIndexOf(':');
  const memberLine = Number(citation.slice(colon + 1));
  const member = members.find((candidate) => candidate.memberPath === citation.slice(0, colon));
  const line = member?.fixtureLines[memberLine - 1];
  return member && line !== undefined ? { file: member.file, line } : null;
}

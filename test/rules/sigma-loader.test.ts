import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleFiles, loadRuleSources } from '../../src/rules/sigma/load-rule-files.js';
import { ruleOrigin } from '../../src/rules/sigma/rule-origin.js';

const FIRST = `title: Good rule
id: good-rule
description: Valid.
level: low
detection:
  sel:
    message|contains: 'Domain is in state Paused'
  condition: sel
---
title: Many problems
id: Bad_Id
status: draft
description: Everything wrong at once.
level: severe
colour: red
logsource:
  component: virt-handler
  product: harvester
detection:
  sel:
    message|contains|startswith: x
    raw|wildcard: y
    raw|re: '(unclosed'
    message|contains: '*Paused*'
  condition: sel and
---
title: Duplicate
id: good-rule
description: Same id as the first.
level: low
detection:
  sel:
    raw|contains: IOError
  condition: sel
`;

const SECOND = `title: Correlated
id: correlated
description: Refers to rules that are missing or not detections.
level: high
correlation:
  type: sequence
  rules:
    - good-rule
    - no-such-rule
  timespan: 10 minutes
  condition:
    gte: 3
---
title: Counting
id: counting
description: event_count needs its condition.
level: medium
correlation:
  type: event_count
  rules: [correlated]
  timespan: 10m
---
title: Missing parts
id: missing-parts
level: high
detection:
  condition: sel
---
title: Broken YAML
id: broken
description: [unclosed
`;

describe('loadRuleSources: errors', () => {
  it('reports every problem of every file at once, with file and line, in order', () => {
    const { errors, rules } = loadRuleSources([
      { file: 'rules/a.yaml', text: FIRST },
      { file: 'rules/b.yaml', text: SECOND },
    ]);
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      'rules/a.yaml:11: id "Bad_Id" must be kebab-case (a-z, 0-9, single dashes)',
      'rules/a.yaml:12: status must be one of stable, test, experimental, deprecated, unsupported',
      'rules/a.yaml:14: level must be one of informational, low, medium, high, critical',
      'rules/a.yaml:15: unknown key "colour"',
      'rules/a.yaml:18: unknown key "product" in logsource (use component, file, kind)',
      'rules/a.yaml:21: selection "sel": "message|contains|startswith" combines contains and startswith; use one of contains, startswith, endswith, re',
      'rules/a.yaml:22: selection "sel": unknown modifier "wildcard" in "raw|wildcard"',
      'rules/a.yaml:23: selection "sel": "raw|re": Invalid regular expression: /(unclosed/: Unterminated group',
      'rules/a.yaml:24: selection "sel": "message|contains": wildcards (* and ?) are not supported; use |contains, |startswith, |endswith or |re, or escape them as \\* and \\?',
      'rules/a.yaml:25: condition ends too early',
      'rules/a.yaml:28: duplicate id "good-rule" (first at rules/a.yaml:2)',
      'rules/b.yaml:6: correlation type must be one of temporal_ordered, event_count, absence',
      'rules/b.yaml:9: unknown rule "no-such-rule"',
      'rules/b.yaml:10: timespan "10 minutes" must be a positive number with s, m, h or d (e.g. 90s, 10m, 2h)',
      'rules/b.yaml:18: an event_count correlation needs a condition such as "gte: 10"',
      'rules/b.yaml:20: "correlated" is a correlation; correlations relate detection rules only',
      'rules/b.yaml:23: missing "description"',
      'rules/b.yaml:26: detection needs at least one selection',
      'rules/b.yaml:32: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    // What compiled is still returned (sorted by id); the caller refuses to run while errors exist.
    expect(rules.map((rule) => rule.id)).toEqual(['good-rule']);
  });

  it('reports unknown referenced rules, ids taken by built-in rules and event_count without condition', () => {
    const text = `title: T\nid: rke2-upgrade-without-pre-drain\ndescription: d\nlevel: low\ndetection:\n  sel:\n    raw|contains: x\n  condition: sel
---
title: C\nid: c\ndescription: d\nlevel: low\ncorrelation:\n  type: event_count\n  rules: [nowhere]\n  timespan: 1h
---
title: D\nid: d\ndescription: d\nlevel: low\ncorrelation:\n  type: absence\n  rules: [c]\n  timespan: 1h\n  condition:\n    gte: 2\n`;
    const { errors } = loadRuleSources([{ file: 'r.yaml', text }], { reservedIds: ['rke2-upgrade-without-pre-drain'] });
    expect(errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      '2: id "rke2-upgrade-without-pre-drain" is already used by a built-in rule',
      '14: an event_count correlation needs a condition such as "gte: 10"',
      '16: unknown rule "nowhere"',
      '25: "c" is a correlation; correlations relate detection rules only',
      '25: an absence correlation needs at least 2 rules',
      '27: an absence correlation takes no condition (only event_count does)',
    ]);
  });

  it('a correlation naming a broken rule gets no second error for it', () => {
    const text = `title: B\nid: b\ndescription: d\nlevel: low\ndetection:\n  sel:\n    raw|bogus: x\n  condition: sel
---
title: C\nid: c\ndescription: d\nlevel: low\ncorrelation:\n  type: event_count\n  rules: [b]\n  timespan: 1h\n  condition:\n    gte: 2\n`;
    expect(loadRuleSources([{ file: 'r.yaml', text }]).errors.map((e) => e.line)).toEqual([7]);
  });
});

describe('loadRuleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files and directories (not recursing into fixtures), records each rule’s origin, reports unreadable paths', () => {
    const rule = (id: string) => `title: ${id}\nid: ${id}\ndescription: d\nlevel: low\ndetection:\n  sel:\n    raw|contains: ${id}\n  condition: sel\n`;
    writeFileSync(join(dir, 'b.yaml'), rule('from-b'));
    writeFileSync(join(dir, 'a.yml'), `# leading comment\n${rule('from-a')}`);
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures', 'ignored.yaml'), 'not: [valid');
    const extra = join(dir, 'extra.rule');
    writeFileSync(extra, rule('from-extra'));

    const { rules, errors } = loadRuleFiles([dir, extra, join(dir, 'missing.yaml')]);
    expect(rules.map((r) => r.id)).toEqual(['from-a', 'from-b', 'from-extra']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: join(dir, 'missing.yaml'), line: 1 });
    expect(errors[0].message).toMatch(/^cannot read: ENOENT/);
    expect(ruleOrigin(rules[0])).toEqual({
      file: join(dir, 'a.yml'),
      line: 3,
      kind: 'detection',
      source: rule('from-a').trimEnd(),
    });
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEngine, fingerprint } from '../../src/rules/engine.js';
import type { K8sObject } from '../../src/k8s/types.js';
import type { FindingInput } from '../../src/rules/types.js';
import { MEMBER, env, event, rule } from './engine-helpers.js';

// Real lines (real-log-samples.md E38, E21) used as evidence text.
const PAUSED =
  '2025-12-12T10:57:28.031354000Z {"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","name":"web-01","namespace":"default","pos":"vm.go:3396","timestamp":"2025-12-12T10:57:28.031354Z"}';
const T0 = Date.UTC(2025, 11, 12, 10, 57, 28);

/** A rule that reports every line it gets, with report fields taken from a callback. */
function reporter(id: string, literal: string, input: (line: number) => Partial<FindingInput>) {
  return rule(id, [literal], (context) => ({
    event(e) {
      context.report({
        messageId: 'hit',
        data: { thing: `line ${e.line}` },
        time: e.time,
        evidence: [{ file: e.file, line: e.line, time: e.time, text: e.raw }],
        ...input(e.line),
      });
    },
  }));
}

describe('createEngine: merging', () => {
  it('merges reports with the same rule, node and subject into one finding with a stable id', () => {
    const engine = createEngine([reporter('paused', 'Paused', () => ({ node: 'n1', subject: 'default/web-01' }))], env());
    engine.event(event(PAUSED, 7, T0 + 2000), MEMBER);
    engine.event(event(PAUSED, 3, T0), MEMBER);
    engine.event(event(PAUSED, 9, T0 + 5000), MEMBER);
    const { findings, failures } = engine.end();
    expect(failures).toEqual([]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    const expectedId = createHash('sha1').update('paused\0n1\0default/web-01').digest('hex').slice(0, 12);
    expect(finding.id).toBe(expectedId);
    expect(finding.id).toBe(fingerprint('paused', 'n1', 'default/web-01'));
    expect(finding).toMatchObject({ ruleId: 'paused', node: 'n1', subject: 'default/web-01', count: 3, firstSeen: T0, lastSeen: T0 + 5000 });
    // The message comes from the earliest report, whatever the arrival order.
    expect(finding.message).toBe('Hit on line 3');
    expect(finding.evidence.map((ref) => ref.line)).toEqual([3, 7, 9]);
  });

  it('keeps different nodes and subjects apart', () => {
    let n = 0;
    const subjects = ['default/a', 'default/b', 'default/a'];
    const engine = createEngine([reporter('paused', 'Paused', () => ({ node: 'n1', subject: subjects[n++] }))], env());
    for (let line = 1; line <= 3; line++) engine.event(event(PAUSED, line, T0 + line), MEMBER);
    const { findings } = engine.end();
    expect(findings.map((f) => [f.subject, f.count])).toEqual([
      ['default/a', 2],
      ['default/b', 1],
    ]);
    expect(new Set(findings.map((f) => f.id)).size).toBe(2);
  });

  it('caps evidence at maxEvidence, earliest first, deduplicated by file:line, with the total', () => {
    const engine = createEngine([reporter('paused', 'Paused', () => ({}))], env({ maxEvidence: 2 }));
    for (const line of [5, 1, 4, 1, 3, 2, 5]) engine.event(event(PAUSED, line, T0 + line * 1000), MEMBER);
    const [finding] = engine.end().findings;
    expect(finding.count).toBe(7);
    expect(finding.evidenceTotal).toBe(5);
    expect(finding.evidence.map((ref) => ref.line)).toEqual([1, 2]);
  });

  it('uses the maximum of the reports’ severities, defaulting to the rule’s', () => {
    const severities = [undefined, 'high', 'low'] as const;
    let n = 0;
    const engine = createEngine([reporter('paused', 'Paused', () => ({ severity: severities[n++] }))], env());
    for (let line = 1; line <= 3; line++) engine.event(event(PAUSED, line, T0 + line), MEMBER);
    expect(engine.end().findings[0].severity).toBe('high');

    const lowered = createEngine([reporter('paused', 'Paused', () => ({ severity: 'informational' }))], env());
    lowered.event(event(PAUSED, 1, T0), MEMBER);
    expect(lowered.end().findings[0].severity).toBe('informational');
  });

  it('merges fields across reports, the latest report winning a shared key', () => {
    const fieldsByLine: Record<number, Record<string, string | number | boolean | null>> = {
      1: { state: 'paused', volume: 'pvc-1' },
      2: { state: 'resumed' },
    };
    const engine = createEngine([reporter('paused', 'Paused', (line) => ({ fields: fieldsByLine[line] }))], env());
    engine.event(event(PAUSED, 2, T0 + 60_000), MEMBER);
    engine.event(event(PAUSED, 1, T0), MEMBER);
    expect(engine.end().findings[0].fields).toEqual({ state: 'resumed', volume: 'pvc-1' });
  });

  it('renders {{name}} placeholders and leaves unknown ones visible', () => {
    const r = rule('m', ['Paused'], (context) => ({
      event: () => context.report({ messageId: 'hit', data: { other: 1 } }),
    }));
    const engine = createEngine([r], env());
    engine.event(event(PAUSED, 1, T0), MEMBER);
    expect(engine.end().findings[0].message).toBe('Hit on {{thing}}');
  });

  it('masks secrets in evidence, messages and fields', () => {
    const r = rule('secret', ['password='], (context) => ({
      event(e) {
        context.report({
          messageId: 'hit',
          data: { thing: e.raw },
          evidence: [{ file: e.file, line: e.line, time: e.time, text: e.raw }],
          fields: { line: e.raw, retries: 3 },
        });
      },
    }));
    const engine = createEngine([r], env());
    engine.event(event('time="2025-01-01T00:00:00Z" level=info msg="login" password=hunter2 user=admin', 1, T0), MEMBER);
    const [finding] = engine.end().findings;
    expect(finding.evidence[0].text).toBe('time="2025-01-01T00:00:00Z" level=info msg="login" password=*** user=admin');
    expect(finding.message).not.toContain('hunter2');
    expect(finding.fields).toEqual({ line: finding.evidence[0].text, retries: 3 });
  });

  it('sorts findings totally: severity desc, firstSeen, rule, node, subject', () => {
    const severities: Record<string, 'high' | 'low'> = { a: 'low', b: 'high', c: 'high' };
    const make = (id: string) =>
      rule(id, ['Paused'], (context) => ({
        event(e) {
          context.report({ messageId: 'hit', data: { thing: id }, time: id === 'c' ? T0 - 1 : e.time, node: 'n2', subject: 's', severity: severities[id] });
          context.report({ messageId: 'hit', data: { thing: id }, time: e.time, node: 'n1', subject: 's', severity: severities[id] });
          context.report({ messageId: 'hit', data: { thing: id }, time: null, node: 'n0', subject: 's', severity: severities[id] });
        },
      }));
    const engine = createEngine([make('a'), make('b'), make('c')], env());
    engine.event(event(PAUSED, 1, T0), MEMBER);
    expect(engine.end().findings.map((f) => `${f.severity} ${f.ruleId} ${f.node}`)).toEqual([
      'high c n2',
      'high b n1',
      'high b n2',
      'high c n1',
      'high b n0',
      'high c n0',
      'low a n1',
      'low a n2',
      'low a n0',
    ]);
  });
});

describe('createEngine: dispatch and isolation', () => {
  it('gives a rule only the lines that contain one of its literals, and none to a rule without literals', () => {
    const seen: Record<string, number[]> = { paused: [], either: [], none: [] };
    const track = (id: string, literals: string[]) => rule(id, literals, () => ({ event: (e) => void seen[id].push(e.line) }));
    const engine = createEngine([track('paused', ['Paused']), track('either', ['IOError', 'Shutoff']), track('none', [])], env());
    engine.event(event(PAUSED, 1, T0), MEMBER);
    engine.event(event('{"msg":"kubevirt domain status: Shutoff(5):Crashed(3)"}', 2, T0), MEMBER);
    engine.event(event('nothing to see', 3, T0), MEMBER);
    engine.end();
    expect(seen).toEqual({ paused: [1], either: [1, 2], none: [] });
  });

  it('feeds taps from the same literal scan as the rules', () => {
    const tapped: number[] = [];
    const ruled: number[] = [];
    const engine = createEngine(
      [rule('paused', ['Paused'], () => ({ event: (e) => void ruled.push(e.line) }))],
      env(),
      [{ literals: ['Shutoff'], event: (e) => void tapped.push(e.line) }],
    );
    engine.event(event(PAUSED, 1, T0), MEMBER);
    engine.event(event('{"msg":"kubevirt domain status: Shutoff(5):Crashed(3)"}', 2, T0), MEMBER);
    engine.event(event('nothing to see', 3, T0), MEMBER);
    expect(ruled).toEqual([1]);
    expect(tapped).toEqual([2]);
  });

  it('disables a rule that throws, reports where, and lets the others go on', () => {
    const calls: number[] = [];
    const crashing = rule('crashing', ['Paused'], () => ({
      event(e) {
        calls.push(e.line);
        if (e.line === 2) throw new Error('boom');
      },
    }));
    const healthy = reporter('healthy', 'Paused', () => ({}));
    const engine = createEngine([crashing, healthy], env());
    for (let line = 1; line <= 3; line++) engine.event(event(PAUSED, line, T0 + line), MEMBER);
    const { findings, failures } = engine.end();
    expect(calls).toEqual([1, 2]);
    expect(failures).toEqual([{ ruleId: 'crashing', error: 'boom', at: `${MEMBER.path}:2` }]);
    expect(findings.map((f) => [f.ruleId, f.count])).toEqual([['healthy', 3]]);
  });

  it('isolates crashes in create, object and end handlers, and a report with an unknown messageId', () => {
    const object: K8sObject = { apiVersion: 'v1', kind: 'Node', namespace: null, name: 'n1', raw: {}, file: 'yamls/cluster/v1/nodes.yaml', line: 3 };
    const rules = [
      rule('in-create', [], () => {
        throw new Error('no context');
      }),
      rule('in-object', [], () => ({
        object() {
          throw new TypeError('bad object');
        },
      })),
      rule('in-end', [], () => ({
        end() {
          throw new Error('late');
        },
      })),
      rule('bad-message', ['Paused'], (context) => ({ event: () => context.report({ messageId: 'nope' }) })),
    ];
    const engine = createEngine(rules, env());
    engine.object(object);
    engine.event(event(PAUSED, 4, T0), MEMBER);
    const { failures, findings } = engine.end();
    expect(findings).toEqual([]);
    expect(failures).toEqual([
      { ruleId: 'bad-message', error: 'report with unknown messageId "nope"', at: `${MEMBER.path}:4` },
      { ruleId: 'in-create', error: 'no context', at: null },
      { ruleId: 'in-end', error: 'late', at: null },
      { ruleId: 'in-object', error: 'bad object', at: 'yamls/cluster/v1/nodes.yaml:3' },
    ]);
  });

  it('gives rules the environment lazily and returns the same result when end is called twice', () => {
    let asked = 0;
    const r = rule('facts', [], (context) => ({
      end() {
        context.report({ messageId: 'hit', data: { thing: String(context.facts().nodes.length) } });
      },
    }));
    const engine = createEngine([r], env({ facts: () => (asked++, { ...env().facts(), nodes: ['n1', 'n2'] }) }));
    expect(asked).toBe(0);
    const first = engine.end();
    expect(first.findings[0].message).toBe('Hit on 2');
    expect(engine.end()).toBe(first);
    expect(asked).toBe(1);
  });
});

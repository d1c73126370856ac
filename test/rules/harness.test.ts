import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../src/rules/sigma/load-rule-files.js';
import { runRuleTests } from '../../src/rules/testing/run-rule-tests.js';
import type { RuleModule } from '../../src/rules/types.js';
import { meta } from './engine-helpers.js';
import { README_FIXTURE, README_RULE } from '../readme-example.js';

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'rule-harness-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(scratch, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe('the shipped declarative rules', () => {
  it('load without errors and pass their annotated fixtures', () => {
    const { rules, errors } = loadRuleFiles([RULES_DIR]);
    expect(errors).toEqual([]);
    expect(rules.map((rule) => rule.id)).toEqual([
      'apply-manifests-instance-manager-wait',
      'apply-manifests-rancher-wait',
      'apply-manifests-waiting',
      'live-migration-failed',
      'upgrade-job-retrying',
      'vm-paused-io-error',
    ]);
    const results = runRuleTests(rules, [join(RULES_DIR, 'fixtures')]);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.map((result) => [result.ruleId, result.checked > 0])).toEqual(rules.map((rule) => [rule.id, true]));
  });
});

describe('runRuleTests', () => {
  const RULE = `title: Paused VM\nid: paused-vm\ndescription: d\nlevel: high\nlogsource:\n  component: virt-handler
detection:\n  paused:\n    message: 'Domain is in state Paused reason IOError'\n  condition: paused\nsubject: '{{fields.namespace}}/{{fields.name}}'\n`;
  const paused = (time: string, name: string) =>
    `2025-12-12T${time}.000000000Z {"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","name":"${name}","namespace":"default","pos":"vm.go:3396","timestamp":"2025-12-12T${time}.000000Z"}`;

  it('reports a missed expect, a fired ok, an extra finding and unknown ids, each at its fixture line', () => {
    const rules = write('bad/rules.yaml', RULE);
    const fixture = write(
      'bad/fixtures/paused-vm.log',
      [
        '# member: logs/harvester-system/virt-handler-k49lw/virt-handler.log', // 1
        '# expect: paused-vm', // 2
        '2025-12-12T10:00:00.000000000Z {"component":"virt-handler","level":"info","msg":"Processing event default/web-01"}', // 3
        '# ok: paused-vm', // 4
        paused('10:00:01', 'web-01'), // 5
        paused('10:00:02', 'web-02'), // 6: fires, not annotated
        '# expect: no-such-rule', // 7
        paused('10:00:03', 'web-03'), // 8: fires, not annotated either
        '# ok: paused-vm', // 9: nothing follows
        '',
      ].join('\n'),
    );
    const { rules: loaded } = loadRuleFiles([rules]);
    const [result] = runRuleTests(loaded, [join(scratch, 'bad/fixtures')]);
    expect(result).toMatchObject({ ruleId: 'paused-vm', fixture, ok: false, checked: 3 });
    expect(result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '2: expected paused-vm on the next line; it did not fire there',
      '4: paused-vm fired on the next line, marked ok',
      '6: paused-vm fired on a line not marked "# expect: paused-vm"',
      '7: no rule with id "no-such-rule"',
      '8: paused-vm fired on a line not marked "# expect: paused-vm"',
      '9: "# ok: paused-vm" is not followed by a log line',
    ]);
    expect(result.problems.every((p) => p.file === fixture)).toBe(true);
  });

  it('fails a declarative rule without a fixture and a fixture without annotations for its rule', () => {
    const rules = write('lonely/rules.yaml', `${RULE}---\n${RULE.replace('id: paused-vm', 'id: other-vm')}`);
    write('lonely/fixtures/other-vm.log', `# member: logs/harvester-system/virt-handler-k49lw/virt-handler.log\n${paused('10:00:00', 'a')}\n`);
    const { rules: loaded } = loadRuleFiles([rules]);
    const results = runRuleTests(loaded, [join(scratch, 'lonely/fixtures')]);
    expect(results.map((r) => [r.ruleId, r.fixture === null, r.problems.map((p) => p.message)])).toEqual([
      ['other-vm', false, ['no "# expect: other-vm" or "# ok: other-vm" annotation', 'other-vm fired on a line not marked "# expect: other-vm"']],
      ['paused-vm', true, [`no fixture paused-vm.<ext> or paused-vm/ in ${join(scratch, 'lonely/fixtures')}`]],
    ]);
    expect(results[1].problems[0]).toMatchObject({ file: rules, line: 2 });
  });

  it('runs TypeScript rules too, and reports a crash at the fixture line being processed', () => {
    const crashing: RuleModule = {
      id: 'crashing-rule',
      meta: meta(),
      literals: ['IOError'],
      create: () => ({
        event() {
          throw new Error('boom');
        },
      }),
    };
    write('ts/crashing-rule.log', `# member: logs/harvester-system/virt-handler-k49lw/virt-handler.log\n# ok: crashing-rule\n${paused('10:00:00', 'a')}\n`);
    const [result] = runRuleTests([crashing], [join(scratch, 'ts')]);
    expect(result.problems).toEqual([{ file: join(scratch, 'ts/crashing-rule.log'), line: 3, message: 'rule crashing-rule crashed: boom' }]);
  });

  it('reads several members from a fixture directory, with year anchor and zone per member', () => {
    const rule = `title: Stop\nid: rke2-stop\ndescription: d\nlevel: low\nlogsource:\n  component: rke2-server
detection:\n  stop:\n    message|startswith: 'Stopping Rancher Kubernetes Engine v2'\n  condition: stop\n`;
    const rules = write('dir/rules.yaml', rule);
    write(
      'dir/fixtures/rke2-stop/nodes/bat05.zip!/bat05/logs/rke2-server.log',
      '# anchor: 2025-03-10T00:00:00Z\n# zone: Europe/Berlin\n# expect: rke2-stop\nMar 03 19:33:30.101010 bat05 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...\n',
    );
    write(
      'dir/fixtures/rke2-stop/nodes/bat06.zip!/bat06/logs/rke2-server.log',
      '# ok: rke2-stop\nMar 03 19:33:31.000000 bat06 rke2[1284524]: time="2025-03-03T19:33:31Z" level=info msg="Shutting down /v1, Kind=Node workers"\n',
    );
    const { rules: loaded } = loadRuleFiles([rules]);
    const [result] = runRuleTests(loaded, [join(scratch, 'dir/fixtures')]);
    expect(result).toMatchObject({ ruleId: 'rke2-stop', ok: true, checked: 2, problems: [] });
  });
});

describe('a user rule written from the README alone', () => {
  it('loads, passes its fixture and reports the volume as subject', () => {
    const dir = join(scratch, 'user-rules');
    write('user-rules/longhorn.yaml', README_RULE);
    write('user-rules/fixtures/longhorn-engine-info-timeout.log', README_FIXTURE);
    const { rules, errors } = loadRuleFiles([dir]);
    expect(errors).toEqual([]);
    expect(rules[0].literals).toEqual(['cannot get volume info: Timeout executing']);
    const [result] = runRuleTests(rules, [join(dir, 'fixtures')]);
    expect(result).toMatchObject({ ruleId: 'longhorn-engine-info-timeout', ok: true, checked: 2 });
  });
});

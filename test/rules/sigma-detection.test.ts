import { describe, expect, it } from 'vitest';
import { APPLY_MANIFESTS, VIRT_HANDLER, cited, cri, journal, loadErrors, loadRule, run } from './sigma-helpers.js';

// Real lines: real-log-samples.md E38 (virt-handler JSON), E21 (virt-handler migration target), E23/E25/E37 (apply-manifests),
// E27 (rke2-server journal), E17 (virt-launcher graceful shutdown).
const PAUSED = (name: string) =>
  `{"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Paused reason IOError","name":"${name}","namespace":"default","pos":"vm.go:3396","timestamp":"2025-12-12T10:57:28.031354Z"}`;
const MIGRATION_TARGET =
  '{"component":"virt-handler","level":"info","msg":"re-enqueuing VirtualMachineInstance default/rke2-guest-01-pool1-b4649f31-9g2nx","pos":"vm.go:1588","reason":"syncing migration target failed: unknown error encountered sending command SyncMigrationTarget: rpc error: code = Unavailable desc = error reading from server: EOF","timestamp":"2024-01-31T13:23:48.555655Z"}';
const GRACEFUL =
  '{"component":"virt-launcher","kind":"VirtualMachineInstance","level":"info","msg":"Signaled graceful shutdown","name":"testvmi-txhzt","namespace":"kubevirt-test-default1","pos":"virt-launcher.go:443","timestamp":"2024-09-20T09:23:38.189319Z","uid":"07fd2702-8124-41f2-b393-b8f12a1c61fd"}';
const IM_RETRY = 'instance-manager (aio) (image=longhornio/longhorn-instance-manager:v1.6.2) count is not 1 on node servername0000, will retry...';
const RKE2_STOP = 'Mar 03 19:33:30.101010 bat05 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...';
const RKE2_SHUTDOWN = 'Mar 03 19:33:30.202020 bat05 rke2[1284524]: time="2025-03-03T19:33:30Z" level=info msg="Shutting down /v1, Kind=Node workers"';

const rule = (detection: string, extra = '') => `
title: Test
id: test-rule
status: test
description: For tests.
level: medium
logsource:
  component: [virt-handler, apply-manifests, rke2-server, virt-launcher]
${extra}
detection:
${detection}
`;

const handlerLines = [
  cri('2025-12-12T10:57:28.031Z', PAUSED('web-01')), // 1
  cri('2025-12-12T10:57:29.000Z', MIGRATION_TARGET), // 2
  cri('2025-12-12T10:57:30.000Z', PAUSED('db-02')), // 3
  cri('2025-12-12T10:57:31.000Z', GRACEFUL), // 4
];
const members = [{ path: VIRT_HANDLER, lines: handlerLines }];
const lines = (rule: string) => run(loadRule(rule), members).flatMap((f) => f.evidence.map((ref) => ref.line));

describe('declarative detection: modifiers', () => {
  it('contains / startswith / endswith / exact on the message, each with a must-stay-silent line', () => {
    expect(lines(rule(`  sel:\n    message|contains: 'state Paused reason'\n  condition: sel`))).toEqual([1, 3]);
    expect(lines(rule(`  sel:\n    message|startswith: 'Domain is in state'\n  condition: sel`))).toEqual([1, 3]);
    expect(lines(rule(`  sel:\n    message|endswith: 'reason IOError'\n  condition: sel`))).toEqual([1, 3]);
    expect(lines(rule(`  sel:\n    message: 'Domain is in state Paused reason IOError'\n  condition: sel`))).toEqual([1, 3]);
    // An exact value must match the whole message, not part of it.
    expect(lines(rule(`  sel:\n    message: 'Domain is in state Paused'\n  condition: sel`))).toEqual([]);
    // Matching is case-sensitive (log text is machine-written; the prefilter is case-sensitive too).
    expect(lines(rule(`  sel:\n    message|contains: 'domain is in state'\n  condition: sel`))).toEqual([]);
  });

  it('a list of values is OR; |all makes it AND', () => {
    expect(lines(rule(`  sel:\n    message|contains: ['Paused reason', 'VirtualMachineInstance']\n  condition: sel`))).toEqual([1, 2, 3]);
    expect(lines(rule(`  sel:\n    raw|contains|all: ['Paused reason', '"name":"db-02"']\n  condition: sel`))).toEqual([3]);
    expect(lines(rule(`  sel:\n    raw|contains|all: ['Paused reason', 'SyncMigrationTarget']\n  condition: sel`))).toEqual([]);
  });

  it('|re matches anywhere in the value and can be combined with |all', () => {
    expect(lines(rule(`  sel:\n    message|re: 'state (Paused|Running) reason \\w+Error$'\n  condition: sel`))).toEqual([1, 3]);
    expect(lines(rule(`  sel:\n    raw|re|all: ['Paused reason IOError', '"name":"web-\\d+"']\n  condition: sel`))).toEqual([1]);
  });

  it('keyword lists search the raw line', () => {
    expect(lines(rule(`  keywords:\n    - 'SyncMigrationTarget'\n    - 'Signaled graceful shutdown'\n  condition: keywords`))).toEqual([2, 4]);
  });

  it('reads line fields, parsed event fields, fields.<key> and member fields', () => {
    const select = (fields: string) => lines(rule(`  sel:\n    message|contains: 'Domain is in state'\n${fields}\n  condition: sel`));
    expect(select(`    level: info`)).toEqual([1, 3]);
    expect(select(`    level: error`)).toEqual([]);
    expect(select(`    format: cri/json`)).toEqual([1, 3]);
    expect(select(`    name: db-02`)).toEqual([3]); // a JSON key the parser carried
    expect(select(`    fields.namespace: default`)).toEqual([1, 3]); // the line's namespace, not the member's
    expect(select(`    namespace: harvester-system`)).toEqual([1, 3]); // the member's namespace
    expect(select(`    container: virt-handler\n    pod|startswith: virt-handler-\n    component: virt-handler`)).toEqual([1, 3]);
    expect(select(`    file|endswith: /virt-handler.log`)).toEqual([1, 3]);
    expect(select(`    node: null`)).toEqual([1, 3]); // cluster pod logs carry no node
    expect(select(`    uid: null`)).toEqual([1, 3]); // absent key
    expect(select(`    kind: null`)).toEqual([]);
  });

  it('a list of maps is OR of the maps', () => {
    const yaml = rule(`  sel:\n    - message|contains: 'Paused reason'\n      name: web-01\n    - raw|contains: SyncMigrationTarget\n  condition: sel`);
    expect(lines(yaml)).toEqual([1, 2]);
  });
});

describe('declarative detection: conditions', () => {
  const selections = `  paused:\n    message|contains: 'Paused reason'\n  _web:\n    name|startswith: web-\n  target:\n    raw|contains: SyncMigrationTarget\n  graceful:\n    message: Signaled graceful shutdown\n`;
  const withCondition = (condition: string) => lines(rule(`${selections}  condition: ${condition}`));

  it('and, or, not, parentheses, 1 of, all of, them', () => {
    expect(withCondition('paused and not _web')).toEqual([3]);
    expect(withCondition('paused and _web')).toEqual([1]);
    expect(withCondition('target or (paused and not _web)')).toEqual([2, 3]);
    expect(withCondition('(paused or target) and not _web')).toEqual([2, 3]);
    expect(withCondition('not _web and (graceful or target)')).toEqual([2, 4]);
    expect(withCondition('1 of pa* or graceful')).toEqual([1, 3, 4]);
    expect(withCondition('all of pa* and 1 of _we*')).toEqual([1]);
    // `them` leaves out selections whose name starts with `_`.
    expect(withCondition('1 of them')).toEqual([1, 2, 3, 4]);
    expect(withCondition('all of them')).toEqual([]);
  });

  it('refuses conditions that cannot be parsed or that name nothing, with the line of the condition', () => {
    const errors = (condition: string) => loadErrors(rule(`${selections}  condition: ${condition}`)).map((e) => `${e.line}: ${e.message}`);
    expect(errors('paused and')).toEqual(['19: condition ends too early']);
    expect(errors('paused and (_web or target')).toEqual(['19: missing ")" in condition']);
    expect(errors('paused _web')).toEqual(['19: unexpected "_web" in condition']);
    expect(errors('paused and missing')).toEqual(['19: condition names unknown selection "missing"']);
    expect(errors('1 of nothing*')).toEqual(['19: "1 of nothing*" matches no selection']);
    expect(errors('paused & _web')).toEqual(['19: unexpected character "&" in condition']);
    // `not` alone proves no literal: such a rule would never receive a line.
    expect(errors('paused or not _web')[0]).toMatch(/^19: no literal for the prefilter/);
  });
});

describe('declarative detection: findings', () => {
  it('named groups become fields; subject, node and message come from templates', () => {
    const yaml = rule(
      `  sel:\n    raw|contains: 'syncing migration target failed'\n    message|re: 'VirtualMachineInstance (?<vm>[^ ]+)$'\n  condition: sel`,
      `subject: '{{vm}}'\nnode: '{{fields.host}}'\nmessage: 'Migration target of {{vm}} failed ({{pos}}, {{missing}})'\nfields: [pos, reason]`,
    );
    const [finding, ...others] = run(loadRule(yaml), members);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'test-rule',
      severity: 'medium',
      node: null, // the template's field is absent, so the member's node stays
      subject: 'default/rke2-guest-01-pool1-b4649f31-9g2nx',
      message: 'Migration target of default/rke2-guest-01-pool1-b4649f31-9g2nx failed (vm.go:1588, {{missing}})',
      firstSeen: Date.UTC(2025, 11, 12, 10, 57, 29),
      count: 1,
    });
    expect(finding.fields).toMatchObject({ vm: 'default/rke2-guest-01-pool1-b4649f31-9g2nx', pos: 'vm.go:1588' });
    expect(String(finding.fields.reason)).toMatch(/^syncing migration target failed/);
    expect(cited(finding)).toEqual([`${VIRT_HANDLER}:2`]);
  });

  it('one finding per subject, each line counted and cited', () => {
    const yaml = rule(`  sel:\n    message|contains: 'Paused reason IOError'\n  condition: sel`, `subject: '{{fields.namespace}}/{{name}}'`);
    const findings = run(loadRule(yaml), [{ path: VIRT_HANDLER, lines: [...handlerLines, cri('2025-12-12T10:58:00.000Z', PAUSED('web-01'))] }]);
    expect(findings.map((f) => [f.subject, f.count, cited(f)])).toEqual([
      ['default/web-01', 2, [`${VIRT_HANDLER}:1`, `${VIRT_HANDLER}:5`]],
      ['default/db-02', 1, [`${VIRT_HANDLER}:3`]],
    ]);
  });

  it('logsource: component, file glob and kind restrict the members a rule reads', () => {
    const detection = `  sel:\n    message|contains: 'will retry...'\n  condition: sel`;
    const imMembers = [
      { path: APPLY_MANIFESTS, lines: [cri('2024-11-08T10:00:00.000Z', IM_RETRY)] },
      { path: 'logs/longhorn-system/longhorn-manager-bmxdt/longhorn-manager.log', lines: [cri('2024-11-08T10:00:01.000Z', IM_RETRY)] },
    ];
    const withSource = (logsource: string) =>
      run(loadRule(`title: T\nid: t\ndescription: d\nlevel: low\nlogsource:\n${logsource}\ndetection:\n${detection}\n`), imMembers).flatMap(cited);
    expect(withSource('  component: apply-manifests')).toEqual([`${APPLY_MANIFESTS}:1`]);
    expect(withSource("  file: 'logs/longhorn-system/**'")).toEqual(['logs/longhorn-system/longhorn-manager-bmxdt/longhorn-manager.log:1']);
    expect(withSource("  file: 'apply.log'")).toEqual([`${APPLY_MANIFESTS}:1`]); // no slash: the base name
    expect(withSource('  kind: node-journal')).toEqual([]);
    expect(withSource('  kind: [pod-log]\n  component: [longhorn-manager, apply-manifests]')).toHaveLength(2);
  });

  it('journal lines: node from the node zip, message after the journald header', () => {
    const yaml = rule(`  sel:\n    message|startswith: 'Stopping Rancher Kubernetes Engine v2'\n    ident: systemd\n  condition: sel`);
    const [finding] = run(loadRule(yaml), [{ path: journal('harvester-02', 'rke2-server'), lines: [RKE2_STOP, RKE2_SHUTDOWN] }]);
    expect(finding).toMatchObject({ node: 'harvester-02', count: 1, firstSeen: Date.UTC(2025, 2, 3, 19, 33, 30, 101) });
  });
});

describe('declarative detection: literals for the prefilter', () => {
  const literalsOf = (detection: string) => loadRule(rule(detection)).literals;

  it('derives them from contains, startswith, endswith, exact values and regexes, on message and raw', () => {
    expect(literalsOf(`  sel:\n    message|contains: ['Paused reason', 'state Running']\n  condition: sel`)).toEqual(['Paused reason', 'state Running']);
    expect(literalsOf(`  sel:\n    message|contains|all: ['IO', 'Paused reason']\n  condition: sel`)).toEqual(['Paused reason']);
    // A message value with a quote appears escaped in a JSON or logrus line: only the unescaped part is a literal.
    expect(literalsOf(`  sel:\n    message|startswith: 'Running "upgrade_node.sh'\n  condition: sel`)).toEqual(['upgrade_node.sh']);
    expect(literalsOf(`  sel:\n    message|re: '^instance-manager.* count is not 1 on node (?<node>\\S+), will retry'\n  condition: sel`)).toEqual([
      ' count is not 1 on node ',
    ]);
    expect(literalsOf(`  sel:\n    raw|re: '(?:Shutoff|Crashed)\\(\\d\\)'\n  condition: sel`)).toEqual(['Shutoff(', 'Crashed(']);
    expect(literalsOf(`  a:\n    name: web-01\n  b:\n    raw|contains: IOError\n  condition: a and b`)).toEqual(['IOError']);
    expect(literalsOf(`  a:\n    raw|contains: IOError\n  b:\n    message|endswith: shutdown\n  condition: a or b`)).toEqual(['IOError', 'shutdown']);
  });

  it('carries a literal run through groups of plain alternatives, branching it, so a common prefix is not chosen', () => {
    // `instance-manager` starts every line of Longhorn's instance-manager logs; the branched phrases start almost none
    expect(
      literalsOf(`  sel:\n    message|re: '^instance-manager.* (?<p>count is not 1|state is not running) on node (?<n>\\S+), will retry'\n  condition: sel`),
    ).toEqual([' count is not 1 on node ', ' state is not running on node ']);
    expect(literalsOf(`  sel:\n    raw|re: 'vm (a|b)-(c|d)x'\n  condition: sel`)).toEqual(['vm a-cx', 'vm a-dx', 'vm b-cx', 'vm b-dx']);
    // not plain text, optional, or too many branches: the run breaks there as before
    expect(literalsOf(`  sel:\n    raw|re: 'volume (a+|b) became degraded'\n  condition: sel`)).toEqual([' became degraded']);
    expect(literalsOf(`  sel:\n    raw|re: 'volume (?:xy|z)? became degraded'\n  condition: sel`)).toEqual([' became degraded']);
    const many = Array.from({ length: 17 }, (_, i) => `v${i}`).join('|');
    expect(literalsOf(`  sel:\n    raw|re: 'volume (?:${many}) became degraded'\n  condition: sel`)).toEqual([' became degraded']);
  });

  it('refuses a rule whose lines cannot be pinned to a literal', () => {
    const errors = (detection: string) => loadErrors(rule(detection)).map((e) => e.message.slice(0, 29));
    expect(errors(`  sel:\n    name: web-01\n  condition: sel`)).toEqual(['no literal for the prefilter:']);
    expect(errors(`  sel:\n    message|re: '^\\d+.*$'\n  condition: sel`)).toEqual(['no literal for the prefilter:']);
    expect(errors(`  sel:\n    message|contains: ['IOError', null]\n  condition: sel`)).toHaveLength(1);
  });
});

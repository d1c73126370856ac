import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-helpers.js';
import { bundleZip, NOW, PATHS, scratch } from './hostile-fixture.js';

/**
 * Credentials that slip into logs are masked in evidence by the engine, with or without --redact: a bundle whose log
 * lines carry each kind of secret, a user rule that cites those lines, and every output format searched for them.
 */
const files = scratch('secrets');
afterAll(files.remove);

const SECRETS = {
  bearer: 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkRFTU8ifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXZhbHVl',
  password: 'Hunter2-Secret!',
  privateKey: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  kubeconfig:
    'YXBpVmVyc2lvbjogdjEKY2x1c3RlcnM6Ci0gY2x1c3RlcjoKICAgIGNlcnRpZmljYXRlLWF1dGhvcml0eS1kYXRhOiBMUzB0TFMxQ1JVZEpUaUJEUlZKVVNVWkpRMEZVUlMwdExTMHQK',
  nodeToken: 'K10c2f9a4b7e1d3a5f::server:9b8c7d6e5f4a3b2c1d0e',
  urlPassword: 'S3cr3tPassw0rd',
  clientSecret: 'abcDEF123secretXYZ789',
};

const at = (second: number): string => `2025-06-14T09:40:${String(second).padStart(2, '0')}`;
const logrus = (second: number, rest: string): string => `${at(second)}.000000000Z time="${at(second)}Z" level=error ${rest}`;
const SECRET_LINES = [
  logrus(1, `msg="GET https://10.10.20.10:6443/api/v1/nodes failed" header="Authorization: Bearer ${SECRETS.bearer}"`),
  logrus(2, `msg="login to registry failed" user=admin password=${SECRETS.password}`),
  logrus(3, `msg="key check failed: -----BEGIN OPENSSH PRIVATE KEY-----${SECRETS.privateKey}"`),
  logrus(4, `msg="writing kubeconfig failed" kubeconfig=${SECRETS.kubeconfig}`),
  logrus(5, `msg="rke2 join failed" token=${SECRETS.nodeToken}`),
  logrus(6, `msg="fetch https://admin:${SECRETS.urlPassword}@rancher.example.com/v3 failed"`),
  `${at(7)}.000000000Z {"level":"error","msg":"oidc login failed","client_secret":"${SECRETS.clientSecret}","time":"${at(7)}Z"}`,
];

/** What an SRE might add with --rules: every failure of the Harvester pod, cited as it is. */
const RULE = [
  'title: Harvester failures',
  'id: harvester-errors-cited',
  'description: every line of the harvester pod that says something failed',
  'level: medium',
  'logsource:',
  '  component: harvester',
  'detection:',
  '  error:',
  "    raw|contains: 'failed'",
  '  condition: error',
  '',
].join('\n');

describe('secrets in log lines never reach a report', () => {
  it('bearer tokens, passwords, private keys, base64 kubeconfigs, node tokens, URL passwords and JSON secrets are masked in every format', async () => {
    const input = files.write('bundle.zip', await bundleZip({ members: { [PATHS.harvester]: `${SECRET_LINES.join('\n')}\n` } }));
    const rules = files.write('errors.yaml', RULE);
    const json = await runCli([input, '-f', 'json', '--now', NOW, '--rules', rules]);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; evidenceTotal: number; evidence: { text: string }[] }[] };
    const cited = report.findings.find((f) => f.ruleId === 'harvester-errors-cited')!;
    expect(cited.evidenceTotal).toBe(SECRET_LINES.length);
    expect(cited.evidence.every((e) => e.text.includes('***'))).toBe(true);

    for (const format of ['terminal', 'markdown', 'json', 'html']) {
      for (const extra of [[], ['--redact']]) {
        const run = await runCli([input, '-f', format, '--now', NOW, '--rules', rules, '--max-evidence', '10', ...extra]);
        expect(run.code).toBe(0);
        for (const [kind, secret] of Object.entries(SECRETS)) {
          expect(run.stdout.includes(secret), `${kind} in ${format} ${extra.join(' ')}`).toBe(false);
        }
        expect(run.stdout).toContain('harvester-errors-cited');
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { learnNamesFromText, learnObjectsFromText, NameBook } from '../../src/redact/name-book.js';
import { createPseudonyms } from '../../src/redact/pseudonyms.js';
import { createTextRedactor } from '../../src/redact/redact-text.js';

const pseudonyms = createPseudonyms('test-key');
const redactorOf = (names: Record<string, 'node' | 'vm' | 'ns' | 'obj'> = {}) => {
  const book = new NameBook(new Set(['vm-abrupt-shutdown']));
  for (const [name, category] of Object.entries(names)) book.add(name, category);
  return createTextRedactor(book, pseudonyms);
};
const token = (category: Parameters<typeof pseudonyms.token>[0], value: string): string => pseudonyms.token(category, value);

describe('what stays as it is', () => {
  const redact = redactorOf({ 'web-01': 'vm', 'harvester-01': 'node', app: 'vm' });

  it('times, versions, file names, API groups and story words', () => {
    for (const text of [
      '2025-06-14T09:35:30.141727Z Jun 14 09:35:01.020889 I0614 09:35:23.802112 took 12:33:28',
      'v1.32.3+rke2r1 1.5.0 kernel 5.14.21-150500.55.83-default v1beta1 1.2.3.4.5',
      'yamls/namespaced/default/kubevirt.io/v1/virtualmachines.yaml vm.go:3498 kubelet.log logger.info',
      'harvesterhci.io/maintain-status node-role.kubernetes.io/control-plane nvidia.com/GA107GL_A2_PCIE https://github.com/harvester',
      'apply-manifests pre-drain vm-abrupt-shutdown cattle-monitoring-system std::string 127.0.0.1 ::1 0.0.0.0',
      'myweb-01 web-010 harvester-012',
      'rancher.cattle-system.svc.cluster.local {"user":{"kind":"ServiceAccount"}}',
    ]) {
      expect(redact(text)).toBe(text);
    }
  });
});

describe('what is replaced', () => {
  it('learned names as whole words or whole parts of a name, longest first', () => {
    const redact = redactorOf({ 'web-01': 'vm', 'harvester-01': 'node', 'acme-prod': 'ns', 'web-01-backup': 'vm' });
    const vm = token('vm', 'web-01');
    expect(redact('Pod acme-prod/virt-launcher-web-01-x7k2p on harvester-01.')).toBe(
      `Pod ${token('ns', 'acme-prod')}/virt-launcher-${vm}-x7k2p on ${token('node', 'harvester-01')}.`,
    );
    expect(redact('nodes/harvester-01.zip!/harvester-01/logs/kubelet.log')).toBe(
      `nodes/${token('node', 'harvester-01')}.zip!/${token('node', 'harvester-01')}/logs/kubelet.log`,
    );
    expect(redact('web-01-backup and web-01')).toBe(`${token('vm', 'web-01-backup')} and ${vm}`);
  });

  it('addresses, e-mails, hosts and users by their shape', () => {
    const redact = redactorOf();
    expect(redact('from 10.20.30.41:6443 via 10.20.30.1/24')).toBe(`from ${token('ip', '10.20.30.41')}:6443 via ${token('ip', '10.20.30.1')}/24`);
    expect(redact('fd00:10:20::41 and 2001:0db8:0000:0000:0000:ff00:0042:8329 and ::ffff:10.1.2.3')).toBe(
      `${token('ip', 'fd00:10:20::41')} and ${token('ip', '2001:0db8:0000:0000:0000:ff00:0042:8329')} and ${token('ip', '::ffff:10.1.2.3')}`,
    );
    expect(redact('52:54:00:AB:CD:EF = 52-54-00-ab-cd-ef')).toBe(`${token('mac', '52:54:00:ab:cd:ef')} = ${token('mac', '52:54:00:ab:cd:ef')}`);
    expect(redact('mail Ops@Acme-Corp.com')).toBe(`mail ${token('email', 'ops@acme-corp.com')}`);
    expect(redact('https://rancher.acme.corp/v3')).toBe(`https://${token('host', 'rancher.acme.corp')}/v3`);
    expect(redact('user=alice "username":"bob" User "carol" user=system:serviceaccount:kube-system:x')).toBe(
      `user=${token('user', 'alice')} "username":"${token('user', 'bob')}" User "${token('user', 'carol')}" user=system:serviceaccount:kube-system:x`,
    );
  });

  it('secrets are masked before anything else', () => {
    expect(redactorOf()('Authorization: Bearer abc.def.ghi password=hunter2')).toBe('Authorization: Bearer *** password=***');
  });
});

describe('names learned from log text', () => {
  it('namespaces from paths and fields, VMs from KubeVirt and virt-launcher names, nodes from journald and fields, objects of user namespaces', () => {
    const book = new NameBook(new Set());
    const texts = [
      'yamls/namespaced/acme-prod/kubevirt.io/v1/virtualmachines.yaml',
      '{"component":"virt-handler","kind":"Domain","msg":"Domain is in state Shutoff","name":"billing-db","namespace":"acme-prod"}',
      'Pod default/virt-launcher-web-07-k2x9z sandbox changed',
      'Jun 14 09:35:01.020889 harvester-04 rke2[2536]: time="2025-06-14T09:35:01Z" level=info msg="x"',
      'I0614 09:35:23.802112 2031 x.go:1] "Killing container" pod="acme-prod/report-job-7d9f" node="harvester-05"',
      'logs/cattle-system/rancher-abc/rancher.log harvester-system/harvester-57b46685b9-djn5x',
    ];
    for (const text of texts) learnNamesFromText(book, text);
    for (const text of texts) learnObjectsFromText(book, text);
    expect(Object.fromEntries(book.entries())).toEqual({
      'acme-prod': 'ns',
      'billing-db': 'vm',
      'web-07': 'vm',
      'harvester-04': 'node',
      'harvester-05': 'node',
      'report-job-7d9f': 'obj',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/rules/mask-secrets.js';

describe('maskSecrets', () => {
  it('masks bearer tokens, key=value secrets, quoted JSON secrets and URL passwords', () => {
    expect(maskSecrets('Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6 done')).toBe('Authorization: Bearer *** done');
    expect(maskSecrets('level=info password=hunter2 token=abc.def user=admin')).toBe('level=info password=*** token=*** user=admin');
    expect(maskSecrets('{"agent-token":"K10abc::server:xyz","name":"n1"}')).toBe('{"agent-token":"***","name":"n1"}');
    expect(maskSecrets('token: K1066a1b5c8d9')).toBe('token: ***');
    expect(maskSecrets('fetch https://admin:s3cret@rancher.example/v3')).toBe('fetch https://admin:***@rancher.example/v3');
  });

  it('masks PEM private keys and long base64 blobs such as kubeconfig data', () => {
    expect(maskSecrets('key: -----BEGIN RSA PRIVATE KEY-----MIIEow...-----END RSA PRIVATE KEY----- after')).toBe('key: *** after');
    expect(maskSecrets('-----BEGIN EC PRIVATE KEY----- MHcCAQEE')).toBe('***');
    const blob = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t'.repeat(4);
    expect(maskSecrets(`client-certificate-data: ${blob}`)).toBe('client-certificate-data: ***');
  });

  it('leaves ordinary log text alone', () => {
    const lines = [
      'time="2024-12-06T04:08:31Z" level=error msg="failed to get token: context deadline exceeded"',
      '[Applyinator] No image provided, creating empty working directory /var/lib/rancher/agent/work/20240524-085905/a4922eda6712eb2213c9314134fa57d0a0e5f86b2a8adf94f773b2bc708ad70f_0',
      'yamls/namespaced/fleet-local/v1/secrets.yaml',
      'Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...',
    ];
    for (const line of lines) expect(maskSecrets(line)).toBe(line);
  });
});

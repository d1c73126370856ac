import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectInputKind, detectPacking } from '../../src/bundle/open-input.js';
import { compareMemberPaths, findBundleRoot, normaliseMemberPath } from '../../src/bundle/member-path.js';
import { tarBuffer, zipBuffer } from './helpers.js';

describe('normaliseMemberPath', () => {
  it('resolves dot segments without leaving the root and drops absolute prefixes', () => {
    expect(normaliseMemberPath('../../etc/passwd')).toBe('etc/passwd');
    expect(normaliseMemberPath('/etc/shadow')).toBe('etc/shadow');
    expect(normaliseMemberPath('C:\\Windows\\win.ini')).toBe('Windows/win.ini');
    expect(normaliseMemberPath('./logs//a/../b.log')).toBe('logs/b.log');
    expect(normaliseMemberPath('supportbundle_x/')).toBe('supportbundle_x');
  });
});

describe('findBundleRoot', () => {
  it('the single folder of a support bundle', () => {
    const root = 'supportbundle_7e8aefe3-479a-4fa4-97d8-af2f283e4577_2025-07-03T01-15-45Z';
    expect(findBundleRoot([`${root}/metadata.yaml`, `${root}/logs/a/b/c.log`])).toBe(root);
  });

  it('none when metadata.yaml is at the top or the single folder is part of the layout', () => {
    expect(findBundleRoot(['metadata.yaml', 'logs/a/b/c.log'])).toBe('');
    expect(findBundleRoot(['logs/harvester-system.harvester-x-y.apiserver.20250502.log.gz'])).toBe('');
    expect(findBundleRoot(['a.log', 'b.log'])).toBe('');
    expect(findBundleRoot([])).toBe('');
  });

  it('the one folder holding metadata.yaml among others (a parent directory)', () => {
    expect(findBundleRoot(['bundle.zip', 'sb_1/metadata.yaml', 'sb_1/yamls/cluster/v1/nodes.yaml', 'notes/x.txt'])).toBe('sb_1');
  });

  it('any other single wrapping folder', () => {
    expect(findBundleRoot(['hvst-upgrade-x-upgradelog-archive/logs/a.b.c.20250101.log.gz'])).toBe('hvst-upgrade-x-upgradelog-archive');
    expect(findBundleRoot(['wrap/logs/kube-system/etcd-n1/etcd.log', 'wrap/yamls/cluster/v1/nodes.yaml'])).toBe('wrap');
  });

  it("macOS's metadata files aside (__MACOSX/, ._*)", () => {
    expect(findBundleRoot(['wrap/logs/a.b.c.20250101.log.gz', '__MACOSX/wrap/logs/._a.b.c.20250101.log.gz'])).toBe('wrap');
  });

  it("none when the single folder is a node's tree (a node zip on its own): its name is the node's", () => {
    expect(findBundleRoot(['harvester-01/configs/etc/hostname', 'harvester-01/logs/kubelet.log'])).toBe('');
    expect(findBundleRoot(['harvester-01/logs/rke2-server.log'])).toBe('');
    expect(findBundleRoot(['harvester-01/scc/scc_supportconfig_harvester-01.txz'])).toBe('');
  });
});

describe('compareMemberPaths', () => {
  it('metadata.yaml, then yamls/, then by path', () => {
    const sorted = ['nodes/n1.zip', 'logs/x/y/z.log', 'yamls/cluster/v1/nodes.yaml', 'bundleGenerationError.log', 'metadata.yaml', 'yamls/a.yaml'].sort(
      compareMemberPaths,
    );
    expect(sorted).toEqual(['metadata.yaml', 'yamls/a.yaml', 'yamls/cluster/v1/nodes.yaml', 'bundleGenerationError.log', 'logs/x/y/z.log', 'nodes/n1.zip']);
  });
});

describe('detectInputKind', () => {
  it('a Harvester support bundle by its settings or a node’s harvester-release.yaml', () => {
    expect(detectInputKind(['metadata.yaml', 'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml'])).toBe('support-bundle');
    expect(detectInputKind(['metadata.yaml', 'nodes/n1.zip', 'nodes/n1.zip!/n1/configs/etc/harvester-release.yaml'])).toBe('support-bundle');
  });

  it('a Longhorn bundle by its node hostinfos', () => {
    expect(detectInputKind(['metadata.yaml', 'yamls/cluster/v1/nodes.yaml', 'nodes/n1.zip!/n1/hostinfos/hostinfo'])).toBe('longhorn-bundle');
  });

  it('a support bundle whose yamls/ and node zips failed is still one', () => {
    expect(detectInputKind(['metadata.yaml', 'bundleGenerationError.log', 'logs/kube-system/etcd-n1/etcd.log'])).toBe('support-bundle');
  });

  it('an upgrade-log archive by its file names', () => {
    expect(detectInputKind(['logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz'])).toBe('upgrade-log-archive');
  });

  it('anything else is log files', () => {
    expect(detectInputKind(['kubelet.log', 'rke2-server.log'])).toBe('log-files');
    expect(detectInputKind(['logs/harvester-system/harvester-x/apiserver.log'])).toBe('log-files');
    expect(detectInputKind([])).toBe('log-files');
  });
});

describe('detectPacking', () => {
  it('from magic bytes, never the name', async () => {
    expect(detectPacking(await zipBuffer([{ name: 'a.log', data: 'x' }]))).toBe('zip');
    expect(detectPacking(await zipBuffer([]))).toBe('zip');
    expect(detectPacking(await tarBuffer([{ name: 'a.log', data: 'x' }]))).toBe('tar');
    expect(detectPacking(await tarBuffer([{ name: 'a.log', data: 'x' }], true))).toBe('tar.gz');
    expect(detectPacking(gzipSync('I0703 00:59:47.802112 2031 kubelet.go:1] x\n'))).toBe('gzip-file');
    expect(detectPacking(Buffer.from('plain text\n'))).toBe('file');
    expect(detectPacking(Buffer.alloc(0))).toBe('file');
  });

  it('a tar.gz whose head is cut short still counts as tar.gz', async () => {
    const big = await tarBuffer([{ name: 'a.log', data: 'x'.repeat(100_000) }], true);
    expect(detectPacking(big.subarray(0, 8192))).toBe('tar.gz');
  });
});

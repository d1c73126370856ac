import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/bundle/errors.js';
import { openFileSource, type LooseFile } from '../../src/bundle/file-source.js';
import { openInput, openLogFiles } from '../../src/bundle/open-input.js';
import { DEFAULT_LIMITS } from '../../src/bundle/types.js';
import { nodeZip, paths, readAll, SAMPLE, tempFolder } from './helpers.js';

const ROOT = 'supportbundle_7e8aefe3-479a-4fa4-97d8-af2f283e4577_2025-07-03T01-15-45Z';
let folder: Awaited<ReturnType<typeof tempFolder>>;

async function writeTree(base: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(base, name, '..'), { recursive: true });
    await writeFile(join(base, name), data);
  }
}

beforeAll(async () => {
  folder = await tempFolder();
  await writeTree(join(folder.dir, 'parent', ROOT), {
    'metadata.yaml': SAMPLE.metadata,
    'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml': SAMPLE.settings,
    'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log': SAMPLE.harvesterLog,
    'logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz': gzipSync('time="2025-05-02T09:07:25Z" level=info msg="x"\n'),
    'nodes/n1.zip': await nodeZip('n1'),
    '.hidden': 'not read',
  });
  // The zip the directory was extracted from, lying next to it: not read again.
  await writeFile(join(folder.dir, 'parent', `${ROOT}.zip`), 'PK\u0003\u0004');
  await symlink('/etc/hostname', join(folder.dir, 'parent', ROOT, 'logs', 'link.log'));
  await mkdir(join(folder.dir, 'empty'));
});
afterAll(async () => {
  await folder.remove();
});

const EXPECTED = [
  'metadata.yaml',
  'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml',
  'logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz',
  'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
  'nodes/n1.zip',
  'nodes/n1.zip!/n1/configs/etc/harvester-release.yaml',
  'nodes/n1.zip!/n1/logs/kubelet.log',
  'nodes/n1.zip!/n1/logs/rke2-server.log',
];

describe('directory input', () => {
  it('the bundle root itself', async () => {
    const source = await openInput(join(folder.dir, 'parent', ROOT));
    expect(source).toMatchObject({ packing: 'directory', root: '' });
    const { members, problems } = await readAll(source);
    expect(paths(members)).toEqual(EXPECTED);
    expect(members[2].text).toBe('time="2025-05-02T09:07:25Z" level=info msg="x"\n');
    expect(members[6].text).toBe(SAMPLE.kubelet);
    expect(problems).toEqual([{ file: 'logs/link.log', reason: expect.stringContaining('links are never followed') }]);
  });

  it('its parent: the folder holding metadata.yaml becomes the root', async () => {
    const source = await openInput(join(folder.dir, 'parent'));
    expect(source.root).toBe(ROOT);
    const { members } = await readAll(source);
    expect(paths(members)).toEqual(EXPECTED);
  });

  it('an empty directory is reported, not thrown', async () => {
    const { members, problems } = await readAll(await openInput(join(folder.dir, 'empty')));
    expect(members).toEqual([]);
    expect(problems).toEqual([{ file: expect.any(String), reason: 'empty directory: no files to read' }]);
  });
});

describe('loose files', () => {
  it('a plain log', async () => {
    const path = await folder.write('kubelet.log', SAMPLE.kubelet);
    const source = await openInput(path);
    expect(source).toMatchObject({ packing: 'file', root: '' });
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.member.info.kind, m.text])).toEqual([['kubelet.log', 'node-log', SAMPLE.kubelet]]);
  });

  it('a gzipped log, detected by content, keeps its name', async () => {
    const path = await folder.write('rke2-server.log.gz', gzipSync(SAMPLE.rke2Journal));
    const source = await openInput(path);
    expect(source.packing).toBe('gzip-file');
    const { members } = await readAll(source);
    expect(members.map((m) => [m.member.info.path, m.member.info.kind, m.text])).toEqual([['rke2-server.log.gz', 'node-journal', SAMPLE.rke2Journal]]);
  });

  it('several files, named relative to their common folder', async () => {
    await mkdir(join(folder.dir, 'n1'), { recursive: true });
    const a = await folder.write('n1/rke2-agent.log', SAMPLE.rke2Journal);
    const b = await folder.write('console.log', 'time="2025-07-03T00:58:00Z" level=info msg="installer"\n');
    const { members, problems } = await readAll(await openLogFiles([a, b]));
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.member.info.node])).toEqual([
      ['n1/rke2-agent.log', null],
      ['console.log', null],
    ]);
  });

  it('files in the working directory keep their names (their folder is `.`)', async () => {
    const loose = async (displayPath: string): Promise<LooseFile> => {
      const absolute = await folder.write(displayPath, SAMPLE.kubelet);
      return { absolute, displayPath, size: SAMPLE.kubelet.length, mtime: 0, gzipped: false };
    };
    const namesOf = async (files: LooseFile[]): Promise<string[]> =>
      (await readAll(openFileSource(files, DEFAULT_LIMITS))).members.map((m) => m.member.info.path);
    await mkdir(join(folder.dir, 'n2'), { recursive: true });
    expect(await namesOf([await loose('kubelet.log')])).toEqual(['kubelet.log']);
    expect(await namesOf([await loose('kubelet.log'), await loose('n2/rke2-server.log')])).toEqual(['kubelet.log', 'n2/rke2-server.log']);
  });

  it("a node's logs in its node's tree keep the folder that names the node", async () => {
    await mkdir(join(folder.dir, 'h1', 'logs'), { recursive: true });
    const kubelet = await folder.write('h1/logs/kubelet.log', SAMPLE.kubelet);
    const rke2 = await folder.write('h1/logs/rke2-server.log', SAMPLE.rke2Journal);
    const nodesOf = async (files: string[]): Promise<(string | null)[][]> =>
      (await readAll(await openLogFiles(files))).members.map((m) => [m.member.info.path, m.member.info.node]);
    expect(await nodesOf([kubelet])).toEqual([['h1/logs/kubelet.log', 'h1']]);
    expect(await nodesOf([kubelet, rke2])).toEqual([
      ['h1/logs/kubelet.log', 'h1'],
      ['h1/logs/rke2-server.log', 'h1'],
    ]);
  });

  it('a zero-byte file is reported', async () => {
    const { members, problems } = await readAll(await openInput(await folder.write('empty.log', '')));
    expect(members).toEqual([]);
    expect(problems).toEqual([{ file: 'empty.log', reason: 'empty file (0 bytes)' }]);
  });
});

describe('usage errors', () => {
  it('a path that does not exist', async () => {
    await expect(openInput(join(folder.dir, 'missing.zip'))).rejects.toThrow(UsageError);
    await expect(openInput(join(folder.dir, 'missing.zip'))).rejects.toThrow(/cannot read input .*missing\.zip: no such file or directory/);
  });

  it('archives cannot be combined with other inputs', async () => {
    const log = await folder.write('a.log', 'x\n');
    await expect(openLogFiles([log, join(folder.dir, 'parent', `${ROOT}.zip`)])).rejects.toThrow(/is a zip archive/);
    await expect(openLogFiles([])).rejects.toThrow(UsageError);
  });
});

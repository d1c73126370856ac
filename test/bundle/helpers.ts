import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import type { BundleMember, BundleSource, ReadProblem } from '../../src/bundle/types.js';

export interface FixtureEntry {
  name: string;
  data?: string | Buffer;
  /** zip: deflate (default true). */
  compress?: boolean;
  /** zip: written from a stream, so sizes follow the data in a data descriptor. */
  streamed?: boolean;
  /** tar: entry type (default file). */
  type?: 'file' | 'directory' | 'symlink';
}

/** A zip built in memory the way yazl writes it (sizes known up front, no data descriptors). */
export function zipBuffer(entries: FixtureEntry[], options: { zip64?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2025, 6, 3, 1, 15, 44));
  for (const entry of entries) {
    if (entry.type === 'directory') zip.addEmptyDirectory(entry.name, { mtime });
    else if (entry.streamed) zip.addReadStream(Readable.from([Buffer.from(entry.data ?? '')]), entry.name, { compress: entry.compress ?? true, mtime });
    else zip.addBuffer(Buffer.from(entry.data ?? ''), entry.name, { compress: entry.compress ?? true, mtime, forceZip64Format: options.zip64 });
  }
  zip.end();
  return streamToBuffer(zip.outputStream);
}

/** Where a zip member's data starts, from the first local header naming it. */
export function zipDataOffset(zip: Buffer, name: string): number {
  const header = zip.indexOf(Buffer.from(name)) - 30;
  if (header < 0 || zip.readUInt32LE(header) !== 0x04034b50) throw new Error(`no local header for ${name}`);
  return header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
}

/** The offset of the zip's central directory (for cutting it off). */
export const centralDirectoryOffset = (zip: Buffer): number => zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));

export async function tarBuffer(entries: FixtureEntry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date(Date.UTC(2025, 6, 3, 1, 15, 44));
  for (const entry of entries) {
    if (entry.type === 'directory') pack.entry({ name: entry.name, type: 'directory', mtime });
    else if (entry.type === 'symlink') pack.entry({ name: entry.name, type: 'symlink', linkname: '/etc/passwd', mtime });
    else pack.entry({ name: entry.name, mtime }, Buffer.from(entry.data ?? ''));
  }
  pack.finalize();
  const raw = await streamToBuffer(pack as unknown as Readable);
  return gzip ? gzipSync(raw) : raw;
}

export async function streamToBuffer(stream: NodeJS.ReadableStream | Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A temporary folder per test file; `path(name, data)` writes a file in it. */
export async function tempFolder(): Promise<{ dir: string; write: (name: string, data: Buffer | string) => Promise<string>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hp-bundle-test-'));
  return {
    dir,
    write: async (name, data) => {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface ReadMember {
  member: BundleMember;
  text: string;
}

/** Every member with its full content, and every problem reported, in order. */
export async function readAll(source: BundleSource): Promise<{ members: ReadMember[]; problems: ReadProblem[] }> {
  const problems: ReadProblem[] = [];
  const members: ReadMember[] = [];
  for await (const member of source.members((p) => problems.push(p))) {
    const text = (await streamToBuffer(await member.open())).toString('utf8');
    members.push({ member, text });
  }
  await source.close();
  return { members, problems };
}

export const paths = (members: ReadMember[]): string[] => members.map((m) => m.member.info.path);

/** Lines in the formats of bundle-layout.md §7–§9 and real-log-samples.md. */
export const SAMPLE = {
  metadata: 'bundlename: bundle-pjvcf\nbundleversion: 0.1.0\nkubernetesversion: v1.32.3+rke2r1\nprojectnamespaceuuid: 7e8aefe3-479a-4fa4-97d8-af2f283e4577\nbundlecreatedat: "2025-07-03T01:15:45Z"\nissueurl: ""\nissuedescription: upgrade stuck at post-draining\n',
  settings: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  continue: "null"\n  resourceVersion: "15380285"\n',
  harvesterLog:
    '2025-07-03T00:58:12.123456789Z time="2025-07-03T00:58:12Z" level=info msg="Start upgrading Kubernetes runtime to v1.32.3+rke2r1"\n',
  rke2Journal:
    'Jul 03 00:59:01.020889 n1 rke2[2536]: time="2025-07-03T00:59:01Z" level=info msg="Starting rke2 v1.32.3+rke2r1"\n',
  kubelet:
    'I0703 00:59:47.802112    2031 pod_startup_latency_tracker.go:102] "Observed pod startup duration" pod="cattle-fleet-local-system/fleet-agent-76b76c66f4-xvtmb"\n',
  harvesterRelease: 'harvester: v1.5.0\nharvesterChart: 1.5.0\nos: Harvester v1.5.0\nkubernetes: v1.32.3+rke2r1\n',
};

/** A node zip as `zip -r node_bundle.zip <node>` makes it: single root `<node>/`. */
export const nodeZip = (node: string): Promise<Buffer> =>
  zipBuffer([
    { name: `${node}/`, type: 'directory' },
    { name: `${node}/logs/rke2-server.log`, data: SAMPLE.rke2Journal },
    { name: `${node}/logs/kubelet.log`, data: SAMPLE.kubelet },
    { name: `${node}/configs/etc/harvester-release.yaml`, data: SAMPLE.harvesterRelease },
  ]);

/** The members of a support bundle below its root folder, node zips as given. */
export const bundleEntries = (root: string, nodes: { name: string; zip: Buffer; compress: boolean }[]): FixtureEntry[] => [
  { name: `${root}/`, type: 'directory' },
  { name: `${root}/logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log`, data: SAMPLE.harvesterLog },
  { name: `${root}/nodes/`, type: 'directory' },
  ...nodes.map((n) => ({ name: `${root}/nodes/${n.name}.zip`, data: n.zip, compress: n.compress })),
  { name: `${root}/yamls/cluster/harvesterhci.io/v1beta1/settings.yaml`, data: SAMPLE.settings },
  { name: `${root}/bundleGenerationError.log`, data: '' },
  { name: `${root}/metadata.yaml`, data: SAMPLE.metadata },
];

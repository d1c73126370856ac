import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import tar, { type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamToBuffer, zipBuffer } from '../bundle/helpers.js';
import { runCli } from '../cli/cli-helpers.js';
import { bundleEntries, nodeEntries, NOW, renameMembers, ROOT, scratch } from './hostile-fixture.js';

/**
 * The tool reads archives and writes only what it is asked to: the report (-o, --out-dir) and its own temporary
 * files, which it removes. These cases run the CLI in a fresh working directory with a private TMPDIR and compare
 * the file tree before and after; the archives carry names meant to escape (`../`, absolute, drive letters, links).
 */
const root = scratch('file-system');
const work = join(root.dir, 'work');
const inputs = join(root.dir, 'inputs');
const temp = join(root.dir, 'tmp');
const tag = randomBytes(4).toString('hex');
const escapeNames = [`escape-zip-${tag}.log`, `abs-zip-${tag}.log`, `drive-zip-${tag}.log`, `escape-inner-${tag}.log`, `escape-tar-${tag}.log`, `abs-tar-${tag}.log`];

const savedCwd = process.cwd();
const savedTmp = process.env.TMPDIR;

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      out.push(relative(root.dir, path));
      if (lstatSync(path).isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out.sort();
}

const line = (text: string): string => `I0614 09:35:23.802112    2031 x.go:1] "${text}"\n`;

async function hostileZip(): Promise<Buffer> {
  // A deflated node zip is spooled to a temporary file: its names try to escape too.
  const node = renameMembers(
    await zipBuffer([...nodeEntries(), { name: `XX/XX/XX/escape-inner-${tag}.log`, data: line('inner') }]),
    { [`XX/XX/XX/escape-inner-${tag}.log`]: `../../../escape-inner-${tag}.log` },
  );
  const entries = (await bundleEntries({ nodeZip: node, nodeZipCompressed: true })).concat([
    { name: `XX/XX/escape-zip-${tag}.log`, data: line('escaped') },
    { name: `XtmpXX/abs-zip-${tag}.log`, data: line('absolute') },
    { name: `CXXwin/drive-zip-${tag}.log`, data: line('drive') },
  ]);
  return renameMembers(await zipBuffer(entries), {
    [`XX/XX/escape-zip-${tag}.log`]: `../../escape-zip-${tag}.log`,
    [`XtmpXX/abs-zip-${tag}.log`]: `/tmp/X/abs-zip-${tag}.log`,
    [`CXXwin/drive-zip-${tag}.log`]: `C:\\win\\drive-zip-${tag}.log`,
  });
}

async function hostileTar(): Promise<Buffer> {
  const pack = tar.pack();
  const entry = (header: Partial<Header> & Pick<Header, 'name'>, data?: Buffer | string): void => {
    const full = { ...header, mtime: new Date(Date.UTC(2025, 5, 14)) };
    if (data === undefined) pack.entry(full);
    else pack.entry(full, Buffer.from(data));
  };
  entry({ name: `${ROOT}/metadata.yaml` }, 'bundlename: bundle-x7k2p\nbundlecreatedat: "2025-06-14T12:31:05Z"\n');
  entry({ name: `${ROOT}/logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log` }, '2025-06-14T09:31:46.123456789Z time="2025-06-14T09:31:46Z" level=info msg="x"\n');
  entry({ name: `${ROOT}/logs/passwd-link`, type: 'symlink', linkname: '/etc/passwd' });
  entry({ name: `${ROOT}/logs/hard-link`, type: 'link', linkname: `${ROOT}/metadata.yaml` });
  entry({ name: `${ROOT}/dev/sda`, type: 'block-device', devmajor: 8, devminor: 0 });
  entry({ name: `${ROOT}/dev/null`, type: 'character-device', devmajor: 1, devminor: 3 });
  entry({ name: `${ROOT}/fifo`, type: 'fifo' });
  entry({ name: `../../../escape-tar-${tag}.log` }, line('escaped'));
  entry({ name: `/tmp/abs-tar-${tag}.log` }, line('absolute'));
  entry({ name: `${ROOT}/nodes/harvester-01.zip` }, await zipBuffer(nodeEntries()));
  pack.finalize();
  return streamToBuffer(pack as unknown as NodeJS.ReadableStream);
}

let zipInput = '';
let tarInput = '';

beforeAll(async () => {
  for (const dir of [work, inputs, temp]) mkdirSync(dir, { recursive: true });
  zipInput = relative(work, root.write('inputs/hostile.zip', await hostileZip()));
  tarInput = relative(work, root.write('inputs/hostile.tar', await hostileTar()));
  process.env.TMPDIR = temp;
  process.chdir(work);
});

afterAll(() => {
  process.chdir(savedCwd);
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  root.remove();
});

/**
 * Runs the CLI and returns the paths it left (relative to the scratch root) and the names it used in the private
 * TMPDIR meanwhile, which must be empty again afterwards.
 */
async function created(args: string[]): Promise<{ code: number; stdout: string; paths: string[]; spooled: string[] }> {
  const before = tree(root.dir);
  const spooled: string[] = [];
  const watcher = watch(temp, (_event, name) => {
    if (name !== null) spooled.push(name);
  });
  const run = await runCli(args);
  watcher.close();
  expect(run.stderr).not.toMatch(/internal error/);
  expect(readdirSync(temp)).toEqual([]);
  const after = tree(root.dir);
  return { code: run.code, stdout: run.stdout, paths: after.filter((p) => !before.includes(p)), spooled };
}

const expectNoEscapes = (): void => {
  for (const name of escapeNames) {
    for (const dir of [root.dir, work, inputs, temp, join(root.dir, '..'), '/tmp', '/tmp/X', '/']) expect(existsSync(join(dir, name)), join(dir, name)).toBe(false);
  }
};

describe('member names never reach the file system', () => {
  it('zip: traversal, absolute and drive-letter names are read under their display path, nothing is written', async () => {
    const run = await created(['events', zipInput]);
    expect(run.code).toBe(0);
    expect(run.paths).toEqual([]);
    // The deflated node zip was spooled in the private TMPDIR under the tool's own name, then removed.
    expect(run.spooled.length).toBeGreaterThan(0);
    expect(run.spooled.every((name) => name.startsWith('harvester-postmortem-'))).toBe(true);
    const files = new Set(run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { file: string }).file));
    expect([...files]).toEqual(
      expect.arrayContaining([
        `escape-zip-${tag}.log`,
        `tmp/X/abs-zip-${tag}.log`,
        `win/drive-zip-${tag}.log`,
        `nodes/harvester-01.zip!/escape-inner-${tag}.log`,
        'nodes/harvester-01.zip!/harvester-01/logs/kernel.log',
      ]),
    );
    expectNoEscapes();
  });

  it('tar: links and devices are skipped and reported, traversal names read in place, nothing is written', async () => {
    const run = await created([tarInput, '-f', 'json', '--now', NOW]);
    expect(run.code).toBe(0);
    expect(run.paths).toEqual([]);
    const report = JSON.parse(run.stdout) as { coverage: { unreadable: { file: string; reason: string }[] } };
    expect(report.coverage.unreadable).toEqual([
      { file: 'dev/null', reason: 'character-device skipped: links and devices are never followed' },
      { file: 'dev/sda', reason: 'block-device skipped: links and devices are never followed' },
      { file: 'fifo', reason: 'fifo skipped: links and devices are never followed' },
      { file: 'logs/hard-link', reason: 'link skipped: links and devices are never followed' },
      { file: 'logs/passwd-link', reason: 'symlink skipped: links and devices are never followed' },
    ]);
    const events = await created(['events', tarInput]);
    expect(events.stdout).toContain(`"file":"escape-tar-${tag}.log"`);
    expect(events.stdout).toContain(`"file":"tmp/abs-tar-${tag}.log"`);
    expect(events.stdout).not.toContain('root:x:0:0');
    expectNoEscapes();
  });
});

describe('an extracted bundle with links and special files', () => {
  it('symbolic links (to a file, to a folder above, dangling) and a FIFO are reported, never followed or opened', async () => {
    const dir = join(root.dir, 'extracted', ROOT);
    for (const [path, text] of [
      ['metadata.yaml', 'bundlename: bundle-x7k2p\nbundlecreatedat: "2025-06-14T12:31:05Z"\n'],
      ['logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log', '2025-06-14T09:31:46.123456789Z time="2025-06-14T09:31:46Z" level=info msg="x"\n'],
    ]) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    symlinkSync('/etc/passwd', join(dir, 'logs/passwd.log'));
    symlinkSync('../..', join(dir, 'logs/up'));
    symlinkSync(join(dir, 'missing.log'), join(dir, 'logs/dangling.log'));
    execFileSync('mkfifo', [join(dir, 'logs/pipe.log')]);
    const run = await created(['--now', NOW, '-f', 'json', relative(work, dir)]);
    expect(run.code).toBe(0);
    expect(run.paths).toEqual([]);
    const report = JSON.parse(run.stdout) as { coverage: { lines: number; unreadable: { file: string; reason: string }[] } };
    expect(report.coverage.lines).toBe(1);
    expect(report.coverage.unreadable.map((u) => u.file)).toEqual(['logs/dangling.log', 'logs/passwd.log', 'logs/pipe.log', 'logs/up']);
    expect(report.coverage.unreadable.every((u) => /links are never followed/.test(u.reason))).toBe(true);
    expect(run.stdout).not.toContain('root:x:0:0');
  });
});

describe('outputs go where they are asked to, and only there', () => {
  it('analysis with -o: exactly that file, in every format', async () => {
    for (const format of ['terminal', 'markdown', 'json', 'html']) {
      const run = await created([zipInput, '-f', format, '--now', NOW, '-o', `report-${format}.out`]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.paths).toEqual([`work/report-${format}.out`]);
    }
    expectNoEscapes();
  });

  it('inspect and events with -o: exactly that file', async () => {
    expect((await created(['inspect', tarInput, '-f', 'json', '-o', 'inspect.json'])).paths).toEqual(['work/inspect.json']);
    expect((await created(['events', zipInput, '-o', 'events.jsonl'])).paths).toEqual(['work/events.jsonl']);
  });

  it('batch with --out-dir: the directory and one report per bundle, nothing else', async () => {
    const run = await created(['batch', zipInput, tarInput, '-j', '1', '--out-dir', 'reports', '--report-format', 'html', '--now', NOW, '-o', 'summary.md', '-f', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.paths.filter((p) => !p.startsWith('work/reports/'))).toEqual(['work/reports', 'work/summary.md']);
    expect(run.paths.filter((p) => p.startsWith('work/reports/'))).toEqual([
      expect.stringMatching(/^work\/reports\/hostile-[0-9a-f]{8}\.html$/),
      expect.stringMatching(/^work\/reports\/hostile-[0-9a-f]{8}\.html$/),
    ]);
    expectNoEscapes();
  });
});

import type { Readable } from 'node:stream';
import { openInput } from '../bundle/open-input.js';
import { detectInputKind } from '../bundle/detect-input-kind.js';
import { isMacosMetadataPath } from '../bundle/member-path.js';
import { readLines } from '../bundle/line-reader.js';
import type { BundleMember, InputKind, MemberInfo, MemberKind, Packing, ReadLimits } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import { createYamlListReader } from '../k8s/load-yaml-list.js';
import { parseHarvesterRelease, readMetadata, type BundleMetadata } from '../k8s/bundle-facts.js';
import type { K8sObject } from '../k8s/types.js';
import type { Coverage, CoverageFile } from '../report/model.js';
import { compileLiteralFinder } from '../rules/literal-finder.js';
import { CoverageCounter } from './coverage-counter.js';
import { FinderPool } from './finder-pool.js';
import { scanLog, type LogScanSettings } from './scan-log.js';

/** Receives what the scan reads, as it reads it. */
export interface ScanSink {
  event?(event: LogEvent, member: MemberInfo): void;
  /** The first line of a log file with a time of its own (also passed to `event`). */
  fileStart?(event: LogEvent, member: MemberInfo): void;
  object?(object: K8sObject): void;
}

export interface ScanOptions {
  zone: string;
  limits: ReadLimits;
  sink: ScanSink;
  /** Read yamls/ into objects (default true); `events` needs log lines only. */
  objects?: boolean;
  /**
   * Parse only the lines that contain one of these literals (plus each file's first lines and the lines around chunk
   * boundaries); the others are counted, never decoded. Default: every line.
   */
  candidates?: readonly string[];
  /** Threads that search the candidates' literals beside the main thread (default 0: the main thread does). */
  threads?: number;
}

export interface ScanResult {
  displayPath: string;
  packing: Packing;
  kind: InputKind;
  metadata: BundleMetadata | null;
  objects: K8sObject[];
  nodeReleases: Record<string, string>;
  /** Node names of the `nodes/<node>.zip` archives (or extracted folders), whether or not they held anything. */
  nodeArchives: string[];
  members: MemberInfo[];
  coverage: Omit<Coverage, 'ruleFailures'>;
  files: CoverageFile[];
}

const LOG_KINDS: ReadonlySet<MemberKind> = new Set<MemberKind>([
  'pod-log',
  'node-journal',
  'kernel-log',
  'node-log',
  'log',
  'generation-errors',
  'unknown',
]);
/** metadata.yaml and node config files are small; a larger one is a data problem, not something to buffer. */
const MAX_TEXT_MEMBER_BYTES = 16 * 1024 * 1024;
/** The one node config file read: the node's installed Harvester release. */
const HARVESTER_RELEASE = '/configs/etc/harvester-release.yaml';
/** `nodes/<node>.zip`, its members, or an extracted `nodes/<node>/` folder. */
const NODE_ARCHIVE = /^nodes\/([^/!]+?)(?:\.zip)?(?:!\/|\/|$)/;

/**
 * One streaming pass over an input: every member is read once, logs line by line into the sink, YAML Lists into
 * objects. Data problems never throw; they end up in the coverage. With threads, the literal search runs in them,
 * block by block, while the main thread reads on; nothing else changes.
 */
export async function scanBundle(path: string, options: ScanOptions): Promise<ScanResult> {
  const source = await openInput(path, options.limits);
  const coverage = new CoverageCounter();
  const members: MemberInfo[] = [];
  const objects: K8sObject[] = [];
  const nodeReleases: Record<string, string> = {};
  const nodeArchives = new Set<string>();
  let metadata: BundleMetadata | null = null;
  const textBound = Math.min(MAX_TEXT_MEMBER_BYTES, options.limits.maxTotalBytes);
  const { sink } = options;
  const candidates = options.candidates ?? null;
  const pool = candidates && options.threads ? new FinderPool(options.threads, { literals: candidates, maxLineBytes: options.limits.maxLineBytes }) : null;
  const logSettings: LogScanSettings = {
    zone: options.zone,
    maxLineBytes: options.limits.maxLineBytes,
    finder: pool ?? (candidates ? compileLiteralFinder(candidates) : null),
  };
  try {
    for await (const member of source.members((problem) => coverage.unreadable(problem.file, problem.reason))) {
      const { info } = member;
      // never bundle content (and no gap in it), like the archive's folder entries
      if (isMacosMetadataPath(info.path)) continue;
      members.push(info);
      const archive = NODE_ARCHIVE.exec(info.path);
      if (archive) nodeArchives.add(archive[1]);
      try {
        if (info.kind === 'metadata') {
          metadata = readMetadata(await readText(await member.open(), textBound));
        } else if (info.kind === 'node-config' && info.node && info.path.endsWith(HARVESTER_RELEASE)) {
          const release = parseHarvesterRelease(await readText(await member.open(), textBound));
          if (release.harvester) nodeReleases[info.node] = release.harvester;
        } else if (info.kind === 'yaml-list' && options.objects !== false) {
          await scanYamlList(member, options, coverage, (object) => {
            objects.push(object);
            sink.object?.(object);
          });
        } else if (LOG_KINDS.has(info.kind)) {
          const anchorMs = metadata?.createdAt ?? member.mtime;
          coverage.add(await scanLog(await member.open(), info, anchorMs, logSettings, (event, fileStart) => deliver(event, fileStart, info, sink)));
        }
      } catch (error) {
        coverage.unreadable(info.path, (error as Error).message);
      }
    }
  } finally {
    await pool?.close();
    await source.close();
  }
  return {
    displayPath: source.displayPath,
    packing: source.packing,
    kind: detectInputKind(members.map((m) => m.path)),
    metadata,
    objects,
    nodeReleases,
    nodeArchives: [...nodeArchives].sort(),
    members,
    coverage: coverage.result(),
    files: coverage.files(),
  };
}

function deliver(event: LogEvent, fileStart: boolean, info: MemberInfo, sink: ScanSink): void {
  if (fileStart) sink.fileStart?.(event, info);
  sink.event?.(event, info);
}

/** A YAML List, item by item as its lines stream in. */
async function scanYamlList(member: BundleMember, options: ScanOptions, coverage: CoverageCounter, onObject: (o: K8sObject) => void): Promise<void> {
  const reader = createYamlListReader(member.info.path, onObject);
  const lines = readLines(await member.open(), { maxLineBytes: options.limits.maxLineBytes });
  for await (const chunk of lines) {
    for (let i = 0; i < chunk.lines.length; i++) reader.line(chunk.lines[i], chunk.numbers[i]);
  }
  for (const problem of reader.end()) coverage.unreadable(member.info.path, problem);
  if (lines.stats.binary) coverage.unreadable(member.info.path, 'binary content, not YAML');
}

/** A whole small member as UTF-8; larger than `max` bytes is a data problem, not a crash. */
async function readText(stream: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) {
      stream.destroy();
      throw new Error(`larger than ${max} bytes, not read`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

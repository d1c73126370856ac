import { parse } from 'yaml';
import { compareText } from '../util/compare.js';
import { parseK8sTime } from './k8s-time.js';
import { stringField } from './object-fields.js';
import type { BundleFacts, K8sObject, ObjectIndex } from './types.js';

/** What metadata.yaml says (support-bundle-kit writes lower-cased Go field names). */
export interface BundleMetadata {
  name: string | null;
  clusterId: string | null;
  createdAt: number | null;
  kubernetesVersion: string | null;
  issueDescription: string | null;
}

/** A node's `configs/etc/harvester-release.yaml`. */
export interface HarvesterRelease {
  harvester: string | null;
  harvesterChart: string | null;
  os: string | null;
  kubernetes: string | null;
  rancher: string | null;
  monitoringChart: string | null;
  kubevirt: string | null;
  minUpgradableVersion: string | null;
}

const HARVESTER_GROUP = 'harvesterhci.io/';

function parseMap(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = parse(text, { prettyErrors: false });
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Strings only; a value yaml typed otherwise (`kubernetesversion: 1.32`) is kept as written. */
function text(map: Record<string, unknown> | null, key: string): string | null {
  const v = map?.[key];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' && v !== '' && v !== 'null' ? v : null;
}

export function readMetadata(metadataText: string): BundleMetadata {
  const map = parseMap(metadataText);
  return {
    name: text(map, 'bundlename'),
    clusterId: text(map, 'projectnamespaceuuid'),
    createdAt: parseK8sTime(text(map, 'bundlecreatedat')),
    kubernetesVersion: text(map, 'kubernetesversion'),
    issueDescription: text(map, 'issuedescription'),
  };
}

/** Fields the file lacks, or all of them when it does not parse, are null. */
export function parseHarvesterRelease(releaseText: string): HarvesterRelease {
  const map = parseMap(releaseText);
  return {
    harvester: text(map, 'harvester'),
    harvesterChart: text(map, 'harvesterChart'),
    os: text(map, 'os'),
    kubernetes: text(map, 'kubernetes'),
    rancher: text(map, 'rancher'),
    monitoringChart: text(map, 'monitoringChart'),
    kubevirt: text(map, 'kubevirt'),
    minUpgradableVersion: text(map, 'minUpgradableVersion'),
  };
}

/**
 * A Harvester setting (`settings.harvesterhci.io`, not Rancher's `settings.management.cattle.io`, which also has a
 * `server-version`): its effective value (`value`, else `default`) and the object it was read from.
 */
export function harvesterSetting(index: ObjectIndex, name: string): { value: string | null; object: K8sObject } | null {
  const object = index.byKind('Setting').find((o) => o.name === name && o.apiVersion.startsWith(HARVESTER_GROUP));
  if (!object) return null;
  return { value: stringField(object.raw, 'value') ?? stringField(object.raw, 'default'), object };
}

/** The most common value; ties go to the lowest in code-unit order, so the answer never depends on input order. */
function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return ranked[0]?.[0] ?? null;
}

export function buildFacts(
  metadata: BundleMetadata | null,
  index: ObjectIndex,
  nodeReleases: Record<string, string>,
  nodeZipNames: string[],
): BundleFacts {
  const nodes = new Set<string>(nodeZipNames);
  for (const node of index.byKind('Node')) nodes.add(node.name);
  for (const node of Object.keys(nodeReleases)) nodes.add(node);
  const releases = Object.fromEntries(Object.entries(nodeReleases).sort((a, b) => compareText(a[0], b[0])));
  return {
    name: metadata?.name ?? null,
    clusterId: metadata?.clusterId ?? null,
    createdAt: metadata?.createdAt ?? null,
    kubernetesVersion: metadata?.kubernetesVersion ?? null,
    harvesterVersion: harvesterSetting(index, 'server-version')?.value ?? mostCommon(Object.values(nodeReleases)),
    issueDescription: metadata?.issueDescription ?? null,
    nodes: [...nodes].sort(compareText),
    nodeReleases: releases,
  };
}

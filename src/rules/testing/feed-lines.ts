import type { MemberInfo } from '../../bundle/types.js';
import { classifyPath } from '../../bundle/classify-path.js';
import { createLineParser } from '../../formats/parse-line.js';
import type { TimeContext } from '../../formats/types.js';
import type { BundleFacts } from '../../k8s/types.js';
import type { Engine } from '../engine.js';

/** Classifies `path` like a bundle member, parses each line with the real line parser and feeds it to the engine. */
export function feedLines(engine: Engine, path: string, lines: readonly string[], time: TimeContext): MemberInfo {
  const member = classifyPath(path);
  const parser = createLineParser(member, time);
  lines.forEach((raw, index) => engine.event(parser.parse(raw, index + 1), member));
  return member;
}

/** Anchor for year-less times in fixtures that give none: late in 2025, so month names resolve to 2025. */
export const DEFAULT_FIXTURE_ANCHOR_MS = Date.UTC(2025, 11, 31, 23, 59, 59);

/** Facts of a bundle that says nothing about itself. */
export const EMPTY_FACTS: BundleFacts = {
  name: null,
  clusterId: null,
  createdAt: null,
  kubernetesVersion: null,
  harvesterVersion: null,
  issueDescription: null,
  nodes: [],
  nodeReleases: {},
};

import type { MemberInfo } from '../../bundle/types.js';
import { classifyPath } from '../../bundle/classify-path.js';
import { createLineParser, hasOwnTime } from '../../formats/parse-line.js';
import type { TimeContext } from '../../formats/types.js';
import type { BundleFacts } from '../../k8s/types.js';
import type { Engine } from '../engine.js';

/**
 * Classifies `path` like a bundle member, parses each line with the real line parser and feeds it to the engine,
 * the first line with a time of its own also as the file's start, as a scan does.
 */
export function feedLines(engine: Engine, path: string, lines: readonly string[], time: TimeContext): MemberInfo {
  const member = classifyPath(path);
  const parser = createLineParser(member, time);
  let started = false;
  lines.forEach((raw, index) => {
    const event = parser.parse(raw, index + 1);
    if (!started && hasOwnTime(event)) {
      started = true;
      engine.fileStart(event, member);
    }
    engine.event(event, member);
  });
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

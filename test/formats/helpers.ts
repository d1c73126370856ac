import type { MemberInfo } from '../../src/bundle/types.js';
import { createWallClock, type WallClock } from '../../src/formats/year-anchor.js';

/** Bundle creation time used as the year anchor in most tests (metadata.yaml `bundlecreatedat`). */
export const ANCHOR = Date.parse('2025-07-03T01:15:45Z');

export const utc = (iso: string): number => Date.parse(iso);

export function clock(anchorMs: number | null = ANCHOR, zone = 'UTC'): WallClock {
  return createWallClock({ anchorMs, zone });
}

export function member(overrides: Partial<MemberInfo>): MemberInfo {
  return {
    path: 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
    node: null,
    namespace: 'harvester-system',
    pod: 'harvester-57b46685b9-djn5x',
    container: 'apiserver',
    previous: false,
    component: 'harvester',
    kind: 'pod-log',
    criPrefixed: true,
    ...overrides,
  };
}

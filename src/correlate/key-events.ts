import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { EvidenceRef } from '../rules/types.js';
import { compareText } from '../util/compare.js';
import { toIso } from '../util/time.js';
import {
  BOOT_MARKER,
  KEY_EVENT_LITERALS,
  recognise,
  upgradeStateLine,
  upgradeStateSummary,
  type Sighting,
} from './key-event-patterns.js';
import type { KeyEvent } from './types.js';
import { maskSecrets } from '../rules/mask-secrets.js';

export interface KeyEventCollector {
  /** Substrings one of which every line `event` cares about contains; `event` only needs those lines. */
  literals: string[];
  event(e: LogEvent, m: MemberInfo): void;
  /** The key moments seen so far, in time order. */
  result(): KeyEvent[];
}

const MAX_EVIDENCE_TEXT = 300;
/** One boot is seen by the kernel log and by every journal that was running: sightings this close are one reboot. */
const SAME_BOOT_MS = 10 * 60_000;

interface Group {
  sighting: Sighting;
  /** The sighting the moment is told with: the first one that names a version, else the first. */
  time: number;
  evidence: EvidenceRef;
  lastTime: number;
  count: number;
}

const evidenceOf = (e: LogEvent, time: number): EvidenceRef => ({
  file: e.file,
  line: e.line,
  time,
  text: maskSecrets(e.raw.length > MAX_EVIDENCE_TEXT ? `${e.raw.slice(0, MAX_EVIDENCE_TEXT - 1)}…` : e.raw),
});

function toKeyEvent(g: Group): KeyEvent {
  const repeats = g.sighting.countRepeats && g.count > 1 ? ` (${g.count} times until ${toIso(g.lastTime)})` : '';
  return { time: g.time, node: g.sighting.node, kind: g.sighting.kind, summary: g.sighting.summary + repeats, evidence: g.evidence };
}

export function compareKeyEvents(a: KeyEvent, b: KeyEvent): number {
  return (
    a.time - b.time ||
    compareText(a.node, b.node) ||
    compareText(a.kind, b.kind) ||
    compareText(a.evidence.file, b.evidence.file) ||
    (a.evidence.line ?? 0) - (b.evidence.line ?? 0) ||
    compareText(a.summary, b.summary)
  );
}

/** Keeps the earliest of sightings that are one happening seen from several files. */
function withoutEchoes(events: KeyEvent[]): KeyEvent[] {
  const lastBoot = new Map<string, number>();
  const phases = new Set<string>();
  return events.filter((e) => {
    if (e.kind === 'reboot') {
      const node = e.node ?? '';
      const previous = lastBoot.get(node);
      if (previous !== undefined && e.time - previous <= SAME_BOOT_MS) return false;
      lastBoot.set(node, e.time);
    }
    if (e.kind === 'upgrade-phase') {
      if (phases.has(e.summary)) return false;
      phases.add(e.summary);
    }
    return true;
  });
}

/**
 * Collects key moments (RKE2 installs, stops and starts, kubelet starts, reboots, upgrade job steps, drains, upgrade
 * state changes) from log lines as they stream by. Repeats of one moment in one file (the three lines of one RKE2
 * install, eviction retries every 5 s) become one key event; the same reboot seen by several files too.
 */
export function createKeyEventCollector(): KeyEventCollector {
  const open = new Map<string, Group>();
  const closed: KeyEvent[] = [];
  /** A boot separator waiting for the next line of its file, whose time is when the node came back. */
  const pendingBoot = new Map<string, { e: LogEvent; node: string | null; unit: string }>();
  const lastState = new Map<string, string>();
  const releaseSeen = new Set<string>();

  /** A stop ends the start before it (and a start the stop): a restart is two moments, not one long start. */
  function closeCounterpart(s: Sighting, file: string): void {
    const counterpart = s.kind === 'rke2-stop' ? 'rke2-start' : s.kind === 'rke2-start' ? 'rke2-stop' : null;
    if (!counterpart) return;
    for (const [key, group] of open) {
      if (group.sighting.kind === counterpart && group.sighting.node === s.node && group.evidence.file === file) {
        closed.push(toKeyEvent(group));
        open.delete(key);
      }
    }
  }

  function add(s: Sighting, e: LogEvent, time: number, evidence = evidenceOf(e, time)): void {
    closeCounterpart(s, e.file);
    const key = `${s.kind}\u0000${s.node ?? ''}\u0000${e.file}\u0000${s.group}`;
    const group = open.get(key);
    if (group && s.mergeWithinMs > 0 && Math.abs(time - group.lastTime) <= s.mergeWithinMs) {
      group.count += 1;
      group.lastTime = Math.max(group.lastTime, time);
      if (group.sighting.version === null && s.version !== null) Object.assign(group, { sighting: s, time, evidence });
      return;
    }
    if (group) closed.push(toKeyEvent(group));
    open.set(key, { sighting: s, time, evidence, lastTime: time, count: 1 });
  }

  function resolveBoot(e: LogEvent): void {
    const pending = pendingBoot.get(e.file);
    if (!pending) return;
    pendingBoot.delete(e.file);
    if (e.line !== pending.e.line + 1 || e.time === null) return;
    const boot: Sighting = {
      kind: 'reboot',
      node: pending.node,
      summary: `node booted (boot separator in the ${pending.unit} journal)`,
      group: 'boot',
      mergeWithinMs: 0,
      countRepeats: false,
      version: null,
    };
    // Cite the separator; its time is that of the first entry of the new boot.
    add(boot, pending.e, e.time, evidenceOf(pending.e, e.time));
  }

  function event(e: LogEvent, m: MemberInfo): void {
    resolveBoot(e);
    const marker = e.fields?.marker;
    if (BOOT_MARKER.test(e.raw.trim()) || (e.format === 'journal-marker' && (marker === 'reboot' || marker === 'boot'))) {
      const unit = m.component ?? m.path.slice(m.path.lastIndexOf('/') + 1);
      pendingBoot.set(e.file, { e, node: m.node, unit });
      return;
    }
    if (e.time === null) return;

    const state = upgradeStateLine(e.raw);
    if (state) {
      // The controller logs the labels on every reconcile: only changes are moments.
      const key = `${e.file}\u0000${state.upgrade}`;
      if (lastState.get(key) === state.state) return;
      lastState.set(key, state.state);
      const summary = upgradeStateSummary(state.upgrade, state.state);
      add({ kind: 'upgrade-phase', node: null, summary, group: summary, mergeWithinMs: 0, countRepeats: false, version: null }, e, e.time);
      return;
    }

    const s = recognise(e, m, !releaseSeen.has(e.file));
    if (!s) return;
    if (s.group === 'apply-manifests' && s.kind === 'job-start') releaseSeen.add(e.file);
    add(s, e, e.time);
  }

  return {
    literals: [...KEY_EVENT_LITERALS],
    event,
    result: () => withoutEchoes([...closed, ...[...open.values()].map(toKeyEvent)].sort(compareKeyEvents)),
  };
}

const VERSION = /\bv\d+\.\d+\.\d+(?:[-+][A-Za-z0-9.]+)?/;

/**
 * The RKE2/kubelet version a key event names (`rke2-install`, `rke2-start`, `kubelet-start`), normalised to the
 * `v1.32.3+rke2r1` spelling: installer image tags write `+` as `-` (`system-agent-installer-rke2:v1.32.3-rke2r1`).
 */
export function rke2VersionOf(e: KeyEvent): string | null {
  const v = VERSION.exec(e.summary)?.[0];
  return v ? v.replace(/-(rke2r\d+)$/, '+$1') : null;
}

/** The Upgrade and state of an `upgrade-phase` key event made from a controller `handle upgrade` line. */
export function upgradeStateOf(e: KeyEvent): { upgrade: string; state: string } | null {
  if (e.kind !== 'upgrade-phase') return null;
  const m = /^Upgrade (\S+) upgradeState (\S+)$/.exec(e.summary);
  return m ? { upgrade: m[1], state: m[2] } : null;
}

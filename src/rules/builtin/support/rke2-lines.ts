import type { MemberInfo } from '../../../bundle/types.js';
import type { LogEvent } from '../../../formats/types.js';
import type { KeyEvent, KeyEventKind } from '../../../correlate/types.js';
import { compareEvidence, eventEvidence } from './evidence.js';

/** Substrings of the node lines that show RKE2 being installed, stopped or started (upgrade-mechanics §4.4, §12). */
export const RKE2_LITERALS = [
  'system-agent-installer-rke2',
  'Detected first start, force-applying one-time instruction set',
  'Stopping Rancher Kubernetes Engine v2',
  'Started Rancher Kubernetes Engine v2',
  'Starting rke2 v',
  'Kubelet version',
  'Starting kubelet',
];

type Rke2Kind = Extract<KeyEventKind, 'rke2-install' | 'rke2-stop' | 'rke2-start' | 'kubelet-start'>;

const INSTALLER_VERSION = /system-agent-installer-rke2:(v[0-9][\w.+-]*)/;
const RKE2_VERSION = /Starting rke2 (v[0-9][\w.+-]*)/;
const KUBELET_VERSION = /kubeletVersion="?(v[0-9][\w.+-]*)/;

/** The image tag spells `+` as `-` (`v1.32.3-rke2r1`); versions are compared in the `v1.32.3+rke2r1` form. */
export const normaliseRke2Version = (v: string): string => v.replace(/-(rke2r\d+)$/, '+$1');

const classify = (e: LogEvent, member: MemberInfo): { kind: Rke2Kind; summary: string; version: string | null } | null => {
  const text = e.message;
  if (member.component === 'kubelet' || member.path.endsWith('kubelet.log')) {
    if (text.includes('Kubelet version') || text.includes('Starting kubelet')) {
      const v = KUBELET_VERSION.exec(e.raw)?.[1] ?? null;
      return { kind: 'kubelet-start', summary: v ? `kubelet ${v} started` : 'kubelet started', version: v };
    }
    return null;
  }
  if (text.includes('Stopping Rancher Kubernetes Engine v2'))
    return { kind: 'rke2-stop', summary: text.trim(), version: null };
  if (text.includes('Started Rancher Kubernetes Engine v2'))
    return { kind: 'rke2-start', summary: text.trim(), version: null };
  const started = RKE2_VERSION.exec(text);
  if (started) return { kind: 'rke2-start', summary: `rke2 ${started[1]} starting`, version: started[1] };
  const installer = INSTALLER_VERSION.exec(text);
  if (installer && text.includes('Extracting')) {
    const v = normaliseRke2Version(installer[1]);
    return { kind: 'rke2-install', summary: `system-agent-installer-rke2 ${v} extracted`, version: v };
  }
  if (text.includes('Detected first start, force-applying one-time instruction set'))
    return { kind: 'rke2-install', summary: 'rancher-system-agent force-applies the one-time (RKE2 install) instruction set', version: null };
  return null;
};

/** An RKE2 moment on a node, from a key event or read here from its line. */
export interface Rke2Moment {
  node: string;
  kind: Rke2Kind;
  time: number;
  version: string | null;
  event: KeyEvent;
}

/** Collects RKE2 moments of node journals and kubelet logs; merges them with the pipeline's key events, once per file:line. */
export const createRke2Collector = () => {
  const own: Rke2Moment[] = [];
  const event = (e: LogEvent, member: MemberInfo): void => {
    if (!member.node || e.time === null) return;
    const c = classify(e, member);
    if (!c) return;
    own.push({
      node: member.node,
      kind: c.kind,
      time: e.time,
      version: c.version,
      event: { time: e.time, node: member.node, kind: c.kind, summary: c.summary, evidence: eventEvidence(e) },
    });
  };
  const moments = (keyEvents: readonly KeyEvent[]): Rke2Moment[] => {
    const seen = new Set(own.map((m) => `${m.event.evidence.file}:${m.event.evidence.line}`));
    const all = [...own];
    for (const k of keyEvents) {
      if (!k.node || !['rke2-install', 'rke2-stop', 'rke2-start', 'kubelet-start'].includes(k.kind)) continue;
      const at = `${k.evidence.file}:${k.evidence.line}`;
      if (seen.has(at)) continue;
      seen.add(at);
      const version = INSTALLER_VERSION.exec(k.evidence.text)?.[1] ?? RKE2_VERSION.exec(k.evidence.text)?.[1] ?? null;
      all.push({ node: k.node, kind: k.kind as Rke2Kind, time: k.time, version: version && normaliseRke2Version(version), event: k });
    }
    return all.sort((a, b) => a.time - b.time || compareEvidence(a.event.evidence, b.event.evidence));
  };
  return { event, moments };
};

import type { MemberInfo } from '../../../bundle/types.js';
import type { LogEvent } from '../../../formats/types.js';
import type { EvidenceRef } from '../../types.js';
import { compareEvidence, eventEvidence } from './evidence.js';
import { byTimeThen } from './episodes.js';

/** Substrings of the kernel's OOM lines (journalctl -k, dmesg, SystemOOM texts). */
export const KERNEL_OOM_LITERALS = ['Killed process', 'Kill process', 'invoked oom-killer', 'oom-kill:'];

/** One process the kernel OOM killer killed, from its lines in one node's kernel log. */
export interface OomKill {
  node: string | null;
  pid: number | null;
  /** The process name as the kernel prints it (15 chars at most: `qemu-system-x86`, `prometheus`). */
  comm: string;
  /** Pod UID and container ID from the memcg path of the `oom-kill:` line, when present. */
  podUid: string | null;
  containerId: string | null;
  /** True when the memcg line says the container limit was hit (`CONSTRAINT_MEMCG`, `Memory cgroup out of memory`). */
  memcg: boolean;
  time: number | null;
  evidence: EvidenceRef[];
}

const KILLED = /(Memory cgroup out of memory|Out of memory): Kill(?:ed)? process (\d+) \(([^)]*)\)/;
const INVOKED = /^(?:.*?\] )?(\S(?:.*?\S)?) invoked oom-killer:/;
const OOM_KILL = /oom-kill:(\S*)/;
const POD_UID = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;
/** Last memcg path segment: `<id>` (cgroupfs driver) or `cri-containerd-<id>.scope` (systemd driver). */
const CONTAINER_ID = /\/(?:cri-containerd-)?([0-9a-f]{64})(?:\.scope)?$/;

const isKernelSource = (member: MemberInfo): boolean =>
  member.kind === 'kernel-log' || member.component === 'kernel' || member.kind === 'log';

/** Collects OOM kills from kernel lines; `kills()` merges each kill's lines (invoked → oom-kill → Killed process). */
export const createOomCollector = () => {
  const killed: { node: string | null; pid: number; comm: string; memcg: boolean; event: LogEvent }[] = [];
  const details: {
    node: string | null;
    pid: number | null;
    podUid: string | null;
    containerId: string | null;
    event: LogEvent;
  }[] = [];
  const invoked: { node: string | null; comm: string; event: LogEvent }[] = [];

  const event = (e: LogEvent, member: MemberInfo): void => {
    if (!isKernelSource(member)) return;
    const text = e.message;
    const node = member.node;
    let m = KILLED.exec(text);
    if (m) {
      killed.push({ node, pid: Number(m[2]), comm: m[3], memcg: m[1].startsWith('Memory cgroup'), event: e });
      return;
    }
    m = OOM_KILL.exec(text);
    if (m) {
      const kv = new Map(m[1].split(',').map((part) => [part.split('=')[0], part.slice(part.indexOf('=') + 1)] as const));
      const pid = Number(kv.get('pid'));
      const memcg = kv.get('task_memcg') ?? kv.get('oom_memcg') ?? '';
      details.push({
        node,
        pid: Number.isFinite(pid) ? pid : null,
        podUid: POD_UID.exec(memcg)?.[1]?.replace(/_/g, '-') ?? null,
        containerId: CONTAINER_ID.exec(kv.get('task_memcg') ?? '')?.[1] ?? null,
        event: e,
      });
      return;
    }
    m = INVOKED.exec(text);
    if (m) invoked.push({ node, comm: m[1], event: e });
  };

  const kills = (): OomKill[] => {
    const result: OomKill[] = [];
    const byKey = new Map<string, OomKill>();
    for (const k of killed) {
      const key = `${k.node}\u0000${k.pid}`;
      const existing = byKey.get(key);
      // The same kill can be printed twice (kernel.log and its previous boot file); keep one.
      if (existing && existing.time !== null && k.event.time !== null && Math.abs(existing.time - k.event.time) < 60_000) {
        existing.evidence.push(eventEvidence(k.event));
        continue;
      }
      const kill: OomKill = {
        node: k.node,
        pid: k.pid,
        comm: k.comm,
        podUid: null,
        containerId: null,
        memcg: k.memcg,
        time: k.event.time,
        evidence: [eventEvidence(k.event)],
      };
      byKey.set(key, kill);
      result.push(kill);
    }
    const near = (kill: OomKill, t: number | null, before: number, after: number): boolean =>
      kill.time === null || t === null || (t >= kill.time - before && t <= kill.time + after);
    for (const d of details) {
      const kill = result.find((k) => k.node === d.node && k.pid === d.pid && near(k, d.event.time, 60_000, 60_000));
      if (!kill) continue;
      kill.podUid ??= d.podUid;
      kill.containerId ??= d.containerId;
      kill.memcg ||= /CONSTRAINT_MEMCG/.test(d.event.message);
      kill.evidence.push(eventEvidence(d.event));
    }
    for (const inv of invoked) {
      // The invoking task is often not the victim (`CPU 2/KVM invoked oom-killer` kills qemu): attach to the kill it led to.
      const kill = result.find((k) => k.node === inv.node && near(k, inv.event.time, 10_000, 0));
      if (kill) kill.evidence.push(eventEvidence(inv.event));
      else
        result.push({
          node: inv.node,
          pid: null,
          comm: inv.comm,
          podUid: null,
          containerId: null,
          memcg: false,
          time: inv.event.time,
          evidence: [eventEvidence(inv.event)],
        });
    }
    for (const kill of result) kill.evidence.sort(compareEvidence);
    return result.sort(byTimeThen((k) => k.time, (k) => `${k.node}\u0000${k.pid}\u0000${k.comm}`));
  };

  return { event, kills };
};

/** The kernel names a VM's process `qemu-system-x86` (15-char comm of qemu-system-x86_64). */
export const isQemu = (comm: string): boolean => comm.startsWith('qemu-system') || comm.startsWith('qemu-kvm') || comm.includes('/KVM');
